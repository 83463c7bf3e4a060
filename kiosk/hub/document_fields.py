"""The fields a document template is rendered from, gathered from one visit's records.

Names are masked (홍*동) and RRNs appear only in their masked form: the PDF leaves the hub for the
counter screen and the archive, and neither needs the full number.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Case, Center, Consent, FollowUp, Intake, MatchResult, Person, Visit

TITLES: dict[str, tuple[str, str]] = {
    "consent": (
        "개인(신용)정보 수집·이용 동의서",
        "Consent to collect and use personal (credit) information",
    ),
    "intake_summary": ("상담 신청서", "Counseling application"),
    "counseling_record": ("상담 기록", "Counseling record"),
    "aftercare_plan": ("사후관리 계획", "After-care plan"),
}


def document_fields(session: Session, visit: Visit, template: str) -> dict[str, Any]:
    from kiosk.hub.routes_visits import mask_name

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
    local = visit.created_at.astimezone(ZoneInfo("Asia/Seoul"))
    return {
        "title_ko": TITLES[template][0],
        "title_en": TITLES[template][1],
        "visit_id": str(visit.id),
        "center_name": center.name_ko if center else "",
        "date": local.date().isoformat(),
        "name_masked": mask_name(person.name) if person else "",
        "rrn_masked": (person.rrn_masked or "") if person else "",
        "consent_items": dict(consent.items) if consent else {},
        "consent_text_version": consent.text_version if consent else "",
        "consent_text_sha256": consent.text_sha256 if consent else "",
        "answers": dict(intake.answers) if intake else {},
        "verdicts": list(match.verdicts) if match else [],
        "catalogue_version": match.catalogue_version if match else "",
        "notes": [n.get("text", "") for n in (case.notes if case else [])],
        "outcome": (case.outcome or "") if case else "",
        "referrals": list(case.referrals) if case else [],
        "followups": [
            {"due_date": f.due_date.isoformat(), "kind": f.kind, "status": f.status} for f in followups
        ],
    }
