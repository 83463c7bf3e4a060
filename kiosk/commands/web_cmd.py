"""`kiosk bench web`: the citizen's phone pages under load (see kiosk.web.bench)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from kiosk.commands.db_cmd import accept_global_options
from kiosk.context import AppContext


def _bench(args: argparse.Namespace, ctx: AppContext) -> int:
    from kiosk.web.bench import run_bench

    result = run_bench(rate=args.rate, seconds=args.seconds, live=args.live, calls=args.calls)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    pages, live = result["pages"], result["live"]
    print(
        f"pages: {pages['rate_per_s']}/s over {pages['requests']} requests, p50 {pages['p50_ms']} ms, "
        f"p95 {pages['p95_ms']} ms, errors {pages['errors']}, "
        f"page + assets {pages['page_bytes_with_assets']} B"
    )
    print(
        f"live: {live['connections']} open streams, call-next reaches them p50 {live['reach_p50_ms']} ms, "
        f"p95 {live['reach_p95_ms']} ms over {live['calls']} calls ({live['missed_last_call']} missed)"
    )
    return 0


def register(registry: Any) -> None:
    bench = accept_global_options(
        registry.subcommand(
            "bench", "web", "phone pages p50/p95 at a rate; call-next reach over live streams", _bench
        )
    )
    bench.add_argument("--json", action="store_true", help="machine-readable output")
    bench.add_argument("--rate", type=int, default=100, help="page requests per second (100)")
    bench.add_argument("--seconds", type=float, default=10.0, help="how long the page load runs (10)")
    bench.add_argument("--live", type=int, default=500, help="open live streams (500)")
    bench.add_argument("--calls", type=int, default=5, help="call-next rounds measured (5)")
