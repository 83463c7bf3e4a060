"""The kiosk's credit inquiry during the questions (issue 21): `POST /credit-inquiries`, lobby devices only.

The desk's `POST /visits/{id}/debts/fetch` (routes_debts) asks the port after the visit arrived; this
asks it while the person is still answering, so the questionnaire need not ask what the list says. The
visit is not at the hub yet, so the evidence comes in the body — the identity as read and the consent
exactly as the submission will carry it — and is checked as the hub would check it then: item
"credit_inquiry" granted, the consent's signature record intact (or its SMS challenge confirmed, this
device's, for these items and this text), the person identified from an ID document. The port's lines
stay here, sealed (kiosk.debt.inquiry_figures), under the inquiry id; the kiosk gets only the figures.

When the submission names the inquiry, ``kiosk.debt.inquiry_attach`` makes the lines the visit's creditor list
(source "credit_port") — only for the same kiosk, visit, person (blind index) and consent. A failing port
(timeout, garbage) stores nothing but its audit event; the kiosk then asks the questions as before.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.audit import append_event
from db.models import CreditInquiryRecord, SmsConsentChallenge
from db.pii import InvalidRRN, mask_name, parse_rrn
from kiosk.api.credit_inquiry import ID_CARD_METHODS, CreditInquiryIn, CreditInquiryOut
from kiosk.debt.credit_port import CreditInquiry, CreditPortError
from kiosk.debt.inquiry_attach import consent_sha256
from kiosk.debt.inquiry_figures import figures, seal_lines
from kiosk.hub.auth import Principal
from kiosk.hub.deps import HubState, LobbyDep, SessionDep, StateDep
from kiosk.hub.errors import HubError
from kiosk.hub.signature_check import verify_signature_record
from kiosk.sms.consent_code import Requester, check_for_consent

router = APIRouter(tags=["debts"])


def _consent_missing(detail_en: str) -> HubError:
    return HubError(
        403,
        "credit_consent_missing",
        "신용정보 조회에 동의하지 않아서 조회하지 않았어요. 빚에 대한 질문에 직접 답해 주세요.",
        f"No usable consent to the credit inquiry: {detail_en}.",
    )


def _check_consent(session: Session, principal: Principal, body: CreditInquiryIn) -> None:
    consent = body.consent
    item = consent.items.get("credit_inquiry")
    if item is None or not item.granted:
        raise _consent_missing("item credit_inquiry is not granted")
    if consent.method == "sms":
        challenge = session.get(SmsConsentChallenge, consent.sms_challenge_id)
        problem = check_for_consent(
            challenge,
            Requester(principal.center_id, principal.id, None),
            text_sha256=consent.text_sha256,
            granted={name: state.granted for name, state in consent.items.items()},
            visit_id=body.visit_id,
        )
        if problem is not None:
            raise _consent_missing(f"the SMS challenge does not back it ({problem.code})")
        return
    if consent.signature is None:
        raise _consent_missing("the consent carries no signature")
    verify_signature_record(consent.signature)  # 422 when the record was altered on the way


def _blind_index(state: HubState, body: CreditInquiryIn) -> tuple[str, str]:
    """The RRN's (digits, blind index); 403 unless the person was identified from an ID document."""
    identity = body.identity
    if identity.method not in ID_CARD_METHODS or not identity.rrn or identity.result == "failed":
        raise HubError(
            403,
            "credit_identity_missing",
            "신분증으로 본인 확인을 해야 신용정보를 조회할 수 있어요. 빚에 대한 질문에 직접 답해 주세요.",
            "A credit inquiry needs a person identified from an ID document (with an RRN).",
        )
    try:
        digits = parse_rrn(identity.rrn).digits
    except InvalidRRN:
        raise HubError(
            422,
            "invalid_rrn",
            "주민등록번호가 올바르지 않아요.",
            "The resident registration number is invalid.",
        ) from None
    return digits, state.keys.blind_index(digits)


def _out(row: CreditInquiryRecord) -> CreditInquiryOut:
    return CreditInquiryOut(inquiry_id=row.id, emulated=row.emulated, **row.summary)


@router.post(
    "/credit-inquiries",
    response_model=CreditInquiryOut,
    summary="A lobby asks the credit-information port during the questions (consent checked first)",
)
def create_inquiry(
    body: CreditInquiryIn, request: Request, principal: LobbyDep, state: StateDep, session: SessionDep
) -> CreditInquiryOut:
    _check_consent(session, principal, body)
    digits, blind = _blind_index(state, body)
    digest = consent_sha256(body.consent)
    earlier = session.scalars(
        select(CreditInquiryRecord).where(CreditInquiryRecord.visit_id == body.visit_id)
    ).first()
    if earlier is not None:
        # One inquiry per kiosk visit: the same request again (a retry) gets the same answer; another
        # person or consent under this visit id is refused, so a visit cannot look up many people.
        same = (earlier.device_id, earlier.rrn_blind_index, earlier.consent_sha256) == (
            principal.id,
            blind,
            digest,
        )
        if not same:
            raise HubError(
                409,
                "credit_inquiry_conflict",
                "이 방문은 이미 다른 내용으로 신용정보를 조회했어요.",
                "This visit already has a credit inquiry with other content.",
            )
        return _out(earlier)
    port = getattr(request.app.state, "credit_port", None)
    if port is None:
        raise HubError(
            503,
            "credit_port_off",
            "이 센터에는 신용정보 조회가 연결되어 있지 않아요.",
            "No credit-information port is configured (debt.credit_port = off).",
        )
    inquiry_id = uuid.uuid4()
    target = f"credit_inquiry:{inquiry_id}"
    inquiry = CreditInquiry(
        rrn=f"{digits[:6]}-{digits[6:]}",
        rrn_blind_index=blind,
        name_masked=mask_name(body.identity.name),
        consent_id=f"kiosk-consent:{digest[:16]}",  # no consent row yet: the evidence's digest names it
    )
    try:
        report = port.fetch(inquiry)
    except CreditPortError as exc:
        # Nothing of the answer is kept; the attempt stays on the audit trail, the kiosk asks as before.
        detail = {"visit_id": str(body.visit_id), "reason": exc.reason}
        append_event(session, principal.actor, "credit_inquiry.failed", target, detail)
        session.commit()
        raise HubError(
            502,
            "credit_port_failed",
            "신용정보 조회 기관이 답하지 않았거나 알아볼 수 없는 답을 보냈어요. 질문에 직접 답해 주세요.",
            f"The credit-information port failed ({exc.reason}); nothing was stored.",
        ) from None
    row = CreditInquiryRecord(
        id=inquiry_id,
        center_id=principal.center_id,
        device_id=principal.id,
        visit_id=body.visit_id,
        rrn_blind_index=blind,
        consent_sha256=digest,
        port_reference=report.inquiry_id,
        emulated=report.emulated,
        lines_enc=seal_lines(state.keys, report),
        summary=figures(report),
    )
    session.add(row)
    append_event(
        session,
        principal.actor,
        "credit_inquiry",
        target,
        {"visit_id": str(body.visit_id), "lines": len(report.debts), "emulated": report.emulated},
    )
    session.commit()
    return _out(row)
