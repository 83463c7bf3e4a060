"""Issue 20 item 2: `kill -9` of the hub, of HQ, or of both at once, at random moments, while the center
goes on writing — HQ ends up holding exactly the center's events, each once, and its chain verifies.

Real processes as in production: `kiosk hub` (SQLite, its pusher thread) pushing over HTTPS to
`kiosk hq serve` (PostgreSQL), and a third process writing the center's events through the db layer
(chaos_center.py; its clock moves a day on every 800 events), which neither kill touches. Each kill
is followed by a restart of what was killed; the next kill waits until the new processes have moved
the center's acknowledgement on, then falls at a random moment of a push cycle ("timer"), or the
moment HQ is inside a batch's transaction ("in_batch", seen in pg_stat_activity by the HQ
connections' application_name); a third of the kills fall instead at once, while what the last round
started is still starting or in its first pass ("starting").

KIOSK_CHAOS_SEED=<n> repeats a run's plan of victims and moments (the seed is printed on failure).
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import IO, Any

import pytest
from sqlalchemy import Engine, func, select, text

from config import load_settings
from db.migrate import upgrade
from db.models import AuditEvent, SyncCursor, SyncEvent
from db.session import make_engine, make_sessionmaker
from kiosk.api.trust import TlsFiles
from kiosk.hq_sync.keys import create_key, key_path
from kiosk.hub.bootstrap import ensure_center
from kiosk.hub.server import free_port
from kiosk.hub.tls import init_center_tls
from tests.polling import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

KIOSK = str(Path(sys.executable).with_name("kiosk"))
ROUNDS = 22
CYCLE_S = 0.6  # a push cycle here: the pusher's 0.3 s interval plus one pass
START_S = 3.0  # about what a `kiosk` process takes to start here
PROGRESS_S = 45.0  # how long a restarted pair may take to move the acknowledgement on
# HQ's connection inside a batch's transaction: it has locked its cursor row (FOR UPDATE takes an xid;
# the cursor read of GET /cursor never does).
IN_BATCH = text(
    "SELECT count(*) FROM pg_stat_activity WHERE application_name = :app "
    "AND backend_xid IS NOT NULL AND state IN ('active', 'idle in transaction')"
)


@dataclass
class Side:
    """One of the two products, run as its own `kiosk` process, killed and started again."""

    name: str
    command: list[str]
    env: dict[str, str]
    log: IO[bytes]
    fresh_port: bool = False  # a new --port each start (nothing calls it; a killed one's may linger)
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0

    def start(self) -> None:
        self.starts += 1
        self.log.write(f"\n--- start {self.starts} ---\n".encode())
        self.log.flush()
        command = self.command + (["--port", str(free_port())] if self.fresh_port else [])
        self.process = subprocess.Popen(command, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)

    def kill(self) -> None:
        assert self.process is not None and self.process.poll() is None, f"{self.name} died by itself"
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


@dataclass
class Tally:
    kills: Counter[str] = field(default_factory=Counter)
    in_batch: Counter[str] = field(default_factory=Counter)  # victim → kills with HQ mid-transaction
    modes: Counter[str] = field(default_factory=Counter)


@pytest.fixture
def chaos_seed() -> Iterator[int]:
    seed = int(os.environ.get("KIOSK_CHAOS_SEED") or random.SystemRandom().randrange(2**32))
    try:
        yield seed
    finally:
        print(f"chaos seed {seed} (KIOSK_CHAOS_SEED={seed} repeats this run's plan)")


def _steady_port() -> int:
    """A free port below the ephemeral range: HQ comes back on it after each kill, and while it is down
    no outgoing connection on this machine can be given it."""
    picker = random.SystemRandom()  # not the plan's generator: a busy port must not shift the plan
    for _ in range(200):
        port = picker.randint(20_000, 32_000)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise AssertionError("no free port in 20000-32000")


def _hq_tls(directory: Path) -> TlsFiles:
    files = TlsFiles(directory / "hq.pem", directory / "hq-key.pem", directory / "hq-ca.pem")
    init_center_tls(files, "hq", ["127.0.0.1"])
    return files


def _center_rows(engine: Engine, center_id: uuid.UUID) -> dict[int, tuple[str, str, Any]]:
    sessions = make_sessionmaker(engine)
    with sessions() as s:
        rows = s.execute(select(SyncEvent).where(SyncEvent.center_id == center_id)).scalars()
        # An event left unnumbered would show as seq 0, which the gapless 1..N check refuses.
        return {
            e.seq or 0: (e.type, e.at.replace(tzinfo=e.at.tzinfo or UTC).astimezone(UTC).isoformat(), e.data)
            for e in rows
        }


def test_random_kills_of_hub_and_hq_lose_and_double_nothing(
    tmp_path: Path, isolated_data_dir: Path, postgres_url: str, chaos_seed: int
) -> None:
    from kiosk.hq.centers import add_center
    from kiosk.hq.migrate import upgrade as hq_upgrade

    began = time.monotonic()
    rng = random.Random(chaos_seed)
    settings = load_settings()
    code = settings.app.center_code
    hub_url = f"sqlite:///{tmp_path / 'hub.db'}"
    hub_engine = make_engine(hub_url)
    upgrade(hub_engine)
    with make_sessionmaker(hub_engine)() as s:
        center_id = ensure_center(s, code).id
        s.commit()
    key, _ = create_key(key_path(settings))
    app = f"kiosk_chaos_{uuid.uuid4().hex[:10]}"  # the HQ process's connections, for pg_stat_activity
    hq_url = f"{postgres_url}&application_name={app}"
    hq_engine = make_engine(hq_url.replace(app, app + "_test"))
    hq_upgrade(hq_engine)
    with make_sessionmaker(hq_engine).begin() as s:
        add_center(s, code, "카오스 센터", key.public_pem)
    tls = _hq_tls(tmp_path)
    hq_port = _steady_port()

    env = {**os.environ, "SSL_CERT_FILE": str(tls.ca)}  # the hub trusts HQ's CA, as a center's OS would
    hub_env = {
        **env,
        "KIOSK_DB_URL": hub_url,
        "KIOSK_HUB__ARCHIVE_DIR": str(tmp_path / "archive"),
        "KIOSK_HQ__URL": f"https://127.0.0.1:{hq_port}",
        "KIOSK_HQ__INTERVAL_SECONDS": "0.3",
    }
    hq_cmd = [KIOSK, "hq", "serve", "--db", hq_url, "--port", str(hq_port)]
    hq_cmd += ["--tls-cert", str(tls.cert), "--tls-key", str(tls.key)]
    with open(tmp_path / "hq.log", "wb") as hq_log, open(tmp_path / "hub.log", "wb") as hub_log:
        hq = Side("hq", hq_cmd, env, hq_log)
        hub = Side("hub", [KIOSK, "hub"], hub_env, hub_log, fresh_port=True)
        writer = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.kiosk.hq_sync.chaos_center",
                hub_url,
                str(center_id),
                str(chaos_seed),
            ],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        tally = Tally()
        try:
            hq.start()
            hub.start()
            # Every victim and every kind of moment a third of the time, in a shuffled order.
            victims = [("hub",), ("hq",), ("hub", "hq")] * (ROUNDS // 3 + 1)
            modes = ["timer", "in_batch", "starting"] * (ROUNDS // 3 + 1)
            rng.shuffle(victims)
            rng.shuffle(modes)
            for victim, mode in zip(victims[:ROUNDS], modes[:ROUNDS], strict=True):
                _one_round(rng, victim, mode, (hub, hq), hub_engine, hq_engine, center_id, app, tally)
            writer.terminate()
            written = json.loads(writer.communicate(timeout=30)[0])
            _caught_up(hub_engine, center_id, hub, hq)
        except BaseException:
            for side in (hub, hq):  # what the products said, for whoever reads the failure
                side.log.flush()
                tail = (tmp_path / f"{side.name}.log").read_text(errors="replace").splitlines()[-25:]
                print(f"--- {side.name}.log (last lines) ---", *tail, sep="\n")
            raise
        finally:
            if writer.poll() is None:
                writer.kill()
                writer.wait()
            hub.stop()
            hq.stop()
    center = _center_rows(hub_engine, center_id)
    with make_sessionmaker(hub_engine)() as s:
        cursor = s.get(SyncCursor, center_id)
        audit_count = s.scalar(select(func.count()).select_from(AuditEvent))
    with hq_engine.connect() as conn:
        stored = conn.execute(text("SELECT seq, type, at, data FROM hq_event ORDER BY seq")).all()
        hq_audit = conn.execute(text("SELECT count(*), count(DISTINCT seq) FROM hq_audit")).one()
    hub_engine.dispose()
    hq_engine.dispose()
    verified = subprocess.run(
        [KIOSK, "hq", "verify", "--db", hq_url],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    elapsed = time.monotonic() - began
    print(
        f"chaos: {elapsed:.1f} s, kills {dict(tally.kills)}, with HQ mid-batch {dict(tally.in_batch)}, "
        f"moments {dict(tally.modes)}; written {written}; center seq {len(center)}, "
        f"HQ events {len(stored)}, audit {audit_count}/{hq_audit[0]}"
    )

    assert sum(tally.kills.values()) >= 20 and all(tally.kills[v] for v in ("hub", "hq", "both"))
    assert tally.in_batch["hq"] + tally.in_batch["both"] > 0  # HQ died inside a batch's transaction
    assert written["events"] == len(center) and written["audit"] == audit_count  # nothing lost at the center
    assert sorted(center) == list(range(1, len(center) + 1))  # its own numbers have no gaps
    assert [row.seq for row in stored] == list(range(1, len(center) + 1))  # at HQ: every seq, once
    assert {row.seq: (row.type, row.at.astimezone(UTC).isoformat(), row.data) for row in stored} == center
    assert tuple(hq_audit) == (audit_count, audit_count)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert (
        f"OK {audit_count} events" in verified.stdout and f"({len(center)} domain events" in verified.stdout
    )
    assert f"signed at seq {audit_count})" in verified.stdout
    assert cursor is not None and (cursor.events_acked, cursor.audit_acked) == (len(center), audit_count)


def _one_round(
    rng: random.Random,
    victims: tuple[str, ...],
    mode: str,
    sides: tuple[Side, Side],
    hub_engine: Engine,
    hq_engine: Engine,
    center_id: uuid.UUID,
    app: str,
    tally: Tally,
) -> None:
    """Wait for the pair to make progress, then kill hub, HQ or both at a random moment; start them again."""
    hub, hq = sides
    since = _acked(hub_engine, center_id)

    def progressed() -> bool:
        for side in (hub, hq):
            assert side.process is not None and side.process.poll() is None, f"{side.name} exited by itself"
        return _acked(hub_engine, center_id) > since

    waited = time.monotonic()
    if mode != "starting":  # else: killed again while starting, or in its first pass
        wait_until(progressed, PROGRESS_S, interval_s=0.02, message="the restarted hub and HQ push again")
    waited = time.monotonic() - waited
    span = {"timer": CYCLE_S, "in_batch": 3 * CYCLE_S, "starting": START_S}[mode]
    deadline = time.monotonic() + (span if mode == "in_batch" else rng.uniform(0, span))
    with hq_engine.connect() as conn:
        # The moment: a deadline in the cycle, or HQ seen inside a batch transaction (whichever first
        # for "in_batch"). Polled without pause: the window is a few milliseconds of a busy batch.
        while True:
            busy = bool(conn.execute(IN_BATCH, {"app": app}).scalar_one())
            conn.rollback()  # a fresh snapshot of pg_stat_activity each time
            if (mode == "in_batch" and busy) or time.monotonic() >= deadline:
                break
        for side in (hub, hq):
            if side.name in victims:
                side.kill()
    name = "both" if len(victims) == 2 else victims[0]
    tally.kills[name] += 1
    tally.modes[mode] += 1
    tally.in_batch[name] += busy
    print(f"kill {name:4} {mode:8} HQ mid-batch {busy!s:5} after {waited:.2f} s to progress past {since}")
    for side in (hq, hub):
        if side.name in victims:
            side.start()


def _acked(engine: Engine, center_id: uuid.UUID) -> int:
    with engine.connect() as conn:
        value = conn.execute(
            select(SyncCursor.events_acked).where(SyncCursor.center_id == center_id)
        ).scalar()
    return int(value or 0)


def _caught_up(engine: Engine, center_id: uuid.UUID, hub: Side, hq: Side) -> None:
    """The center writes no more: wait until the hub's note says HQ holds every event and audit row."""
    with make_sessionmaker(engine)() as s:
        events = s.scalar(select(func.max(SyncEvent.seq)).where(SyncEvent.center_id == center_id)) or 0
        audit = s.scalar(select(func.max(AuditEvent.seq))) or 0

    def done() -> bool:
        for side in (hub, hq):
            assert side.process is not None and side.process.poll() is None, f"{side.name} exited by itself"
        with engine.connect() as conn:
            row = conn.execute(
                select(SyncCursor.events_acked, SyncCursor.audit_acked).where(
                    SyncCursor.center_id == center_id
                )
            ).first()
        return row is not None and tuple(row) == (events, audit)

    wait_until(done, 60, interval_s=0.05, message=f"the hub's note reaches events {events}, audit {audit}")
