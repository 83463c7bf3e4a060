"""`kiosk devices signature` (capture one signature end to end) and `kiosk bench signature`."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any

from devices.signature.emulator import EmulatedPad
from devices.signature.measure import bench_emulated, sample_rate_hz
from devices.signature.pad import SignaturePad
from devices.signature.record import SignatureError, SignatureRecord, SignatureRefused, strokes_of, verify
from devices.signature.stroke_library import stroke_names
from devices.signature.timeseries_json import dumps
from kiosk.context import AppContext

SETTLE_S = 2.0  # a real pad: the signature is done when the pen stays away this long
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
    try:
        document = args.document.read_bytes() if args.document else DEMO_DOCUMENT
    except OSError as exc:
        print(f"서명할 문서를 읽을 수 없어요 (cannot read the document): {exc}", file=sys.stderr)
        return 2
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
        _wait_for_signature(pad, errors, args.timeout, settle_s=0.0 if emulator else SETTLE_S)
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


def _wait_for_signature(pad: SignaturePad, errors: list[str], timeout: float, settle_s: float) -> None:
    """Until the pen has left the pad after writing and stayed away ``settle_s`` (people lift the pen
    between syllables), an error, or ``timeout``."""
    deadline = time.monotonic() + timeout
    tick = threading.Event()
    while time.monotonic() < deadline and not errors:
        if not pad.pen_left.wait(0.1) or not pad.points:
            continue
        count = len(pad.points)
        pad.pen_left.clear()
        settled = time.monotonic() + settle_s
        while time.monotonic() < settled and len(pad.points) == count and not errors:
            tick.wait(0.05)
        if len(pad.points) == count:
            return


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
