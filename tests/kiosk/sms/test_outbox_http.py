"""The outbox through the HTTP backend to the provider emulator: SMS and LMS by byte length, delivery by
polling, a refused key stops sending with nothing lost."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from db.crypto import KeyRing, load_keyring
from db.models import SmsStatus
from db.session import make_sessionmaker
from kiosk.sms.http.backend import HttpGateway
from kiosk.sms.http.emulator import ProviderEmulator
from kiosk.sms.outbox import SmsOutbox

PHONE = "010" + "2345" + "6789"
SENDER = "0215880000"
REMINDER = {"masked_name": "홍*동", "due_date": "12월 3일(목)", "topic": "상환 계획", "link": ""}


@pytest.fixture
def sessions(sqlite_engine: Engine) -> sessionmaker[Session]:
    return make_sessionmaker(sqlite_engine)


@pytest.fixture
def keys(tmp_path: Path) -> KeyRing:
    return load_keyring(tmp_path / "keys.json", environ={})


@pytest.fixture
def provider() -> Iterator[ProviderEmulator]:
    with ProviderEmulator(api_key="k", api_secret="s", senders={SENDER}) as emulator:
        yield emulator


def test_an_sms_and_an_lms_reach_the_phone_through_the_provider(
    provider: ProviderEmulator, sessions: sessionmaker[Session], keys: KeyRing
) -> None:
    gateway = HttpGateway(provider.base_url, "k", "s", poll_interval_s=0.05)
    outbox = SmsOutbox(sessions, gateway, keys, sender=SENDER, daytime_hours=(0, 24))
    ids = [
        outbox.enqueue("ticket_soon", {"ticket": "B-7"}, PHONE),
        outbox.enqueue("aftercare_reminder", REMINDER, PHONE),
    ]
    assert outbox.send_due().sent == 2
    views = outbox.wait_final(ids, 10)
    outbox.close()
    gateway.close()
    assert [(v.kind, v.status, v.delivery_status) for v in views] == [
        ("sms", SmsStatus.DELIVERED, "DELIVRD"),
        ("lms", SmsStatus.DELIVERED, "DELIVRD"),
    ]
    texts = provider.inbox(PHONE)
    assert len(texts) == 2 and "B-7번 곧 차례예요" in texts[0] and "2 = 전화 요청" in texts[1]


def test_a_refused_key_stops_sending_and_keeps_the_messages(
    provider: ProviderEmulator, sessions: sessionmaker[Session], keys: KeyRing
) -> None:
    gateway = HttpGateway(provider.base_url, "k", "wrong secret")
    outbox = SmsOutbox(sessions, gateway, keys, sender=SENDER)
    first = outbox.enqueue("ticket_soon", {"ticket": "B-1"}, PHONE)
    report = outbox.send_due()
    assert report.auth_error and "인증" in report.auth_error
    view = outbox.status(first)
    assert view is not None and view.status is SmsStatus.QUEUED and view.attempts == 0
    outbox.close()
    gateway.close()
    assert provider.inbox(PHONE) == []
