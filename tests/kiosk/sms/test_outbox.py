"""The SMS outbox against the real SMSC emulator over SMPP: stored encrypted before it is sent, at least
once, never twice to a person, quiet at night for reminders, silent to opted-out numbers; SQLite and
PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from db.crypto import KeyRing, load_keyring
from db.models import SmsEarlyReport, SmsMessage, SmsOptOut, SmsStatus
from db.session import make_sessionmaker
from kiosk.sms.gateway import MessageKind, OutgoingMessage
from kiosk.sms.numbers import InvalidMobile
from kiosk.sms.outbox import SmsOutbox
from kiosk.sms.smpp.backend import SmppGateway
from kiosk.sms.smpp.emulator import SmscEmulator
from kiosk.sms.templates import TemplateValueError
from tests.polling import wait_until

PHONE = "010" + "2345" + "6789"  # built, so no source file holds a whole number
OTHER = "010" + "3456" + "7890"
SENDER = "0215880000"
CALLED = {"ticket": "A-12", "window": "3"}
REMINDER = {"masked_name": "홍*동", "due_date": "12월 3일(목)", "topic": "상환 계획", "link": ""}
# 2026-12-02 in Seoul: 07:59 (quiet), 08:00 (day) and 21:00 (quiet again); as UTC instants.
KST_0759 = datetime(2026, 12, 1, 22, 59, tzinfo=UTC)
KST_0800 = datetime(2026, 12, 1, 23, 0, tzinfo=UTC)
KST_2100 = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def keys(tmp_path: Path) -> KeyRing:
    return load_keyring(tmp_path / "keys.json", environ={})


@pytest.fixture
def sessions(sqlite_engine: Engine) -> sessionmaker[Session]:
    return make_sessionmaker(sqlite_engine)


@pytest.fixture
def any_sessions(engine: Engine) -> sessionmaker[Session]:
    """SQLite and PostgreSQL (the schema must work on both)."""
    return make_sessionmaker(engine)


@pytest.fixture
def smsc() -> Iterator[SmscEmulator]:
    with SmscEmulator(system_id="kiosk", password="secret") as emulator:
        yield emulator


def connect(smsc: SmscEmulator, password: str = "secret") -> SmppGateway:
    host, port = smsc.address
    return SmppGateway(host, port, "kiosk", password, window=10, source_addr=SENDER)


@pytest.fixture
def gateway(smsc: SmscEmulator) -> Iterator[SmppGateway]:
    gw = connect(smsc)
    yield gw
    gw.close()


@pytest.fixture
def outbox(sessions: sessionmaker[Session], gateway: SmppGateway, keys: KeyRing) -> Iterator[SmsOutbox]:
    box = SmsOutbox(sessions, gateway, keys, sender=SENDER)
    yield box
    box.close()


def rows(sessions: sessionmaker[Session]) -> list[SmsMessage]:
    with sessions() as session:
        return list(session.scalars(select(SmsMessage).order_by(SmsMessage.created_at)))


def on_phone(smsc: SmscEmulator, number: str) -> list[str]:
    return [m.text for m in list(smsc.inbox) if m.to == number]


def test_a_message_is_stored_encrypted_then_sent_and_delivered(
    any_sessions: sessionmaker[Session], smsc: SmscEmulator, gateway: SmppGateway, keys: KeyRing
) -> None:
    outbox = SmsOutbox(any_sessions, gateway, keys, sender=SENDER)
    message_id = outbox.enqueue("ticket_called", CALLED, "010-2345-6789")
    [row] = rows(any_sessions)
    assert row.status is SmsStatus.QUEUED
    assert PHONE.encode() not in row.to_enc and "창구".encode() not in (row.text_enc or b"")
    assert row.to_masked == "010-****-6789" and row.byte_length > 0
    assert outbox.send_due().sent == 1
    [view] = outbox.wait_final([message_id], timeout_s=5)
    outbox.close()
    assert view.status is SmsStatus.DELIVERED and view.delivery_status == "DELIVRD" and view.gateway == "smpp"
    [text] = on_phone(smsc, PHONE)
    assert "A-12번 손님, 3번 창구로 와 주세요" in text
    [row] = rows(any_sessions)
    assert row.text_enc is None  # delivered: the text is not kept


def test_bad_input_is_refused_before_anything_is_stored(
    sessions: sessionmaker[Session], keys: KeyRing
) -> None:
    outbox = SmsOutbox(sessions, None, keys, sender=SENDER)
    with pytest.raises(InvalidMobile):
        outbox.enqueue("ticket_called", CALLED, "02-123-4567")
    with pytest.raises(TemplateValueError):
        outbox.enqueue("ticket_called", {"ticket": "A-12", "window": "123"}, PHONE)
    with pytest.raises(KeyError):
        outbox.enqueue("no_such_template", {}, PHONE)
    assert rows(sessions) == []
    outbox.close()


def test_the_message_joins_the_callers_transaction(sessions: sessionmaker[Session], keys: KeyRing) -> None:
    outbox = SmsOutbox(sessions, None, keys, sender=SENDER)
    with sessions() as session:
        outbox.enqueue("ticket_soon", {"ticket": "A-12"}, PHONE, session=session)
        session.rollback()  # the caller's work failed: no message either
    assert rows(sessions) == []
    with sessions() as session:
        outbox.enqueue("ticket_soon", {"ticket": "A-12"}, PHONE, session=session)
        session.commit()
    assert len(rows(sessions)) == 1
    outbox.close()


def test_a_crash_after_the_submit_resends_the_same_message_and_the_phone_gets_it_once(
    sessions: sessionmaker[Session], smsc: SmscEmulator, keys: KeyRing
) -> None:
    first_run = connect(smsc)
    outbox = SmsOutbox(sessions, first_run, keys, sender=SENDER)
    message_id = outbox.enqueue("ticket_soon", {"ticket": "A-12"}, PHONE)
    [row] = rows(sessions)
    text = keys.decrypt_text(row.text_enc or b"", "sms_message.text")
    # The process handed the message over, then died before writing down the answer.
    first_run.submit(OutgoingMessage(message_id, PHONE, SENDER, text, MessageKind.SMS))
    wait_until(lambda: on_phone(smsc, PHONE), 5, message="the first copy on the phone")

    def receipt_kept() -> bool:  # its receipt came in before the process died, for a row without an id
        with sessions() as session:
            return session.scalar(select(SmsEarlyReport.id)) is not None

    wait_until(receipt_kept, 5, message="the early receipt stored")
    outbox.close()
    first_run.close()
    second_run = connect(smsc)
    again = SmsOutbox(sessions, second_run, keys, sender=SENDER)
    assert again.send_due().sent == 1  # still queued in the database: sent again, same id …
    [view] = again.wait_final([message_id], 5)
    again.close()
    second_run.close()
    assert on_phone(smsc, PHONE) == [text]  # … and the phone has it once
    assert view.status is SmsStatus.DELIVERED  # the receipt that came before the row knew its id


def test_rejected_gives_up(outbox: SmsOutbox, smsc: SmscEmulator) -> None:
    first = outbox.enqueue("ticket_soon", {"ticket": "A-1"}, PHONE)
    smsc.fail_next(1, "rejected")
    assert outbox.send_due().failed == 1
    view = outbox.status(first)
    assert view is not None and view.status is SmsStatus.FAILED and "rejected" in (view.last_error or "")
    assert on_phone(smsc, PHONE) == []


def test_a_refused_password_stops_sending_and_says_so(
    sessions: sessionmaker[Session], smsc: SmscEmulator, keys: KeyRing
) -> None:
    wrong = connect(smsc, password="wrong")
    outbox = SmsOutbox(sessions, wrong, keys, sender=SENDER)
    outbox.enqueue("ticket_soon", {"ticket": "A-2"}, PHONE)
    outbox.enqueue("ticket_soon", {"ticket": "A-3"}, PHONE)
    report = outbox.send_due()
    assert report.auth_error and "인증" in report.auth_error
    assert outbox.send_due().auth_error == report.auth_error  # stays stopped: nothing more is tried
    outbox.close()
    wrong.close()
    assert [r.status for r in rows(sessions)] == [SmsStatus.QUEUED, SmsStatus.QUEUED]  # kept, not lost
    assert on_phone(smsc, PHONE) == []


def test_throttling_pauses_without_charging_a_try(
    outbox: SmsOutbox, smsc: SmscEmulator, sessions: sessionmaker[Session]
) -> None:
    message_id = outbox.enqueue("ticket_soon", {"ticket": "A-1"}, PHONE)
    smsc.fail_next(1, "throttled")
    now = datetime.now(UTC)
    with time_machine.travel(now, tick=False):  # the center clock stands still: still inside the pause
        assert outbox.send_due().retried == 1
        assert outbox.send_due().paused
    [row] = rows(sessions)
    assert row.attempts == 0 and row.status is SmsStatus.QUEUED
    with time_machine.travel(now + timedelta(seconds=10), tick=False):
        assert outbox.send_due().sent == 1
    assert outbox.wait_final([message_id], 5)[0].status is SmsStatus.DELIVERED


def test_a_gateway_failing_for_good_fails_the_message_after_its_tries(
    sessions: sessionmaker[Session], smsc: SmscEmulator, gateway: SmppGateway, keys: KeyRing
) -> None:
    box = SmsOutbox(sessions, gateway, keys, sender=SENDER, max_attempts=3)
    box.enqueue("ticket_soon", {"ticket": "A-1"}, PHONE)
    smsc.fail_next(3, "unavailable")
    at = datetime.now(UTC)
    for _ in range(3):
        with time_machine.travel(at, tick=False):
            box.send_due()
        at += timedelta(minutes=1)  # past each backoff, within the message's 30 minutes
    box.close()
    [row] = rows(sessions)
    assert row.status is SmsStatus.FAILED and row.attempts == 3 and "unavailable" in (row.last_error or "")


def test_reminders_wait_for_daytime_but_ticket_calls_do_not(outbox: SmsOutbox, smsc: SmscEmulator) -> None:
    with time_machine.travel(KST_0759, tick=False):
        reminder = outbox.enqueue("aftercare_reminder", REMINDER, PHONE)
        call = outbox.enqueue("ticket_called", CALLED, PHONE)
        assert outbox.send_due().sent == 1
    assert outbox.status(call).status in (SmsStatus.SENT, SmsStatus.DELIVERED)  # type: ignore[union-attr]
    assert outbox.status(reminder).status is SmsStatus.QUEUED  # type: ignore[union-attr]
    with time_machine.travel(KST_0800, tick=False):
        assert outbox.send_due().sent == 1
    views = outbox.wait_final([call, reminder], 5)
    assert [v.status for v in views] == [SmsStatus.DELIVERED, SmsStatus.DELIVERED]
    assert [v.kind for v in views] == ["sms", "lms"]
    with time_machine.travel(KST_2100, tick=False):
        outbox.enqueue("aftercare_reminder", REMINDER, PHONE)
        assert outbox.send_due().sent == 0  # 21:00 is night already


def test_a_number_that_answered_거부_is_never_sent_to(
    outbox: SmsOutbox, smsc: SmscEmulator, sessions: sessionmaker[Session]
) -> None:
    queued_before = outbox.enqueue("ticket_soon", {"ticket": "A-0"}, PHONE)
    smsc.reply_from(PHONE, "거부")  # the person answered "거부" (an inbound deliver_sm)

    def opted_out() -> bool:
        with sessions() as session:
            return session.scalar(select(SmsOptOut.id)) is not None

    wait_until(opted_out, 5, message="the opt-out reply recorded")
    after = outbox.enqueue("ticket_soon", {"ticket": "A-1"}, PHONE)
    other = outbox.enqueue("ticket_soon", {"ticket": "A-2"}, OTHER)
    report = outbox.send_due()
    assert report.skipped == 1 and report.sent == 1
    assert outbox.status(queued_before).status is SmsStatus.SKIPPED  # type: ignore[union-attr]
    assert outbox.status(after).status is SmsStatus.SKIPPED  # type: ignore[union-attr]
    outbox.wait_final([other], 5)
    assert on_phone(smsc, PHONE) == [] and len(on_phone(smsc, OTHER)) == 1
    outbox.opt_in(PHONE)
    outbox.enqueue("ticket_soon", {"ticket": "A-3"}, PHONE)
    assert outbox.send_due().sent == 1


def test_a_code_past_its_time_expires_unsent(outbox: SmsOutbox, smsc: SmscEmulator) -> None:
    code = outbox.enqueue("consent_code", {"code": "482913"}, PHONE)  # a 3-minute code
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=4), tick=False):
        assert outbox.send_due().expired == 1
    assert outbox.status(code).status is SmsStatus.EXPIRED  # type: ignore[union-attr]
    assert on_phone(smsc, PHONE) == []


def test_an_undeliverable_receipt_fails_the_message(outbox: SmsOutbox, smsc: SmscEmulator) -> None:
    smsc.fail_number(PHONE, "UNDELIV")
    lost = outbox.enqueue("ticket_soon", {"ticket": "A-1"}, PHONE)
    outbox.send_due()
    [view] = outbox.wait_final([lost], timeout_s=5)
    assert view.status is SmsStatus.FAILED and view.delivery_status == "UNDELIV"


def test_nothing_queued_stays_behind_a_restart_and_nothing_goes_twice(
    any_sessions: sessionmaker[Session], smsc: SmscEmulator, keys: KeyRing
) -> None:
    first = SmsOutbox(any_sessions, None, keys, sender=SENDER)
    ids = [first.enqueue("ticket_soon", {"ticket": f"A-{n}"}, PHONE) for n in range(5)]
    first.close()  # the process ends before anything is sent
    gateway = connect(smsc)
    second = SmsOutbox(any_sessions, gateway, keys, sender=SENDER, concurrency=3)
    assert second.send_due().sent == 5
    assert [v.status for v in second.wait_final(ids, 5)] == [SmsStatus.DELIVERED] * 5
    second.close()
    third = SmsOutbox(any_sessions, gateway, keys, sender=SENDER)
    assert third.send_due().sent == 0  # nothing twice
    third.close()
    gateway.close()
    assert sorted(on_phone(smsc, PHONE)) == sorted(
        f"[서민금융센터] A-{n}번 곧 차례예요. 창구 앞에서 기다려 주세요." for n in range(5)
    )
