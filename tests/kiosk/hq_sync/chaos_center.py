"""The center going on with its day while its hub and HQ are killed: a process that writes visits and
tickets' sync events and their audit rows through the db layer, in one transaction each, as the hub's
hooks do (db.sync_log numbers them at commit, db.audit chains them).

Run as ``python -m tests.kiosk.hq_sync.chaos_center DB_URL CENTER_ID SEED``; SIGTERM ends it after the
transaction in hand, and it prints what it committed as one JSON line.
"""

from __future__ import annotations

import json
import random
import signal
import sys
import threading
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine
from sqlalchemy.exc import OperationalError

from db import sync_log
from db.audit import append_events
from db.session import make_engine, make_sessionmaker

LINES = ("A", "B", "C")
# A pause between the center's transactions: the rhythm of a busy center, not a wait for anything.
PAUSE_S = (0.05, 0.15)  # about 50 events a second
# A new center day after this many events (the clock jumps a day ahead): HQ recomputes a day's figures
# from all of that day's events on every batch, and a day far busier than a real center's would measure
# that recomputation (kiosk.hq.aggregate), not the kills.
DAY_EVENTS = 800


def visit_events(center_id: uuid.UUID, rng: random.Random, n: int) -> list[tuple[uuid.UUID, str, Any]]:
    """``n`` walk-ins, each submitted, ticketed, called and served: the events the statistics read."""
    events: list[tuple[uuid.UUID, str, Any]] = []
    now = datetime.now(UTC)
    for _ in range(n):
        visit, ticket, line = str(uuid.uuid4()), str(uuid.uuid4()), rng.choice(LINES)
        called = now + timedelta(seconds=rng.randint(30, 900))
        events += [
            (center_id, "visit.submitted", {"visit_id": visit, "path": "walk_in", "line": line}),
            (
                center_id,
                "ticket.issued",
                {
                    "ticket_id": ticket,
                    "line": line,
                    "display": f"{line}{rng.randint(1, 999):03d}",
                    "service_date": now.date().isoformat(),
                    "issued_at": now.isoformat(),
                },
            ),
            (
                center_id,
                "ticket.called",
                {"ticket_id": ticket, "desk": str(rng.randint(1, 6)), "called_at": called.isoformat()},
            ),
            (
                center_id,
                "ticket.done",
                {"ticket_id": ticket, "done_at": (called + timedelta(minutes=7)).isoformat()},
            ),
        ]
    return events


def main(argv: list[str]) -> int:
    url, center_id, seed = argv[0], uuid.UUID(argv[1]), int(argv[2])
    rng = random.Random(seed)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    commits = events = audit = 0
    first_day, day, today_events = datetime.now(UTC), 0, 0
    traveller = time_machine.travel(first_day, tick=True)
    traveller.start()
    while not stop.is_set():
        if today_events >= DAY_EVENTS:
            day, today_events = day + 1, 0
            traveller.stop()
            traveller = time_machine.travel(first_day + timedelta(days=day), tick=True)
            traveller.start()
        # Mostly a few walk-ins per transaction, now and then a lobby's offline backlog arriving at once.
        n = rng.randint(1, 2) if rng.random() < 0.97 else rng.randint(10, 30)
        batch = visit_events(center_id, rng, n)
        rows = [("hub", "visit.submitted", "visit", {"visits": n})]
        try:
            with sessions() as session:
                sync_log.record_many(session, batch)
                append_events(session, rows)
                session.commit()
        except OperationalError:  # the hub holds SQLite's write lock past the timeout: try again
            continue
        commits, events, audit = commits + 1, events + len(batch), audit + len(rows)
        today_events += len(batch)
        stop.wait(rng.uniform(*PAUSE_S))
    traveller.stop()
    engine.dispose()
    print(json.dumps({"commits": commits, "events": events, "audit": audit, "days": day + 1}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
