"""`kiosk hub --workers 2` on PostgreSQL: every WebSocket client on every worker sees every event, with the
same sequence number, and the background jobs run in one worker only."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy import create_engine
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from config import load_settings
from db.migrate import upgrade
from db.session import make_engine, make_sessionmaker
from kiosk.hub.bootstrap import add_counselor, ensure_center, issue_pairing_code
from kiosk.hub.pg_bus import libpq_url
from kiosk.hub.server import free_port
from kiosk.hub.workers import JOBS_LOCK_KEY
from tests.polling import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

PASSWORD = "correct-horse-42"
ROOT = Path(__file__).resolve().parents[3]
KIOSK = [sys.executable, "-m", "kiosk.cli"]


@pytest.fixture
def seeded(postgres_url: str) -> dict[str, str]:
    """A migrated scratch database with the center, a counselor and a lobby kiosk's pairing code."""
    engine = make_engine(postgres_url)
    try:
        upgrade(engine)
        sessions = make_sessionmaker(engine)
        with sessions() as s:
            center = ensure_center(s, load_settings().app.center_code)
            add_counselor(s, center, "kim", PASSWORD, "counselor", "김상담")
            _device, lobby_code = issue_pairing_code(s, center, "lobby", "lobby-1")
            s.commit()
    finally:
        engine.dispose()
    return {"url": postgres_url, "lobby_code": lobby_code}


@pytest.fixture
def hub(seeded: dict[str, str], tmp_path: Path) -> Iterator[str]:
    port = free_port()
    log = (tmp_path / "hub.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kiosk.cli",
            "--db",
            seeded["url"],
            "hub",
            "--port",
            str(port),
            "--workers",
            "2",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        assert proc.poll() is None, (tmp_path / "hub.log").read_text()
        try:
            return (
                httpx.post(f"{base}/auth/login", json={"username": "nobody", "password": "x"}).status_code > 0
            )
        except httpx.TransportError:
            return False

    try:
        wait_until(up, 90, interval_s=0.1, message="hub with 2 workers accepts connections")
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # uvicorn's supervisor stops its workers
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
        log.close()


def _clients_on_every_worker(
    stack: ExitStack, ws_url: str, workers: int = 2
) -> dict[int, list[ClientConnection]]:
    """Open event streams until at least one is served by each worker (the X-Hub-Worker header)."""
    by_worker: dict[int, list[ClientConnection]] = {}
    for _ in range(40):
        client = stack.enter_context(connect(ws_url, open_timeout=5))
        assert client.response is not None
        pid = int(client.response.headers["x-hub-worker"])
        assert json.loads(client.recv(timeout=5))["type"] == "hello"
        by_worker.setdefault(pid, []).append(client)
        if len(by_worker) >= workers and sum(map(len, by_worker.values())) >= 4:
            break
    return by_worker


def _events(client: ClientConnection, wanted: int) -> list[dict[str, Any]]:
    """What the client received: at least ``wanted`` events, and whatever else was already on its way."""
    got: list[dict[str, Any]] = []
    while len(got) < wanted:
        got.append(json.loads(client.recv(timeout=10)))
    try:
        while True:  # anything beyond the events the test made would show as a difference below
            got.append(json.loads(client.recv(timeout=0.5)))
    except (TimeoutError, ConnectionClosed):
        pass
    return got


def test_every_client_on_every_worker_gets_every_event_with_one_seq(hub: str, seeded: dict[str, str]) -> None:
    login = httpx.post(f"{hub}/auth/login", json={"username": "kim", "password": PASSWORD})
    assert login.status_code == 200, login.text
    staff = {"Authorization": f"Bearer {login.json()['token']}"}
    enrolled = httpx.post(f"{hub}/devices/enroll", json={"code": seeded["lobby_code"]})
    assert enrolled.status_code == 200, enrolled.text
    lobby = {"Authorization": f"Bearer {enrolled.json()['token']}"}

    ws_url = f"{hub.replace('http', 'ws', 1)}/events?token={login.json()['token']}"
    with ExitStack() as stack:
        by_worker = _clients_on_every_worker(stack, ws_url)
        assert len(by_worker) == 2, f"one worker served every stream: {list(by_worker)}"

        # A new connection per request: the kernel spreads them over both workers.
        issued = []
        for n in range(4):
            with httpx.Client(base_url=hub) as http:
                r = http.post(
                    "/tickets", json={"line": "A"}, headers={**lobby, "Idempotency-Key": f"k-workers-{n:04}"}
                )
            assert r.status_code == 200, r.text
            issued.append(r.json()["display"])
        for desk in ("1", "2"):
            with httpx.Client(base_url=hub) as http:
                r = http.post("/queue/A/call-next", json={"desk": desk}, headers=staff)
            assert r.status_code == 200, r.text

        seen = {
            (pid, i): _events(client, 6)
            for pid, clients in by_worker.items()
            for i, client in enumerate(clients)
        }

    first = next(iter(seen.values()))
    assert [e["type"] for e in first].count("ticket.issued") == 4
    assert [e["type"] for e in first].count("ticket.called") == 2
    assert sorted(e["data"]["display"] for e in first if e["type"] == "ticket.issued") == sorted(issued)
    seqs = [e["seq"] for e in first]
    assert len(set(seqs)) == len(seqs)
    for where, events in seen.items():
        # The same events, the same numbers, on every worker's every client (in the order numbered).
        assert sorted((e["seq"], e["type"], e["data"].get("display")) for e in events) == sorted(
            (e["seq"], e["type"], e["data"].get("display")) for e in first
        ), where

    # The background jobs (SMS sender, reminders, HQ sync) have their one holder among the workers.
    engine = create_engine(seeded["url"])
    try:
        with psycopg.connect(libpq_url(engine), autocommit=True) as conn:
            row = conn.execute(f"SELECT pg_try_advisory_lock({JOBS_LOCK_KEY})").fetchone()
            assert row is not None and row[0] is False
    finally:
        engine.dispose()


def test_sqlite_refuses_several_workers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.cli import main

    assert main(["--db", f"sqlite:///{tmp_path / 'k.db'}", "hub", "--workers", "2"]) == 2
    out, err = capsys.readouterr()
    assert "SQLite 에서는 허브를 여러 프로세스(--workers 2)로 실행할 수 없어요" in err and "PostgreSQL" in err
    assert "허브 시작" not in out  # nothing was served


def test_workers_below_one_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.cli import main

    assert main(["--db", f"sqlite:///{tmp_path / 'k.db'}", "hub", "--workers", "0"]) == 2
    assert "--workers 는 1 이상" in capsys.readouterr().err
