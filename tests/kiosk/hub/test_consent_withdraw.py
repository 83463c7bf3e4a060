"""Withdrawing a visit's consent at the desk (PIPA §37): what the counselor sees, what stops afterwards,
and what HQ hears — on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from config import clock
from db.models import AuditEvent, Case, Consent, FollowUp, SmsMessage, SmsStatus, SyncEvent, Ticket
from db.models.ticket_sms import TicketSms
from kiosk.aftercare.reminders import send_due_reminders
from kiosk.hq.codec import check_event_data
from kiosk.sms.numbers import phone_blind_index
from kiosk.sms.outbox import SmsOutbox
from tests.kiosk.aftercare.conftest import add_followup
from tests.kiosk.hub.conftest import Hub
from tests.kiosk.hub.factories import submission

PHONE = "010-1234-5678"  # the factory's visitor


def _visit(hub: Hub, seed: int = 11, **items: bool) -> str:
    lobby, _ = hub.enroll("lobby")
    body = submission(seed)
    body["consent"]["items"] = {
        "personal_credit_collection": {"granted": True, "required": True},
        "credit_inquiry": {"granted": True, "required": True},
        "marketing": {"granted": items.get("marketing", True), "required": False},
        "third_party_provision": {"granted": items.get("third_party", True), "required": False},
    }
    r = hub.http.post("/visits", json=body, headers=lobby)
    assert r.status_code == 200, r.text
    return str(r.json()["visit_id"])


def _withdraw(hub: Hub, visit: str, headers: dict[str, str], **body: Any) -> Any:
    return hub.http.post(f"/visits/{visit}/consent/withdraw", json=body or {"scope": "all"}, headers=headers)


def _consent(hub: Hub, visit: str) -> Consent:
    with hub.sessions() as s:
        return s.scalars(select(Consent).where(Consent.visit_id == uuid.UUID(visit))).one()


def _withdrawn_events(hub: Hub) -> list[SyncEvent]:
    with hub.sessions() as s:
        return list(s.scalars(select(SyncEvent).where(SyncEvent.type == "consent.withdrawn")))


def test_withdrawing_everything_ends_the_consent_once_and_tells_hq_without_pii(hub: Hub) -> None:
    kim = hub.login("kim")
    visit = _visit(hub)
    r = _withdraw(hub, visit, kim)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["processing_ended"] is True
    assert out["withdrawn_items"] == sorted(
        ["personal_credit_collection", "credit_inquiry", "marketing", "third_party_provision"]
    )
    consent = _consent(hub, visit)
    assert consent.withdrawn_at is not None
    assert abs(consent.withdrawn_at - clock.now()) < timedelta(minutes=1)
    assert all(item["granted"] is False and item["withdrawn_at"] for item in consent.items.values())

    again = _withdraw(hub, visit, kim)
    assert again.status_code == 409
    error = again.json()["error"]
    assert error["code"] == "consent_already_withdrawn" and "이미" in error["message_ko"]
    assert _consent(hub, visit).withdrawn_at == consent.withdrawn_at  # the first time stands

    [event] = _withdrawn_events(hub)  # one event for one withdrawal, numbered for HQ
    assert event.seq is not None and event.center_id == hub.center_id
    assert event.data["visit_id"] == visit and event.data["processing_ended"] is True
    check_event_data("consent.withdrawn", event.data)  # what HQ's codec accepts
    text = json.dumps(event.data, ensure_ascii=False)
    rrn = submission(11)["identity"]["rrn"]
    for pii in ("홍길동", rrn, rrn.replace("-", ""), "1234-5678", "12345678"):
        assert pii not in text
    with hub.sessions() as s:
        [audit] = s.scalars(select(AuditEvent).where(AuditEvent.action == "consent.withdrawn")).all()
    assert audit.target == f"visit:{visit}" and audit.detail["scope"] == "all"
    assert "홍길동" not in json.dumps(audit.detail, ensure_ascii=False)


def test_an_optional_item_goes_alone_and_a_required_one_takes_everything(hub: Hub) -> None:
    kim = hub.login("kim")
    visit = _visit(hub, 12)
    r = _withdraw(hub, visit, kim, scope="items", items=["marketing"])
    assert r.status_code == 200, r.text
    assert (r.json()["withdrawn_items"], r.json()["processing_ended"]) == (["marketing"], False)
    consent = _consent(hub, visit)
    assert consent.withdrawn_at is None  # counseling goes on
    assert consent.items["marketing"]["granted"] is False
    assert consent.items["credit_inquiry"]["granted"] is True

    twice = _withdraw(hub, visit, kim, scope="items", items=["marketing"])
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "consent_already_withdrawn"

    # credit_inquiry is required in config/consent/items.toml: without it nothing new may be done.
    r = _withdraw(hub, visit, kim, scope="items", items=["credit_inquiry"])
    assert r.status_code == 200, r.text
    assert r.json()["processing_ended"] is True
    assert set(r.json()["withdrawn_items"]) == {
        "personal_credit_collection",
        "credit_inquiry",
        "third_party_provision",
    }
    assert _consent(hub, visit).withdrawn_at is not None
    assert [e.data["processing_ended"] for e in _withdrawn_events(hub)] == [False, True]


def test_the_credit_inquiry_is_refused_after_the_withdrawal(hub: Hub) -> None:
    kim = hub.login("kim")
    visit = _visit(hub, 13)
    assert _withdraw(hub, visit, kim).status_code == 200
    r = hub.http.post(f"/visits/{visit}/debts/fetch", headers=kim)
    assert r.status_code == 409 and r.json()["error"]["code"] == "consent_missing"


class _Enqueuer:
    def __init__(self) -> None:
        self.sent: list[str] = []

    def enqueue(self, template: Any, values: Any, to: str, *, session: Any = None) -> str:
        self.sent.append(to)
        return str(uuid.uuid4())


def test_aftercare_reminders_stop_after_the_withdrawal(hub: Hub) -> None:
    kim = hub.login("kim")
    followup = add_followup(hub.sessions, hub.keys, clock.today() + timedelta(days=1))
    with hub.sessions() as s:
        visit = s.scalar(
            select(Case.visit_id).join(FollowUp, FollowUp.case_id == Case.id).where(FollowUp.id == followup)
        )
    assert _withdraw(hub, str(visit), kim).status_code == 200
    sms = _Enqueuer()
    run = send_due_reminders(hub.sessions, hub.keys, sms)
    assert (run.queued, run.no_consent, sms.sent) == (0, 1, [])


def test_sms_waiting_for_the_visits_number_is_not_sent_and_ticket_calls_stop(hub: Hub) -> None:
    kim = hub.login("kim")
    visit = _visit(hub, 14)
    with hub.sessions() as s:
        ticket = Ticket(
            center_id=hub.center_id,
            visit_id=uuid.UUID(visit),
            service_date=clock.today(),
            line="A",
            number=1,
            display="A-001",
        )
        s.add(ticket)
        s.flush()
        s.add(
            TicketSms(
                ticket_id=ticket.id,
                phone_enc=hub.keys.encrypt_text("01099998888", "ticket_sms.phone"),
                phone_blind_index=phone_blind_index(hub.keys, "01099998888"),
                phone_masked="010-****-8888",
                calls=True,
            )
        )
        s.commit()
        ticket_id = ticket.id
    outbox = SmsOutbox(hub.sessions, None, hub.keys)
    to_person = outbox.enqueue("ticket_soon", {"ticket": "A-001"}, PHONE)
    to_ticket_phone = outbox.enqueue("ticket_soon", {"ticket": "A-001"}, "01099998888")
    to_someone_else = outbox.enqueue("ticket_soon", {"ticket": "A-002"}, "01077776666")
    outbox.close()

    r = _withdraw(hub, visit, kim)
    assert r.status_code == 200, r.text
    assert r.json()["sms_stopped"] == 2
    with hub.sessions() as s:
        status = {str(m.id): (m.status, m.last_error) for m in s.scalars(select(SmsMessage))}
        opt_in = s.scalars(select(TicketSms).where(TicketSms.ticket_id == ticket_id)).one()
    assert status[to_person] == (SmsStatus.SKIPPED, "consent_withdrawn")
    assert status[to_ticket_phone] == (SmsStatus.SKIPPED, "consent_withdrawn")
    assert status[to_someone_else][0] is SmsStatus.QUEUED  # another person's message still goes
    assert opt_in.calls is False


def test_who_may_withdraw_and_what_is_not_found(hub: Hub) -> None:
    visit = _visit(hub, 15)
    lobby, _ = hub.enroll("lobby")
    assert _withdraw(hub, visit, lobby).status_code == 403  # a device is not a counselor
    other = _withdraw(hub, visit, hub.login("park"))  # a counselor of another center
    assert other.status_code == 403
    assert _consent(hub, visit).withdrawn_at is None
    missing = _withdraw(hub, str(uuid.uuid4()), hub.login("kim"))
    assert missing.status_code == 404 and missing.json()["error"]["message_ko"]
    assert hub.http.post(f"/visits/{visit}/consent/withdraw", json={"scope": "all"}).status_code == 401
    assert _withdrawn_events(hub) == []


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"scope": "items"},
        {"scope": "items", "items": []},
        {"scope": "all", "items": ["marketing"]},
        {"scope": "some"},
        {"scope": "all", "reason": "x"},
        {"scope": "items", "items": ["marketing\x00"]},
        {"scope": "items", "items": ["m" * 65]},
        {"scope": "items", "items": ["marketing"] * 21},
        {"scope": "items", "items": "marketing"},
    ],
)
def test_bad_bodies_are_refused_and_change_nothing(hub_sqlite: Hub, body: dict[str, Any]) -> None:
    hub = hub_sqlite
    visit = _visit(hub, 16)
    r = hub.http.post(f"/visits/{visit}/consent/withdraw", json=body, headers=hub.login("kim"))
    assert r.status_code == 422, r.text
    assert r.json()["error"]["message_ko"]
    assert _consent(hub, visit).withdrawn_at is None


def test_an_item_the_consent_does_not_have_is_named_as_such_not_echoed(hub: Hub) -> None:
    visit = _visit(hub, 17)
    r = _withdraw(hub, visit, hub.login("kim"), scope="items", items=["900101-1234567"])
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "consent_item_unknown" and "900101" not in json.dumps(error)
    assert _consent(hub, visit).items["marketing"]["granted"] is True
