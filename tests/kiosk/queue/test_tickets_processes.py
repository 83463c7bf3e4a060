"""Ticket numbering across processes on PostgreSQL: every issuer has its own engine and connections.

Several hubs or lobby kiosks writing to one center database used to race for the same next number and
could give up with QUEUE_NUMBER_CONFLICT; with the per center/day/line advisory lock they take turns.
"""

from __future__ import annotations

import multiprocessing
import uuid
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text

from db.models import Center, Ticket
from db.session import make_engine, make_sessionmaker
from kiosk.queue import QueueError, issue_ticket

MORNING = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)


def _issuer(db_url: str, center_id: str, lines: str, count: int, barrier: Any) -> list[tuple[str, int] | str]:
    """One process: its own engine; `count` tickets, each in its own transaction, as a kiosk would."""
    engine = make_engine(db_url)
    sessions = make_sessionmaker(engine)
    got: list[tuple[str, int] | str] = []
    try:
        barrier.wait(60)
        for n in range(count):
            line = lines[n % len(lines)]
            try:
                with sessions.begin() as s:
                    number = issue_ticket(s, uuid.UUID(center_id), line, now=MORNING).number
                    # The hub keeps working in the same transaction (wait estimate, idempotency record,
                    # audit) before it commits; a few ms of that is what makes issuers collide.
                    s.execute(text("SELECT pg_sleep(0.005)"))
                got.append((line, number))
            except QueueError as exc:  # reported to the test, which fails on it
                got.append(exc.code)
    finally:
        engine.dispose()
    return got


def test_processes_with_their_own_engines_never_share_or_give_up_a_number(postgres_url: str) -> None:
    import db.models  # noqa: F401  - registers every table
    from db.base import Base

    engine = make_engine(postgres_url)
    Base.metadata.create_all(engine)
    sessions = make_sessionmaker(engine)
    with sessions.begin() as s:
        center = Center(code=f"test-{uuid.uuid4().hex[:6]}", name_ko="테스트센터")
        s.add(center)
        s.flush()
        center_id = center.id

    processes, per_process = 6, 15
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager, ProcessPoolExecutor(processes, mp_context=ctx) as pool:
        barrier = manager.Barrier(processes)
        futures = [
            pool.submit(_issuer, postgres_url, str(center_id), "BBA", per_process, barrier)
            for _ in range(processes)
        ]
        results = [item for f in futures for item in f.result(timeout=240)]

    assert [r for r in results if isinstance(r, str)] == []  # no QUEUE_NUMBER_CONFLICT
    by_line: dict[str, list[int]] = {}
    for line, number in (r for r in results if not isinstance(r, str)):
        by_line.setdefault(line, []).append(number)
    # Each line counts 1, 2, 3, … with no number twice and none skipped, whoever issued it.
    assert {line: sorted(nums) for line, nums in by_line.items()} == {
        line: list(range(1, len(nums) + 1)) for line, nums in by_line.items()
    }
    with sessions() as s:
        stored = s.execute(select(Ticket.line, Ticket.number).where(Ticket.center_id == center_id)).all()
    assert len(stored) == processes * per_process == len(set(stored))
    engine.dispose()
