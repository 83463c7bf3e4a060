"""The fields a document template (printers.documents.templates) is rendered from, for one visit.

The person appears as a masked label (홍*동 · 900101-1******): the PDF travels to the counter screen
and the archive, and neither needs more to tie the document to the visit (ids are in the footer).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from config import clock
from db.models import (
    Case,
    Center,
    Consent,
    ConsentMethod,
    FollowUp,
    Intake,
    MatchResult,
    Person,
    SmsConsentChallenge,
    SmsMessage,
    Visit,
)
from db.pii import mask_name
from kiosk.debt.inputs import KIND_WORDS, InvalidDebts
from kiosk.debt.visit_list import chosen_plan, visit_debts, visit_estimate
from kiosk.hub.views import open_notes
from kiosk.matching.fields import FIELDS
from kiosk.matching.ranges import AnswerRange, as_range
from kiosk.matching.wording import value_ko


def _range_words(name: str, value: Any) -> Any:
    """A range answer as the document shows it ("31~89일"); any other answer as stored."""
    read = as_range(value)
    return value_ko(FIELDS[name], read) if isinstance(read, AnswerRange) and name in FIELDS else value


OUTCOME_KO = {
    "debt_adjustment_applied": "채무조정 신청",
    "loan_approved": "대출 승인",
    "business_loan_approved": "사업자금 대출 승인",
    "court_referral": "법원 절차 안내",
    "employment_referral": "고용 지원 연계",
    "welfare_referral": "복지 연계",
    "information_only": "안내만 받음",
    "other": "기타",
}


def _verdicts(match: MatchResult | None) -> list[dict[str, Any]]:
    rows = []
    for v in match.verdicts if match else []:
        reasons = [r.get("ko", "") if isinstance(r, dict) else str(r) for r in v.get("reasons", [])]
        rows.append(
            {
                "program": v.get("name_ko") or v.get("id", ""),
                "verdict": v.get("verdict", ""),
                "reasons": reasons,
            }
        )
    return rows


def _center_time(at: datetime | None) -> str:
    if at is None:
        return "-"
    local = clock.local(at)
    return f"{local:%Y-%m-%d %H:%M:%S} ({local.tzname()})"


def sms_consent_fields(session: Session, consent: Consent | None) -> dict[str, str] | None:
    """The facts a consent by SMS code rests on, for the consent PDF: the number masked, when the code
    was sent and confirmed (center time), the message and the carrier's delivery report. None for a
    consent by signature (its PDF says what it always said)."""
    if consent is None or consent.method != ConsentMethod.SMS or consent.sms_challenge_id is None:
        return None
    challenge = session.get(SmsConsentChallenge, consent.sms_challenge_id)
    if challenge is None:
        return None
    message = session.get(SmsMessage, challenge.message_id)
    return {
        "method": "휴대전화 문자 인증",
        "to_masked": challenge.to_masked,
        "sent_at": _center_time(challenge.issued_at),
        "confirmed_at": _center_time(challenge.confirmed_at),
        "message_id": str(challenge.message_id),
        "gateway_id": (message.gateway_id if message is not None else None) or "-",
        "delivery": (message.delivery_status if message is not None else None) or "미확인",
        "challenge_id": str(challenge.id),
    }


_SOURCE_KO = {
    "credit_port": "신용정보 조회",
    "counselor": "상담사 입력",
    "kiosk_totals": "키오스크 답 (합계)",
}
_CONSENT_METHOD_KO = {"signature": "서명", "sms": "휴대전화 문자 인증"}


def debt_application_fields(session: Session, visit: Visit, consent: Consent | None) -> dict[str, Any] | None:
    """The 채무조정 신청서's creditor list, the chosen program's plan (at the term the desk last asked,
    else the plan's own) and the consent it rests on; None when there is no debt to apply for."""
    debts = visit_debts(session, visit)
    try:
        result = visit_estimate(session, visit, debts, debts.plan_term_months)
    except InvalidDebts:
        return None
    plan = chosen_plan(result)
    source = _SOURCE_KO[debts.source] + (" · 에뮬레이터 (시험용)" if debts.emulated else "")
    return {
        "source": debts.source,
        "source_ko": source,
        "fetched_at": _center_time(debts.fetched_at) if debts.fetched_at else "-",
        "creditors": [
            {
                "creditor": line.creditor,
                "kind_ko": KIND_WORDS.get(line.kind, (line.kind, line.kind))[0],
                "principal_krw": line.principal_krw,
                "annual_rate": line.annual_rate,
                "overdue_days": line.overdue_days,
                "written_off": line.written_off,
                "since": line.since.isoformat() if line.since else "-",
            }
            for line in debts.lines
        ],
        "plan": None
        if plan is None
        else {
            **plan.to_dict(),
            "name_ko": plan.name_ko,
            "name_en": plan.name_en,
            "term_chosen": debts.plan_term_months is not None,
        },
        "available_income_monthly_krw": result.available_income_monthly_krw,
        "rules_version": result.rules_version,
        "consent": None
        if consent is None
        else {
            "consent_id": str(consent.id),
            "text_version": consent.text_version,
            "method": _CONSENT_METHOD_KO.get(str(consent.method), str(consent.method)),
            "evidence_id": str(consent.signature_id or consent.sms_challenge_id or "-"),
            "credit_inquiry": bool((consent.items or {}).get("credit_inquiry", {}).get("granted")),
        },
    }


def document_fields(
    session: Session, visit: Visit, template: str, counselor_name: str, keys: Any
) -> dict[str, Any]:
    center = session.get(Center, visit.center_id) if visit.center_id else None
    person = session.get(Person, visit.person_id) if visit.person_id else None
    consent = session.scalars(select(Consent).where(Consent.visit_id == visit.id)).first()
    intake = session.scalars(
        select(Intake).where(Intake.visit_id == visit.id).order_by(Intake.version.desc())
    ).first()
    match = session.scalars(select(MatchResult).where(MatchResult.visit_id == visit.id)).first()
    case = session.scalars(select(Case).where(Case.visit_id == visit.id)).first()
    followups = (
        session.scalars(select(FollowUp).where(FollowUp.case_id == case.id).order_by(FollowUp.due_date)).all()
        if case
        else []
    )
    label = " · ".join(x for x in (mask_name(person.name), person.rrn_masked or "") if x) if person else ""
    outcomes = [OUTCOME_KO.get(case.outcome, case.outcome)] if case and case.outcome else []
    outcomes += [f"연계: {r}" for r in (case.referrals if case else [])]
    fields: dict[str, Any] = {
        "center_name": center.name_ko if center else "서민금융통합지원센터",
        "person_label": label or "익명 방문자",
        "visit_date": clock.local_date(visit.created_at).isoformat(),
        "decisions": {k: bool(v.get("granted")) for k, v in (consent.items if consent else {}).items()},
        "consent_sms": sms_consent_fields(session, consent),
        "answers": {k: _range_words(k, v) for k, v in intake.answers.items()} if intake else {},
        "verdicts": _verdicts(match),
        "counselor": counselor_name,
        "notes": "\n".join(n.get("text", "") for n in open_notes(keys, case.notes_enc if case else None)),
        "outcomes": outcomes,
        "goals": [f"사후관리: {OUTCOME_KO.get(case.outcome or '', case.outcome or '')}"]
        if case and case.outcome
        else [],
        "followups": [
            {"date": f.due_date.isoformat(), "kind": f.kind, "note": f.note or ""} for f in followups
        ],
    }
    if template == "debt_application":
        fields["debt"] = debt_application_fields(session, visit, consent)
    return fields
