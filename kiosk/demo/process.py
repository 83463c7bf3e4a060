"""One demo role per process: `python -m kiosk.demo.process lobby|desk|counter …`.

Used by the multi-process test (hub, lobby, desk and counter as separate processes). Tokens and the
counselor password come from the environment (KIOSK_DEVICE_TOKEN, KIOSK_DEMO_PASSWORD), never argv.
Each role prints one JSON line with what it did and exits 0, or 1 with the error.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

from config import load_settings
from kiosk.client import HubClient


def _lobby(args: argparse.Namespace) -> dict[str, Any]:
    from db.base import Base
    from db.session import make_engine, make_sessionmaker
    from devices.id.emulators.identities import generate_identity
    from kiosk.client import LobbyOutbox
    from kiosk.demo.devices import DemoPad, DemoPrinter, DemoScanner
    from kiosk.demo.headless import answers_for
    from kiosk.demo.roles import LobbyRole

    settings = load_settings()
    engine = make_engine(f"sqlite:///{args.out / 'lobby.db'}")
    Base.metadata.create_all(engine)
    client = HubClient(args.hub, os.environ["KIOSK_DEVICE_TOKEN"])
    outbox = LobbyOutbox(make_sessionmaker(engine), client)
    pad, printer = DemoPad(settings), DemoPrinter(settings)
    try:
        identity = generate_identity(random.Random(args.seed))
        answers = answers_for(args.profile, max(19, 2026 - identity.birth_date.year))
        return LobbyRole(client, outbox, DemoScanner(), pad, printer, "시연 센터").walk_in(
            identity, answers, args.seed, args.out
        )
    finally:
        pad.close()
        printer.close()
        engine.dispose()


def _desk(args: argparse.Namespace) -> dict[str, Any]:
    from kiosk.demo.roles import DeskRole

    client = HubClient(args.hub)
    client.login(
        args.username, os.environ["KIOSK_DEMO_PASSWORD"], desk_device_token=os.environ["KIOSK_DEVICE_TOKEN"]
    )
    deadline = time.monotonic() + args.timeout
    while not any(line.line == args.line and line.waiting for line in client.queue().lines):
        if time.monotonic() > deadline:
            raise TimeoutError(f"nobody came to line {args.line}")
        time.sleep(0.2)
    roots = tuple(Path(p).read_bytes() for p in args.trust_root)
    return DeskRole(client, args.desk).serve_next(args.line, args.out, trust_roots_pem=roots)


def _counter(args: argparse.Namespace) -> dict[str, Any]:
    from kiosk.demo.devices import DemoPad
    from kiosk.demo.roles import CounterRole

    pad = DemoPad(load_settings())
    role = CounterRole(HubClient(args.hub, os.environ["KIOSK_DEVICE_TOKEN"]), pad)
    role.start()
    deadline = time.monotonic() + args.timeout
    try:
        while len(role.signed) < args.documents:
            if role.errors or time.monotonic() > deadline:
                raise RuntimeError(f"counter: {role.errors or 'documents did not arrive in time'}")
            time.sleep(0.1)
    finally:
        role.stop()
        pad.close()
    return {"signed": role.signed}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.demo.process")
    parser.add_argument("role", choices=("lobby", "desk", "counter"))
    parser.add_argument("--hub", required=True)
    parser.add_argument("--out", type=Path, default=Path("."))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", type=int, default=0)
    parser.add_argument("--username", default="demo")
    parser.add_argument("--line", default="B")
    parser.add_argument("--desk", default="3")
    parser.add_argument("--documents", type=int, default=2)
    parser.add_argument("--trust-root", action="append", default=[])
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    try:
        result = {"lobby": _lobby, "desk": _desk, "counter": _counter}[args.role](args)
    except Exception as exc:
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}, ensure_ascii=False), flush=True)
        return 1
    print(json.dumps(result, ensure_ascii=False, default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
