"""`kiosk devices id ...` (read an ID image or the virtual ePassport) and `kiosk bench id`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kiosk.context import AppContext


def register(registry) -> None:  # type: ignore[no-untyped-def]
    sub = registry.subcommand(
        "devices", "id", "신분증 읽기 (read an ID card image or an ePassport chip)", _devices_id
    )
    source = sub.add_mutually_exclusive_group(required=True)
    source.add_argument("--image", metavar="FILE", help="a photo or scan of an ID card")
    source.add_argument(
        "--emulated-passport",
        action="store_true",
        help="read the virtual ePassport through the real pcscd (starts pcscd if needed)",
    )
    source.add_argument(
        "--passport",
        metavar="DOCNO,YYMMDD,YYMMDD",
        help="read a real ePassport on a PC/SC reader with this BAC key (number, birth, expiry)",
    )
    source.add_argument(
        "--render",
        metavar="OUT",
        help="write a photographed virtual card (synthetic identity) to OUT.png for trying --image",
    )
    sub.add_argument("--reader", default="", help="PC/SC reader name filter for --passport")
    sub.add_argument("--json", action="store_true", help="print JSON")
    sub.add_argument(
        "--unmasked",
        action="store_true",
        help="also print the full RRN (operator diagnostic for an image you already hold; nothing is stored)",
    )
    sub.add_argument(
        "--save-masked", metavar="PNG", help="write the masked card image (RRN back digits hidden)"
    )
    sub.add_argument("--kind", choices=["resident_card", "driver_license"], default="resident_card")
    sub.add_argument("--level", choices=["clean", "moderate", "hard", "heavy"], default="moderate")
    sub.add_argument(
        "--capture",
        choices=["camera", "flatbed", "glare"],
        default="camera",
        help="--render: a camera shot at --level, a flatbed crop (the card fills the image), "
        "or a camera shot under a lamp's glare that leaves the text readable",
    )
    sub.add_argument("--font", help="--render: a Korean face by family name (e.g. 'Baekmuk Batang')")
    sub.add_argument("--design", help="--render: a card design (e.g. rc-2025, dl-2021)")
    sub.add_argument("--seed", type=int, default=1)

    bench = registry.subcommand(
        "bench", "id", "ID OCR bench: the pipeline vs the naive baseline, tuning vs held-out cards", _bench_id
    )
    bench.add_argument("--json", action="store_true")
    bench.add_argument(
        "--count", type=int, default=16, help="cards per level (default 16; 200 for the full set)"
    )
    bench.add_argument(
        "--levels", default="clean,moderate,hard,washout", help="comma-separated; heavy = hard"
    )
    bench.add_argument("--seed", type=int, default=2026)


def _options(ctx: AppContext):  # type: ignore[no-untyped-def]
    from devices.id.factory import image_options

    return image_options(ctx.settings)


def _fail(code: str, message_ko: str, detail: str, as_json: bool) -> int:
    if as_json:
        print(json.dumps({"error": code, "message": message_ko}, ensure_ascii=False))
    print(f"{message_ko} [{code}]" + (f" ({detail})" if detail else ""), file=sys.stderr)
    return 1


def _devices_id(args: argparse.Namespace, ctx: AppContext) -> int:
    from devices.id.model import IdError

    try:
        if args.render:
            return _render(args)
        if args.emulated_passport:
            return _emulated_passport(args, ctx)
        if args.passport:
            return _real_passport(args, ctx)
        return _image(args, ctx)
    except IdError as exc:
        return _fail(exc.code, exc.message_ko, exc.detail, args.json)


def _render(args: argparse.Namespace) -> int:
    import dataclasses
    import random

    import cv2

    from devices.id.emulators.card_render import Perturbation, render_card
    from devices.id.emulators.designs import design_named
    from devices.id.emulators.fonts import font_named
    from devices.id.emulators.identities import generate_identity
    from devices.id.model import DocumentKind

    identity = generate_identity(random.Random(args.seed))
    perturbation = Perturbation.level("hard" if args.level == "heavy" else args.level, args.seed)
    if args.capture == "flatbed":
        perturbation = Perturbation(capture="flatbed", background="black", margin=0.03, seed=args.seed)
    elif args.capture == "glare":
        perturbation = dataclasses.replace(
            perturbation, glare=0.6, glare_kind="readable", glare_at=(0.35, 0.45), glare_size=0.3
        )
    try:
        font = font_named(args.font) if args.font else None
        design = design_named(args.design) if args.design else None
    except (KeyError, ValueError) as exc:
        print(f"알 수 없는 글꼴 또는 디자인이에요 (unknown font or design): {exc}", file=sys.stderr)
        return 2
    frame = render_card(identity, DocumentKind(args.kind), perturbation, font=font, design=design)
    out = Path(args.render)
    if out.suffix.lower() not in (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp"):
        out = out.with_name(out.name + ".png")  # as the help says: OUT.png (cv2 needs a known extension)
    if not cv2.imwrite(str(out), frame):
        print(f"파일을 쓸 수 없어요 (cannot write): {out}", file=sys.stderr)
        return 1
    what = f"{args.kind} ({args.capture}, {args.level})"
    print(f"{out}: {what} for a synthetic identity, name {identity.name}")
    return 0


def _image(args: argparse.Namespace, ctx: AppContext) -> int:
    import time

    from devices.id.image.pipeline import CardImagePipeline, load_image_file, warm_up
    from devices.id.model import IdError

    options = _options(ctx)
    pipeline = CardImagePipeline(options)  # layouts load before the clock starts: per-card time only
    for loading in warm_up():  # so do the OCR models and the glyph references: a reader's start-up
        loading.result()
    started = time.perf_counter()
    try:
        document = pipeline.read(load_image_file(Path(args.image), options))
    except IdError as exc:
        elapsed_ms = round(1000 * (time.perf_counter() - started))
        if args.json:  # the error shape plus what the read cost
            print(json.dumps({"error": exc.code, "message": exc.message_ko,
                              "candidates_tried": exc.candidates_tried, "elapsed_ms": elapsed_ms},
                             ensure_ascii=False))  # fmt: skip
        print(f"{exc.message_ko} [{exc.code}]" + (f" ({exc.detail})" if exc.detail else ""), file=sys.stderr)
        return 1
    elapsed_ms = round(1000 * (time.perf_counter() - started))
    if args.save_masked and document.masked_image is not None:
        import cv2

        cv2.imwrite(args.save_masked, document.masked_image)
    fields = document.public_fields(include_rrn=args.unmasked)
    fields["candidates_tried"] = document.candidates_tried
    fields["elapsed_ms"] = elapsed_ms
    if args.json:
        print(json.dumps(fields, ensure_ascii=False))
    else:
        for key, value in fields.items():
            print(f"{key}: {value}")
    return 0


def _emulated_passport(args: argparse.Namespace, ctx: AppContext) -> int:
    from devices.id.emulators.vicc import PassportHolder, VirtualPassport, VpcdCard
    from devices.id.image.mrz import parse_td3
    from devices.id.pcsc.emrtd import BacKey
    from devices.id.pcsc.reader import passport_document, read_passport_on, wait_for_card
    from devices.id.pcsc.service import PcscdProcess

    holder = PassportHolder()
    td3 = parse_td3(holder.mrz)  # the BAC key comes from the MRZ, as the image reader would supply it
    reader_name = "Virtual PCD 00 00" if ctx.settings.identity.vpcd_port == 35963 else "Virtual PCD 00 01"
    daemon = PcscdProcess()
    daemon.ensure_running()
    pcscd_state = "started for this read" if daemon.started else "already running"
    try:
        with VpcdCard(VirtualPassport(holder), port=ctx.settings.identity.vpcd_port):
            if not wait_for_card(reader_name, timeout=20):
                from devices.id.model import IdError

                raise IdError("no_card_in_reader", reader_name)
            data = read_passport_on(reader_name, BacKey.from_td3(td3))
    finally:
        daemon.stop()
    document = passport_document(data)
    dg1 = {
        "document_code": data.mrz.document_code,
        "issuing_state": data.mrz.issuing_state,
        "surname": data.mrz.surname,
        "given_names": data.mrz.given_names,
        "document_number": data.mrz.document_number,
        "nationality": data.mrz.nationality,
        "birth_date": document.birth_date.isoformat() if document.birth_date else None,
        "sex": data.mrz.sex,
        "expiry_date": document.expiry_date.isoformat() if document.expiry_date else None,
    }
    out = {
        "reader": reader_name,
        "pcscd": pcscd_state,
        "ef_com": {"lds_version": data.ef_com.lds_version, "data_groups": list(data.ef_com.data_groups)},
        "dg1": dg1,
        "access": "BAC + secure messaging (3DES)",
    }
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        print(f"reader: {reader_name} (pcscd {out['pcscd']}); {out['access']}")
        print(f"EF.COM: LDS {data.ef_com.lds_version}, {', '.join(data.ef_com.data_groups)}")
        for key, value in dg1.items():
            print(f"DG1 {key}: {value}")
    return 0


def _real_passport(args: argparse.Namespace, ctx: AppContext) -> int:
    from devices.id.model import IdError
    from devices.id.pcsc.emrtd import BacKey
    from devices.id.pcsc.reader import passport_document, read_passport_on

    parts = [p.strip() for p in args.passport.split(",")]
    if len(parts) != 3 or not all(len(p) == 6 and p.isdigit() for p in parts[1:]):
        raise IdError("wrong_mrz", "--passport needs DOCNO,YYMMDD,YYMMDD")
    reader = args.reader or ctx.settings.identity.pcsc_reader or None
    document = passport_document(read_passport_on(reader, BacKey(*parts)))
    fields = document.public_fields()
    print(
        json.dumps(fields, ensure_ascii=False)
        if args.json
        else "\n".join(f"{k}: {v}" for k, v in fields.items())
    )
    return 0


def _bench_id(args: argparse.Namespace, ctx: AppContext) -> int:
    from devices.id.bench import format_table, run_bench
    from devices.id.emulators.samples import canonical_level

    try:
        levels = tuple(canonical_level(level.strip()) for level in args.levels.split(",") if level.strip())
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.count < 1:
        print("--count must be at least 1", file=sys.stderr)
        return 2

    def progress(level: str, done: int) -> None:
        if not args.json and done % 8 == 0:
            print(f"  {level}: {done}/{args.count}", file=sys.stderr)

    report = run_bench(args.count, levels, args.seed, _options(ctx), progress)
    print(json.dumps(report, ensure_ascii=False) if args.json else format_table(report))
    return 0
