"""CLI of the printing area: `kiosk print sample|test`, `kiosk bench print`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.context import AppContext

if TYPE_CHECKING:
    from kiosk.cli import CommandRegistry


def _sample(args: argparse.Namespace, ctx: AppContext) -> int:
    from printers.demo import print_document_samples, print_receipt_samples

    if not args.emulated:
        print("지금은 --emulated 로만 견본을 인쇄해요 (use --emulated; for a real printer: kiosk print test)")
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    model = args.model or ctx.settings.printer.model
    for artefact in print_receipt_samples(out, model) + print_document_samples(out):
        print(artefact.line())
    return 0


def _test(args: argparse.Namespace, ctx: AppContext) -> int:
    from printers.escpos.samples import SAMPLE_FIELDS
    from printers.escpos.transport import PrinterLinkError, ReceiptPrinter

    settings = ctx.settings.printer
    port = args.port or settings.port
    if not port:
        print("프린터 포트를 알려 주세요: --port /dev/ttyUSB0 (no printer port given)", file=sys.stderr)
        return 2
    try:
        printer = ReceiptPrinter.open(
            port, args.model or settings.model, baud=settings.baud, status_timeout_s=settings.status_timeout_s
        )
    except PrinterLinkError as exc:
        print(f"[{exc.code}] {exc.message_ko} ({exc})", file=sys.stderr)
        return 1
    with printer:
        before = printer.read_health()
        print(f"before: {before.state} [{before.code}] {before.message_ko}")
        if not before.can_print:
            return 1
        fields = dict(SAMPLE_FIELDS["ticket"], ticket_number="TEST", notice="시험 인쇄예요 (test print)")
        start = time.perf_counter()
        rendered = printer.print_receipt("ticket", fields)
        after = printer.read_health()
        millis = (time.perf_counter() - start) * 1000
        print(f"sent {len(rendered.payload)} bytes in {millis:.0f} ms; after: {after.state} [{after.code}]")
        for warning in rendered.warnings:
            print(f"warning: {warning}")
        return 0 if after.can_print else 1


def _bench(args: argparse.Namespace, ctx: AppContext) -> int:
    from printers.bench import run_bench

    result = run_bench(runs=args.runs)
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    ticket = result["ticket"]
    print(f"ticket: {ticket['bytes']} bytes (target ≤ {ticket['target_bytes']})")
    for baud in (19200, 115200):
        figures = ticket[f"baud_{baud}"]
        print(
            f"  {baud} baud: emulated {figures['emulated_s_median']:.3f} s, serial limit "
            f"{figures['serial_limit_s']:.3f} s, ratio {figures['ratio_to_limit']:.2f} (target ≤ 1.2)"
        )
    naive = result["naive_ticket"]
    print(f"naive ticket (raster Hangul): {naive['bytes']} bytes, {naive['serial_limit_s_19200']} s at 19200")
    for name, figures in result["pdf"].items():
        print(f"pdf {name}: {figures['render_ms_median']} ms, {figures['bytes_signed']} bytes signed")
    return 0


def register(registry: CommandRegistry) -> None:
    parser = registry.command("print", "영수증 인쇄와 문서 견본 (receipts and documents)", _no_sub)
    subs = parser.add_subparsers(dest="print_command", metavar="SUBCOMMAND")
    sample = subs.add_parser("sample", help="print every receipt and document template once")
    sample.add_argument("--emulated", action="store_true", help="on the printer emulator (pty)")
    sample.add_argument("--out", required=True, help="directory for .bin, .png and .pdf files")
    sample.add_argument("--model", help="printer model (config/printers/<name>.toml)")
    sample.set_defaults(handler=_sample)
    test = subs.add_parser("test", help="print a test receipt on a real printer and report its health")
    test.add_argument("--port", help="serial device, e.g. /dev/ttyUSB0")
    test.add_argument("--model", help="printer model (config/printers/<name>.toml)")
    test.set_defaults(handler=_test)
    bench = registry.subcommand("bench", "print", "ticket bytes and print time, PDF time and size", _bench)
    bench.add_argument("--json", action="store_true")
    bench.add_argument("--runs", type=int, default=3)


def _no_sub(args: argparse.Namespace, ctx: AppContext) -> int:
    print("kiosk print sample --emulated --out DIR | kiosk print test --port DEVICE [--model NAME]")
    return 2
