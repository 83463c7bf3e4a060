"""Phone counseling (issue 18 item 4): a counselor at a desk opens a visit for someone on the phone.

The caller is never seen, so the visit has no ID card behind it: its identity check says "not checked"
and the case's first note says it in words. Consent follows by SMS code (kiosk.hub.routes_sms_consent,
purpose "phone_counseling", with this visit's id); the case then opens on the desk like a called visit.
Without an SMS service there is no way to take the consent, so nothing is opened (503).
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Header
from sqlalchemy import select

from config import clock
from config.consent import consent_set
from db import sync_events
from db.audit import append_event
from db.models import (
    Case,
    ChallengePurpose,
    Consent,
    ConsentMethod,
    IdentityCheck,
    Person,
    SmsConsentChallenge,
    Visit,
)
from db.models.enums import IdentityMethod, IdentityResult, VisitPath, VisitStatus, VisitStep
from db.people import PHONE_CONTEXT, person_fields
from kiosk.api import IDEMPOTENCY_HEADER
from kiosk.api import errors as codes
from kiosk.api.phone import (
    PHONE_DOCUMENT_KIND,
    PHONE_IDENTITY_KO,
    PhoneConsentIn,
    PhoneConsentOut,
    PhoneConsultationIn,
    PhoneConsultationOut,
)
from kiosk.api.visits import consent_items
from kiosk.hub.auth import Principal
from kiosk.hub.deps import (
    CounselorDep,
    SessionDep,
    StateDep,
    body_sha256,
    commit_or_replay,
    replayed,
)
from kiosk.hub.errors import HubError, forbidden, sms_unavailable
from kiosk.hub.records import load_visit
from kiosk.hub.views import new_note, seal_notes
from kiosk.sms.consent_code import Requester, check_for_consent, delivery_status
from kiosk.sms.numbers import InvalidMobile, mask_phone, normalize_mobile, phone_blind_index
from kiosk.visit.state import IdentityMark, VisitState

router = APIRouter(tags=["phone counseling"])

# Optional here (the desk sends one per dialog): a lost answer's retry must not open a second visit.
OptionalIdemKey = Annotated[
    str | None,
    Header(alias=IDEMPOTENCY_HEADER, min_length=8, max_length=80, pattern="^[A-Za-z0-9_.:-]+$"),
]

PHONE_NEEDS_SMS_KO = "전화 상담 동의는 문자 인증이 있어야 받을 수 있어요."
# The record says in words what the identity check's codes say: nobody saw a card.
FIRST_NOTE = (
    f"전화 상담으로 시작한 방문이에요. 본인 확인: {PHONE_IDENTITY_KO} — 신분증으로 확인하지 않았고, "
    "문자 인증번호는 휴대전화 번호를 가진 분인지만 확인해요."
)


def hyphenated(digits: str) -> str:
    """01012345678 → 010-1234-5678, as the kiosk stores a typed-in phone (and reveal shows it)."""
    return f"{digits[:3]}-{digits[3:-4]}-{digits[-4:]}"


def at_desk(principal: Principal) -> uuid.UUID:
    if principal.desk_device_id is None:
        raise forbidden(
            "전화 상담은 상담석에서 로그인해야 열 수 있어요.", "Phone counseling needs a desk login."
        )
    return principal.desk_device_id


def invalid_consent(ko: str, en: str) -> HubError:
    return HubError(422, codes.SMS_CONSENT_INVALID, ko, en)


@router.post(
    "/phone-consultations",
    response_model=PhoneConsultationOut,
    status_code=201,
    summary="A counselor at a desk opens a phone visit (identity not checked by card)",
)
def open_phone_consultation(
    body: PhoneConsultationIn,
    principal: CounselorDep,
    state: StateDep,
    session: SessionDep,
    idempotency_key: OptionalIdemKey = None,
) -> PhoneConsultationOut:
    desk = at_desk(principal)
    if state.sms is None or not state.sms.available:
        raise sms_unavailable(PHONE_NEEDS_SMS_KO, "No SMS service: phone consent is impossible.")
    try:
        digits = normalize_mobile(body.phone)
    except InvalidMobile as exc:
        raise HubError(
            400, codes.SMS_NOT_MOBILE, exc.message_ko, f"Not a Korean mobile number ({exc.code})."
        ) from None
    name = body.display_name.strip() or None
    # The replay check compares keyed hashes: a plain SHA-256 of a phone number is reversed by trying all.
    request_sha = body_sha256(
        {
            "phone": phone_blind_index(state.keys, digits),
            "name": state.keys.blind_index(name, "phone_visit.name") if name else "",
        }
    )
    if idempotency_key is not None:
        answer = replayed(session, "phone.open", idempotency_key, principal, request_sha)
        if answer is not None:
            return PhoneConsultationOut.model_validate(answer)
    # Encrypted like the kiosk's typed-in phone (db.people): the number exists here only as ciphertext.
    fields = person_fields(state.keys, name=name or "", phone=hyphenated(digits))
    fields["name"] = name
    person = Person(id=uuid.uuid4(), verified=False, **fields)
    visit = Visit(
        id=uuid.uuid4(),
        center_id=principal.center_id,
        person_id=person.id,
        device_id=desk,
        step=VisitStep.IDENTIFY,
        status=VisitStatus.OPEN,
        path=VisitPath.CONSULT,
    )
    check = IdentityCheck(
        id=uuid.uuid4(),
        visit_id=visit.id,
        method=IdentityMethod.MANUAL,
        document_kind=PHONE_DOCUMENT_KIND,
        result=IdentityResult.NOT_CHECKED,
        verifier="",
    )
    visit.state = VisitState(
        identity=IdentityMark(method=check.method, result=check.result, check_id=check.id)
    ).to_json()
    case = Case(
        id=uuid.uuid4(),
        visit_id=visit.id,
        counselor_id=principal.id,
        notes_enc=seal_notes(state.keys, [new_note(principal.id, FIRST_NOTE)]),
    )
    session.add(person)
    session.flush()  # the person before the visit that points at it (no ORM relationship orders them)
    session.add(visit)
    session.flush()
    session.add_all([check, case])
    append_event(
        session,
        principal.actor,
        "phone.open",
        f"visit:{visit.id}",
        {
            "identity": IdentityResult.NOT_CHECKED.value,
            "document_kind": PHONE_DOCUMENT_KIND,
            "named": bool(name),
        },
    )
    out = PhoneConsultationOut(
        visit_id=visit.id, case_id=case.id, to_masked=mask_phone(digits), identity_ko=PHONE_IDENTITY_KO
    )
    if idempotency_key is None:
        session.commit()
    else:
        answer = commit_or_replay(
            session, "phone.open", idempotency_key, principal, request_sha, out.model_dump(mode="json")
        )
        if answer is not None:  # a concurrent retry won: its visit is the one
            return PhoneConsultationOut.model_validate(answer)
    state.bus.publish(
        str(principal.center_id), "visit.updated", {"visit_id": str(visit.id), "step": VisitStep.IDENTIFY}
    )
    return out


@router.post(
    "/phone-consultations/{visit_id}/consent",
    response_model=PhoneConsentOut,
    summary="Record the phone visit's consent from its confirmed SMS code (method sms)",
)
def record_phone_consent(
    visit_id: uuid.UUID, body: PhoneConsentIn, principal: CounselorDep, state: StateDep, session: SessionDep
) -> PhoneConsentOut:
    """The confirmed challenge (kiosk.hub.routes_sms_consent) becomes the visit's consent record: the
    items and text it was sent for, method SMS, linked to the challenge (which holds the number's
    ciphertext, the issued and confirmed times and the message whose delivery report is the proof).
    Asking again with the same challenge answers the same consent; nothing is recorded twice."""
    at_desk(principal)
    visit = load_visit(session, principal, visit_id)
    # The visit's row locked first: two confirmed codes recorded at once still make one consent.
    session.execute(select(Visit.id).where(Visit.id == visit.id).with_for_update())
    challenge = session.get(SmsConsentChallenge, body.challenge_id, with_for_update=True)
    existing = session.scalars(select(Consent).where(Consent.visit_id == visit.id)).first()
    if existing is not None:
        if challenge is not None and existing.sms_challenge_id == challenge.id:
            return _consent_out(visit, existing, challenge)
        raise HubError(
            409,
            "consent_exists",
            "이 방문에는 이미 동의 기록이 있어요.",
            "This visit already has a consent record.",
        )
    if challenge is not None and challenge.purpose != ChallengePurpose.PHONE_COUNSELING:
        challenge = None  # a kiosk's code never backs a phone visit
    granted = dict(challenge.items) if challenge is not None else {}
    refusal = check_for_consent(
        challenge,
        Requester(principal.center_id, principal.desk_device_id, principal.id),
        text_sha256=challenge.text_sha256 if challenge is not None else "",
        granted=granted,
        visit_id=visit.id,
    )
    if refusal is not None:
        raise HubError(refusal.status, refusal.code, refusal.message_ko, refusal.message_en)
    assert challenge is not None
    _same_number(state.keys, visit, challenge)
    texts = consent_set()
    if (challenge.text_version, challenge.text_sha256) != (texts.version, texts.sha256):
        raise invalid_consent(
            "동의 문구가 그 사이에 바뀌었어요. 새 문구로 다시 인증해 주세요.",
            "The consent texts changed since the code was sent.",
        )
    known = {item.id: item.required for item in texts.items}
    missing = [item for item, required in known.items() if required and not granted.get(item)]
    if missing:
        raise HubError(
            409,
            "consent_required_refused",
            "필수 항목에 동의하지 않으셔서 상담 기록을 이어갈 수 없어요. 필요한 안내만 해 주세요.",
            f"Required consent items not granted: {missing}",
        )
    consent = Consent(
        id=uuid.uuid4(),
        visit_id=visit.id,
        items={k: v.model_dump() for k, v in consent_items(granted, known).items()},
        text_version=challenge.text_version,
        text_sha256=challenge.text_sha256,
        method=ConsentMethod.SMS,
        sms_challenge_id=challenge.id,
    )
    session.add(consent)
    challenge.used_at = clock.now()
    visit.step = VisitStep.CONSENT
    visit_state = VisitState.read(visit.state)
    visit_state.consent_id = consent.id
    visit.state = visit_state.to_json()
    session.flush()
    sync_events.consent_given(session, visit, consent)
    append_event(
        session,
        principal.actor,
        "phone.consent",
        f"visit:{visit.id}",
        {
            "consent_id": str(consent.id),
            "method": ConsentMethod.SMS.value,
            "sms_consent": str(challenge.id),
            "message_id": str(challenge.message_id),
            "delivery_status": delivery_status(session, challenge),
            "text_version": challenge.text_version,
        },
    )
    session.commit()
    state.bus.publish(
        str(principal.center_id), "visit.updated", {"visit_id": str(visit.id), "step": VisitStep.CONSENT}
    )
    return _consent_out(visit, consent, challenge)


def _same_number(keys: Any, visit: Visit, challenge: SmsConsentChallenge) -> None:
    """The code went to the number the visit was opened for (compared by blind index, nothing shown)."""
    person = visit.person
    phone = None
    if person is not None and person.phone_enc:
        phone = keys.decrypt_text(bytes(person.phone_enc), PHONE_CONTEXT)
    if phone is None or phone_blind_index(keys, phone) != challenge.to_blind_index:
        raise invalid_consent(
            "전화 상담을 연 번호와 인증번호를 보낸 번호가 달라요. 같은 번호로 다시 인증해 주세요.",
            "The code went to another number than the phone visit's.",
        )


def _consent_out(visit: Visit, consent: Consent, challenge: SmsConsentChallenge) -> PhoneConsentOut:
    return PhoneConsentOut(
        visit_id=visit.id, consent_id=consent.id, method=consent.method, to_masked=challenge.to_masked
    )
