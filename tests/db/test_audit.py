"""The audit chain: append, verify, tamper detection, no PII, concurrent writers on both engines."""

from __future__ import annotations

import itertools
import math
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from db.audit import GENESIS, AuditDetailError, append_event, verify_chain
from db.models import AuditEvent


def _append(sessions: sessionmaker[Session], n: int, actor: str = "counselor:c-01") -> None:
    with sessions() as session:
        for i in range(n):
            append_event(session, actor, "case.open", f"case:{i}", {"step": i, "note_id": f"n-{i}"})
        session.commit()


def test_chain_links_every_event_to_the_previous(sessions: sessionmaker[Session]) -> None:
    _append(sessions, 5)
    with sessions() as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
        assert [e.seq for e in events] == [1, 2, 3, 4, 5]
        assert events[0].prev_hash == GENESIS
        assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
        assert verify_chain(session) == verify_chain(session)
        assert verify_chain(session).ok and verify_chain(session).count == 5


@pytest.mark.parametrize(
    "change",
    [
        {"target": "case:999"},
        {"actor": "someone-else"},
        {"detail": {"step": 2, "note_id": "forged"}},
        {"prev_hash": "f" * 64},
    ],
)
def test_an_edited_row_is_named(sessions: sessionmaker[Session], change: dict[str, object]) -> None:
    _append(sessions, 5)
    with sessions() as session:
        session.execute(update(AuditEvent).where(AuditEvent.seq == 3).values(**change))
        session.commit()
        report = verify_chain(session)
    assert not report.ok and report.first_broken_seq == 3 and report.count == 2


def test_a_recomputed_hash_breaks_the_next_link(sessions: sessionmaker[Session]) -> None:
    """An attacker who edits a row and fixes its own hash is caught by the following event."""
    from db.audit import event_hash

    _append(sessions, 4)
    with sessions() as session:
        event = session.get(AuditEvent, 2)
        assert event is not None
        event.target = "case:forged"
        event.hash = event_hash(
            event.seq, event.at, event.actor, event.action, event.target, event.detail, event.prev_hash
        )
        session.commit()
        report = verify_chain(session)
    assert not report.ok and report.first_broken_seq == 3


def test_a_deleted_row_is_named(sessions: sessionmaker[Session]) -> None:
    _append(sessions, 5)
    with sessions() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.seq == 2))
        session.commit()
        report = verify_chain(session)
    assert not report.ok and report.first_broken_seq == 3 and "missing" in report.reason


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("detail", {"rrn": "900101-1234567"}),
        ("detail", {"contact": ["010-1234-5678"]}),
        ("detail", {"nested": {"raw": "9001011234567"}}),
        ("target", "person:900101-1234567"),
        ("detail", {"x": math.nan}),
        ("detail", {"when": object()}),
    ],
)
def test_personal_data_or_non_json_is_refused(
    sessions: sessionmaker[Session], field: str, value: object
) -> None:
    kwargs: dict[str, object] = {"actor": "a", "action": "b", "target": "c", "detail": {}}
    kwargs[field] = value
    with sessions() as session:
        with pytest.raises((AuditDetailError, ValueError)):
            append_event(session, **kwargs)  # type: ignore[arg-type]
        session.commit()
        assert verify_chain(session).count == 0


def test_concurrent_writers_keep_one_chain(engine: Engine, sessions: sessionmaker[Session]) -> None:
    writers, each = 4, 12
    errors: list[BaseException] = []
    barrier = threading.Barrier(writers)

    def write(n: int) -> None:
        try:
            barrier.wait()
            for i in range(each):
                with sessions() as session:
                    append_event(session, f"kiosk:{n}", "visit.step", f"visit:{n}-{i}")
                    session.commit()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    with sessions() as session:
        report = verify_chain(session)
        assert report.ok and report.count == writers * each
        assert len(set(session.scalars(select(AuditEvent.target)))) == writers * each


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**60), 2**60)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Nd"]), max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(alphabet="abcdefgh_", min_size=1, max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@given(detail=st.dictionaries(st.text(alphabet="abcxyz", min_size=1, max_size=6), json_values, max_size=5))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_json_detail_survives_storage_and_verifies(
    sqlite_engine: Engine, detail: dict[str, object]
) -> None:
    from db.session import make_sessionmaker

    sessions = make_sessionmaker(sqlite_engine)
    with sessions() as session:
        append_event(session, "t", "fuzz", "x", detail)
        session.commit()
    with sessions() as session:
        assert verify_chain(session).ok
