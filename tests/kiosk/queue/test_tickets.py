"""Queue tickets on SQLite and PostgreSQL: numbering, concurrency, calling, statuses, transfers, waits."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from config import ConfigError
from kiosk.queue import (
    QueueError,
    call_next,
    estimate_wait,
    finish,
    issue_ticket,
    load_service_lines,
    mark_no_show,
    requeue,
    service_lines,
    start_serving,
    transfer,
)

# 09:00 in Seoul on a fixed day; 23:59 UTC of the previous day is already the next day in Seoul.
MORNING = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)


def test_lines_come_from_config():
    lines = service_lines()
    assert {code: line.name_ko for code, line in lines.items()} == {
        "A": "금융상담",
        "B": "채무조정",
        "C": "통합상담",
    }


def test_numbers_run_per_line_and_restart_each_local_day(
    sessions: sessionmaker[Session], center_id: uuid.UUID
):
    with sessions.begin() as s:
        shown = [
            issue_ticket(s, center_id, line, now=MORNING).display for line in ("A", "B", "A", "C", "B", "B")
        ]
    assert shown == ["A-001", "B-001", "A-002", "C-001", "B-002", "B-003"]
    next_day = MORNING + timedelta(hours=15)  # 00:00 next day in Seoul
    with sessions.begin() as s:
        ticket = issue_ticket(s, center_id, "B", now=next_day)
        assert (ticket.display, ticket.service_date.isoformat()) == ("B-001", "2026-03-03")
        assert len(ticket.lookup_code) == 6


def test_unknown_line_is_refused(sessions: sessionmaker[Session], center_id: uuid.UUID):
    with sessions.begin() as s, pytest.raises(QueueError) as caught:
        issue_ticket(s, center_id, "Z", now=MORNING)
    assert caught.value.code == "QUEUE_UNKNOWN_LINE" and caught.value.ko


def test_idempotency_key_returns_the_same_ticket(sessions: sessionmaker[Session], center_id: uuid.UUID):
    with sessions.begin() as s:
        first = issue_ticket(s, center_id, "A", idempotency_key="kiosk1-visit-42", now=MORNING)
    with sessions.begin() as s:
        again = issue_ticket(s, center_id, "A", idempotency_key="kiosk1-visit-42", now=MORNING)
        other = issue_ticket(s, center_id, "A", now=MORNING)
    assert again.id == first.id and other.number == first.number + 1


def test_concurrent_kiosks_never_get_the_same_number(sessions: sessionmaker[Session], center_id: uuid.UUID):
    kiosks, per_kiosk = 6, 5
    barrier = threading.Barrier(kiosks)
    issued: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def kiosk() -> None:
        try:
            barrier.wait(timeout=30)
            for _ in range(per_kiosk):
                with sessions.begin() as s:
                    number = issue_ticket(s, center_id, "B", now=MORNING).number
                with lock:
                    issued.append(number)
        except BaseException as exc:  # reported below with the thread's failure
            errors.append(exc)

    threads = [threading.Thread(target=kiosk) for _ in range(kiosks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert sorted(issued) == list(range(1, kiosks * per_kiosk + 1))


def test_concurrent_same_idempotency_key_gives_one_ticket(
    sessions: sessionmaker[Session], center_id: uuid.UUID
):
    barrier = threading.Barrier(4)
    ids: list[uuid.UUID] = []

    def kiosk() -> None:
        barrier.wait(timeout=30)
        with sessions.begin() as s:
            ids.append(issue_ticket(s, center_id, "A", idempotency_key="same-visit", now=MORNING).id)

    threads = [threading.Thread(target=kiosk) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(ids) == 4 and len(set(ids)) == 1


def test_call_serve_finish(sessions: sessionmaker[Session], center_id: uuid.UUID, counselor_id: uuid.UUID):
    with sessions.begin() as s:
        first = issue_ticket(s, center_id, "A", now=MORNING)
        issue_ticket(s, center_id, "A", now=MORNING)
    with sessions.begin() as s:
        called = call_next(s, center_id, "A", "창구3", counselor_id, now=MORNING)
        assert called is not None and called.id == first.id
        assert (called.status, called.desk, called.counselor_id) == ("called", "창구3", counselor_id)
    with sessions.begin() as s:
        assert start_serving(s, first.id, now=MORNING + timedelta(minutes=1)).status == "serving"
        done = finish(s, first.id, now=MORNING + timedelta(minutes=20))
        assert done.status == "done" and done.done_at is not None
    with sessions.begin() as s, pytest.raises(QueueError) as caught:
        start_serving(s, first.id)
    assert caught.value.code == "QUEUE_BAD_TRANSITION"


def test_empty_queue_calls_nobody(sessions: sessionmaker[Session], center_id: uuid.UUID):
    with sessions.begin() as s:
        assert call_next(s, center_id, "C", "창구1", None, now=MORNING) is None


def test_two_desks_calling_at_once_get_different_people(
    sessions: sessionmaker[Session], center_id: uuid.UUID
):
    with sessions.begin() as s:
        for _ in range(6):
            issue_ticket(s, center_id, "B", now=MORNING)
    barrier = threading.Barrier(3)
    called: list[int] = []

    def desk(name: str) -> None:
        barrier.wait(timeout=30)
        for _ in range(2):
            with sessions.begin() as s:
                ticket = call_next(s, center_id, "B", name, None, now=MORNING)
                assert ticket is not None
                called.append(ticket.number)

    threads = [threading.Thread(target=desk, args=(f"창구{i}",)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(called) == [1, 2, 3, 4, 5, 6]


def test_no_show_and_requeue(sessions: sessionmaker[Session], center_id: uuid.UUID):
    with sessions.begin() as s:
        ticket = issue_ticket(s, center_id, "A", now=MORNING)
        call_next(s, center_id, "A", "창구1", None, now=MORNING)
        assert mark_no_show(s, ticket.id).status == "no_show"
        back = requeue(s, ticket.id)
        assert (back.status, back.desk) == ("waiting", None)
        again = call_next(s, center_id, "A", "창구2", None, now=MORNING)
        assert again is not None and again.id == ticket.id


def test_transfer_carries_notes_and_goes_first(sessions: sessionmaker[Session], center_id: uuid.UUID):
    visit = None
    with sessions.begin() as s:
        ticket = issue_ticket(s, center_id, "A", now=MORNING)
        waiting_b = issue_ticket(s, center_id, "B", now=MORNING)
        call_next(s, center_id, "A", "창구1", None, now=MORNING)
        start_serving(s, ticket.id, now=MORNING)
        moved = transfer(s, ticket.id, "B", "연체 120일, 개인워크아웃 상담 필요", now=MORNING)
        assert moved.line == "B" and moved.visit_id == visit
        assert "연체 120일" in (moved.transfer_note or "") and "A-001 → B" in (moved.transfer_note or "")
        old = s.get(type(ticket), ticket.id)
        assert old is not None and old.status == "transferred"
    with sessions.begin() as s:
        first = call_next(s, center_id, "B", "창구5", None, now=MORNING)
        assert first is not None and first.id == moved.id and first.id != waiting_b.id
        # and the note keeps travelling on a second transfer
        again = transfer(s, first.id, "C", "복지 연계도 필요", now=MORNING)
        assert "연체 120일" in (again.transfer_note or "") and "복지 연계도 필요" in (
            again.transfer_note or ""
        )


def test_transfer_needs_a_note(sessions: sessionmaker[Session], center_id: uuid.UUID):
    with sessions.begin() as s:
        ticket = issue_ticket(s, center_id, "A", now=MORNING)
        call_next(s, center_id, "A", "창구1", None, now=MORNING)
        with pytest.raises(QueueError) as caught:
            transfer(s, ticket.id, "B", "  ")
    assert caught.value.code == "QUEUE_NOTE_REQUIRED"


def test_wait_uses_default_then_the_measured_median(sessions: sessionmaker[Session], center_id: uuid.UUID):
    with sessions.begin() as s:
        tickets = [issue_ticket(s, center_id, "B", now=MORNING) for _ in range(4)]
        estimate = estimate_wait(s, center_id, "B", ticket=tickets[3], now=MORNING)
        assert (estimate.people_ahead, estimate.measured, estimate.minutes) == (
            3,
            False,
            75,
        )  # 3 × 25 default
        assert "앞에 3명" in estimate.text_ko()
    # serve three people in 10, 20 and 40 minutes: median 20
    with sessions.begin() as s:
        for minutes in (10, 20, 40):
            t = call_next(s, center_id, "B", "창구1", None, now=MORNING)
            assert t is not None
            start_serving(s, t.id, now=MORNING)
            finish(s, t.id, now=MORNING + timedelta(minutes=minutes))
    with sessions.begin() as s:
        later = MORNING + timedelta(hours=1)
        mine = estimate_wait(s, center_id, "B", ticket=tickets[3], now=later)
        assert (mine.people_ahead, mine.median_service_minutes, mine.measured) == (0, 20.0, True)
        new = estimate_wait(s, center_id, "B", now=later)
        assert (new.people_ahead, new.minutes) == (1, 20)


def test_bad_service_lines_file_is_a_config_error(tmp_path: Path):
    bad = tmp_path / "lines.toml"
    bad.write_text('[[line]]\ncode = "a1"\nname_ko = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_service_lines(bad)
    assert "line[0].code" in str(caught.value)
    bad.write_text("[[line]]\ncode = ", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_service_lines(bad)
