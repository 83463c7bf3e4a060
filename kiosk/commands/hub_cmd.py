"""`kiosk hub` (serve the center hub), its console tasks, and `kiosk bench hub`."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from db.crypto import KeyRing
from kiosk.context import AppContext


def register(registry: Any) -> None:
    hub = registry.command("hub", "센터 허브 실행 (run the center hub: REST + WebSocket)", run_hub)
    hub.add_argument("--host", help="listen address (default: hub.host, 127.0.0.1)")
    hub.add_argument("--port", type=int, help="listen port (default: hub.port)")
    hub.add_argument(
        "--tls-cert", help="PEM certificate (+ CA chain): serve HTTPS/WSS (default: hub.tls_cert_file)"
    )
    hub.add_argument("--tls-key", help="PEM private key for --tls-cert (default: hub.tls_key_file)")
    hub.add_argument(
        "--insecure-lan",
        action="store_true",
        help="LAB ONLY: plain HTTP on a non-loopback address (RRNs and tokens cross the LAN in clear)",
    )
    hub.add_argument("--signing-cert", help="PEM certificate of the center for PAdES (with --signing-key)")
    hub.add_argument("--signing-key", help="PEM private key of the center's signing certificate")
    hub.add_argument(
        "--workers",
        type=int,
        default=1,
        help="uvicorn worker processes (PostgreSQL only; events travel by LISTEN/NOTIFY)",
    )
    tasks = hub.add_subparsers(dest="hub_task", metavar="TASK")
    user = tasks.add_parser("adduser", help="create or reset a counselor account (password from stdin/env)")
    user.add_argument("username")
    user.add_argument("--role", choices=("counselor", "center_manager", "admin"), default="counselor")
    user.add_argument("--name", default="", help="display name")
    user.set_defaults(handler=add_user)
    pair = tasks.add_parser("pairing-code", help="print a one-time enrollment code for a device")
    pair.add_argument("--kind", choices=("lobby", "counter", "desk", "display"), required=True)
    pair.add_argument("--label", default="")
    pair.set_defaults(handler=pairing_code)
    tls = tasks.add_parser("tls", help="the center CA and the hub's TLS certificate")
    tls_tasks = tls.add_subparsers(dest="tls_task", metavar="TLS_TASK")
    tls.set_defaults(handler=None, group_parser=tls)
    init = tls_tasks.add_parser(
        "init", help="make the center CA and the hub certificate; print the CA fingerprint"
    )
    init.add_argument("--san", action="append", default=[], help="another host name or address (repeatable)")
    init.add_argument(
        "--key-type", choices=("ec", "rsa"), default="ec", help="EC P-256 (default) or RSA 3072"
    )
    init.add_argument("--force", action="store_true", help="replace existing files (every device re-enrolls)")
    init.set_defaults(handler=tls_init)
    bench = registry.subcommand("bench", "hub", "허브 처리량/지연 (hub throughput and latency)", bench_hub)
    bench.add_argument("--json", action="store_true", help="print JSON")
    bench.add_argument("--clients", type=int, default=20)
    bench.add_argument("--requests", type=int, default=600, help="requests per operation and engine")
    bench.add_argument(
        "--sqlite-synchronous",
        choices=("FULL", "NORMAL"),
        default="FULL",
        help="the hub's SQLite synchronous mode (FULL as in production; NORMAL to measure what FULL costs)",
    )
    bench.add_argument(
        "--postgres-url",
        default=os.environ.get("KIOSK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    )


def prepare(ctx: AppContext) -> KeyRing:
    """Tables and the center row exist; the key ring is loaded."""
    import db.models  # noqa: F401
    from db.base import Base
    from kiosk.hub.bootstrap import ensure_center

    Base.metadata.create_all(ctx.engine)
    with ctx.sessions() as session:
        ensure_center(session, ctx.settings.app.center_code)
        session.commit()
    return load_keys(ctx)


def load_keys(ctx: AppContext) -> KeyRing:
    """The key ring; MissingKeyError (exit 2) rather than a new key when stored data needs another."""
    return ctx.keyring()


def hub_tls(ctx: AppContext) -> Any:
    """The hub's TLS files as settings name them (default <data dir>/tls/)."""
    from db.session import data_dir
    from kiosk.api.trust import tls_files

    return tls_files(ctx.settings.hub, data_dir(ctx.settings.app.data_dir))


def choose_tls(args: argparse.Namespace, ctx: AppContext, host: str) -> tuple[Any, int | None]:
    """The TLS files to serve with (None: plain HTTP), or an exit code after saying why not.

    Decided before anything binds: a hub reachable from the LAN never speaks plain HTTP by accident.
    """
    from kiosk.api.trust import TlsFiles, TlsSetupError
    from kiosk.hub.tls import check_server_files, is_loopback

    if bool(args.tls_cert) != bool(args.tls_key):
        print("--tls-cert 와 --tls-key 는 함께 주세요 (give both --tls-cert and --tls-key)", file=sys.stderr)
        return None, 2
    configured = hub_tls(ctx)
    if args.tls_cert:
        files = TlsFiles(Path(args.tls_cert), Path(args.tls_key), configured.ca)
        if not (files.cert.is_file() and files.key.is_file()):
            print(f"TLS 파일이 없어요 (TLS file missing): {args.tls_cert} / {args.tls_key}", file=sys.stderr)
            return None, 2
        return files, None
    if configured.exist():
        try:
            check_server_files(configured)
        except TlsSetupError as exc:
            print(f"TLS 설정 오류 (TLS setup error): {exc}", file=sys.stderr)
            return None, 2
        return configured, None
    if is_loopback(host):
        return None, None
    if args.insecure_lan:
        print(INSECURE_BANNER.format(host=host), file=sys.stderr, flush=True)
        return None, None
    print(
        f"TLS 없이 LAN 주소 {host} 에서 허브를 열 수 없어요: "
        "주민등록번호와 기기 토큰이 암호화 없이 오가게 돼요.\n"
        "  먼저 `kiosk hub tls init` 으로 센터 인증서를 만들거나, --tls-cert/--tls-key 를 주세요.\n"
        f"Refusing to serve plain HTTP on the non-loopback address {host}: personal data and device tokens "
        "would cross the LAN in clear. Run `kiosk hub tls init` first (or give --tls-cert/--tls-key); "
        "--insecure-lan exists for an isolated lab only.",
        file=sys.stderr,
    )
    return None, 2


INSECURE_BANNER = """\
************************************************************************************************
*  경고: 실험실 전용 --insecure-lan — {host} 에서 암호화 없이 HTTP 로 열어요.                   *
*  주민등록번호, 전화번호, 기기 토큰, 비밀번호가 LAN 에 평문으로 흘러요. 센터에서 쓰지 마세요.  *
*  WARNING: LAB ONLY --insecure-lan: plain HTTP on {host}. RRNs, phone numbers, device tokens  *
*  and passwords cross the network in clear. Never use this in a center.                       *
************************************************************************************************"""


def run_hub(args: argparse.Namespace, ctx: AppContext) -> int:
    import uvicorn

    from kiosk.hub.app import create_app
    from kiosk.hub.server import settle_heap, uvicorn_options

    host = args.host or ctx.settings.hub.host
    port = args.port or ctx.settings.hub.port
    workers = getattr(args, "workers", 1)
    refused_workers = check_workers(workers, ctx)
    if refused_workers is not None:
        return refused_workers
    tls, refused = choose_tls(args, ctx, host)
    if refused is not None:
        return refused
    keys = prepare(ctx)
    from printers.documents.pades import DocumentSigner

    signer = None
    if args.signing_cert and args.signing_key:
        signer = DocumentSigner.from_pem(
            Path(args.signing_cert).read_bytes(), Path(args.signing_key).read_bytes()
        )
    elif ctx.settings.printer.signing_cert_file:
        signer = DocumentSigner.from_settings(ctx.settings.printer)
    else:
        # A hub never signs archives with a throwaway certificate: say so instead.
        print(
            "경고: 센터 서명 인증서가 없어 PDF를 PAdES 서명 없이 보관해요 (printer.signing_cert_file 설정). "
            "Warning: no center certificate; archived PDFs carry no PAdES signature.",
            file=sys.stderr,
        )
    from kiosk.api.trust import fingerprint

    ca_fingerprint = fingerprint(tls.ca.read_bytes()) if tls is not None and tls.ca.exists() else None
    if workers > 1:
        return serve_workers(args, ctx, host, port, tls, workers, ca_fingerprint)
    from kiosk.sms.service import service_from_settings

    sms = service_from_settings(ctx.settings, ctx.sessions, keys)  # None when sms.backend = "off"
    app = create_app(
        ctx.settings, ctx.sessions, keys, document_signer=signer, ca_fingerprint=ca_fingerprint, sms=sms
    )
    from kiosk.hq_sync.pusher import pusher_from_settings

    # None when hq.url is empty; a missing center key stops the start here (exit 2, `kiosk hq keygen`).
    hq_sync = pusher_from_settings(ctx.settings, ctx.sessions)
    reminders = None
    if sms is not None:  # after-care reminders and their replies, on a thread of their own
        from kiosk.aftercare.reminders import ReminderJob

        reminders = ReminderJob.for_hub(app.state.hub).start()
    if hq_sync is not None:  # outbound only: events and audit rows to HQ, on a thread of their own
        hq_sync.start()
    from kiosk.hub.fleet import FleetJob

    fleet = FleetJob.for_hub(app.state.hub).start()  # a printer out for 10 minutes alerts the desk
    settle_heap()  # the same start-up the bench measures
    scheme = "https" if tls else "http"
    print(f"허브 시작 (hub listening): {scheme}://{host}:{port}", flush=True)
    # The project's masked logging, not uvicorn's own handlers (see kiosk.logging_setup).
    try:
        uvicorn.run(app, host=host, port=port, **uvicorn_options(tls))
    finally:
        fleet.close()
        if hq_sync is not None:
            hq_sync.close()
        if reminders is not None:
            reminders.close()
        if sms is not None:
            sms.close()  # what the gateway took is reported on by the next start (track)
    return 0


def check_workers(workers: int, ctx: AppContext) -> int | None:
    """None when `--workers` can be honoured, else the exit code after saying why not."""
    if workers < 1:
        print("--workers 는 1 이상이어야 해요 (--workers must be at least 1)", file=sys.stderr)
        return 2
    if workers > 1 and ctx.engine.dialect.name != "postgresql":
        print(
            f"SQLite 에서는 허브를 여러 프로세스(--workers {workers})로 실행할 수 없어요: "
            "SQLite 는 한 번에 한 프로세스만 쓸 수 있고, 이벤트도 프로세스 사이에 전달되지 않아요.\n"
            "  PostgreSQL 을 쓰거나(--db postgresql+psycopg://…) --workers 없이 실행해 주세요.\n"
            f"Refusing --workers {workers} on SQLite: several hub processes need PostgreSQL "
            "(one writer at a time, and events travel between workers by LISTEN/NOTIFY).",
            file=sys.stderr,
        )
        return 2
    return None


def serve_workers(
    args: argparse.Namespace,
    ctx: AppContext,
    host: str,
    port: int,
    tls: Any,
    workers: int,
    ca_fingerprint: str | None,
) -> int:
    """Supervise ``workers`` uvicorn processes; each builds its hub from the environment, and the one
    holding the background-jobs advisory lock runs the SMS sender, reminders and HQ sync
    (kiosk.hub.workers)."""
    import uvicorn

    from kiosk.hub.server import uvicorn_options
    from kiosk.hub.workers import worker_environment

    os.environ.update(
        worker_environment(
            ctx,
            signing_cert=args.signing_cert,
            signing_key=args.signing_key,
            ca_fingerprint=ca_fingerprint,
        )
    )
    scheme = "https" if tls else "http"
    print(f"허브 시작 (hub listening): {scheme}://{host}:{port} — 프로세스 {workers}개 (workers)", flush=True)
    uvicorn.run(
        "kiosk.hub.workers:create_app_from_env",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        **uvicorn_options(tls),
    )
    return 0


def tls_init(args: argparse.Namespace, ctx: AppContext) -> int:
    from urllib.parse import urlsplit

    from kiosk.api.trust import TlsSetupError
    from kiosk.hub.tls import init_center_tls

    files = hub_tls(ctx)
    hub = ctx.settings.hub
    hosts = [hub.host, urlsplit(hub.url).hostname or "", *args.san]
    try:
        ca_fingerprint = init_center_tls(
            files, ctx.settings.app.center_code, hosts, key_type=args.key_type, overwrite=args.force
        )
    except TlsSetupError as exc:
        print(f"TLS 파일을 만들 수 없어요 (cannot create TLS files): {exc}", file=sys.stderr)
        return 2
    print(f"센터 CA (center CA): {files.ca}")
    print(f"허브 인증서 (hub certificate): {files.cert}")
    print(f"허브 개인키 (hub private key, 0600): {files.key}")
    print(f"CA SHA-256: {ca_fingerprint}")
    print("기기는 `kiosk hub pairing-code` 의 <코드>@sha256:<지문> 으로 등록해요 (devices enroll with it).")
    return 0


def add_user(args: argparse.Namespace, ctx: AppContext) -> int:
    from kiosk.hub.bootstrap import add_counselor, ensure_center

    password = os.environ.get("KIOSK_NEW_PASSWORD") or (
        sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty() else getpass.getpass("password: ")
    )
    prepare(ctx)
    with ctx.sessions() as session:
        try:
            row = add_counselor(
                session,
                ensure_center(session, ctx.settings.app.center_code),
                args.username,
                password,
                args.role,
                args.name,
            )
        except ValueError as exc:
            print(f"계정을 만들 수 없어요 (cannot create account): {exc}", file=sys.stderr)
            return 2
        session.commit()
        print(f"OK: {row.username} ({row.role})")
    return 0


def pairing_code(args: argparse.Namespace, ctx: AppContext) -> int:
    from kiosk.hub.bootstrap import ensure_center, issue_pairing_code

    prepare(ctx)
    with ctx.sessions() as session:
        _device_id, code = issue_pairing_code(
            session,
            ensure_center(session, ctx.settings.app.center_code),
            args.kind,
            args.label,
            ctx.settings.hub.pairing_code_minutes,
        )
        session.commit()
    files = hub_tls(ctx)
    if not files.ca.is_file():
        print(code)
        print("TLS 없음: 루프백 전용 코드예요 (no TLS: plain code, loopback only)", file=sys.stderr)
        return 0
    from kiosk.api.trust import enrollment_string, fingerprint

    ca_fingerprint = fingerprint(files.ca.read_bytes())
    # stdout: the one string a device types or scans (QR); stderr: its two parts, for a person.
    print(f"등록 코드 (code): {code}", file=sys.stderr)
    print(f"센터 CA 지문 (CA SHA-256): {ca_fingerprint}", file=sys.stderr)
    print(enrollment_string(code, ca_fingerprint))
    return 0


def bench_hub(args: argparse.Namespace, ctx: AppContext) -> int:
    import json

    from kiosk.hub.bench import run_bench

    report = run_bench(
        clients=args.clients,
        requests=args.requests,
        postgres_url=args.postgres_url,
        sqlite_synchronous=args.sqlite_synchronous,
    )
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for row in report["results"]:
            print(
                f"{row['engine']:9} {row['operation']:14} {row['throughput_rps']:8.1f} req/s "
                f"p50 {row['p50_ms']:6.1f} ms  p95 {row['p95_ms']:6.1f} ms  errors {row['errors']}"
            )
    return 0
