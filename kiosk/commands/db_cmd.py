"""`kiosk db upgrade|purge|check` and `kiosk bench db`."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from kiosk.cli import CommandRegistry
    from kiosk.context import AppContext


def _shown(ctx: AppContext) -> str:
    return make_url(ctx.db_url).render_as_string(hide_password=True)


def require_schema(
    ctx: AppContext,
    tables: Iterable[str] = ("person", "audit_event"),
    *,
    code: str = "DB_NO_SCHEMA",
    missing_ko: str = "데이터베이스에 표가 아직 없어요",
) -> bool:
    """True when the database has ``tables``; otherwise say what to do (the caller exits 2).

    The one check every command runs before it reads the site database (db, audit, keys, outbox, sms,
    aftercare), each naming its own code and what is missing.
    """
    wanted = set(tables)
    missing = sorted(wanted - set(inspect(ctx.engine).get_table_names()))
    if not missing:
        return True
    print(f"[{code}] {missing_ko}. 먼저 `kiosk db upgrade`를 실행하세요. ({_shown(ctx)})")
    print(f"the database lacks {', '.join(missing)}: run `kiosk db upgrade` first")
    return False


def shown_time(at: object) -> str:
    """A stored UTC time as the center's local time for a listing; "-" for none."""
    from datetime import datetime

    from config import clock

    return clock.local(at).strftime("%Y-%m-%d %H:%M:%S") if isinstance(at, datetime) else "-"


def _upgrade(args: argparse.Namespace, ctx: AppContext) -> int:
    from db.migrate import UnversionedSchema, current_revision, upgrade  # alembic: slow, import late

    before = current_revision(ctx.engine)
    try:
        upgrade(ctx.engine, args.revision)
    except UnversionedSchema as exc:
        print("[DB_UNVERSIONED] 표는 있는데 버전 기록이 없고 모델과 달라요. 백업한 뒤 관리자와 확인하세요.")
        print(f"cannot upgrade {_shown(ctx)}: {exc}")
        return 2
    after = current_revision(ctx.engine)
    state = "already at" if before == after else f"upgraded {before or '(empty)'} ->"
    print(f"OK: {_shown(ctx)} {state} {after}")
    return 0


def _check(args: argparse.Namespace, ctx: AppContext) -> int:
    from db.migrate import current_revision, drift, head_revision

    differences = drift(ctx.engine)
    revision, head = current_revision(ctx.engine), head_revision()
    for difference in differences:
        print(f"  {difference}")
    if revision != head or differences:
        print(
            f"DIFFERS: {_shown(ctx)} at revision {revision}, head is {head}; {len(differences)} difference(s)"
        )
        return 1
    print(f"OK: {_shown(ctx)} at {revision}, in step with the models")
    return 0


def _purge(args: argparse.Namespace, ctx: AppContext) -> int:
    from db.purge import purge_expired

    if not require_schema(ctx):
        return 2
    years = ctx.settings.privacy.retention_years
    report = purge_expired(ctx.sessions, years, dry_run=args.dry_run)
    verb = "would delete" if report.dry_run else "deleted"
    print(
        f"{'DRY RUN' if report.dry_run else 'OK'}: personal data of cases ended before "
        f"{report.cutoff:%Y-%m-%d} (retention {years} years): {verb} {report.total} item(s) "
        f"from {report.counts.get('visits', 0)} visit(s)"
    )
    for what, n in sorted(report.counts.items()):
        if what != "visits":
            print(f"  {what}: {n}")
    if report.dry_run:
        print("  nothing was changed (--dry-run)")
    return 0


def _bench(args: argparse.Namespace, ctx: AppContext) -> int:
    from db.bench import run_bench

    results = run_bench(args.db, inserts=args.inserts, lookups=args.lookups)
    if args.json:
        print(json.dumps({"bench": "db", "target_sqlite_inserts_per_s": 2000, "results": results}, indent=2))
        return 0
    for result in results:
        print(
            f"{result['backend']:>10}: {result['inserts_per_s']:>8.0f} encrypted person inserts/s "
            f"({result['inserts']} in {result['insert_seconds']} s), "
            f"{result['lookups_per_s']:>8.0f} blind-index lookups/s; "
            f"{result['inserts_per_cpu_s']} inserts per CPU-second "
            f"(load average {result['load_average_1min_before']})"
        )
    return 0


def register(registry: CommandRegistry) -> None:
    registry.group("db", "the database: schema, retention")
    up = accept_global_options(
        registry.subcommand("db", "upgrade", "create or migrate the schema (alembic upgrade head)", _upgrade)
    )
    up.add_argument("--revision", default="head", help=argparse.SUPPRESS)
    accept_global_options(
        registry.subcommand("db", "check", "does the schema match the models? exit 1 if not", _check)
    )
    purge = accept_global_options(
        registry.subcommand(
            "db",
            "purge",
            "delete personal data of cases ended longer ago than privacy.retention_years",
            _purge,
        )
    )
    purge.add_argument("--dry-run", action="store_true", help="only report what would be deleted")
    bench = accept_global_options(
        registry.subcommand(
            "bench", "db", "encrypted person inserts/s and blind-index lookups/s (SQLite, and --db)", _bench
        )
    )
    bench.add_argument("--json", action="store_true", help="machine-readable output")
    bench.add_argument("--inserts", type=int, default=5000, help="persons to insert (default 5000)")
    bench.add_argument("--lookups", type=int, default=2000, help="lookups by RRN (default 2000)")


def accept_global_options(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Let `--db`/`--config` also follow the subcommand (`kiosk db upgrade --db URL`).

    SUPPRESS keeps the value given before the subcommand (or from KIOSK_DB_URL) when absent here.
    """
    sub.add_argument("--db", default=argparse.SUPPRESS, help="SQLAlchemy database URL (also before COMMAND)")
    sub.add_argument("--config", default=argparse.SUPPRESS, help="site settings file (also before COMMAND)")
    return sub
