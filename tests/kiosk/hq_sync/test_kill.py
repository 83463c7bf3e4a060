"""`kill -9` of the pushing process in the middle of its batches loses and doubles nothing: the next push
resumes from what HQ holds, whatever the hub's own note says."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from config import load_settings
from db import sync_log
from db.migrate import upgrade
from db.models import SyncEvent
from db.session import make_engine, make_sessionmaker
from kiosk.hq_sync.keys import create_key, key_path
from kiosk.hub.bootstrap import ensure_center
from tests.kiosk.hq_sync.fake_hq import FakeHq, HqStore
from tests.polling import wait_until

KILLS = 4


def test_killed_pushes_lose_and_double_nothing(tmp_path: Path, isolated_data_dir: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    key, _ = create_key(key_path(load_settings()))
    with sessions() as session:
        center_id = ensure_center(session, "seoul-central").id
        session.commit()
    written = 0

    def write(n: int) -> None:
        nonlocal written
        with sessions() as session:
            events = [(center_id, "ticket.no_show", {"ticket_id": f"t{written + i}"}) for i in range(n)]
            sync_log.record_many(session, events)
            session.commit()
        written += n

    hq = FakeHq(HqStore("seoul-central", key.public_raw)).start()
    env = {**os.environ, "KIOSK_HQ__URL": hq.url, "KIOSK_HQ__BATCH_EVENTS": "10"}
    command = [sys.executable, "-m", "kiosk.cli", "--db", url, "hq", "push", "--once"]
    rng = random.Random(20)
    try:
        write(300)
        for _ in range(KILLS):
            before = len(hq.store.stored_events)
            child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            # Killed while it is sending, once HQ has stored a random number of its events (batches are
            # 10 events: the moment falls anywhere between reading, posting and noting a batch).
            goal = before + rng.randint(1, 25)

            def sending(goal: int = goal, child: subprocess.Popen[bytes] = child) -> bool:
                return len(hq.store.stored_events) >= goal or child.poll() is not None

            wait_until(sending, 20, interval_s=0.002)
            child.send_signal(signal.SIGKILL)
            child.wait(10)
            write(40)  # the center goes on meanwhile
        finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)
        assert finished.returncode == 0, finished.stderr
        assert finished.stdout.strip().startswith("events sent") and f"acked {written}," in finished.stdout
    finally:
        hq.stop()
    assert hq.store.stored_events == list(range(1, written + 1))  # each once, in order, none missing
    with sessions() as session:
        local = {e.seq: e.data for e in session.scalars(select(SyncEvent))}
    assert {seq: row["data"] for seq, row in hq.store.events.items()} == local
    engine.dispose()
