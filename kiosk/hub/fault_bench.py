"""`kiosk bench faults`: SIGKILL the real hub process under concurrent visits and tickets, then audit.

The hub runs as `kiosk hub` in a child process on 127.0.0.1 (a free port). A few client threads
submit visits and ask for a ticket for each, as lobbies do: a request that got no answer (the hub died
under it) is sent again, unchanged (same visit id, same Idempotency-Key), once the hub is back. At
seeded random moments the hub is killed with SIGKILL and started again. Afterwards the database is
read directly: every visit and ticket the hub acknowledged with a 2xx must be there, unchanged, no
(line, number) of a day may be issued twice, no visit may hold two tickets, and the audit chain must
verify. Everything is bounded by a deadline; nothing leaves the machine.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from kiosk.hub.bench import _submission, scratch_schema
from kiosk.hub.server import free_port

CENTER = "seoul-central"
LINES = ("A", "B", "C")


@dataclass
class Acknowledged:
    """What the hub answered 2xx to, as the clients saw it (shared by the client threads)."""

    visits: set[uuid.UUID] = field(default_factory=set)
    tickets: dict[uuid.UUID, tuple[str, int, uuid.UUID]] = field(default_factory=dict)  # id → line, no, visit
    retries: int = 0
    refused: Counter[str] = field(default_factory=Counter)  # 4xx answers by status (none expected)
    lock: threading.Lock = field(default_factory=threading.Lock)


class HubProcess:
    """`kiosk hub` as a child process that can be killed and started again on the same port."""

    def __init__(self, db_url: str, data_dir: Path, port: int) -> None:
        self.db_url, self.data_dir, self.port = db_url, data_dir, port
        self.url = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        env = {**os.environ, "KIOSK_APP__DATA_DIR": str(self.data_dir)}
        env.pop("KIOSK_CONFIG", None)
        log = (self.data_dir / f"hub-{self.starts}.log").open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk.cli", "--db", self.db_url, "hub", "--port", str(self.port)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self.starts += 1

    def wait_ready(self, token: str | None, timeout_s: float = 30.0) -> None:
        """Until the hub answers (a token's `/auth/me`, or any HTTP answer before enrollment)."""
        deadline = time.monotonic() + timeout_s
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        while True:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"hub exited with {self.proc.returncode}: {self.last_log()}")
            try:
                r = httpx.get(f"{self.url}/auth/me", headers=headers, timeout=1.0)
                if token is None or r.status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"hub not ready after {timeout_s:.0f} s: {self.last_log()}")
            time.sleep(0.05)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def last_log(self) -> str:
        logs = sorted(self.data_dir.glob("hub-*.log"))
        if not logs:
            return ""
        newest = max(logs, key=lambda path: path.stat().st_mtime)
        return " | ".join(newest.read_text(errors="replace").splitlines()[-8:])[-1200:]


def prepare_database(db_url: str) -> str:
    """Tables, the center and a lobby device; returns the lobby's one-time enrollment code."""
    import db.models  # noqa: F401 - registers every table
    from db.base import Base
    from db.session import make_engine, make_sessionmaker
    from kiosk.hub.bootstrap import ensure_center, issue_pairing_code

    engine = make_engine(db_url)
    try:
        Base.metadata.create_all(engine)
        with make_sessionmaker(engine)() as session:
            _id, code = issue_pairing_code(session, ensure_center(session, CENTER), "lobby", "faults")
            session.commit()
    finally:
        engine.dispose()
    return code


def _send(
    http: httpx.Client,
    path: str,
    body: dict[str, Any],
    headers: dict[str, str],
    ack: Acknowledged,
    deadline: float,
) -> httpx.Response | None:
    """POST until the hub answers something other than 'not now' (no connection, 5xx). None: gave up."""
    first = True
    while time.monotonic() < deadline:
        if not first:
            with ack.lock:
                ack.retries += 1
        first = False
        try:
            response = http.post(path, json=body, headers=headers)
        except httpx.TransportError:
            response = None
        if response is not None and response.status_code < 500:
            return response
        time.sleep(0.05)  # the hub is down or busy: it comes back within seconds
    return None


def _client(
    index: int, url: str, token: str, ack: Acknowledged, stop: threading.Event, deadline: float
) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, timeout=5.0) as http:
        n = 0
        while not stop.is_set() and time.monotonic() < deadline:
            n += 1
            body = _submission(index, n)
            visit_id = uuid.UUID(body["visit_id"])
            r = _send(http, "/visits", body, auth, ack, deadline)
            if r is None:
                return
            if r.status_code != 200:
                with ack.lock:
                    ack.refused[f"visit {r.status_code}"] += 1
                continue
            with ack.lock:
                ack.visits.add(visit_id)
            line = LINES[(index + n) % len(LINES)]
            headers = {**auth, "Idempotency-Key": f"faults-{visit_id}"}
            r = _send(http, "/tickets", {"line": line, "visit_id": str(visit_id)}, headers, ack, deadline)
            if r is None:
                return
            if r.status_code != 200:
                with ack.lock:
                    ack.refused[f"ticket {r.status_code}"] += 1
                continue
            out = r.json()
            with ack.lock:
                ack.tickets[uuid.UUID(out["id"])] = (out["line"], int(out["number"]), visit_id)


def audit_database(db_url: str, ack: Acknowledged) -> dict[str, Any]:
    """Compare what was acknowledged with what the database holds after the last kill."""
    from sqlalchemy import select

    from db.audit import verify_chain
    from db.models import Ticket, Visit
    from db.session import make_engine, make_sessionmaker

    engine = make_engine(db_url)
    try:
        with make_sessionmaker(engine)() as session:
            stored_visits = set(session.scalars(select(Visit.id)).all())
            rows = session.execute(
                select(Ticket.id, Ticket.line, Ticket.number, Ticket.visit_id, Ticket.service_date)
            ).all()
            chain = verify_chain(session)
    finally:
        engine.dispose()
    stored = {row.id: (row.line, row.number, row.visit_id) for row in rows}
    lost_visits = [v for v in ack.visits if v not in stored_visits]
    lost_tickets = [t for t, value in ack.tickets.items() if stored.get(t) != value]
    numbers = Counter((row.service_date, row.line, row.number) for row in rows)
    per_visit = Counter(row.visit_id for row in rows if row.visit_id is not None)
    return {
        "acknowledged_visits": len(ack.visits),
        "acknowledged_tickets": len(ack.tickets),
        "stored_visits": len(stored_visits),
        "stored_tickets": len(rows),
        "lost_visits": len(lost_visits),
        "lost_tickets": len(lost_tickets),
        "duplicate_numbers": sum(c - 1 for c in numbers.values() if c > 1),
        "visits_with_two_tickets": sum(1 for c in per_visit.values() if c > 1),
        "audit_chain_ok": chain.ok,
        "audit_events": chain.count,
    }


def run_kills(
    db_url: str,
    data_dir: Path,
    *,
    kills: int = 5,
    clients: int = 4,
    seed: int = 13,
    up_s: tuple[float, float] = (0.3, 1.5),
    timeout_s: float = 120.0,
) -> dict[str, Any]:
    """Kill the hub `kills` times at random moments of its up-time under load; then audit the database."""
    rng = random.Random(seed)
    deadline = time.monotonic() + timeout_s
    code = prepare_database(db_url)
    hub = HubProcess(db_url, data_dir, free_port())
    ack = Acknowledged()
    stop = threading.Event()
    threads: list[threading.Thread] = []
    restart_s: list[float] = []
    started = time.monotonic()
    try:
        hub.start()
        hub.wait_ready(None, timeout_s=max(1.0, deadline - time.monotonic()))
        token = httpx.post(f"{hub.url}/devices/enroll", json={"code": code}, timeout=5).json()["token"]
        threads = [
            threading.Thread(
                target=_client, args=(i, hub.url, token, ack, stop, deadline), name=f"faults-client-{i}"
            )
            for i in range(clients)
        ]
        for thread in threads:
            thread.start()
        for _ in range(kills):
            time.sleep(rng.uniform(*up_s))  # a random moment of the hub's up-time, under load
            hub.kill()
            began = time.monotonic()
            hub.start()
            hub.wait_ready(token, timeout_s=max(1.0, deadline - time.monotonic()))
            restart_s.append(time.monotonic() - began)
        time.sleep(rng.uniform(*up_s))  # let the clients' held requests through
        stop.set()
        for thread in threads:
            thread.join(max(1.0, deadline - time.monotonic()))
        hung = sum(thread.is_alive() for thread in threads)
        hub.kill()  # the last one too: the audit reads what a kill left on disk
    finally:
        stop.set()
        hub.stop()
    report = audit_database(db_url, ack)
    return {
        "kills": kills,
        "clients": clients,
        "seed": seed,
        "wall_s": round(time.monotonic() - started, 1),
        "restart_p50_s": round(sorted(restart_s)[len(restart_s) // 2], 2) if restart_s else None,
        "retried_requests": ack.retries,
        "refused": dict(ack.refused),
        "clients_hung": hung,
        **report,
    }


def passed(report: dict[str, Any]) -> bool:
    return bool(
        report["lost_visits"] == 0
        and report["lost_tickets"] == 0
        and report["duplicate_numbers"] == 0
        and report["visits_with_two_tickets"] == 0
        and report["audit_chain_ok"]
        and not report["refused"]
        and report["clients_hung"] == 0
        and report["acknowledged_visits"] > 0
    )


def run_bench(
    kills: int = 20, clients: int = 4, seed: int = 13, postgres_url: str | None = None
) -> dict[str, Any]:
    """SQLite in a temporary folder, and PostgreSQL in a schema of its own when a URL is given."""
    results: list[dict[str, Any]] = []
    notes: list[str] = []
    timeout = 60.0 + 6.0 * kills
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "sqlite"
        data.mkdir()
        row = run_kills(
            f"sqlite:///{data / 'hub.db'}", data, kills=kills, clients=clients, seed=seed, timeout_s=timeout
        )
        results.append({"engine": "sqlite", **row, "ok": passed(row)})
        if postgres_url:
            try:
                row = _postgres(postgres_url, Path(tmp) / "postgres", kills, clients, seed, timeout)
                results.append({"engine": "postgres", **row, "ok": passed(row)})
            except Exception as exc:  # no server here: say so instead of failing the SQLite figures
                notes.append(f"postgres skipped: {type(exc).__name__}: {str(exc)[-1500:]}")
    return {
        "target": "0 acknowledged requests lost, 0 duplicate numbers over >= 20 kill -9",
        "results": results,
        "notes": notes,
        "ok": all(r["ok"] for r in results),
    }


def _postgres(
    admin_url: str, data: Path, kills: int, clients: int, seed: int, timeout: float
) -> dict[str, Any]:
    data.mkdir()
    with scratch_schema(admin_url, "faults") as url:
        return run_kills(url, data, kills=kills, clients=clients, seed=seed, timeout_s=timeout)
