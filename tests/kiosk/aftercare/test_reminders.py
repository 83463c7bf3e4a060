"""After-care reminders on the emulated SMSC: one per follow-up and due date, only with a mobile number
and consent, held for the daytime, and the phone's reply code on the counselor's due list."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select

from config import clock
from db.crypto import KeyRing
from db.models import AftercareReminder, AuditEvent, SmsMessage, SmsStatus
from db.session import make_sessionmaker
from kiosk.aftercare import DONE, record_followup
from kiosk.aftercare.plan import KIND_WORDS
from kiosk.aftercare.reminders import (
    ReminderJob,
    ReminderRun,
    _remind,
    korean_date,
    parse_reply,
    send_due_reminders,
)
from kiosk.sms.emulated import EmulatedSms
from kiosk.sms.templates import default_templates
from tests.kiosk.aftercare.conftest import NAME, PHONE, RRN, add_followup
from tests.kiosk.hub.conftest import Hub
from tests.polling import wait_until

# Wednesday 2 December 2026, 10:00 in Seoul (01:00 UTC): tomorrow is Thursday the 3rd.
MORNING = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
TODAY, TOMORROW = date(2026, 12, 2), date(2026, 12, 3)
OTHER_PHONE = "010" + "7777" + "8888"


@pytest.fixture
def morning() -> Iterator[None]:
    with time_machine.travel(MORNING, tick=True):
        yield


def _reminders(hub: Hub) -> list[AftercareReminder]:
    with hub.sessions() as s:
        return list(s.scalars(select(AftercareReminder)))


def _due(hub: Hub, kim: dict[str, str]) -> list[dict[str, object]]:
    r = hub.http.get("/aftercare/due", headers=kim)
    assert r.status_code == 200, r.text
    return list(r.json())


def test_a_followup_due_tomorrow_gets_exactly_one_reminder_even_when_the_job_runs_twice(
    smpp_hub: Hub, morning: None
) -> None:
    assert smpp_hub.sms is not None
    service = smpp_hub.sms.service
    followup = add_followup(smpp_hub.sessions, smpp_hub.keys, TOMORROW, rrn=RRN)
    job = ReminderJob.for_hub(smpp_hub.app.state.hub)
    first = job.run_once()
    again = job.run_once()
    # A second hub process over the same database: its own job, same rows.
    other = send_due_reminders(smpp_hub.sessions, smpp_hub.keys, service)
    assert (first.queued, again.queued, other.queued) == (1, 0, 0)
    # Two passes that both saw "not yet reminded": the constraint, not a memory, keeps it single — the
    # second writer's commit fails on (follow-up, due date) and takes its message back with it.
    late = ReminderRun()
    _remind(smpp_hub.sessions, smpp_hub.keys, service, followup, TODAY, late)
    assert (late.queued, late.already) == (0, 1)
    with smpp_hub.sessions() as s:
        assert s.scalar(select(func.count(SmsMessage.id))) == 1
    [reminder] = _reminders(smpp_hub)
    service.wait_final([str(reminder.message_id)], 10)
    [text] = smpp_hub.sms.inbox(PHONE)
    assert text.startswith("[서민금융센터] 사후관리 안내\n홍*동님, 서민금융통합지원센터예요.")
    assert "12월 3일(목)에 상환 계획 확인이 예정되어 있어요." in text
    assert "1 = 확인했어요" in text and "2 = 전화 요청" in text
    assert NAME not in text and RRN[:6] not in text and RRN[7:] not in text
    [row] = _due(smpp_hub, smpp_hub.login("kim"))
    assert (row["reminder_sms"], row["reply"]) == ("delivered", None)


def test_no_reminder_when_opted_out_done_without_consent_or_not_due(smpp_hub: Hub, morning: None) -> None:
    assert smpp_hub.sms is not None
    service = smpp_hub.sms.service
    service.outbox.opt_out(PHONE)
    add_followup(smpp_hub.sessions, smpp_hub.keys, TOMORROW)  # opted out: stored as skipped, not sent
    done = add_followup(smpp_hub.sessions, smpp_hub.keys, TOMORROW, phone=OTHER_PHONE)
    with smpp_hub.sessions() as s:
        record_followup(s, done, status=DONE)
        s.commit()
    add_followup(smpp_hub.sessions, smpp_hub.keys, TOMORROW, phone=OTHER_PHONE, consent=False)
    add_followup(smpp_hub.sessions, smpp_hub.keys, TOMORROW + timedelta(days=1), phone=OTHER_PHONE)
    add_followup(smpp_hub.sessions, smpp_hub.keys, TODAY - timedelta(days=1), phone=OTHER_PHONE)
    add_followup(smpp_hub.sessions, smpp_hub.keys, TOMORROW, phone=None)
    run = send_due_reminders(smpp_hub.sessions, smpp_hub.keys, service)
    assert (run.queued, run.no_consent, run.no_phone) == (1, 1, 1)
    [reminder] = _reminders(smpp_hub)
    [view] = service.wait_final([str(reminder.message_id)], 10)
    assert view.status is SmsStatus.SKIPPED
    assert smpp_hub.sms.inbox(PHONE) == [] and smpp_hub.sms.inbox(OTHER_PHONE) == []
    shown = {(r["due_date"], r["reminder_sms"]) for r in _due(smpp_hub, smpp_hub.login("kim"))}
    assert (TOMORROW.isoformat(), "opted_out") in shown  # the counselor sees why no message went
    assert (TOMORROW.isoformat(), "delivered") not in shown


def test_a_reply_2_from_that_phone_shows_call_back_on_the_due_list_and_is_audited(
    smpp_hub: Hub, morning: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="kiosk.aftercare")
    assert smpp_hub.sms is not None
    followup = add_followup(smpp_hub.sessions, smpp_hub.keys, TOMORROW)
    job = ReminderJob.for_hub(smpp_hub.app.state.hub).listen()
    job.run_once()
    [reminder] = _reminders(smpp_hub)
    smpp_hub.sms.service.wait_final([str(reminder.message_id)], 10)
    kim = smpp_hub.login("kim")
    heard: list[str] = []
    smpp_hub.sms.service.on_reply(lambda m: heard.append(m.text))  # runs after the job's handler
    # First what must change nothing: a code from a number no reminder went to, and words, no code.
    smpp_hub.sms.reply_from(OTHER_PHONE, "1")
    smpp_hub.sms.reply_from(PHONE, "3시에 다시 올게요")
    wait_until(lambda: len(heard) == 2, 10, message="both replies heard")
    [row] = _due(smpp_hub, kim)
    assert row["reply"] is None
    smpp_hub.sms.reply_from(PHONE, "2")
    [row] = wait_until(
        lambda: [r for r in _due(smpp_hub, kim) if r["reply"] == "call_back"], 10, message="the reply shown"
    )
    assert row["id"] == str(followup) and row["replied_at"]
    with smpp_hub.sessions() as s:
        [event] = s.scalars(select(AuditEvent).where(AuditEvent.action == "aftercare.reply"))
        assert event.target == f"follow_up:{followup}" and event.detail["reply"] == "call_back"
        assert PHONE not in f"{event.actor} {event.target} {event.detail}"
    ignored = [r.getMessage() for r in caplog.records if r.name == "kiosk.aftercare"]
    assert any("010-****-8888" in line and "ignored" in line for line in ignored)  # the unknown number
    assert not any(PHONE in line or OTHER_PHONE in line for line in ignored)


def test_an_evening_reminder_waits_for_eight_in_the_morning(sqlite_engine: Engine) -> None:
    from tests.kiosk.aftercare.conftest import seed_center

    sessions, keys = make_sessionmaker(sqlite_engine), KeyRing.generate()
    seed_center(sessions)
    evening = datetime(2026, 12, 2, 13, 0, tzinfo=UTC)  # 22:00 in Seoul
    with time_machine.travel(evening, tick=True) as traveller:
        sms = EmulatedSms(sessions, keys, "smpp", daytime_hours=(8, 21), poll_s=0.05)
        try:
            add_followup(sessions, keys, TOMORROW)
            assert send_due_reminders(sessions, keys, sms.service).queued == 1
            assert sms.service.outbox.send_due().sent == 0  # held: not daytime on the center clock
            assert sms.inbox(PHONE) == []
            traveller.move_to(datetime(2026, 12, 2, 23, 0, 1, tzinfo=UTC))  # 08:00:01 on the 3rd
            wait_until(lambda: sms.inbox(PHONE), 10, message="the reminder at 08:00")
            assert "12월 3일(목)" in sms.inbox(PHONE)[0]
        finally:
            sms.close()


def test_a_name_too_long_for_the_template_is_greeted_as_a_customer(sqlite_engine: Engine) -> None:
    from kiosk.sms.outbox import TEXT_CONTEXT, SmsOutbox
    from tests.kiosk.aftercare.conftest import seed_center

    sessions, keys = make_sessionmaker(sqlite_engine), KeyRing.generate()
    seed_center(sessions)
    add_followup(sessions, keys, clock.today() + timedelta(days=1), name="Christopher Columbus")
    outbox = SmsOutbox(sessions, None, keys)  # no gateway: only what is stored matters here
    try:
        assert send_due_reminders(sessions, keys, outbox).queued == 1
    finally:
        outbox.close()
    with sessions() as s:
        [row] = s.scalars(select(SmsMessage))
        assert row.text_enc is not None
        assert keys.decrypt_text(row.text_enc, TEXT_CONTEXT).startswith("고객님, ")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1", "confirmed"),
        ("１", "confirmed"),
        (" 1 ", "confirmed"),
        ("1번", "confirmed"),
        ("2", "call_back"),
        ("2 전화 주세요", "call_back"),
        ("전화 요청", "call_back"),
        ("3", None),
        ("12", None),
        ("1시에 갈게요", None),
        ("거부", None),
        ("", None),
    ],
)
def test_reply_codes(text: str, code: str | None) -> None:
    assert parse_reply(text) == code


@given(st.text(max_size=40))
def test_any_reply_text_is_a_code_or_nothing_whatever_the_spaces(text: str) -> None:
    code = parse_reply(text)
    assert code in (None, "confirmed", "call_back")
    assert parse_reply(f"  {text}\n") == code


@given(st.sampled_from(["1", "2", "１", "２"]), st.text(max_size=30))
def test_a_code_followed_by_words_is_that_code(digit: str, words: str) -> None:
    expected = "confirmed" if digit in "1１" else "call_back"
    assert parse_reply(f"{digit} {words}") == expected
    assert parse_reply(f"{digit}번") == expected


def test_dates_and_topics_fit_the_template() -> None:
    assert korean_date(TOMORROW) == "12월 3일(목)"
    assert korean_date(date(2026, 12, 31)) == "12월 31일(목)"
    template = default_templates()["aftercare_reminder"]
    for words in KIND_WORDS.values():  # TemplateValueError if one were over the declared budget
        values = {"masked_name": "남궁**수", "due_date": "12월 31일(수)", "topic": words.topic_ko}
        template.render({**values, "link": f"누르고 답하기: https://m.center.example/m/a/{'A' * 24}"})
