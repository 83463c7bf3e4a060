"""Submissions and ticket requests that arrive together are written together, and each still gets
exactly its own answer: replays, conflicts, bad input and returning visitors inside one batch."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
import uuid
from collections import Counter
from typing import Any

import httpx
import pytest
from sqlalchemy import event, func, select

from db.audit import append_events, verify_chain
from db.models import AuditEvent, Person, Ticket, Visit
from db.session import make_engine
from kiosk.api import VisitSubmission
from kiosk.hub.group_commit import GroupCommit
from kiosk.hub.ticket_store import TicketRequest, issue_batch
from kiosk.hub.visit_store import prepare, write_batch
from kiosk.queue.lines import service_lines
from tests.kiosk.hub.conftest import Hub
from tests.kiosk.hub.factories import submission, synthetic_rrn


def _all_at_once(
    hub: Hub, requests: list[tuple[str, str, dict[str, Any], dict[str, str]]]
) -> list[httpx.Response]:
    """Send every request concurrently on one event loop, as 20 lobbies at a busy moment would."""
    # Lobbies that have been talking to the hub: their tokens are known, so every request reaches
    # the writer at once instead of trickling in from token lookups.
    for headers in {r[3]["Authorization"]: r[3] for r in requests}.values():
        assert hub.http.get("/queue", headers={"Authorization": headers["Authorization"]}).status_code == 200

    async def run() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=hub.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub") as http:
            return list(
                await asyncio.gather(
                    *(
                        http.request(m, path, json=body, headers=headers)
                        for m, path, body, headers in requests
                    )
                )
            )

    return asyncio.run(run())


def _record_batch_sizes(commit: GroupCommit[Any, Any]) -> list[int]:
    sizes: list[int] = []
    write = commit.write

    def recording(session: Any, items: list[Any]) -> list[Any]:
        sizes.append(len(items))
        return write(session, items)

    commit.write = recording
    return sizes


def test_concurrent_submissions_each_get_their_own_answer(hub: Hub) -> None:
    lobby, _ = hub.enroll("lobby")
    same_person = synthetic_rrn(77)
    replayed = submission(1)
    conflicting = submission(2)
    changed = {**conflicting, "language": "en"}
    bad_rrn = submission(3, rrn="991301-1234567")
    first_time = [submission(10 + i) for i in range(12)]
    twice_a = submission(40, rrn=same_person)
    twice_b = submission(41, rrn=same_person)
    bodies = [*first_time, replayed, replayed, conflicting, changed, bad_rrn, twice_a, twice_b]

    sizes = _record_batch_sizes(hub.app.state.hub.visit_batches)
    answers = _all_at_once(hub, [("POST", "/visits", body, lobby) for body in bodies])
    assert max(sizes) > 1  # they did share transactions

    codes = [r.status_code for r in answers]
    assert codes[:12] == [200] * 12
    assert codes[12:14] == [200, 200] and answers[12].json() == answers[13].json()  # a replay
    assert sorted(codes[14:16]) == [200, 409]  # same visit id, other content: one wins
    assert answers[codes.index(409)].json()["error"]["code"] == "visit_conflict"
    assert codes[16] == 422 and answers[16].json()["error"]["code"] == "invalid_rrn"
    pair = [answers[-2].json(), answers[-1].json()]
    assert pair[0]["person_id"] == pair[1]["person_id"]  # one person, found again by blind index
    assert sorted(p["returning_visitor"] for p in pair) == [False, True]
    with hub.sessions() as s:
        assert s.scalar(select(func.count(Visit.id))) == 12 + 1 + 1 + 2
        assert (
            s.scalar(select(func.count(Person.id)).where(Person.rrn_blind_index.is_not(None)))
            == 12 + 1 + 1 + 1
        )
        assert s.scalar(select(func.count()).where(AuditEvent.action == "visit.submit")) == 16
        assert verify_chain(s).ok


def test_one_batch_with_repeats_inside_it(hub: Hub) -> None:
    """The same visit twice and the same person twice in one batch (deterministic, no timing)."""
    _lobby, token = hub.enroll("lobby")
    with hub.sessions() as s:
        from kiosk.hub.auth import TokenCache, resolve_token

        principal = resolve_token(s, token, TokenCache())
    rrn = synthetic_rrn(5)
    bodies = [submission(1, rrn=rrn), submission(2, rrn=rrn), submission(3)]
    bodies.append(bodies[2])  # an outbox replay arriving in the same batch
    bodies.append({**bodies[2], "language": "en"})  # same id, other content
    items = [
        prepare(VisitSubmission.model_validate(b), principal, hub.keys, f"digest-{i if i != 3 else 2}")
        for i, b in enumerate(bodies)
    ]
    with hub.sessions() as s:
        answers = write_batch(s, items)
    receipts = answers[:4]
    assert all(not isinstance(a, Exception) for a in receipts)
    assert receipts[0].person_id == receipts[1].person_id  # type: ignore[union-attr]
    assert [r.returning_visitor for r in receipts[:2]] == [False, True]  # type: ignore[union-attr]
    assert receipts[3] == receipts[2]
    assert getattr(answers[4], "status", None) == 409
    assert [i.written for i in items] == [True, True, True, False, False]


def test_concurrent_tickets_are_numbered_in_order_without_gaps(hub: Hub) -> None:
    lobby, _ = hub.enroll("lobby")
    requests = []
    for i in range(18):
        requests.append(
            ("POST", "/tickets", {"line": "AB"[i % 2]}, {**lobby, "Idempotency-Key": f"ticket-{i:04d}"})
        )
    requests.append(
        ("POST", "/tickets", {"line": "A"}, {**lobby, "Idempotency-Key": "ticket-0000"})
    )  # replay
    requests.append(
        ("POST", "/tickets", {"line": "B"}, {**lobby, "Idempotency-Key": "ticket-0002"})
    )  # other body
    requests.append(
        (
            "POST",
            "/tickets",
            {"line": "A", "visit_id": str(uuid.uuid4())},
            {**lobby, "Idempotency-Key": "ticket-9999"},
        )
    )

    sizes = _record_batch_sizes(hub.app.state.hub.ticket_batches)
    answers = _all_at_once(hub, requests)
    assert max(sizes) > 1

    codes = [r.status_code for r in answers]
    # Requests reach the hub in no fixed order: of the two that share "ticket-0002" with different
    # bodies, whichever came first is issued and the other is refused.
    contested = (2, 19)
    assert sorted(codes[i] for i in contested) == [200, 409]
    loser = next(i for i in contested if codes[i] == 409)
    assert answers[loser].json()["error"]["code"] == "idempotency_conflict"
    issued = [i for i in range(18) if i not in contested] + [next(i for i in contested if i != loser)]
    assert all(codes[i] == 200 for i in issued) and codes[18] == 200
    assert answers[18].json()["id"] == answers[0].json()["id"]  # a replay: the same ticket
    assert codes[20] == 404
    numbers: dict[str, list[int]] = {}
    for i in issued:
        assert answers[i].json()["line"] == requests[i][2]["line"]
        numbers.setdefault(answers[i].json()["line"], []).append(answers[i].json()["number"])
    # Every line numbered 1, 2, 3, … in the order the hub issued them: no gap, no number twice.
    assert {line: sorted(n) for line, n in numbers.items()} == {
        line: list(range(1, len(n) + 1)) for line, n in numbers.items()
    }
    with hub.sessions() as s:
        stored = Counter(s.scalars(select(Ticket.line)))
    assert stored == Counter({line: len(n) for line, n in numbers.items()})
    assert sum(stored.values()) == 18


def test_one_ticket_batch_with_a_repeated_key(hub: Hub) -> None:
    _lobby, token = hub.enroll("lobby")
    with hub.sessions() as s:
        from kiosk.hub.auth import TokenCache, resolve_token

        principal = resolve_token(s, token, TokenCache())
    line = service_lines()["A"]
    batch = [
        TicketRequest(principal, line, None, "key-1", "sha-1"),
        TicketRequest(principal, line, None, "key-2", "sha-2"),
        TicketRequest(principal, line, None, "key-1", "sha-1"),  # the same request again
        TicketRequest(principal, line, None, "key-2", "sha-other"),  # the same key, another body
    ]
    with hub.sessions() as s:
        answers = issue_batch(s, batch)
    first, second, again, other = answers
    assert [first.number, second.number] == [1, 2]  # type: ignore[union-attr]
    assert again == first
    assert getattr(other, "status", None) == 409
    assert [r.issued is not None for r in batch] == [True, True, False, False]


def test_a_failing_item_fails_only_itself(hub_sqlite: Hub) -> None:
    """A batch that fails as a whole is written again item by item: the others still land."""
    state = hub_sqlite.app.state.hub

    def write(session: Any, items: list[str]) -> list[str]:
        # An audit event carrying an RRN is refused by the chain: a real failure from the data layer.
        append_events(session, [("test", "test.item", item, {}) for item in items])
        session.commit()
        return items

    commit = GroupCommit(state, write)

    async def run() -> list[Any]:
        targets = [f"item:{i}" for i in range(8)] + [f"rrn {synthetic_rrn(9)}"]
        return list(await asyncio.gather(*(commit.submit(t) for t in targets), return_exceptions=True))

    answers = asyncio.run(run())
    assert answers[:8] == [f"item:{i}" for i in range(8)]
    assert isinstance(answers[8], ValueError)
    with hub_sqlite.sessions() as s:
        assert s.scalar(select(func.count()).where(AuditEvent.action == "test.item")) == 8
        assert verify_chain(s).ok


@pytest.mark.parametrize("batch_size", [1, 3])
def test_batches_never_exceed_their_limit(hub_sqlite: Hub, batch_size: int) -> None:
    sizes: list[int] = []

    def write(session: Any, items: list[int]) -> list[int]:
        sizes.append(len(items))
        return items

    commit = GroupCommit(hub_sqlite.app.state.hub, write, max_batch=batch_size)

    async def run() -> list[int]:
        return list(await asyncio.gather(*(commit.submit(i) for i in range(10))))

    assert asyncio.run(run()) == list(range(10))
    assert max(sizes) <= batch_size and sum(sizes) == 10


def test_a_database_locked_by_another_process_is_a_503_and_nothing_is_lost(hub_sqlite: Hub) -> None:
    """An admin's purge holding SQLite's write lock: the hub's loop waits only briefly, answers 503
    (a lobby's outbox keeps the visit and sends it again), and the same visit lands afterwards."""
    lobby, _ = hub_sqlite.enroll("lobby")
    body = submission(8)
    other = sqlite3.connect(hub_sqlite.sessions.kw["bind"].url.database, timeout=0.1)
    other.execute("BEGIN IMMEDIATE")  # another process's write transaction
    try:
        started = time.monotonic()
        busy = hub_sqlite.http.post("/visits", json=body, headers=lobby)
        waited = time.monotonic() - started
    finally:
        other.rollback()
        other.close()
    assert busy.status_code == 503 and busy.json()["error"]["code"] == "hub_busy"
    assert waited < 5  # bounded: not the 10 s a worker thread would wait
    again = hub_sqlite.http.post("/visits", json=body, headers=lobby)
    assert again.status_code == 200
    with hub_sqlite.sessions() as s:
        assert s.scalar(select(func.count(Visit.id))) == 1


def test_an_answered_visit_is_committed_for_every_other_connection(hub: Hub) -> None:
    """The moment a lobby has its 200, the visit is in the database for anyone: a reader on a fresh
    engine of its own (another process's view) finds it, however many submissions share the batch."""
    lobby, _ = hub.enroll("lobby")
    assert hub.http.get("/queue", headers=lobby).status_code == 200  # its token is known: all at once
    bind = hub.sessions.kw["bind"]
    reader = make_engine(bind.url.render_as_string(hide_password=False))
    if bind.dialect.name == "sqlite":
        with bind.connect() as conn:  # FULL: a commit is on disk before it returns (2 = FULL)
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
    missing: list[str] = []

    async def submit_and_look(http: httpx.AsyncClient, body: dict[str, Any]) -> int:
        answer = await http.post("/visits", json=body, headers=lobby)
        # Right away, before the loop does anything else: a blocking read on another connection.
        with reader.connect() as conn:
            found = conn.execute(select(Visit.id).where(Visit.id == uuid.UUID(body["visit_id"]))).first()
        if answer.status_code == 200 and found is None:
            missing.append(body["visit_id"])
        return answer.status_code

    async def run() -> list[int]:
        transport = httpx.ASGITransport(app=hub.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub") as http:
            bodies = [submission(100 + i) for i in range(16)]
            return list(await asyncio.gather(*(submit_and_look(http, b) for b in bodies)))

    try:
        codes = asyncio.run(run())
    finally:
        reader.dispose()
    assert codes == [200] * 16
    assert missing == []


def test_submissions_arriving_during_a_slow_commit_form_the_next_batch(hub_sqlite: Hub) -> None:
    """SQLite: the fsync runs off the event loop, so while one batch's COMMIT is held up, the hub
    goes on taking submissions, and they are all written together as soon as it returns."""
    lobby, _ = hub_sqlite.enroll("lobby")
    assert hub_sqlite.http.get("/queue", headers=lobby).status_code == 200  # its token is known
    state = hub_sqlite.app.state.hub
    first, *others = [submission(200 + i) for i in range(20)]
    first_held, all_arrived = threading.Event(), threading.Event()
    arrivals = 0
    submit = state.visit_batches.submit

    async def counted(item: Any) -> Any:
        nonlocal arrivals
        arrivals += 1
        if arrivals == 1 + len(others):
            all_arrived.set()
        return await submit(item)

    held: list[bool] = []  # per COMMIT on the committer thread: had the others arrived meanwhile?

    def on_commit(_conn: Any) -> None:
        if not threading.current_thread().name.startswith("hub-sqlite-commit"):
            return  # the hub's other commits (token lookups, the busy-timeout pragma)
        # The first batch's COMMIT waits here until every other submission has reached the hub: only
        # possible if the event loop is free meanwhile. Bounded: a blocked loop fails, never hangs.
        first_held.set()
        held.append(all_arrived.wait(timeout=20))

    async def run() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=hub_sqlite.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub") as http:
            alone = asyncio.ensure_future(http.post("/visits", json=first, headers=lobby))
            assert await asyncio.to_thread(first_held.wait, 20)  # its commit has begun, and waits
            rest = [http.post("/visits", json=body, headers=lobby) for body in others]
            return list(await asyncio.gather(alone, *rest))

    state.visit_batches.submit = counted
    sizes = _record_batch_sizes(state.visit_batches)
    bind = hub_sqlite.sessions.kw["bind"]
    event.listen(bind, "commit", on_commit)
    try:
        answers = asyncio.run(run())
    finally:
        event.remove(bind, "commit", on_commit)
    assert [r.status_code for r in answers] == [200] * 20
    assert held == [True, True]  # two COMMITs for 20 submissions, each with all of them arrived
    assert sizes == [1, 19]  # the one held up, then everything that arrived meanwhile, together
    with hub_sqlite.sessions() as s:
        assert s.scalar(select(func.count(Visit.id))) == 20
        assert verify_chain(s).ok
