"""`kiosk bench faults`: kill -9 the hub under load at random moments; nothing acknowledged may be lost."""

from __future__ import annotations

import argparse
import os
from typing import Any

from kiosk.context import AppContext


def register(registry: Any) -> None:
    bench = registry.subcommand(
        "bench",
        "faults",
        "허브 강제 종료 내성 (hub survives kill -9 under load: nothing acknowledged lost)",
        bench_faults,
    )
    bench.add_argument("--json", action="store_true", help="print JSON")
    bench.add_argument("--kills", type=int, default=20, help="SIGKILLs per engine")
    bench.add_argument("--clients", type=int, default=4, help="concurrent lobby clients")
    bench.add_argument("--seed", type=int, default=13, help="seed of the kill moments")
    bench.add_argument(
        "--postgres-url",
        default=os.environ.get("KIOSK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
        help="PostgreSQL to test too, in a schema of its own ('' to skip)",
    )


def bench_faults(args: argparse.Namespace, ctx: AppContext) -> int:
    import json

    from kiosk.hub.fault_bench import run_bench

    if args.kills < 1 or args.clients < 1:
        print("--kills 와 --clients 는 1 이상이에요 (--kills and --clients must be >= 1)")
        return 2
    report = run_bench(
        kills=args.kills, clients=args.clients, seed=args.seed, postgres_url=args.postgres_url or None
    )
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for row in report["results"]:
            lost = row["lost_visits"] + row["lost_tickets"]
            audit = "ok" if row["audit_chain_ok"] else "BROKEN"
            print(
                f"{row['engine']:9} kills {row['kills']:3}  acknowledged visits "
                f"{row['acknowledged_visits']:6} tickets {row['acknowledged_tickets']:6}  lost {lost}  "
                f"duplicates {row['duplicate_numbers']}  audit {audit}  {'OK' if row['ok'] else 'FAIL'}"
            )
        for note in report["notes"]:
            print(note)
    return 0 if report["ok"] else 1
