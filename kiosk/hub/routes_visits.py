"""Visits: a lobby submits a completed intake; counselors read the case (audited), add notes, outcome."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from fastapi import APIRouter
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from db import sync_events
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
    Ticket,
    Visit,
    VisitStatus,
    VisitStep,
)
from db.people import read_person
from db.pii import mask_name
from kiosk.api import (
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
    VisitReceipt,
    VisitSubmission,
)
from kiosk.debt.inquiry_attach import attach_inquiry
from kiosk.hub.deps import (
    CounselorDep,
    LobbyDep,
    SessionDep,
    StateDep,
    body_sha256,
)
from kiosk.hub.errors import not_found
from kiosk.hub.records import load_case, load_visit
from kiosk.hub.views import (
    document_out,
    followup_out,
    new_note,
    notes_out,
    open_notes,
    seal_notes,
    ticket_out,
)
from kiosk.hub.visit_store import prepare

router = APIRouter(tags=["visits"])


@router.post(
    "/visits", response_model=VisitReceipt, summary="A lobby submits a completed visit (replay-safe)"
)
async def submit_visit(body: VisitSubmission, principal: LobbyDep, state: StateDep) -> VisitReceipt:
    # Checked and encrypted here (a bad RRN is a 422 before anything is written), then written in one
    # transaction with the other submissions arriving now (kiosk.hub.visit_store).
    dumped = body.model_dump(mode="json")
    if dumped.get("credit_inquiry_id") is None:
        del dumped["credit_inquiry_id"]  # a replay from before the field existed keeps its digest
    item = prepare(body, principal, state.keys, body_sha256(dumped))
    receipt: VisitReceipt = await state.visit_batches.submit(item)
    if body.credit_inquiry_id is not None:
        # The kiosk's inquiry becomes the visit's creditor list (idempotent: a replay attaches nothing).
        if await run_in_threadpool(attach_inquiry, state.sessions, state.keys, principal, body):
            state.bus.publish(str(principal.center_id), "debts.updated", {"visit_id": str(body.visit_id)})
    if item.written:
        state.bus.publish(
            str(principal.center_id), "visit.updated", {"visit_id": str(body.visit_id), "step": item.step}
        )
    return receipt


@router.get("/visits/{visit_id}/case", response_model=CaseView, summary="The case view (audited read)")
def case_view(visit_id: uuid.UUID, principal: CounselorDep, state: StateDep, session: SessionDep) -> CaseView:
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
        notes=notes_out(open_notes(state.keys, case.notes_enc)),
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
    visit_id: uuid.UUID, body: NoteIn, principal: CounselorDep, state: StateDep, session: SessionDep
) -> list[NoteOut]:
    visit = load_visit(session, principal, visit_id)
    case = load_case(session, visit)
    # Masked, then sealed with the case's other notes: no row, WAL page or backup holds the text in clear.
    notes = [*open_notes(state.keys, case.notes_enc), new_note(principal.id, body.text)]
    case.notes_enc = seal_notes(state.keys, notes)
    case.counselor_id = case.counselor_id or principal.id
    append_event(session, principal.actor, "case.note", f"case:{case.id}")
    session.commit()
    return notes_out(notes)


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
    visit.status = VisitStatus.COMPLETED
    visit.step = VisitStep.DONE
    visit.ended_at = case.ended_at
    append_event(session, principal.actor, "case.outcome", f"case:{case.id}", {"outcome": body.outcome})
    sync_events.case_outcome(session, visit, case)
    session.commit()
    state.bus.publish(
        str(principal.center_id), "visit.updated", {"visit_id": str(visit.id), "step": VisitStep.DONE}
    )
    return OkOut()
