"""The HTTP provider's webhook with two hub workers on PostgreSQL: a signed receipt or reply posted to the
worker that does not send is taken (not 404), stored in the outbox's rows, and counted once even when the
provider's retry reaches the other worker."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from config import clock
from db.crypto import KeyRing
from db.models import SmsEarlyReport, SmsMessage, SmsOptOut, SmsStatus, SmsWebhook
from db.session import make_engine, make_sessionmaker
from kiosk.hub.workers import build_worker_app
from kiosk.sms.gateway import DeliveryReport, DeliveryStatus
from kiosk.sms.http import wire
from kiosk.sms.http.emulator import ProviderEmulator
from kiosk.sms.http.signing import iso_date, sign_webhook
from kiosk.sms.http.webhook import WEBHOOK_PATH, WebhookEvent
from kiosk.sms.http.webhook_shared import StoreOnlyHandler
from kiosk.sms.outbox import SmsOutbox
from kiosk.sms.outbox_reports import ReportLedger
from tests.kiosk.hub.test_workers import seeded  # noqa: F401 - the 2-worker test's migrated database
from tests.polling import wait_until

SENDER = "0215880000"
SECRET = "s"  # the emulator's test secret
PHONE = "01012345678"


@dataclass
class Workers:
    holder: TestClient
    other: TestClient
    sessions: sessionmaker[Session]


@pytest.fixture
def workers(
    seeded: dict[str, str],  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Workers]:
    """Two workers' apps, as uvicorn builds them, over one database; one holds the sender."""
    with ProviderEmulator(api_key="k", api_secret=SECRET, senders={SENDER}, dlr_delay_s=3600) as provider:
        site = tmp_path / "site.toml"
        site.write_text(
            f'[sms]\nbackend = "http"\nsender = "{SENDER}"\nhttp_base_url = "{provider.base_url}"\n'
            "daytime_start_hour = 0\ndaytime_end_hour = 24\n",
            encoding="utf-8",
        )
        monkeypatch.setenv("KIOSK_SMS_API_KEY", "k")
        monkeypatch.setenv("KIOSK_SMS_API_SECRET", SECRET)
        env = {"KIOSK_DB_URL": seeded["url"], "KIOSK_CONFIG": str(site)}
        first, second = build_worker_app(env), build_worker_app(env)
        engine = make_engine(seeded["url"])
        try:
            with TestClient(first) as a, TestClient(second) as b:
                holder, other = (a, b) if first.state.background_jobs.holder is not None else (b, a)
                assert other.app.state.background_jobs.holder is None  # type: ignore[attr-defined]
                yield Workers(holder, other, make_sessionmaker(engine))
        finally:
            engine.dispose()


def _post(client: TestClient, webhook_id: str, doc: dict[str, Any], secret: str = SECRET) -> Any:
    body = json.dumps(doc).encode()
    headers = {"Content-Type": "application/json", **sign_webhook(secret, webhook_id, body)}
    return client.post(WEBHOOK_PATH, content=body, headers=headers)


def _receipt(gateway_id: str, our_id: str) -> dict[str, Any]:
    return {
        "event": "delivery",
        "messageId": gateway_id,
        "statusCode": wire.DELIVERED,
        "dateProcessed": iso_date(clock.now()),
        "customFields": {wire.CUSTOM_ID: our_id},
    }


@pytest.mark.postgres
def test_a_receipt_posted_to_the_worker_that_does_not_send_is_stored_once(workers: Workers) -> None:
    sms = workers.holder.app.state.hub.sms  # type: ignore[attr-defined]
    message_id = sms.enqueue("ticket_soon", {"ticket": "A-001"}, PHONE)

    def sent() -> str | None:
        with workers.sessions() as s:
            row = s.get(SmsMessage, uuid.UUID(message_id))
            return row.gateway_id if row is not None and row.status is SmsStatus.SENT else None

    gateway_id = wait_until(sent, 15, message="the holder's sender hands the message to the provider")
    receipt = _receipt(str(gateway_id), message_id)
    r = _post(workers.other, "wh_receipt_0001", receipt)
    assert r.status_code == 200, r.text
    assert r.json() == {"ok": True}
    with workers.sessions() as s:
        row = s.get(SmsMessage, uuid.UUID(message_id))
        assert row is not None and row.status is SmsStatus.DELIVERED and row.text_enc is None
        delivered_at = row.delivered_at
    # The provider's retry of the same webhook, to either worker: answered, nothing counted again.
    for client in (workers.holder, workers.other):
        again = _post(client, "wh_receipt_0001", receipt)
        assert again.status_code == 200 and again.json()["duplicate"] is True
    with workers.sessions() as s:
        row = s.get(SmsMessage, uuid.UUID(message_id))
        assert row is not None and row.delivered_at == delivered_at
        assert s.scalar(select(SmsWebhook.state).where(SmsWebhook.webhook_id == "wh_receipt_0001")) == "done"


@pytest.mark.postgres
def test_bad_signatures_and_unknown_messages_are_refused_and_not_remembered(workers: Workers) -> None:
    receipt = _receipt("G4VNOTOURS", str(uuid.uuid4()))
    forged = _post(workers.other, "wh_forged_0001", receipt, secret="not-the-secret")
    assert forged.status_code == 401
    unknown = _post(workers.other, "wh_unknown_0001", receipt)
    assert unknown.status_code == 404 and unknown.json()["errorCode"] == "UnknownMessage"
    not_json = workers.other.post(
        WEBHOOK_PATH, content=b"{", headers=sign_webhook(SECRET, "wh_broken_0001", b"{")
    )
    assert not_json.status_code == 400
    with workers.sessions() as s:
        # A refused webhook leaves no id behind: the provider's retry (once the row exists) is handled.
        assert s.scalar(select(func.count()).select_from(SmsWebhook)) == 0
        assert s.scalar(select(func.count()).select_from(SmsEarlyReport)) == 0


@pytest.mark.postgres
def test_a_reply_to_the_worker_that_does_not_send_is_heard_once(workers: Workers) -> None:
    reply = {"event": "inbound", "from": PHONE, "text": "거부", "dateReceived": iso_date(clock.now())}
    r = _post(workers.other, "wh_reply_0001", reply)
    assert r.status_code == 200, r.text
    assert _post(workers.holder, "wh_reply_0001", reply).json()["duplicate"] is True
    with workers.sessions() as s:
        assert [row.source for row in s.scalars(select(SmsOptOut))] == ["reply"]
    # The opt-out reaches the holder's sender: a message to that number is skipped, not sent.
    sms = workers.holder.app.state.hub.sms  # type: ignore[attr-defined]
    [view] = sms.wait_final([sms.enqueue("ticket_soon", {"ticket": "A-002"}, PHONE)], 10)
    assert view.status is SmsStatus.SKIPPED


def test_a_receipt_that_beats_the_senders_record_waits_as_an_early_report(engine: Engine) -> None:
    """The holder has not yet written the provider's id on the row: the report waits, and the holder's
    record of the id applies it (kiosk.sms.outbox_reports.ReportLedger.claim)."""
    sessions = make_sessionmaker(engine)
    outbox = SmsOutbox(sessions, None, KeyRing.generate())
    message_id = outbox.enqueue("ticket_soon", {"ticket": "A-003"}, PHONE)
    outbox.close()
    report = DeliveryReport("G4VEARLY", DeliveryStatus.DELIVRD, clock.now(), "")
    event = WebhookEvent("wh_early_0001", report=report, our_id=message_id)
    assert StoreOnlyHandler(sessions, [])({}, b"", event) == (200, {"ok": True})
    with sessions() as s:
        row = s.get(SmsMessage, uuid.UUID(message_id))
        assert row is not None and row.status is SmsStatus.QUEUED  # not touched under the sender
        row.status, row.gateway_id = SmsStatus.SENT, "G4VEARLY"  # what the holder's record does
        ReportLedger.claim(s, {"G4VEARLY": row})
        s.commit()
    with sessions() as s:
        row = s.get(SmsMessage, uuid.UUID(message_id))
        assert row is not None and row.status is SmsStatus.DELIVERED
        assert s.scalar(select(func.count()).select_from(SmsEarlyReport)) == 0
