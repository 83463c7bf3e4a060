"""After-care plans and due lists (rules from kiosk.aftercare), and the center statistics route
(the figures themselves: kiosk.hub.statistics)."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from config import clock
from db.audit import append_event
from db.models import Case, FollowUp, FollowUpStatus, Visit
from kiosk.api import AftercareIn, EventDate, FollowUpOut, StatisticsOut
from kiosk.api.aftercare import StatisticsGroup
from kiosk.hub import statistics as stats
from kiosk.hub.deps import CounselorDep, SessionDep, StateDep
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


@router.get("/statistics", response_model=StatisticsOut, summary="Figures per period, line and counselor")
def center_statistics(
    principal: CounselorDep,
    state: StateDep,
    session: SessionDep,
    date_from: EventDate | None = None,
    date_to: EventDate | None = None,
    by: Annotated[
        stats.Grouping | None, Query(description="also one row per line, counselor, day, week or month")
    ] = None,
) -> StatisticsOut:
    """HQ's definitions over this center's tables (kiosk.hub.statistics); periods are its local days."""
    date_to = date_to or clock.today()
    date_from = date_from or date_to - timedelta(days=30)
    if date_from > date_to:
        raise HubError(
            422,
            "bad_period",
            "시작일이 종료일보다 늦어요. 기간을 다시 골라 주세요.",
            "The period starts after it ends.",
        )
    if (date_to - date_from).days >= stats.MAX_PERIOD_DAYS:
        raise HubError(
            422,
            "bad_period",
            "기간이 너무 길어요. 5년 안으로 골라 주세요(더 긴 기간은 본부 통계에서 볼 수 있어요).",
            "The period is too long: five years at most (HQ keeps the longer history).",
        )
    center, period = principal.center_id, stats.Period(date_from, date_to)
    target = state.settings.visit.wait_target_minutes
    [total] = stats.figures(session, center, period, target_minutes=target)
    groups = stats.figures(session, center, period, by=by, target_minutes=target) if by else []
    counts = stats.ticket_counts(session, center, period)
    median = total.wait_median_minutes
    return StatisticsOut(
        **_figures(total),
        date_from=date_from,
        date_to=date_to,
        tickets_by_line=counts.by_line,
        tickets_by_status=counts.by_status,
        served_by_counselor=counts.served_by_counselor,
        median_wait_minutes=None if median is None else round(median, 1),
        documents_signed=stats.documents_signed(session, center, period),
        wait_target_minutes=target,
        followups_open=stats.followups_open(session, center),
        by=by,
        groups=[StatisticsGroup(key=g.key, **_figures(g)) for g in groups],
    )


def _figures(row: Any) -> dict[str, Any]:
    """A kiosk.hub.statistics.Figures as the wire model's fields (its key aside)."""
    values = dataclasses.asdict(row)
    values.pop("key")
    return values
