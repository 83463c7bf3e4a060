"""Visits: a lobby submits a completed intake; counselors read the case (audited), add notes, outcome."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.audit import append_event
from db.models import (
    Case,
    Consent,
    Document,
    FollowUp,
    IdentityCheck,
    Intake,
    MatchResult,
    Person,
    Signature,
    Ticket,
    Visit,
)
from db.people import read_person, store_person
from db.pii import InvalidRRN, mask_pii_text
from kiosk.hub.deps import CounselorDep, LobbyDep, SessionDep, StateDep, body_sha256, check_center
from kiosk.hub.errors import HubError, not_found
from kiosk.hub.schemas import (
    CaseView,
    ConsentOut,
    EarlierVisit,
    IdentityOut,
    NoteIn,
    NoteOut,
    OkOut,
    OutcomeIn,
    PersonMasked,
    PersonRevealed,
    SignatureIn,
    VisitReceipt,
    VisitSubmission,
)
from kiosk.hub.views import document_out, followup_out, ticket_out

router = APIRouter(tags=["visits"])


def mask_name(name: str | None) -> str:
    """홍길동 → 홍*동, 김철 → 김*: enough for a counselor to confirm, not to identify from a glance."""
    if not name:
        return ""
    if len(name) <= 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def store_signature(session: Session, visit_id: uuid.UUID, sig: SignatureIn) -> Signature:
    png = None
    if sig.png_b64:
        try:
            png = base64.b64decode(sig.png_b64, validate=True)
        except (binascii.Error, ValueError):
            raise HubError(
                422,
                "invalid_signature_png",
                "서명 이미지가 올바르지 않아요.",
                "Signature PNG is not valid base64.",
            ) from None
        if not png.startswith(b"\x89PNG"):
            raise HubError(
                422, "invalid_signature_png", "서명 이미지가 PNG가 아니에요.", "Signature is not a PNG."
            )
    row = Signature(
        visit_id=visit_id,
        points=[p.model_dump() for p in sig.points],
        device=sig.device,
        resolution=dict(sig.resolution),
        png=png,
        document_sha256=sig.document_sha256,
        consent_id=sig.consent_id,
        record_sha256=sig.record_sha256,
    )
    session.add(row)
    session.flush()
    return row


def _receipt(visit: Visit, case_id: uuid.UUID, returning: bool) -> VisitReceipt:
    return VisitReceipt(
        visit_id=visit.id, person_id=visit.person_id, returning_visitor=returning, case_id=case_id
    )


@router.post(
    "/visits", response_model=VisitReceipt, summary="A lobby submits a completed visit (replay-safe)"
)
def submit_visit(
    body: VisitSubmission,
    principal: LobbyDep,
    state: StateDep,
    session: SessionDep,
) -> VisitReceipt:
    digest = body_sha256(body.model_dump(mode="json"))
    existing = session.get(Visit, body.visit_id)
    if existing is not None:
        check_center(principal, existing.center_id)
        if existing.state.get("submission_sha256") != digest:
            raise HubError(
                409,
                "visit_conflict",
                "이미 다른 내용으로 접수된 방문이에요.",
                "Visit already submitted with other content.",
            )
        case = session.scalars(select(Case).where(Case.visit_id == existing.id)).one()
        return _receipt(existing, case.id, bool(existing.state.get("returning_visitor")))

    person = None
    returning = False
    if body.identity is not None:
        ident = body.identity
        if ident.rrn:
            from db.people import find_person_by_rrn

            try:
                returning = find_person_by_rrn(session, state.keys, ident.rrn) is not None
                person = store_person(
                    session,
                    state.keys,
                    name=ident.name,
                    rrn=ident.rrn,
                    phone=ident.phone,
                    birth_date=ident.birth_date,
                    verified=ident.result == "verified",
                )
            except InvalidRRN:
                raise HubError(
                    422,
                    "invalid_rrn",
                    "주민등록번호가 올바르지 않아요.",
                    "The resident registration number is invalid.",
                ) from None
        else:
            person = store_person(
                session, state.keys, name=ident.name, phone=ident.phone, birth_date=ident.birth_date
            )
    visit = Visit(
        id=body.visit_id,
        center_id=principal.center_id,
        person_id=person.id if person else None,
        device_id=principal.id,
        step="results" if body.path == "consult" else "welcome",
        status="open",
        path=body.path,
        language=body.language,
        state={"submission_sha256": digest, "returning_visitor": returning},
    )
    if body.started_at is not None:
        visit.created_at = body.started_at
    session.add(visit)
    session.flush()
    if body.identity is not None:
        session.add(
            IdentityCheck(
                visit_id=visit.id,
                method=body.identity.method,
                document_kind=body.identity.document_kind,
                result=body.identity.result,
                verifier=body.identity.verifier,
            )
        )
    if body.consent is not None:
        sig = store_signature(session, visit.id, body.consent.signature) if body.consent.signature else None
        session.add(
            Consent(
                visit_id=visit.id,
                items={k: v.model_dump() for k, v in body.consent.items.items()},
                text_version=body.consent.text_version,
                text_sha256=body.consent.text_sha256,
                method=body.consent.method,
                signature_id=sig.id if sig else None,
            )
        )
    intake = None
    if body.intake is not None:
        intake = Intake(
            visit_id=visit.id,
            version=1,
            questionnaire_version=body.intake.questionnaire_version,
            answers=dict(body.intake.answers),
        )
        session.add(intake)
        session.flush()
    if body.match is not None:
        session.add(
            MatchResult(
                visit_id=visit.id,
                intake_id=intake.id if intake else None,
                catalogue_version=body.match.catalogue_version,
                engine_version=body.match.engine_version,
                verdicts=[v.model_dump() for v in body.match.verdicts],
            )
        )
    # The id is made here, not by a flush of its own: the visit row is already written, so the case
    # goes to the database with the audit event's flush.
    case = Case(id=uuid.uuid4(), visit_id=visit.id)
    if body.handoff_transcript:
        # The chat hand-off reaches the counselor as the case's first note (masked again: belt and braces).
        text = "챗봇 대화 (chatbot transcript, masked)\n" + mask_pii_text(body.handoff_transcript)
        case.notes = [{"at": datetime.now(UTC).isoformat(), "counselor_id": str(principal.id), "text": text}]
    session.add(case)
    append_event(session, principal.actor, "visit.submit", f"visit:{visit.id}", {"returning": returning})
    session.commit()
    state.bus.publish(
        str(principal.center_id), "visit.updated", {"visit_id": str(visit.id), "step": visit.step}
    )
    return _receipt(visit, case.id, returning)


def load_visit(session: Session, principal: Any, visit_id: uuid.UUID) -> Visit:
    visit = session.get(Visit, visit_id)
    if visit is None:
        raise not_found("방문 기록", "Visit")
    check_center(principal, visit.center_id)
    return visit


def load_case(session: Session, visit: Visit) -> Case:
    case = session.scalars(select(Case).where(Case.visit_id == visit.id)).first()
    if case is None:
        case = Case(visit_id=visit.id)
        session.add(case)
        session.flush()
    return case


@router.get("/visits/{visit_id}/case", response_model=CaseView, summary="The case view (audited read)")
def case_view(visit_id: uuid.UUID, principal: CounselorDep, session: SessionDep) -> CaseView:
    visit = load_visit(session, principal, visit_id)
    case = load_case(session, visit)
    person = session.get(Person, visit.person_id) if visit.person_id else None
    earlier: list[EarlierVisit] = []
    if person is not None:
        same = [person.id]
        if person.rrn_blind_index:
            same = list(
                session.scalars(
                    select(Person.id).where(Person.rrn_blind_index == person.rrn_blind_index)
                ).all()
            )
        for v, c in session.execute(
            select(Visit, Case)
            .outerjoin(Case, Case.visit_id == Visit.id)
            .where(Visit.person_id.in_(same), Visit.id != visit.id)
            .order_by(Visit.created_at.desc())
        ).all():
            earlier.append(EarlierVisit(visit_id=v.id, at=v.created_at, outcome=c.outcome if c else None))
    consent = session.scalars(select(Consent).where(Consent.visit_id == visit.id)).first()
    intake = session.scalars(
        select(Intake).where(Intake.visit_id == visit.id).order_by(Intake.version.desc())
    ).first()
    match = session.scalars(
        select(MatchResult).where(MatchResult.visit_id == visit.id).order_by(MatchResult.created_at.desc())
    ).first()
    ticket = session.scalars(select(Ticket).where(Ticket.visit_id == visit.id)).first()
    docs = session.scalars(select(Document).where(Document.visit_id == visit.id)).all()
    followups = session.scalars(select(FollowUp).where(FollowUp.case_id == case.id)).all()
    checks = session.scalars(select(IdentityCheck).where(IdentityCheck.visit_id == visit.id)).all()
    # Reading a case is reading a person's record, even masked: it goes on the audit chain.
    append_event(session, principal.actor, "case.view", f"visit:{visit.id}")
    session.commit()
    return CaseView(
        visit_id=visit.id,
        case_id=case.id,
        status=visit.status,
        path=visit.path,
        ticket=ticket_out(ticket) if ticket else None,
        person=PersonMasked(
            person_id=person.id,
            name_masked=mask_name(person.name),
            rrn_masked=person.rrn_masked,
            verified=bool(person.verified),
        )
        if person
        else None,
        identity=[
            IdentityOut(method=c.method, document_kind=c.document_kind, result=c.result, verifier=c.verifier)
            for c in checks
        ],
        consent=ConsentOut(
            items=consent.items,
            text_version=consent.text_version,
            text_sha256=consent.text_sha256,
            method=consent.method,
            signed=consent.signature_id is not None,
        )
        if consent
        else None,
        answers=intake.answers if intake else {},
        verdicts=match.verdicts if match else [],
        earlier_visits=earlier,
        notes=[NoteOut(**n) for n in case.notes],
        outcome=case.outcome,
        documents=[document_out(d) for d in docs],
        followups=[followup_out(f) for f in followups],
    )


@router.post("/visits/{visit_id}/person/reveal", response_model=PersonRevealed, summary="Unmask (audited)")
def reveal_person(
    visit_id: uuid.UUID, principal: CounselorDep, state: StateDep, session: SessionDep
) -> PersonRevealed:
    visit = load_visit(session, principal, visit_id)
    if visit.person_id is None:
        raise not_found("개인 정보", "Person")
    view = read_person(session, state.keys, visit.person_id, principal.actor, "counseling")
    session.commit()
    return PersonRevealed(
        person_id=view.id, name=view.name, rrn=view.rrn, phone=view.phone, birth_date=view.birth_date
    )


@router.post("/visits/{visit_id}/notes", response_model=list[NoteOut])
def add_note(
    visit_id: uuid.UUID, body: NoteIn, principal: CounselorDep, session: SessionDep
) -> list[NoteOut]:
    visit = load_visit(session, principal, visit_id)
    case = load_case(session, visit)
    note = {"at": datetime.now(UTC).isoformat(), "counselor_id": str(principal.id), "text": body.text}
    case.notes = [*case.notes, note]
    case.counselor_id = case.counselor_id or principal.id
    append_event(session, principal.actor, "case.note", f"case:{case.id}")
    session.commit()
    return [NoteOut(**n) for n in case.notes]


@router.put("/visits/{visit_id}/outcome", response_model=OkOut)
def set_outcome(
    visit_id: uuid.UUID, body: OutcomeIn, principal: CounselorDep, state: StateDep, session: SessionDep
) -> OkOut:
    visit = load_visit(session, principal, visit_id)
    case = load_case(session, visit)
    case.outcome = body.outcome
    case.referrals = list(body.referrals)
    case.counselor_id = case.counselor_id or principal.id
    case.ended_at = datetime.now(UTC)
    visit.status = "completed"
    visit.step = "done"
    visit.ended_at = case.ended_at
    append_event(session, principal.actor, "case.outcome", f"case:{case.id}", {"outcome": body.outcome})
    session.commit()
    state.bus.publish(str(principal.center_id), "visit.updated", {"visit_id": str(visit.id), "step": "done"})
    return OkOut()
