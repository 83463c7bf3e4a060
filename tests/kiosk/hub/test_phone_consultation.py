"""Phone counseling on the hub: a counselor at a desk opens a visit for a caller, the caller consents by
the SMS code read back from their phone, and the case says the consent was by SMS and that nobody saw
an ID card."""

from __future__ import annotations

import re
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from config.consent import consent_set
from db.models import AuditEvent, Consent, IdempotencyRecord, Person, Visit
from tests.kiosk.hub.conftest import Hub, make_hub
from tests.polling import wait_until

CALLER = "01023456789"


@pytest.fixture(scope="module")
def phone_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Hub, dict[str, str]]]:
    """One hub for the module: each test's hub costs seconds (argon2 for four counselors, an SMSC)."""
    import db.models  # noqa: F401
    from db.base import Base
    from db.session import make_engine

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('phone') / 'kiosk.db'}")
    Base.metadata.create_all(engine)
    for hub in make_hub(engine, "smpp"):
        _, desk_token = hub.enroll("desk")
        yield hub, hub.login("kim", desk_token)
    engine.dispose()


def _visits(hub: Hub) -> int:
    with hub.sessions() as s:
        return len(s.scalars(select(Visit.id)).all())


def _granted_all() -> dict[str, bool]:
    return {item.id: True for item in consent_set().items}


def _challenge(hub: Hub, desk: dict[str, str], visit_id: str, phone: str = CALLER) -> dict[str, str]:
    body = {
        "phone": phone,
        "purpose": "phone_counseling",
        "text_version": consent_set().version,
        "text_sha256": consent_set().sha256,
        "items": _granted_all(),
        "visit_id": visit_id,
    }
    r = hub.http.post("/consent/sms/challenges", json=body, headers=desk)
    assert r.status_code == 201, r.text
    return dict(r.json())


def _code_from_phone(hub: Hub, number: str, earlier: int = 0) -> str:
    """The code of the newest SMS on the emulated phone, once more than ``earlier`` texts are there."""
    assert hub.sms is not None
    inbox = hub.sms.inbox
    wait_until(lambda: len(inbox(number)) > earlier, timeout_s=10, message="the code's SMS arrives")
    found = re.findall(r"(?<!\d)(\d{6})(?!\d)", inbox(number)[-1])
    assert found, "the SMS carries a 6-digit code"
    return str(found[0])


def test_a_counselor_opens_a_phone_visit_that_says_no_card_was_seen(
    phone_hub: tuple[Hub, dict[str, str]],
) -> None:
    hub, desk = phone_hub
    r = hub.http.post(
        "/phone-consultations", json={"phone": "010-2345-6789", "display_name": "김민준"}, headers=desk
    )
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["to_masked"] == "010-****-6789" and "2345" not in r.text
    case = hub.http.get(f"/visits/{out['visit_id']}/case", headers=desk).json()
    assert case["identity"] == [
        {"method": "manual", "document_kind": "phone_call", "result": "not_checked", "verifier": ""}
    ]
    assert case["person"]["name_masked"] == "김*준" and not case["person"]["verified"]
    assert "전화(본인 확인 안 됨)" in case["notes"][0]["text"]
    assert case["consent"] is None  # not yet: the code comes next
    with hub.sessions() as s:
        person = s.get(Person, uuid.UUID(case["person"]["person_id"]))
        assert person is not None and person.phone_enc is not None and b"2345" not in bytes(person.phone_enc)
        events = s.scalars(select(AuditEvent).where(AuditEvent.target == f"visit:{out['visit_id']}")).all()
        assert [e.action for e in events][:1] == ["phone.open"]
        assert not any("2345" in str(e.detail) for e in events)
    revealed = hub.http.post(f"/visits/{out['visit_id']}/person/reveal", headers=desk).json()
    assert revealed["phone"] == "010-2345-6789"


def test_a_lobby_kiosk_cannot_open_a_phone_visit(phone_hub: tuple[Hub, dict[str, str]]) -> None:
    hub, _ = phone_hub
    lobby, _ = hub.enroll("lobby")
    r = hub.http.post("/phone-consultations", json={"phone": CALLER}, headers=lobby)
    assert r.status_code == 403 and r.json()["error"]["message_ko"]
    r = hub.http.post(
        f"/phone-consultations/{uuid.uuid4()}/consent",
        json={"challenge_id": str(uuid.uuid4())},
        headers=lobby,
    )
    assert r.status_code == 403  # nor record a phone visit's consent


def test_a_counselor_away_from_a_desk_cannot_open_one(phone_hub: tuple[Hub, dict[str, str]]) -> None:
    hub, _ = phone_hub
    r = hub.http.post("/phone-consultations", json={"phone": CALLER}, headers=hub.login("lee"))
    assert r.status_code == 403 and "상담석" in r.json()["error"]["message_ko"]


def test_a_number_that_is_not_a_korean_mobile_is_a_clear_400(phone_hub: tuple[Hub, dict[str, str]]) -> None:
    hub, desk = phone_hub
    before = _visits(hub)
    for typed in ("02-123-4567", "1234", "010-12-34", "+1 415 555 0100", "공일공", "010-1234-5678-9"):
        r = hub.http.post("/phone-consultations", json={"phone": typed}, headers=desk)
        assert r.status_code == 400, (typed, r.text)
        error = r.json()["error"]
        assert error["code"] == "SMS_NOT_MOBILE" and "010" in error["message_ko"]
        assert typed not in r.text  # the refusal never repeats a number
    for name in ("900101-1234567", "김민준 01012345678", "홍길동\n"):  # kept in clear: no number gets in
        r = hub.http.post("/phone-consultations", json={"phone": CALLER, "display_name": name}, headers=desk)
        assert r.status_code == 422 and r.json()["error"]["fields"] == ["body.display_name"]
        assert "1234" not in r.text
    assert _visits(hub) == before  # nothing opened


@settings(max_examples=40, deadline=None)
@given(
    body=st.dictionaries(
        st.sampled_from(["phone", "display_name", "rrn"]), st.text(max_size=30) | st.integers()
    )
)
def test_any_body_is_answered_without_a_500(
    phone_hub: tuple[Hub, dict[str, str]], body: dict[str, object]
) -> None:
    hub, desk = phone_hub
    r = hub.http.post("/phone-consultations", json=body, headers=desk)
    assert r.status_code in (201, 400, 422), r.text
    assert r.json().get("error", {}).get("message_ko", "x")


def test_without_an_sms_service_nothing_is_opened(hub_sqlite: Hub) -> None:
    _, desk_token = hub_sqlite.enroll("desk")
    desk = hub_sqlite.login("kim", desk_token)
    r = hub_sqlite.http.post("/phone-consultations", json={"phone": CALLER}, headers=desk)
    assert r.status_code == 503
    assert r.json()["error"]["message_ko"].startswith("문자 서비스를 지금 쓸 수 없어요")


def _open(hub: Hub, desk: dict[str, str], phone: str = CALLER) -> str:
    r = hub.http.post("/phone-consultations", json={"phone": phone}, headers=desk)
    assert r.status_code == 201, r.text
    return str(r.json()["visit_id"])


def test_the_caller_reads_back_the_code_and_the_case_shows_a_consent_by_sms(
    phone_hub: tuple[Hub, dict[str, str]], tmp_path: Path
) -> None:
    hub, desk = phone_hub
    visit_id = _open(hub, desk)
    sent = _challenge(hub, desk, visit_id)
    assert sent["to_masked"] == "010-****-6789"
    code = _code_from_phone(hub, CALLER)
    assert "동의하는 항목" in hub.sms.inbox(CALLER)[-1]  # type: ignore[union-attr]  # the LMS sums them up
    confirmed = hub.http.post(
        f"/consent/sms/challenges/{sent['challenge_id']}/confirm", json={"code": code}, headers=desk
    )
    assert confirmed.status_code == 200, confirmed.text
    bound = hub.http.post(
        f"/phone-consultations/{visit_id}/consent", json={"challenge_id": sent["challenge_id"]}, headers=desk
    )
    assert bound.status_code == 200, bound.text
    assert bound.json()["method"] == "sms"
    again = hub.http.post(
        f"/phone-consultations/{visit_id}/consent", json={"challenge_id": sent["challenge_id"]}, headers=desk
    )
    assert again.status_code == 200 and again.json() == bound.json()  # replay: the same, recorded once
    case = hub.http.get(f"/visits/{visit_id}/case", headers=desk).json()
    assert case["consent"]["method"] == "sms" and not case["consent"]["signed"]
    assert all(v == {"granted": True, "required": v["required"]} for v in case["consent"]["items"].values())
    assert case["identity"][0]["result"] == "not_checked"
    assert case["identity"][0]["document_kind"] == "phone_call"
    with hub.sessions() as s:
        rows = s.scalars(select(Consent).where(Consent.visit_id == uuid.UUID(visit_id))).all()
        assert len(rows) == 1 and str(rows[0].sms_challenge_id) == sent["challenge_id"]
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "phone.consent")).one()
        assert event.detail["method"] == "sms" and event.detail["sms_consent"] == sent["challenge_id"]
        assert CALLER[-4:] not in str(event.detail) and code not in str(event.detail)
    # the counseling goes on as for a walk-in: the consent form states the method and the SMS's facts
    doc = hub.http.post(f"/visits/{visit_id}/documents", json={"template": "consent"}, headers=desk)
    assert doc.status_code == 200, doc.text
    pdf = tmp_path / "phone-consent.pdf"
    pdf.write_bytes(hub.http.get(f"/documents/{doc.json()['id']}/pdf", headers=desk).content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "동의 방법: 휴대전화 문자 인증" in text and "010-****-6789" in text and "DELIVRD" in text
    assert "2345" not in text


def test_an_unconfirmed_or_another_numbers_code_backs_no_consent(
    phone_hub: tuple[Hub, dict[str, str]],
) -> None:
    hub, desk = phone_hub
    visit_id = _open(hub, desk, "010-3456-7890")
    other = _challenge(hub, desk, visit_id, phone="01045678901")  # the counselor mistyped the second time
    r = hub.http.post(
        f"/phone-consultations/{visit_id}/consent", json={"challenge_id": other["challenge_id"]}, headers=desk
    )
    assert r.status_code == 422 and "인증번호를 먼저" in r.json()["error"]["message_ko"]
    code = _code_from_phone(hub, "01045678901")
    hub.http.post(
        f"/consent/sms/challenges/{other['challenge_id']}/confirm", json={"code": code}, headers=desk
    )
    r = hub.http.post(
        f"/phone-consultations/{visit_id}/consent", json={"challenge_id": other["challenge_id"]}, headers=desk
    )
    assert r.status_code == 422 and "번호가 달라요" in r.json()["error"]["message_ko"]
    unknown = hub.http.post(
        f"/phone-consultations/{visit_id}/consent", json={"challenge_id": str(uuid.uuid4())}, headers=desk
    )
    assert unknown.status_code == 422 and unknown.json()["error"]["message_ko"]
    for bad in ({}, {"challenge_id": "not-a-uuid"}, {"challenge_id": other["challenge_id"], "code": "1"}):
        r = hub.http.post(f"/phone-consultations/{visit_id}/consent", json=bad, headers=desk)
        assert r.status_code == 422 and r.json()["error"]["message_ko"]
    missing = hub.http.post(
        f"/phone-consultations/{uuid.uuid4()}/consent",
        json={"challenge_id": other["challenge_id"]},
        headers=desk,
    )
    assert missing.status_code == 404
    with hub.sessions() as s:
        assert s.scalars(select(Consent).where(Consent.visit_id == uuid.UUID(visit_id))).first() is None


def test_a_retry_with_the_same_key_opens_no_second_visit(phone_hub: tuple[Hub, dict[str, str]]) -> None:
    hub, desk = phone_hub
    keyed = {**desk, "Idempotency-Key": "phone-open-retry-1"}
    before = _visits(hub)
    first = hub.http.post("/phone-consultations", json={"phone": "010-5678-1234"}, headers=keyed)
    again = hub.http.post("/phone-consultations", json={"phone": "010-5678-1234"}, headers=keyed)
    assert first.status_code == 201 and again.status_code == 201 and again.json() == first.json()
    assert _visits(hub) == before + 1
    other = hub.http.post("/phone-consultations", json={"phone": "010-5678-9999"}, headers=keyed)
    assert other.status_code == 409 and other.json()["error"]["message_ko"]
    with hub.sessions() as s:
        stored = s.scalars(select(IdempotencyRecord).where(IdempotencyRecord.scope == "phone.open")).one()
        assert "5678" not in str(stored.response)  # the number only masked in the remembered answer
