"""`kiosk desk`, `kiosk counter` and `kiosk demo` (the whole center on one machine).

Qt is imported inside the handlers, so `kiosk demo --headless` runs without a display or PySide6.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kiosk.context import AppContext


def register(registry: Any) -> None:
    desk = registry.command("desk", "상담석 화면 (counselor desk)", run_desk)
    desk.add_argument("--hub", help="hub URL (default: hub.url)")
    desk.add_argument("--desk-token", help="this desk's device token (from enrollment)")
    desk.add_argument("--enroll-code", help="one-time code to enroll this desk first")
    desk.add_argument("--desk-label", default="3", help="desk number announced when calling")
    counter = registry.command("counter", "창구 화면 (customer-facing counter screen)", run_counter)
    counter.add_argument("--hub", help="hub URL (default: hub.url)")
    counter.add_argument("--token", help="this counter's device token")
    counter.add_argument("--enroll-code", help="one-time code to enroll this counter first")
    slider = registry.subcommand(
        "bench", "desk-slider", "desk 채무 term slider: ms per tick, worked out and painted", run_slider_bench
    )
    slider.add_argument("--json", action="store_true", help="print one JSON object")
    demo = registry.command("demo", "센터 전체 시연 (the whole center on one machine)", run_demo)
    demo.add_argument("--headless", action="store_true", help="scripted walk-ins, no windows")
    demo.add_argument("--walk-ins", type=int, default=3, help="number of scripted visits (headless)")
    demo.add_argument("--out", type=Path, help="output directory (headless: required)")
    demo.add_argument(
        "--screenshots",
        type=Path,
        help="play one walk-in, save a PNG of the whole screen and of every window here, then exit",
    )
    demo.add_argument(
        "--autoplay", action="store_true", help="start the guided tour (자동 시연) once the windows are up"
    )
    demo.add_argument("--seed", type=int, default=2026)
    demo.add_argument(
        "--offline-at", type=int, help="headless: the walk-in (1-based) during which the hub is down"
    )
    demo.add_argument(
        "--serve",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="headless: after the walk-ins, keep the hub and the phone pages serving this long",
    )
    demo.add_argument(
        "--centers",
        type=int,
        default=1,
        help="headless: this many centers, each synced to HQ (needs --hq-db)",
    )
    demo.add_argument("--hq-db", help="headless: HQ's PostgreSQL URL; the centers sync to an HQ on it")


def run_slider_bench(args: argparse.Namespace, ctx: AppContext) -> int:
    """Offscreen: no display needed (kiosk bench debt runs this in a child process)."""
    import json
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ui.desk.debt_tab import bench_slider

    app = QApplication.instance() or QApplication([])
    result = bench_slider()
    app.processEvents()
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(
            f"desk slider: {result['ticks']} ticks over {result['creditors']} creditors, median "
            f"{result['median_ms']} ms, p95 {result['p95_ms']} ms, max {result['max_ms']} ms"
        )
    return 0


def run_demo(args: argparse.Namespace, ctx: AppContext) -> int:
    if args.headless:
        if args.out is None:
            print("--out DIR 를 주세요 (--headless needs --out DIR)", file=sys.stderr)
            return 2
        if args.walk_ins < 1:
            print("--walk-ins 는 1 이상이어야 해요 (--walk-ins must be at least 1)", file=sys.stderr)
            return 2
        if args.hq_db or args.centers != 1:
            return _run_fleet(args, ctx)
        from kiosk.demo.headless import run_headless

        return run_headless(
            ctx.settings,
            args.walk_ins,
            args.out,
            seed=args.seed,
            offline_at=args.offline_at,
            serve_seconds=args.serve,
        )
    from ui.desk.center_demo import run_gui_demo

    return run_gui_demo(ctx.settings, out=args.out, screenshots=args.screenshots, autoplay=args.autoplay)


def _run_fleet(args: argparse.Namespace, ctx: AppContext) -> int:
    if not args.hq_db:
        print("--centers 는 --hq-db URL 과 함께 써요 (--centers needs --hq-db URL)", file=sys.stderr)
        return 2
    from kiosk.demo.fleet import FleetError, run_fleet

    try:
        return run_fleet(ctx.settings, args.centers, args.walk_ins, args.out, args.hq_db, seed=args.seed)
    except FleetError as exc:
        print(exc, file=sys.stderr)
        return 2


def run_desk(args: argparse.Namespace, ctx: AppContext) -> int:
    from ui.desk.app import run_desk_app

    return run_desk_app(
        ctx.settings,
        hub=args.hub,
        desk_token=args.desk_token,
        enroll_code=args.enroll_code,
        desk_label=args.desk_label,
    )


def run_counter(args: argparse.Namespace, ctx: AppContext) -> int:
    from ui.counter.app import run_counter_app

    return run_counter_app(ctx.settings, hub=args.hub, token=args.token, enroll_code=args.enroll_code)
