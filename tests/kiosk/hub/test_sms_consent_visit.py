"""A visit's consent by SMS code (issue 18): the hub takes it only with the lobby's own confirmed,
unused challenge for the same text and items, records method SMS linked to it, and audits it without
the number; the kiosk's own flow records it the same way."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from config.consent import consent_set
from db.audit import verify_chain
from db.models import AuditEvent, Consent, ConsentMethod, SmsConsentChallenge
from db.session import make_sessionmaker
from kiosk.api import errors as codes
from kiosk.visit import VisitService
from tests.kiosk.hub.conftest import Hub, make_hub
from tests.kiosk.hub.factories import submission
from tests.kiosk.visit.walk import identity
from tests.polling import wait_until

TEXTS = consent_set()
GRANTED = {item.id: item.required for item in TEXTS.items}
_numbers = iter(range(20_000_000, 99_999_999, 7333))


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    import db.models  # noqa: F401 - registers every table
    from db.base import Base
    from db.session import make_engine

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('sms-visit') / 'hub.db'}")
    Base.metadata.create_all(engine)
    yield from make_hub(engine, "smpp")
    engine.dispose()


@pytest.fixture
def lobby(hub: Hub) -> dict[str, str]:
    headers, _ = hub.enroll("lobby", label=f"lobby-{uuid.uuid4().hex[:6]}")
    return headers


def challenge(hub: Hub, headers: dict[str, str], *, confirm: bool = True, **changes: Any) -> str:
    phone = f"010{next(_numbers)}"
    body = {
        "phone": phone,
        "purpose": "kiosk",
        "text_version": TEXTS.version,
        "text_sha256": TEXTS.sha256,
        "items": GRANTED,
        **changes,
    }
    r = hub.http.post("/consent/sms/challenges", json=body, headers=headers)
    assert r.status_code == 201, r.text
    cid = str(r.json()["challenge_id"])
    if confirm:
        sms = hub.sms
        assert sms is not None
        text = wait_until(lambda: sms.inbox(phone), 10, message="SMS")[0]
        code = re.search(r"(\d{6})", text)
        assert code is not None
        r = hub.http.post(
            f"/consent/sms/challenges/{cid}/confirm", json={"code": code.group(1)}, headers=headers
        )
        assert r.status_code == 200, r.text
    return cid


def sms_visit(cid: str, **consent: Any) -> dict[str, Any]:
    body = submission(3)
    body["consent"] = {
        "items": {item: {"granted": granted, "required": granted} for item, granted in GRANTED.items()},
        "text_version": TEXTS.version,
        "text_sha256": TEXTS.sha256,
        "method": "sms",
        "sms_challenge_id": cid,
        **consent,
    }
    return body


def test_a_visit_with_its_confirmed_challenge_is_recorded_as_sms(hub: Hub, lobby: dict[str, str]) -> None:
    cid = challenge(hub, lobby)
    body = sms_visit(cid)
    r = hub.http.post("/visits", json=body, headers=lobby)
    assert r.status_code == 200, r.text
    visit_id = uuid.UUID(body["visit_id"])
    with hub.sessions() as s:
        consent = s.scalars(select(Consent).where(Consent.visit_id == visit_id)).one()
        assert consent.method == ConsentMethod.SMS and consent.signature_id is None
        assert consent.sms_challenge_id == uuid.UUID(cid)
        row = s.get(SmsConsentChallenge, uuid.UUID(cid))
        assert row is not None and row.used_at is not None and row.visit_id == visit_id
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "consent.sms")).all()[-1]
        assert event.target == f"visit:{visit_id}" and event.detail["sms_consent"] == cid
        assert "010" not in repr(event.detail)
        assert verify_chain(s).ok

    # The lobby's outbox sends it again: the same answer, nothing written twice.
    again = hub.http.post("/visits", json=body, headers=lobby)
    assert again.status_code == 200 and again.json() == r.json()
    # Another visit naming the same challenge: refused, the code backed one consent.
    other = sms_visit(cid)
    r = hub.http.post("/visits", json=other, headers=lobby)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == codes.SMS_CONSENT_INVALID
    assert "이미 다른 동의에 쓴" in r.json()["error"]["message_ko"]


def test_a_challenge_not_yet_confirmed_backs_no_consent(hub: Hub, lobby: dict[str, str]) -> None:
    cid = challenge(hub, lobby, confirm=False)
    r = hub.http.post("/visits", json=sms_visit(cid), headers=lobby)
    assert r.status_code == 422
    assert "인증번호를 먼저 확인해" in r.json()["error"]["message_ko"]


def test_another_lobbys_challenge_backs_no_consent(hub: Hub, lobby: dict[str, str]) -> None:
    other, _ = hub.enroll("lobby", label="another-lobby")
    cid = challenge(hub, other)
    r = hub.http.post("/visits", json=sms_visit(cid), headers=lobby)
    assert r.status_code == 422 and r.json()["error"]["code"] == codes.SMS_CONSENT_INVALID
    assert hub.http.post("/visits", json=sms_visit(cid), headers=other).status_code == 200


@pytest.mark.parametrize(
    "changed",
    [
        {"text_sha256": "0" * 64},
        {"items": {item: {"granted": True, "required": True} for item in GRANTED}},  # more than was sent
    ],
)
def test_other_text_or_items_than_were_confirmed_are_refused(
    hub: Hub, lobby: dict[str, str], changed: dict[str, Any]
) -> None:
    cid = challenge(hub, lobby)
    r = hub.http.post("/visits", json=sms_visit(cid, **changed), headers=lobby)
    assert r.status_code == 422
    assert "문자로 동의한 내용과 접수 내용이 달라요" in r.json()["error"]["message_ko"]
    # nothing was used up: the right submission still goes through
    assert hub.http.post("/visits", json=sms_visit(cid), headers=lobby).status_code == 200


def test_malformed_sms_consents_are_422(hub: Hub, lobby: dict[str, str]) -> None:
    sig = submission(1)["consent"]["signature"]
    shapes = [
        sms_visit("not-a-uuid"),
        sms_visit(str(uuid.uuid4()), sms_challenge_id=None),  # sms without its challenge
        sms_visit(str(uuid.uuid4()), signature=sig),  # both proofs
        sms_visit(str(uuid.uuid4()), method="signature", signature=sig),  # a signature naming a challenge
    ]
    for body in shapes:
        r = hub.http.post("/visits", json=body, headers=lobby)
        assert r.status_code == 422 and r.json()["error"]["code"] == codes.INVALID_REQUEST, r.text
    r = hub.http.post("/visits", json=sms_visit(str(uuid.uuid4())), headers=lobby)  # no such challenge
    assert r.status_code == 422 and r.json()["error"]["code"] == codes.SMS_CONSENT_INVALID


def test_the_kiosks_flow_records_the_sms_consent_and_the_hub_takes_it(
    hub: Hub, lobby: dict[str, str], tmp_path: Path
) -> None:
    import db.models  # noqa: F401
    from db.base import Base
    from db.session import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'kiosk.db'}")
    Base.metadata.create_all(engine)
    service = VisitService(make_sessionmaker(engine), center_code="seoul-central")
    flow = service.start("consult", "ko")
    flow.complete_identify(identity())
    cid = challenge(hub, lobby)
    flow.consent_by_sms(GRANTED, TEXTS.version, TEXTS.sha256, cid)
    assert flow.step == "needs"
    assert flow.record.consent is not None and flow.record.consent.method == "sms"
    with service.sessions() as s:
        local = s.scalars(select(Consent).where(Consent.visit_id == flow.visit_id)).one()
        assert local.method == ConsentMethod.SMS and local.signature_id is None
    wire = flow.record.to_submission().model_dump(mode="json")
    r = hub.http.post("/visits", json=wire, headers=lobby)
    assert r.status_code == 200, r.text
    engine.dispose()


def test_the_consent_pdf_states_the_sms_method_and_its_facts(
    hub: Hub, lobby: dict[str, str], tmp_path: Path
) -> None:
    import subprocess

    cid = challenge(hub, lobby)
    body = sms_visit(cid)
    assert hub.http.post("/visits", json=body, headers=lobby).status_code == 200
    with hub.sessions() as s:
        row = s.get(SmsConsentChallenge, uuid.UUID(cid))
        assert row is not None
        masked, message_id = row.to_masked, str(row.message_id)
    assert hub.sms is not None
    hub.sms.service.wait_final([message_id], 10)
    counselor = hub.login("kim")
    r = hub.http.post(
        f"/visits/{body['visit_id']}/documents", json={"template": "consent"}, headers=counselor
    )
    assert r.status_code == 200, r.text
    pdf = hub.http.get(f"/documents/{r.json()['id']}/pdf", headers=counselor).content
    path = tmp_path / "consent.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "동의 방법: 휴대전화 문자 인증" in text and masked in text and "DELIVRD" in text
    assert message_id in text.replace("\n", "") and "(KST)" in text


def test_the_hub_client_asks_and_confirms(hub: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the lobby does, through kiosk.client.HubClient: refusals arrive as HubRefused with the hub's
    code and Korean message; no SMS at the hub is HubUnavailable(503) saying so."""
    from kiosk.client.errors import HubRefused, HubUnavailable
    from kiosk.client.hub_client import HubClient

    _, token = hub.enroll("lobby", label="lobby-client")
    client = HubClient("http://testserver", token, transport=hub.http._transport)
    phone = f"010{next(_numbers)}"
    with pytest.raises(HubRefused) as refused:
        client.request_consent_code("02-123-4567", "kiosk", TEXTS.version, TEXTS.sha256, GRANTED)
    assert refused.value.status == 400 and refused.value.code == codes.SMS_NOT_MOBILE
    issued = client.request_consent_code(phone, "kiosk", TEXTS.version, TEXTS.sha256, GRANTED)
    assert issued.to_masked.endswith(phone[-4:]) and issued.tries_left == 5
    sms = hub.sms
    assert sms is not None
    code = re.search(r"(\d{6})", wait_until(lambda: sms.inbox(phone), 10, message="SMS")[0])
    assert code is not None
    with pytest.raises(HubRefused) as refused:
        client.confirm_consent_code(issued.challenge_id, "000000" if code.group(1) != "000000" else "111111")
    assert refused.value.code == codes.SMS_CODE_WRONG and "4번 더" in refused.value.message_ko
    assert client.consent_code_status(issued.challenge_id).tries_left == 4
    confirmed = client.confirm_consent_code(issued.challenge_id, code.group(1))
    assert confirmed.challenge_id == issued.challenge_id
    assert client.consent_code_status(issued.challenge_id).status == "confirmed"

    monkeypatch.setattr(hub.app.state.hub, "sms", None)
    with pytest.raises(HubUnavailable) as unavailable:
        client.request_consent_code(phone, "kiosk", TEXTS.version, TEXTS.sha256, GRANTED)
    assert unavailable.value.status == 503
    assert unavailable.value.message_ko.startswith("문자 서비스를 지금 쓸 수 없어요")
    client.close()
