"""The center's sync events: numbered per center without gaps, in the change's own transaction."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session, sessionmaker

from db import sync_log
from db.models import Center, SyncEvent


def _center(sessions: sessionmaker[Session], code: str) -> uuid.UUID:
    with sessions() as session:
        center = Center(code=code, name_ko=code)
        session.add(center)
        session.commit()
        return center.id


def _events(sessions: sessionmaker[Session], center_id: uuid.UUID) -> list[SyncEvent]:
    with sessions() as session:
        query = select(SyncEvent).where(SyncEvent.center_id == center_id).order_by(SyncEvent.seq)
        return list(session.scalars(query))


def test_events_are_numbered_per_center_at_commit_in_recorded_order(sessions: sessionmaker[Session]) -> None:
    seoul, suwon = _center(sessions, "seoul"), _center(sessions, "suwon")
    with sessions() as session:
        sync_log.record(session, seoul, "ticket.cancelled", {"ticket_id": "a"})
        sync_log.record_many(
            session,
            [
                (suwon, "ticket.cancelled", {"ticket_id": "b"}),
                (seoul, "ticket.cancelled", {"ticket_id": "c"}),
            ],
        )
        session.commit()
    with sessions() as session:
        sync_log.record(session, seoul, "ticket.no_show", {"ticket_id": "d"})
        session.commit()
    assert [(e.seq, e.data["ticket_id"]) for e in _events(sessions, seoul)] == [(1, "a"), (2, "c"), (3, "d")]
    assert [(e.seq, e.type) for e in _events(sessions, suwon)] == [(1, "ticket.cancelled")]
    with sessions() as session:
        assert sync_log.last_seq(session, seoul) == 3


def test_a_rolled_back_change_leaves_no_event_and_no_gap(sessions: sessionmaker[Session]) -> None:
    center = _center(sessions, "seoul")
    with sessions() as session:
        sync_log.record(session, center, "ticket.cancelled", {"ticket_id": "gone"})
        session.rollback()
    with sessions() as session:
        sync_log.record(session, center, "ticket.cancelled", {"ticket_id": "kept-1"})
        with session.begin_nested() as savepoint:
            sync_log.record(session, center, "ticket.cancelled", {"ticket_id": "undone"})
            savepoint.rollback()
        sync_log.record(session, center, "ticket.cancelled", {"ticket_id": "kept-2"})
        session.commit()
    assert [(e.seq, e.data["ticket_id"]) for e in _events(sessions, center)] == [(1, "kept-1"), (2, "kept-2")]


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("ticket.called", {"desk": "010-1234-5678"}),
        ("visit.submitted", {"note": "900101-1234567"}),
        ("visit.submitted", {"nested": [{"who": "01012345678"}]}),
        ("visit.submitted", {"when": object()}),
        ("visit.submitted", {"ratio": float("nan")}),
        ("person.renamed", {"visit_id": "x"}),
    ],
)
def test_personal_data_bad_json_or_unknown_types_are_refused(
    sessions: sessionmaker[Session], kind: str, data: dict[str, object]
) -> None:
    center = _center(sessions, "seoul")
    with sessions() as session, pytest.raises(sync_log.SyncEventError):
        sync_log.record(session, center, kind, data)
    assert _events(sessions, center) == []


def test_a_blind_index_and_ids_pass(sessions: sessionmaker[Session]) -> None:
    center = _center(sessions, "seoul")
    blind = "0123456789" * 6 + "abcd"  # hex digits that happen to run like a phone number
    with sessions() as session:
        sync_log.record(session, center, "purge", {"person_refs": [blind]})
        session.commit()
    assert _events(sessions, center)[0].data == {"person_refs": [blind]}


def test_an_event_committed_around_the_session_is_numbered_later(sessions: sessionmaker[Session]) -> None:
    center = _center(sessions, "seoul")
    with sessions() as session:
        sync_log.record(session, center, "ticket.cancelled", {"ticket_id": "first"})
        session.commit()
    with sessions() as session:
        sync_log.record(session, center, "ticket.cancelled", {"ticket_id": "orphan"})
        session.connection().commit()  # past the session: its commit hook never runs
    with sessions() as session:
        assert (
            session.scalar(select(SyncEvent.seq).where(SyncEvent.data["ticket_id"].as_string() == "orphan"))
            is None
        )
        assert sync_log.number_unnumbered(session, center) == 1
        session.commit()
    assert [(e.seq, e.data["ticket_id"]) for e in _events(sessions, center)] == [(1, "first"), (2, "orphan")]


def test_commit_listeners_hear_only_commits_that_numbered_events(sessions: sessionmaker[Session]) -> None:
    center = _center(sessions, "seoul")
    heard: list[int] = []

    def listener() -> None:
        heard.append(1)

    sync_log.add_commit_listener(listener)
    try:
        with sessions() as session:
            session.execute(update(Center).values(region="x"))
            session.commit()
        assert heard == []
        with sessions() as session:
            sync_log.record(session, center, "ticket.cancelled", {"ticket_id": "a"})
            session.commit()
        assert heard == [1]
    finally:
        sync_log.remove_commit_listener(listener)


def test_concurrent_writers_number_without_gaps(engine: Engine, sessions: sessionmaker[Session]) -> None:
    seoul, suwon = _center(sessions, "seoul"), _center(sessions, "suwon")
    writers, each = 4, 10
    errors: list[BaseException] = []
    barrier = threading.Barrier(writers)

    def write(n: int) -> None:
        try:
            barrier.wait()
            for i in range(each):
                with sessions() as session:
                    # Both centers in one transaction, in a different order per writer: no circle.
                    first, second = (seoul, suwon) if n % 2 else (suwon, seoul)
                    sync_log.record(session, first, "ticket.cancelled", {"ticket_id": f"{n}-{i}"})
                    sync_log.record(session, second, "ticket.cancelled", {"ticket_id": f"{n}-{i}"})
                    session.commit()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    for center in (seoul, suwon):
        events = _events(sessions, center)
        assert [e.seq for e in events] == list(range(1, writers * each + 1))
        assert len({e.data["ticket_id"] for e in events}) == writers * each
        for n in range(writers):  # each writer's own events in the order it committed them
            mine = [e.data["ticket_id"] for e in events if e.data["ticket_id"].startswith(f"{n}-")]
            assert mine == [f"{n}-{i}" for i in range(each)]


def test_a_phone_shaped_program_id_is_left_out_not_a_failed_submission(
    sessions: sessionmaker[Session],
) -> None:
    """A lobby may send any short text as a program id: one shaped like a phone number is not told."""
    from db import sync_events
    from db.models import MatchResult, Visit

    center = _center(sessions, "seoul")
    visit_id = uuid.uuid4()
    verdicts = [
        {"id": "ccrs.pre_workout", "verdict": "eligible"},
        {"id": "010-9876-5432", "verdict": "maybe"},
        {"id": "kinfa.sunshine", "verdict": "maybe"},
        {"id": "x", "verdict": "ineligible"},
    ]
    rows = {
        Visit: [{"id": visit_id, "center_id": center, "path": "consult"}],
        MatchResult: [{"verdicts": verdicts}],
    }
    with sessions() as session:
        sync_events.visits_submitted(session, [(rows, None)])
        session.commit()
    [event] = _events(sessions, center)
    assert event.type == "visit.submitted" and "person_bi" not in event.data
    assert event.data == {
        "visit_id": str(visit_id),
        "path": "consult",
        "programs_eligible": ["ccrs.pre_workout"],
        "programs_maybe": ["kinfa.sunshine"],
    }
