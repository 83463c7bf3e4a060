"""The PostgreSQL-carried event bus: what one worker publishes, every worker's subscribers get, with the
same sequence number; a listener that lost its connection tells its subscribers to refresh."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine

from db.models import EVENT_SEQ
from db.session import make_sessionmaker
from kiosk.hub.deps import event_bus_for
from kiosk.hub.events import EventBus, Subscriber
from kiosk.hub.pg_bus import NOTIFY_LIMIT, RESYNC, Chunks, MissingEventSequence, PgBus, chunks, libpq_url
from tests.polling import wait_until

EVENT_KEYS = {"seq", "type", "center_id", "at", "data"}


@pytest.fixture
def conninfo(postgres_url: str) -> str:
    engine = create_engine(postgres_url)
    try:
        EVENT_SEQ.create(engine)  # what the hub's migration 0013 (or create_all on start) makes
        return libpq_url(engine)
    finally:
        engine.dispose()


@pytest.fixture
def two_workers(conninfo: str) -> Iterator[tuple[PgBus, PgBus]]:
    """Two buses on one database: what two worker processes have."""
    a, b = PgBus(conninfo), PgBus(conninfo)
    yield a, b
    a.close()
    b.close()


async def _next(sub: Subscriber, timeout_s: float = 5.0) -> dict[str, Any]:
    return await asyncio.wait_for(sub.queue.get(), timeout_s)


@pytest.mark.postgres
def test_an_event_published_from_a_thread_reaches_both_workers_with_one_seq(
    two_workers: tuple[PgBus, PgBus],
) -> None:
    a, b = two_workers

    async def run() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        here, there = a.subscribe("center-1", None), b.subscribe("center-1", None)
        elsewhere = b.subscribe("center-2", None)
        # Routes publish from the threadpool: so does the test.
        worker = threading.Thread(target=a.publish, args=("center-1", "ticket.issued", {"display": "A001"}))
        worker.start()
        worker.join()
        got_here, got_there = await _next(here), await _next(there)
        b.publish("center-2", "ticket.called", {"display": "B001", "desk": "3"})
        return got_here, got_there, await _next(elsewhere)

    here, there, elsewhere = asyncio.run(run())
    assert here == there
    assert set(here) == EVENT_KEYS  # the shape EventBus sends: nothing of the transport leaks
    assert here["type"] == "ticket.issued" and here["data"] == {"display": "A001"}
    assert elsewhere["center_id"] == "center-2" and elsewhere["seq"] > here["seq"]
    # Each worker's listener hears it on its own time: the versions meet within moments.
    for center, seq in (("center-1", here["seq"]), ("center-2", elsewhere["seq"])):
        wait_until(lambda c=center, n=seq: a.version(c) == b.version(c) == n, 5, message=f"{center} at {seq}")


@pytest.mark.postgres
def test_a_push_to_one_counter_reaches_only_it_and_the_staff(two_workers: tuple[PgBus, PgBus]) -> None:
    a, b = two_workers

    async def run() -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
        counter, other_counter, desk = (
            b.subscribe("c", "dev-1"),
            b.subscribe("c", "dev-2"),
            a.subscribe("c", None),
        )
        a.publish("c", "document.pushed", {"document_id": "d1"}, to_device="dev-1")
        a.publish("c", "ticket.issued", {"display": "A002"})
        got_counter = [await _next(counter), await _next(counter)]
        got_desk = [await _next(desk), await _next(desk)]
        got_other = [await _next(other_counter)]
        return got_counter, got_other, got_desk

    counter, other, desk = asyncio.run(run())
    assert [e["type"] for e in counter] == ["document.pushed", "ticket.issued"]
    assert [e["type"] for e in desk] == ["document.pushed", "ticket.issued"]
    assert [e["type"] for e in other] == ["ticket.issued"]  # not the other counter's document


@pytest.mark.postgres
def test_an_oversized_event_arrives_whole(two_workers: tuple[PgBus, PgBus]) -> None:
    a, b = two_workers
    data = {"note": "차례를 기다려 주세요 " * 2000, "ids": list(range(500))}
    assert len(json.dumps(data, ensure_ascii=False).encode()) > 8000  # over NOTIFY's limit

    async def run() -> tuple[dict[str, Any], dict[str, Any]]:
        sub = b.subscribe("c", None)
        a.publish("c", "visit.updated", data)
        a.publish("c", "ticket.issued", {"display": "A003"})
        return await _next(sub), await _next(sub)

    big, small = asyncio.run(run())
    assert big["data"] == data and set(big) == EVENT_KEYS
    assert small["seq"] > big["seq"]


@pytest.mark.postgres
def test_a_listener_that_lost_its_connection_reconnects_and_says_resync(
    two_workers: tuple[PgBus, PgBus], conninfo: str
) -> None:
    a, b = two_workers

    async def run() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        sub = b.subscribe("c", None)
        a.publish("c", "ticket.issued", {"display": "A004"})
        before = await _next(sub)
        old_pid = b.listener_pid
        with psycopg.connect(conninfo, autocommit=True) as admin:  # the server drops the listener
            admin.execute("SELECT pg_terminate_backend(%s)", (old_pid,))
        resync = await _next(sub, 15.0)
        assert b.listener_pid != old_pid
        a.publish("c", "ticket.called", {"display": "A004", "desk": "1"})
        return before, resync, await _next(sub)

    before, resync, after = asyncio.run(run())
    # The desk, the hall display and the phone pages refresh their queue on any ticket.* event.
    assert resync["type"] == RESYNC and resync["data"] == {"reason": "reconnected"}
    assert before["seq"] < resync["seq"] < after["seq"]
    assert after["type"] == "ticket.called"
    assert b.version("c") == after["seq"]


@pytest.mark.postgres
def test_a_publisher_whose_connection_dropped_sends_the_next_event_on_a_fresh_one(
    two_workers: tuple[PgBus, PgBus], conninfo: str
) -> None:
    a, b = two_workers

    async def run() -> tuple[dict[str, Any], dict[str, Any]]:
        sub = b.subscribe("c", None)
        a.publish("c", "ticket.issued", {"display": "A006"})
        first = await _next(sub)
        with psycopg.connect(conninfo, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (a._publisher.info.backend_pid,))
        a.publish("c", "ticket.called", {"display": "A006", "desk": "2"})
        return first, await _next(sub)

    first, second = asyncio.run(run())
    assert second["type"] == "ticket.called" and second["seq"] > first["seq"]


def test_publish_returns_without_waiting_for_postgresql(conninfo: str) -> None:
    bus = PgBus(conninfo)
    bus.close()  # nothing can be sent now: publish still returns, on the event loop too

    async def run() -> None:
        bus.publish("c", "ticket.issued", {"display": "A007"})

    asyncio.run(asyncio.wait_for(run(), 1.0))
    assert bus.version("c") == 0


@pytest.mark.postgres
def test_malformed_notifications_are_dropped_and_the_stream_goes_on(
    two_workers: tuple[PgBus, PgBus], conninfo: str
) -> None:
    a, b = two_workers
    bad = ["not json", "[1, 2]", '{"seq": "x"}', '{"chunk": 1, "part": 5, "parts": 2, "text": "{"}', "{}"]

    async def run() -> dict[str, Any]:
        sub = b.subscribe("c", None)
        with psycopg.connect(conninfo, autocommit=True) as other:
            for payload in bad:
                other.execute("SELECT pg_notify(%s, %s)", (b.channel, payload))
        a.publish("c", "ticket.issued", {"display": "A005"})
        return await _next(sub)

    assert asyncio.run(run())["data"] == {"display": "A005"}


@pytest.mark.postgres
def test_a_database_never_migrated_is_named_not_patched(postgres_url: str) -> None:
    """The sequence is the schema's (migration 0013): a bus on a bare schema says what to run."""
    engine = create_engine(postgres_url)
    try:
        with pytest.raises(MissingEventSequence, match="kiosk db upgrade"):
            PgBus(libpq_url(engine))
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_the_migrations_make_the_sequence_the_workers_share(postgres_url: str) -> None:
    from db.migrate import upgrade

    engine = create_engine(postgres_url)
    try:
        upgrade(engine)
        a, b = PgBus(libpq_url(engine)), PgBus(libpq_url(engine))
        try:
            first, second = a.next_seq(), b.next_seq()
            assert second == first + 1  # one number line for both workers
        finally:
            a.close()
            b.close()
    finally:
        engine.dispose()


def test_sqlite_keeps_the_in_process_bus(tmp_path: Any) -> None:
    from db.session import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'k.db'}")
    try:
        bus = event_bus_for(make_sessionmaker(engine))
        assert type(bus) is EventBus
    finally:
        engine.dispose()


@settings(max_examples=60, deadline=None)
@given(
    data=st.dictionaries(
        st.text(max_size=8),
        st.one_of(st.text(max_size=4000), st.integers(), st.lists(st.text(max_size=50), max_size=40)),
        max_size=6,
    ),
    seq=st.integers(1, 2**62),
)
def test_chunks_fit_notify_and_put_back_the_same_event(data: dict[str, Any], seq: int) -> None:
    message = {"type": "visit.updated", "center_id": "c", "at": "t", "data": data, "_to": None}
    payloads = chunks(seq, message)
    assert all(len(p.encode()) <= NOTIFY_LIMIT for p in payloads)
    assembler, whole = Chunks(), None
    for payload in reversed(payloads):  # in any order
        whole = assembler.add(json.loads(payload))
    assert whole == {"seq": seq, **message}


def test_parts_of_an_event_that_never_completes_are_let_go() -> None:
    assembler = Chunks(keep=3)
    for seq in range(10):
        assert assembler.add({"chunk": seq, "part": 0, "parts": 2, "text": "{"}) is None
    assert len(assembler._parts) == 3
    with pytest.raises(ValueError):
        assembler.add({"chunk": 1, "part": 2, "parts": 2, "text": "x"})
