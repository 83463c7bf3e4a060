"""The center's running SMS service: a queued message reaches the emulated phone with no one driving the
outbox; the hub mounts the HTTP provider's webhook without a token; a restart still hears the report."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select

from db.crypto import KeyRing
from db.models import SmsMessage, SmsStatus
from db.session import make_sessionmaker
from kiosk.sms.check import API_KEY, API_SECRET, EmulatedBackend
from kiosk.sms.emulated import EmulatedSms
from kiosk.sms.http.backend import HttpGateway
from kiosk.sms.service import SmsService
from tests.kiosk.hub.conftest import Hub, make_hub
from tests.polling import wait_until

PHONE = "01055556666"
SOON_C1 = "[서민금융센터] C-1번 곧 차례예요. 창구 앞에서 기다려 주세요."


@pytest.fixture(params=["smpp", "http"])
def emulated(request: pytest.FixtureRequest, sqlite_engine: Engine) -> Iterator[EmulatedSms]:
    sms = EmulatedSms(make_sessionmaker(sqlite_engine), KeyRing.generate(), request.param)
    yield sms
    sms.close()


def test_a_queued_message_reaches_the_phone_and_is_reported_delivered(emulated: EmulatedSms) -> None:
    message_id = emulated.service.enqueue("ticket_called", {"ticket": "A-7", "window": "3"}, PHONE)
    wait_until(lambda: emulated.inbox(PHONE), 10, message="the emulated phone's message")
    assert emulated.inbox(PHONE) == ["[서민금융센터] A-7번 손님, 3번 창구로 와 주세요."]
    (view,) = emulated.service.wait_final([message_id], 10)
    assert view.delivery_status == "DELIVRD"
    assert view.to_masked == "010-****-6666"


def test_a_message_queued_in_a_callers_transaction_goes_only_once_committed(emulated: EmulatedSms) -> None:
    sessions = emulated.service.sessions
    with sessions() as session:
        emulated.service.enqueue("ticket_soon", {"ticket": "B-2"}, PHONE, session=session)
        session.rollback()  # the ticket it belonged to did not happen
    emulated.service.enqueue("ticket_soon", {"ticket": "B-3"}, PHONE)
    wait_until(lambda: emulated.inbox(PHONE), 10, message="the committed message")
    assert emulated.inbox(PHONE) == ["[서민금융센터] B-3번 곧 차례예요. 창구 앞에서 기다려 주세요."]


def test_the_hub_takes_the_providers_webhook_without_a_token_and_checks_its_signature(
    sqlite_engine: Engine,
) -> None:
    hub: Hub
    for hub in make_hub(sqlite_engine, "http"):
        answer = hub.http.post("/sms/http/webhook", content=b'{"event":"delivery"}')
        # Not the hub's "login needed" but the provider signature check refusing an unsigned call.
        assert answer.status_code == 401
        assert answer.json()["errorCode"] != "unauthenticated"


def test_a_report_due_after_a_restart_still_reaches_the_record(sqlite_engine: Engine) -> None:
    sessions, keys = make_sessionmaker(sqlite_engine), KeyRing.generate()
    backend = EmulatedBackend("http", dlr_delay_s=0.5)
    first = SmsService(sessions, backend.start(), keys, sender="0215880000", poll_s=0.05).start()
    try:
        message_id = first.enqueue("ticket_soon", {"ticket": "C-1"}, PHONE)
        wait_until(
            lambda: (v := first.status(message_id)) is not None and v.status is SmsStatus.SENT,
            10,
            message="the provider taking the message",
        )
    finally:
        first.close()  # the process ends before the delivery report
    # A new process: its gateway has never heard of the message until the service tracks it.
    gateway = HttpGateway(str(backend.address), API_KEY, API_SECRET, poll_interval_s=0.05)
    second = SmsService(sessions, gateway, keys, sender="0215880000", poll_s=0.05).start()
    try:
        (view,) = second.wait_final([message_id], 10)
        assert view.delivery_status == "DELIVRD"
        with sessions() as session:
            row = session.scalars(select(SmsMessage)).one()
            assert row.status is SmsStatus.DELIVERED
            assert backend.phone_texts(PHONE) == [SOON_C1]
    finally:
        second.close()
        backend.gateway = None
        backend.stop()
