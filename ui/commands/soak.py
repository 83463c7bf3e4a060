"""``kiosk bench soak --visits N [--json]``: one lobby process through N visits; memory, threads, fds."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def register(registry: Any) -> None:
    bench = registry.subcommand(
        "bench",
        "soak",
        "로비 장시간 운전 (lobby soak: RSS, threads and open files over N visits)",
        run_soak_bench,
    )
    bench.add_argument("--visits", type=int, default=1000, help="measured visits (after the warm-up)")
    bench.add_argument("--warmup", type=int, default=20, help="visits before the first sample")
    bench.add_argument(
        "--scan-every", type=int, default=10, help="every N-th visit reads the virtual ID card (0: never)"
    )
    bench.add_argument("--json", action="store_true", help="print one JSON object")


def run_soak_bench(args: argparse.Namespace, ctx: Any) -> int:
    if args.visits < 1 or args.warmup < 0 or args.scan_every < 0:
        print(
            "--visits 는 1 이상, --warmup/--scan-every 는 0 이상이에요 "
            "(--visits must be >= 1, --warmup and --scan-every >= 0)",
            file=sys.stderr,
        )
        return 2
    import tempfile

    from ui.commands.lobby import _app, _scratch

    _app(offscreen=True)
    from ui.lobby.app import build_lobby
    from ui.lobby.emulated import emulated_services
    from ui.lobby.soak import run_soak

    folder = Path(tempfile.mkdtemp(prefix="kiosk-bench-soak-"))
    settings, scratch_ctx = _scratch(ctx.settings, ctx, folder)
    services = emulated_services(settings, scratch_ctx)
    window = build_lobby(services, with_chat=False)
    window.show()

    def progress(done: int, now: dict[str, Any]) -> None:
        print(f"{done} visits: {now}", file=sys.stderr, flush=True)

    try:
        result = run_soak(
            window, args.visits, warmup=args.warmup, scan_every=args.scan_every, progress=progress
        )
    finally:
        window.shutdown()
        services.close()
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return 0 if result["ok"] else 1
