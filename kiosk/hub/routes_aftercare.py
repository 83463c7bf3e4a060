"""After-care plans and due lists (rules from kiosk.aftercare), and center statistics per period."""

from __future__ import annotations

import statistics
import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from config import clock
from db.audit import append_event
from db.models import Case, Counselor, Document, DocumentStatus, FollowUp, FollowUpStatus, Ticket, Visit
from kiosk.api import AftercareIn, EventDate, FollowUpOut, StatisticsOut
from kiosk.hub.deps import CounselorDep, SessionDep
from kiosk.hub.errors import HubError
from kiosk.hub.records import load_case, load_visit
from kiosk.hub.views import followup_out

router = APIRouter(tags=["aftercare"])


@router.post("/visits/{visit_id}/aftercare", response_model=list[FollowUpOut], summary="Plan follow-ups")
def plan(
    visit_id: uuid.UUID, body: AftercareIn, principal: CounselorDep, session: SessionDep
) -> list[FollowUpOut]:
    from kiosk.aftercare import AftercareError, plan_followups

    visit = load_visit(session, principal, visit_id)
    case = load_case(session, visit)
    outcome = body.outcome or case.outcome
    if not outcome:
        raise HubError(
            409,
            "no_outcome",
            "상담 결과를 먼저 정해 주세요.",
            "Set the case outcome before planning after-care.",
        )
    case.counselor_id = case.counselor_id or principal.id
    try:
        rows = plan_followups(
            session, case.id, start=clock.today(), outcome=outcome, counselor_id=principal.id
        )
    except AftercareError as exc:
        raise HubError(409, exc.code.lower(), exc.ko, exc.en) from None
    append_event(session, principal.actor, "aftercare.plan", f"case:{case.id}", {"count": len(rows)})
    session.commit()
    return [followup_out(f) for f in rows]


@router.get("/aftercare/due", response_model=list[FollowUpOut], summary="Follow-ups due (mine by default)")
def due(
    principal: CounselorDep,
    session: SessionDep,
    within_days: Annotated[int, Query(ge=0, le=366)] = 7,
    everyone: bool = False,
) -> list[FollowUpOut]:
    from kiosk.aftercare import due_followups

    if not everyone:
        return _with_reminders(
            session, due_followups(session, principal.id, on=clock.today(), within_days=within_days)
        )
    if not principal.is_counselor("center_manager"):
        raise HubError(403, "forbidden", "센터 전체 목록은 관리자만 볼 수 있어요.", "Managers only.")
    until = clock.today() + timedelta(days=within_days)
    query = (
        select(FollowUp)
        .join(FollowUp.case)
        .join(Case.visit)
        .where(
            Visit.center_id == principal.center_id,
            FollowUp.status == FollowUpStatus.PLANNED,
            FollowUp.due_date <= until,
        )
        .order_by(FollowUp.due_date)
    )
    return _with_reminders(session, list(session.scalars(query).all()))


def _with_reminders(session: Session, followups: list[FollowUp]) -> list[FollowUpOut]:
    """The due list with each follow-up's SMS reminder and the person's reply (1 확인 / 2 전화 요청)."""
    from kiosk.aftercare.reminders import reminder_states

    states = reminder_states(session, followups)
    out = []
    for f in followups:
        row = followup_out(f)
        state = states.get(f.id)
        if state is not None:
            row = row.model_copy(
                update={"reminder_sms": state.sms, "reply": state.reply, "replied_at": state.replied_at}
            )
        out.append(row)
    return out


@router.get("/statistics", response_model=StatisticsOut, summary="Counts per period, line and counselor")
def center_statistics(
    principal: CounselorDep,
    session: SessionDep,
    date_from: EventDate | None = None,
    date_to: EventDate | None = None,
) -> StatisticsOut:
    date_to = date_to or clock.today()
    date_from = date_from or date_to - timedelta(days=30)
    if date_from > date_to or (date_to - date_from).days > 3660:
        raise HubError(422, "bad_period", "기간이 올바르지 않아요.", "Invalid period.")
    center = principal.center_id
    tickets = session.scalars(
        select(Ticket).where(
            Ticket.center_id == center, Ticket.service_date >= date_from, Ticket.service_date <= date_to
        )
    ).all()
    by_line: dict[str, int] = {}
    by_status: dict[str, int] = {}
    waits: list[float] = []
    for t in tickets:
        by_line[t.line] = by_line.get(t.line, 0) + 1
        by_status[t.status] = by_status.get(t.status, 0) + 1
        if t.called_at is not None:
            waits.append((t.called_at - t.created_at).total_seconds() / 60)
    served = session.execute(
        select(Counselor.username, func.count(Ticket.id))
        .join(Ticket, Ticket.counselor_id == Counselor.id)
        .where(Ticket.center_id == center, Ticket.service_date >= date_from, Ticket.service_date <= date_to)
        .group_by(Counselor.username)
    ).all()
    # The period is of the center's calendar days; stored times are UTC, so compare with its bounds.
    period_start, period_end = clock.start_of_day(date_from), clock.start_of_day(date_to + timedelta(days=1))
    visits = (
        session.scalar(
            select(func.count(Visit.id)).where(
                Visit.center_id == center, Visit.created_at >= period_start, Visit.created_at < period_end
            )
        )
        or 0
    )
    signed = (
        session.scalar(
            select(func.count(Document.id))
            .join(Document.visit)
            .where(
                Visit.center_id == center,
                Document.status.in_((DocumentStatus.SIGNED, DocumentStatus.ARCHIVED)),
                Document.signed_at >= period_start,
                Document.signed_at < period_end,
            )
        )
        or 0
    )
    due_count = (
        session.scalar(
            select(func.count(FollowUp.id))
            .join(FollowUp.case)
            .join(Case.visit)
            .where(Visit.center_id == center, FollowUp.status == FollowUpStatus.PLANNED)
        )
        or 0
    )
    return StatisticsOut(
        date_from=date_from,
        date_to=date_to,
        visits=visits,
        tickets_by_line=by_line,
        tickets_by_status=by_status,
        served_by_counselor={name: n for name, n in served},
        median_wait_minutes=round(statistics.median(waits), 1) if waits else None,
        documents_signed=signed,
        followups_due=due_count,
    )
