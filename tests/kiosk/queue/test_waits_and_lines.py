"""The one wait rule and calling over lines, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker

from config import clock
from kiosk.queue import (
    LinePace,
    call_next,
    call_next_across,
    estimate_wait,
    finish,
    issue_ticket,
    line_pace,
    mark_no_show,
    start_serving,
    transfer,
    waiting_across,
)
from kiosk.queue.waits import LOOKBACK_DAYS

MORNING = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)  # 09:00 in Seoul


def _served(s: Session, center_id: uuid.UUID, line: str, minutes: float, at: datetime) -> None:
    ticket = issue_ticket(s, center_id, line, now=at)
    called = call_next(s, center_id, line, "1", None, now=at)
    assert called is not None and called.id == ticket.id
    start_serving(s, ticket.id, now=at + timedelta(minutes=minutes))  # as the hub's 상담 끝: serve, then
    finish(s, ticket.id, now=at + timedelta(minutes=minutes))  # done at once — the call is where it began


def test_the_pace_is_measured_from_the_call_to_the_end(sessions: sessionmaker[Session], center_id: uuid.UUID):
    with sessions.begin() as s:
        for minutes in (8, 12, 30):
            _served(s, center_id, "A", minutes, MORNING)
        # a no-show is not a service, however long it took to give up on it
        gone = issue_ticket(s, center_id, "A", now=MORNING)
        call_next(s, center_id, "A", "1", None, now=MORNING)
        mark_no_show(s, gone.id, now=MORNING + timedelta(minutes=90))
    with sessions.begin() as s:
        pace = line_pace(s, center_id, "A", clock.local_date(MORNING))
        assert pace == LinePace(12.0, True)
        assert line_pace(s, center_id, "B", clock.local_date(MORNING)) == LinePace(25.0, False)


def test_services_older_than_the_lookback_do_not_count(sessions: sessionmaker[Session], center_id: uuid.UUID):
    long_ago = MORNING - timedelta(days=LOOKBACK_DAYS + 1)
    with sessions.begin() as s:
        for minutes in (1, 1, 1):
            _served(s, center_id, "C", minutes, long_ago)
    with sessions.begin() as s:
        assert line_pace(s, center_id, "C", clock.local_date(MORNING)) == LinePace(30.0, False)


def test_the_wait_counts_transferred_people_ahead(sessions: sessionmaker[Session], center_id: uuid.UUID):
    with sessions.begin() as s:
        mine = issue_ticket(s, center_id, "B", now=MORNING)
        moved_from = issue_ticket(s, center_id, "A", now=MORNING)
        call_next(s, center_id, "A", "1", None, now=MORNING)
        transfer(s, moved_from.id, "B", "채무조정 필요", now=MORNING)
        # the transferred person is called first, so they are ahead of a lower number
        estimate = estimate_wait(s, center_id, "B", ticket=mine, now=MORNING)
        assert (estimate.people_ahead, estimate.minutes) == (1, 25)


def test_calling_over_lines_takes_the_longest_wait(sessions: sessionmaker[Session], center_id: uuid.UUID):
    with sessions.begin() as s:
        c = issue_ticket(s, center_id, "C", now=MORNING)
        b = issue_ticket(s, center_id, "B", now=MORNING + timedelta(minutes=1))
        a = issue_ticket(s, center_id, "A", now=MORNING + timedelta(minutes=2))
        day = clock.local_date(MORNING)
        assert [t.id for t in waiting_across(s, center_id, day)] == [c.id, b.id, a.id]
        assert [t.id for t in waiting_across(s, center_id, day, ["A", "B"])] == [b.id, a.id]
        first = call_next_across(s, center_id, ["A", "B"], "3", None, now=MORNING + timedelta(minutes=3))
        assert first is not None and first.id == b.id and first.desk == "3"
        assert call_next_across(s, center_id, ["B"], "3", None, now=MORNING) is None
        rest = [call_next_across(s, center_id, None, "3", None, now=MORNING) for _ in range(3)]
        assert [t.id if t else None for t in rest] == [c.id, a.id, None]


@settings(max_examples=40, deadline=None)
@given(people=st.integers(min_value=0, max_value=500), minutes=st.floats(min_value=0.1, max_value=240))
def test_a_wait_is_never_negative_and_grows_with_the_queue(people: int, minutes: float) -> None:
    pace = LinePace(minutes, True)
    assert pace.wait_for(0) == 0
    assert pace.wait_for(people) >= 0
    assert pace.wait_for(people + 1) >= pace.wait_for(people)
