"""`kiosk hub` (serve the center hub), its console tasks, and `kiosk bench hub`."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from kiosk.context import AppContext


def register(registry: Any) -> None:
    hub = registry.command("hub", "센터 허브 실행 (run the center hub: REST + WebSocket)", run_hub)
    hub.add_argument("--host", help="listen address (default: hub.host, 127.0.0.1)")
    hub.add_argument("--port", type=int, help="listen port (default: hub.port)")
    hub.add_argument("--tls-cert", help="PEM certificate: serve HTTPS/WSS")
    hub.add_argument("--tls-key", help="PEM private key for --tls-cert")
    hub.add_argument("--signing-cert", help="PEM certificate of the center for PAdES (with --signing-key)")
    hub.add_argument("--signing-key", help="PEM private key of the center's signing certificate")
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
    bench = registry.subcommand("bench", "hub", "허브 처리량/지연 (hub throughput and latency)", bench_hub)
    bench.add_argument("--json", action="store_true", help="print JSON")
    bench.add_argument("--clients", type=int, default=20)
    bench.add_argument("--requests", type=int, default=600, help="requests per operation and engine")
    bench.add_argument(
        "--postgres-url",
        default=os.environ.get("KIOSK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    )


def prepare(ctx: AppContext) -> Any:
    """Tables and the center row exist; the key ring is loaded."""
    import db.models  # noqa: F401
    from db.base import Base
    from kiosk.hub.bootstrap import ensure_center

    Base.metadata.create_all(ctx.engine)
    with ctx.sessions() as session:
        ensure_center(session, ctx.settings.app.center_code)
        session.commit()
    return load_keys(ctx)


def load_keys(ctx: AppContext) -> Any:
    from db.crypto import load_keyring
    from db.session import data_dir

    configured = ctx.settings.privacy.key_file
    return load_keyring(Path(configured) if configured else data_dir(ctx.settings.app.data_dir) / "keys.json")


def run_hub(args: argparse.Namespace, ctx: AppContext) -> int:
    import uvicorn

    from kiosk.hub.app import create_app
    from kiosk.hub.server import settle_heap

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
    app = create_app(ctx.settings, ctx.sessions, keys, document_signer=signer)
    settle_heap()  # the same start-up the bench measures
    host = args.host or ctx.settings.hub.host
    port = args.port or ctx.settings.hub.port
    if bool(args.tls_cert) != bool(args.tls_key):
        print("--tls-cert 와 --tls-key 는 함께 주세요 (give both --tls-cert and --tls-key)", file=sys.stderr)
        return 2
    scheme = "https" if args.tls_cert else "http"
    print(f"허브 시작 (hub listening): {scheme}://{host}:{port}", flush=True)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        ssl_certfile=args.tls_cert,
        ssl_keyfile=args.tls_key,
        ws="websockets-sansio",
    )
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
    print(code)
    return 0


def bench_hub(args: argparse.Namespace, ctx: AppContext) -> int:
    import json

    from kiosk.hub.bench import run_bench

    report = run_bench(clients=args.clients, requests=args.requests, postgres_url=args.postgres_url)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for row in report["results"]:
            print(
                f"{row['engine']:9} {row['operation']:14} {row['throughput_rps']:8.1f} req/s "
                f"p50 {row['p50_ms']:6.1f} ms  p95 {row['p95_ms']:6.1f} ms  errors {row['errors']}"
            )
    return 0
