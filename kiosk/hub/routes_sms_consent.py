"""Consent by SMS code (issue 18): a lobby (or a counselor on the phone) asks for a code, the person
types it (or reads it back), and the confirmed challenge backs the visit's consent.

The rules are kiosk.sms.consent_code's; this module checks who asks, writes the audit chain (the
challenge id, purpose, text version, message id and delivery report — never the number, never the
code) and commits. A wrong code's try is committed before the refusal goes out.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from sqlalchemy import select

from config import clock
from db.audit import append_event
from db.models import SmsConsentChallenge, Visit
from kiosk.api.sms_consent import (
    ConfirmCodeIn,
    ConsentCodeIn,
    ConsentCodeOut,
    ConsentCodeStatusOut,
    ConsentConfirmedOut,
)
from kiosk.hub.auth import Principal
from kiosk.hub.deps import SessionDep, StateDep, check_center, staff_or_device
from kiosk.hub.errors import HubError, forbidden, not_found, sms_unavailable
from kiosk.sms.consent_code import (
    ConsentCodeRefused,
    Requester,
    confirm,
    delivery_status,
    issue,
    state_of,
    tries_left,
)

router = APIRouter(tags=["consent by SMS"])
AskerDep = Annotated[Principal, Depends(staff_or_device("lobby"))]


def refused(exc: ConsentCodeRefused) -> HubError:
    error = HubError(exc.status, exc.code, exc.message_ko, exc.message_en)
    if exc.retry_after_s is not None:
        error.headers = {"Retry-After": str(exc.retry_after_s)}
    return error


def requester_of(principal: Principal) -> Requester:
    if principal.is_counselor():
        return Requester(principal.center_id, principal.desk_device_id, principal.id)
    return Requester(principal.center_id, principal.id, None)


def _challenge(
    session: Any, principal: Principal, challenge_id: uuid.UUID, *, lock: bool
) -> SmsConsentChallenge:
    challenge = session.get(SmsConsentChallenge, challenge_id, with_for_update=lock)
    if challenge is None:
        raise not_found("문자 인증", "Consent code challenge")
    if not requester_of(principal).owns(challenge):
        raise forbidden(
            "다른 기기에서 보낸 문자 인증이에요.", "This challenge belongs to another device or center."
        )
    return challenge


def _audit_detail(challenge: SmsConsentChallenge, **more: Any) -> dict[str, Any]:
    return {
        "purpose": challenge.purpose.value,
        "text_version": challenge.text_version,
        "message_id": str(challenge.message_id),
        **more,
    }


def _link_base(state: Any) -> str:
    """Where the caller's phone reaches the consent page (kiosk.web): the public address, else the hub's."""
    return str(state.settings.web.public_url or state.settings.hub.url)


@router.post(
    "/consent/sms/challenges",
    response_model=ConsentCodeOut,
    status_code=201,
    summary="Send a 6-digit consent code to the person's phone (lobby device or counselor)",
)
def request_code(
    body: ConsentCodeIn, principal: AskerDep, state: StateDep, session: SessionDep
) -> ConsentCodeOut:
    sms = state.sms
    if sms is None or not sms.available:
        raise sms_unavailable("서명으로 동의하거나 직원에게 알려 주세요.")
    if principal.is_device() and body.purpose != "kiosk":
        raise forbidden(
            "이 기기에서는 전화 상담 동의를 보낼 수 없어요.", "A lobby asks for kiosk consents only."
        )
    if body.visit_id is not None:
        center_id = session.scalar(select(Visit.center_id).where(Visit.id == body.visit_id))
        if center_id is not None:
            check_center(principal, center_id)
    try:
        challenge = issue(
            session, sms, state.keys, requester_of(principal), phone=body.phone, purpose=body.purpose,
            text_version=body.text_version, text_sha256=body.text_sha256, items=body.items,
            visit_id=body.visit_id, now=clock.now(), link_base=_link_base(state),
        )  # fmt: skip
    except ConsentCodeRefused as exc:
        session.rollback()  # a message row staged before the refusal is not sent
        raise refused(exc) from None
    append_event(
        session, principal.actor, "sms_consent.issue", f"sms_consent:{challenge.id}", _audit_detail(challenge)
    )
    session.commit()
    sms.wake()
    return ConsentCodeOut(
        challenge_id=challenge.id,
        to_masked=challenge.to_masked,
        expires_at=challenge.expires_at,
        tries_left=tries_left(challenge),
        message_id=str(challenge.message_id),
    )


@router.post(
    "/consent/sms/challenges/{challenge_id}/confirm",
    response_model=ConsentConfirmedOut,
    summary="Confirm the code the person received (≤ 5 tries, 3 minutes, once)",
)
def confirm_code(
    challenge_id: uuid.UUID, body: ConfirmCodeIn, principal: AskerDep, state: StateDep, session: SessionDep
) -> ConsentConfirmedOut:
    challenge = _challenge(session, principal, challenge_id, lock=True)
    before = challenge.status
    try:
        confirm(state.keys, challenge, body.code, clock.now())
    except ConsentCodeRefused as exc:
        if challenge.status != before:  # this wrong code was the fifth
            append_event(
                session, principal.actor, "sms_consent.locked", f"sms_consent:{challenge.id}",
                _audit_detail(challenge),
            )  # fmt: skip
        session.commit()  # the wrong try counts, whatever the caller does next
        raise refused(exc) from None
    delivered = delivery_status(session, challenge)
    append_event(
        session, principal.actor, "sms_consent.confirm", f"sms_consent:{challenge.id}",
        _audit_detail(challenge, delivery_status=delivered),
    )  # fmt: skip
    session.commit()
    assert challenge.confirmed_at is not None
    return ConsentConfirmedOut(
        challenge_id=challenge.id,
        confirmed_at=challenge.confirmed_at,
        to_masked=challenge.to_masked,
        message_id=str(challenge.message_id),
        delivery_status=delivered,
    )


@router.get(
    "/consent/sms/challenges/{challenge_id}",
    response_model=ConsentCodeStatusOut,
    summary="Where a consent code stands (sent, confirmed, expired, locked) and its delivery report",
)
def code_status(challenge_id: uuid.UUID, principal: AskerDep, session: SessionDep) -> ConsentCodeStatusOut:
    challenge = _challenge(session, principal, challenge_id, lock=False)
    return ConsentCodeStatusOut(
        challenge_id=challenge.id,
        status=state_of(challenge, clock.now()),
        to_masked=challenge.to_masked,
        expires_at=challenge.expires_at,
        delivery_status=delivery_status(session, challenge),
        tries_left=tries_left(challenge),
    )
