"""`kiosk hq …` on the HQ side: migrate, serve, centers, accounts, verify, report (issue 20).

The `hq` group is shared with the hub side's `keygen`/`push` (kiosk.commands of the center). HQ's
database is never the hub's: it comes from these subcommands' own --db or KIOSK_HQ_DB, not from the
global --db / KIOSK_DB_URL, so a hub's settings cannot point HQ tools at a center's database.
"""

from __future__ import annotations

import argparse
import getpass
import ipaddress
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

    from kiosk.cli import CommandRegistry
    from kiosk.context import AppContext

HQ_DB_ENV = "KIOSK_HQ_DB"
TARGET_ENV = "KIOSK_HQ_TARGET_MINUTES"


def _hq_db(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
    sub.add_argument(
        "--db",
        dest="hq_db",
        default=None,
        metavar="URL",
        help=f"HQ's PostgreSQL URL (or {HQ_DB_ENV}); never the hub's database",
    )
    return sub


def _engine(args: argparse.Namespace, need_schema: bool = True) -> Engine | None:
    from db.session import make_engine
    from kiosk.hq.migrate import current_revision

    url = args.hq_db or os.environ.get(HQ_DB_ENV, "")
    if not url:
        print(
            f"HQ 데이터베이스를 --db URL 또는 {HQ_DB_ENV} 로 알려 주세요 (HQ database URL needed)",
            file=sys.stderr,
        )
        return None
    engine = make_engine(url)
    if engine.dialect.name != "postgresql":
        print("HQ는 PostgreSQL에서만 돌아가요 (HQ runs on PostgreSQL only)", file=sys.stderr)
        return None
    if need_schema and current_revision(engine) is None:
        print("HQ 스키마가 없어요: 먼저 `kiosk hq migrate --db URL` (no HQ schema yet)", file=sys.stderr)
        engine.dispose()
        return None
    return engine


def _migrate(args: argparse.Namespace, ctx: AppContext) -> int:
    from kiosk.hq.migrate import current_revision, upgrade

    engine = _engine(args, need_schema=False)
    if engine is None:
        return 2
    upgrade(engine)
    print(f"HQ schema at revision {current_revision(engine)}")
    engine.dispose()
    return 0


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _serve(args: argparse.Namespace, ctx: AppContext) -> int:
    import uvicorn

    from kiosk.hq.app import create_app

    tls = bool(args.tls_cert and args.tls_key)
    if not tls and not _is_loopback(args.host):
        print(
            f"TLS 인증서 없이 {args.host} 에서 열 수 없어요: --tls-cert/--tls-key 를 주세요 "
            "(refusing plain HTTP on a non-loopback address)",
            file=sys.stderr,
        )
        return 2
    engine = _engine(args)
    if engine is None:
        return 2
    uvicorn.run(
        create_app(engine),
        host=args.host,
        port=args.port,
        ssl_certfile=args.tls_cert if tls else None,
        ssl_keyfile=args.tls_key if tls else None,
        log_level="info",
    )
    return 0


def _write(
    args: argparse.Namespace,
    work: Callable[[Session], str],
    refused: tuple[type[Exception], ...],
    failed_ko: str,
    failed_en: str,
) -> int:
    """Run work in one transaction on HQ's database; print its line, or why it was refused (exit 2)."""
    from sqlalchemy.orm import Session

    engine = _engine(args)
    if engine is None:
        return 2
    try:
        with Session(engine) as session, session.begin():
            done = work(session)
    except refused as exc:
        print(f"{failed_ko} ({failed_en}): {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(done)
    return 0


def _center_add(args: argparse.Namespace, ctx: AppContext) -> int:
    from kiosk.hq.centers import CenterError, add_center
    from kiosk.hq.signing import KeyFormatError

    def work(session: Session) -> str:
        add_center(session, args.code, args.name, Path(args.public_key).read_bytes())
        return f"center {args.code} ({args.name}) registered"

    refused = (CenterError, KeyFormatError, OSError)
    return _write(args, work, refused, "센터를 등록하지 못했어요", "center not added")


def _center_revoke(args: argparse.Namespace, ctx: AppContext) -> int:
    from kiosk.hq.centers import CenterError, revoke_center

    def work(session: Session) -> str:
        when = revoke_center(session, args.code).revoked_at
        return f"center {args.code} revoked at {when.isoformat() if when else '?'}; its batches are refused"

    return _write(args, work, (CenterError,), "센터를 해지하지 못했어요", "center not revoked")


def _center_list(args: argparse.Namespace, ctx: AppContext) -> int:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from kiosk.hq.models import HqCenter, HqCursor

    engine = _engine(args)
    if engine is None:
        return 2
    with Session(engine) as session:
        rows = session.execute(
            select(HqCenter, HqCursor)
            .outerjoin(HqCursor, HqCursor.center_id == HqCenter.id)
            .order_by(HqCenter.code)
        ).all()
        for center, cursor in rows:
            state = "revoked" if center.revoked_at else "active"
            acked = f"events {cursor.events_acked} audit {cursor.audit_acked}" if cursor else "never synced"
            print(f"{center.code}\t{center.name}\t{state}\t{acked}")
    engine.dispose()
    return 0


def _account_add(args: argparse.Namespace, ctx: AppContext) -> int:
    from kiosk.hq.accounts import AccountError, add_account

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("password: ")

    def work(session: Session) -> str:
        add_account(session, args.username, password, args.role)
        return f"account {args.username} ({args.role}) added"

    return _write(args, work, (AccountError,), "계정을 만들지 못했어요", "account not added")


def _purge(args: argparse.Namespace, ctx: AppContext) -> int:
    """HQ's own retention: the centers' rule and setting (db.purge, privacy.retention_years)."""
    from kiosk.hq.purge import retention_purge

    years = ctx.settings.privacy.retention_years

    def work(session: Session) -> str:
        report = retention_purge(session, years, dry_run=args.dry_run)
        verb = "would erase" if report.dry_run else "erased"
        return (
            f"retention {report.retention_years} years, cutoff {report.cutoff.isoformat()}: "
            f"{verb} the person ref of {report.visits_erased} visits"
        )

    return _write(args, work, (), "보관 기간 정리를 하지 못했어요", "retention purge failed")


def _verify(args: argparse.Namespace, ctx: AppContext) -> int:
    from sqlalchemy.orm import Session

    from kiosk.hq.verify import verify_all

    engine = _engine(args)
    if engine is None:
        return 2
    with Session(engine) as session:
        verdicts = verify_all(session)
    engine.dispose()
    for verdict in verdicts:
        print(verdict.line())
    if not verdicts:
        print("등록된 센터가 없어요 (no centers registered)")
    return 0 if all(v.ok for v in verdicts) else 1


def _report(args: argparse.Namespace, ctx: AppContext) -> int:
    from sqlalchemy.orm import Session

    from kiosk.hq.report import to_csv, to_xlsx
    from kiosk.hq.stats import statistics

    if args.to < args.from_:
        print("--to 가 --from 보다 앞이에요 (the period ends before it starts)", file=sys.stderr)
        return 2
    if args.format in ("xlsx", "pdf") and not args.out:
        print(f"{args.format} 는 --out FILE 이 필요해요 ({args.format} needs --out)", file=sys.stderr)
        return 2
    engine = _engine(args)
    if engine is None:
        return 2
    by = [] if args.by == "center" else [args.by]
    if args.format == "pdf":
        from kiosk.hq.pdf_report import build_pdf

        with Session(engine) as session:
            count = build_pdf(
                session, args.from_, args.to, Path(args.out), target_minutes=args.target_minutes
            )
        engine.dispose()
        print(f"PDF report of {count} centers written to {args.out}")
        return 0
    with Session(engine) as session:
        rows = statistics(session, args.from_, args.to, by=by, target_minutes=args.target_minutes)
    engine.dispose()
    if args.format == "xlsx":
        to_xlsx(rows, by, Path(args.out), title=f"{args.from_}–{args.to}")
        print(f"{len(rows)} rows written to {args.out}")
        return 0
    data = to_csv(rows, by, header=args.csv_header)
    if args.out:
        Path(args.out).write_bytes(data)
        print(f"{len(rows)} rows written to {args.out}")
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
    return 0


def _bench(args: argparse.Namespace, ctx: AppContext) -> int:
    import json

    from kiosk.hq.bench import Options, lines, run

    defaults = Options()
    options = Options(
        scratch_db=args.scratch_db or defaults.scratch_db,
        schema=args.schema,
        years=args.years,
        centers=int(args.centers),
        visits_per_day=int(args.visits_per_day or defaults.visits_per_day),
        ingest_batches=int(args.ingest_batches),
        lag_seconds=args.lag_seconds,
        keep=args.keep,
    )
    try:
        result = run(options)
    except ValueError as exc:
        print(f"벤치를 시작하지 못했어요 (bench not started): {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print("\n".join(lines(result)))
    return 0


def _positive(kind: type[int] | type[float]) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from exc
        if not 0 < value <= 1_000_000:
            raise argparse.ArgumentTypeError("expected a number above 0")
        return value

    return parse


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}") from exc


def _minutes(text: str) -> float:
    try:
        value = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected minutes, got {text!r}") from exc
    if not 0 < value <= 24 * 60:
        raise argparse.ArgumentTypeError("target minutes must be in 0 < m <= 1440")
    return value


def register(registry: CommandRegistry) -> None:
    group = "hq"
    registry.group(group, "HQ: the agencies' central service and the hub's sync to it")
    _hq_db(registry.subcommand(group, "migrate", "create or upgrade HQ's PostgreSQL schema", _migrate))

    serve = _hq_db(registry.subcommand(group, "serve", "run the HQ service (sync endpoints)", _serve))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8600)
    serve.add_argument("--tls-cert", default="", help="certificate file (PEM); required off loopback")
    serve.add_argument("--tls-key", default="", help="private key file (PEM)")

    # A nested group: without its own subcommand it prints its help (kiosk.cli reads group_parser).
    center = registry.subcommand(group, "center", "register, revoke and list centers", _verify)
    center.set_defaults(handler=None, group_parser=center)
    centers = center.add_subparsers(dest="hq_center_command", metavar="SUBCOMMAND")
    add = _hq_db(centers.add_parser("add", help="register a center and its Ed25519 public key"))
    add.set_defaults(handler=_center_add)
    add.add_argument("--code", required=True, help="the center's code (center.code on its hub)")
    add.add_argument("--name", required=True, help="the center's name, e.g. 서울중앙")
    add.add_argument(
        "--public-key", required=True, metavar="FILE", help="PEM or raw 32-byte Ed25519 public key"
    )
    revoke = _hq_db(centers.add_parser("revoke", help="refuse every later batch of a center"))
    revoke.set_defaults(handler=_center_revoke)
    revoke.add_argument("--code", required=True)
    listing = _hq_db(centers.add_parser("list", help="centers, their state and what HQ holds of each"))
    listing.set_defaults(handler=_center_list)

    account = registry.subcommand(group, "account", "HQ staff accounts", _verify)
    account.set_defaults(handler=None, group_parser=account)
    accounts = account.add_subparsers(dest="hq_account_command", metavar="SUBCOMMAND")
    account_add = _hq_db(accounts.add_parser("add", help="add an analyst or admin (argon2id password)"))
    account_add.set_defaults(handler=_account_add)
    account_add.add_argument("--username", required=True)
    account_add.add_argument("--role", required=True, choices=("analyst", "admin"))
    account_add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")

    _hq_db(
        registry.subcommand(
            group,
            "verify",
            "re-walk every center's audit chain and its signed head; exit 1 if broken",
            _verify,
        )
    )

    purge = _hq_db(
        registry.subcommand(
            group,
            "purge",
            "HQ's retention: erase person refs of visits ended before the cutoff (privacy.retention_years)",
            _purge,
        )
    )
    purge.add_argument("--dry-run", action="store_true", help="count only; change nothing")

    bench = registry.subcommand(
        "bench", "hq", "HQ at scale: COPY history, ingest/s, report and dashboard queries, sync lag", _bench
    )
    bench.add_argument("--json", action="store_true")
    bench.add_argument(
        "--scratch-db",
        default=None,
        metavar="URL",
        help="scratch PostgreSQL database, created when missing (default …/kiosk_hq_bench on 127.0.0.1)",
    )
    bench.add_argument("--schema", default="hq_bench", help="scratch schema, dropped and made afresh")
    bench.add_argument("--years", type=_positive(float), default=1.0, help="history (5: all 2.2 M visits)")
    bench.add_argument("--centers", type=_positive(int), default=47)
    bench.add_argument(
        "--visits-per-day", type=_positive(int), default=None, help="per center (default 26: 2.2 M/5 years)"
    )
    bench.add_argument("--ingest-batches", type=_positive(int), default=20, help="of 1,000 events")
    bench.add_argument("--lag-seconds", type=_positive(float), default=10.0, help="steady load duration")
    bench.add_argument("--keep", action="store_true", help="leave the scratch schema")

    report = _hq_db(
        registry.subcommand(
            group, "report", "statistics as CSV (UTF-8 BOM), XLSX or a PDF with charts", _report
        )
    )
    report.add_argument("--from", dest="from_", required=True, type=_day, metavar="YYYY-MM-DD")
    report.add_argument("--to", required=True, type=_day, metavar="YYYY-MM-DD")
    report.add_argument(
        "--by", default="center", choices=("center", "counselor", "line", "day", "week", "month")
    )
    report.add_argument("--format", default="csv", choices=("csv", "xlsx", "pdf"))
    report.add_argument(
        "--csv-header",
        default="labels",
        choices=("labels", "names"),
        help="csv header row: Korean labels for Excel (default) or machine names for scripts",
    )
    report.add_argument("--out", default="", metavar="FILE", help="file to write (csv: stdout when absent)")
    report.add_argument(
        "--target-minutes",
        type=_minutes,
        default=_minutes(os.environ.get(TARGET_ENV, "30")),
        help=f"wait target for the over-target share (default 30, or {TARGET_ENV})",
    )
