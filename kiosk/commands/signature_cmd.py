"""`kiosk devices signature` (capture one signature end to end) and `kiosk bench signature`."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from devices.signature.emulator import EmulatedPad
from devices.signature.measure import bench_emulated, sample_rate_hz
from devices.signature.pad import SignaturePad
from devices.signature.record import SignatureError, SignatureRecord, SignatureRefused, strokes_of, verify
from devices.signature.stroke_library import stroke_names
from devices.signature.timeseries_json import dumps
from kiosk.context import AppContext

DEMO_DOCUMENT = "개인정보 수집·이용 동의서 (시연용) — consent form, demo\n".encode()


def register(registry: Any) -> None:
    capture = registry.subcommand(
        "devices", "signature", "capture one signature (pad or emulated pad) to PNG + JSON", _capture
    )
    capture.add_argument("--emulated", action="store_true", help="use an emulated pad on a pseudo-terminal")
    capture.add_argument("--port", help="serial port of a real pad (default: [signature] port)")
    capture.add_argument("--out", required=True, type=Path, help="directory for signature.png/.json")
    capture.add_argument("--signature", choices=stroke_names(), help="stroke file the emulator replays")
    capture.add_argument("--document", type=Path, help="the document being signed (default: a demo text)")
    capture.add_argument("--consent-id", default="demo-consent", help="consent id bound into the record")
    capture.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for a signature")
    bench = registry.subcommand("bench", "signature", "sample rate and pen-to-callback latency", _bench)
    bench.add_argument("--json", action="store_true", help="print figures as JSON")
    bench.add_argument("--runs", type=int, default=1)
    bench.add_argument("--signature", choices=stroke_names(), default="initials-mj")


def _capture(args: argparse.Namespace, ctx: AppContext) -> int:
    settings = ctx.settings.signature
    document = args.document.read_bytes() if args.document else DEMO_DOCUMENT
    digest = hashlib.sha256(document).hexdigest()
    emulator = EmulatedPad(settings=settings) if args.emulated else None
    port = emulator.port_name if emulator else (args.port or settings.port)
    if not port:
        print("서명 패드 포트가 없어요: --port 또는 --emulated 를 주세요. (no pad port)", file=sys.stderr)
        return 2
    errors: list[str] = []
    pad = SignaturePad(port, settings)
    pad.on_error(lambda code, message: errors.append(f"{code}: {message}"))
    try:
        pad.start_capture(digest, args.consent_id)
        if emulator:
            emulator.replay(args.signature)
        else:
            print("서명해 주세요. 펜을 패드에서 떼면 끝나요. (Sign now; lift the pen away to finish.)")
        while not pad.pen_left.wait(args.timeout if not emulator else 2.0) or not pad.points:
            if errors or emulator:
                break
            pad.pen_left.clear()
        record = pad.finish()
    except SignatureRefused as exc:
        print(f"{exc.code}: {exc.message_ko}", file=sys.stderr)
        return 1
    except SignatureError as exc:
        print(f"{exc.code}: {exc.message_ko}", file=sys.stderr)
        return 1
    finally:
        pad.stop()
        if emulator:
            emulator.close()
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 1
    _write(args.out, record)
    print(
        f"signature: {len(strokes_of(record.points))} strokes, {len(record.points)} samples, "
        f"{record.points[-1].t_ms} ms, {sample_rate_hz(record.points):.1f} samples/s, "
        f"device {record.device}\n"
        f"document sha256 {digest}; verify: {verify(record, document)}\n"
        f"wrote {args.out / 'signature.png'} and {args.out / 'signature.json'}"
    )
    return 0


def _write(out: Path, record: SignatureRecord) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "signature.png").write_bytes(record.png)
    (out / "signature.json").write_text(dumps(record) + "\n", encoding="utf-8")


def _bench(args: argparse.Namespace, ctx: AppContext) -> int:
    figures = bench_emulated(args.signature, max(1, args.runs), ctx.settings.signature)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    else:
        lat = figures["latency_pen_to_callback"]
        print(
            f"sample rate {figures['measured_sample_rate_hz']} Hz (configured "
            f"{figures['configured_sample_rate_hz']}); latency pen->callback median {lat['median_ms']} ms, "
            f"p95 {lat['p95_ms']} ms, max {lat['max_ms']} ms over {lat['n']} points"
        )
    return 0
