"""The desk's queue board: every line's tickets in calling order, each with its wait (the one rule of
kiosk.queue.waits), whether the person did the intake or only took a number, and whether their kiosk
is calling for staff right now."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Ticket, TicketStatus, Visit, VisitPath
from kiosk.api.devices import MirrorOut
from kiosk.api.tickets import Intake, QueueLine, QueueOut, QueueTicket
from kiosk.hub.views import ticket_out
from kiosk.queue.waits import LinePace, line_pace

_ON_BOARD = (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING)


class _Person:
    """What the board tells about the holder of a ticket, from their visit and their kiosk's mirror."""

    def __init__(self, visit: Visit | None, mirror: MirrorOut | None) -> None:
        self.intake: Intake = (
            "intake_done" if visit is not None and visit.path == VisitPath.CONSULT else "ticket_only"
        )
        # A help call counts for this person when their kiosk is calling now and began after their visit
        # did (the next visitor at that kiosk gets a new visit).
        self.help_requested = bool(
            visit is not None
            and mirror is not None
            and mirror.needs_help
            and _aware(mirror.at) >= _aware(visit.created_at)
        )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _row(ticket: Ticket, person: _Person, ahead: int, pace: LinePace | None) -> QueueTicket:
    out = ticket_out(ticket, pace.wait_for(ahead) if pace is not None else None)
    return QueueTicket(
        **out.model_dump(),
        people_ahead=ahead,
        intake=person.intake,
        help_requested=person.help_requested,
        transferred=ticket.transfer_note is not None,
    )


def queue_board(
    session: Session, center_id: uuid.UUID, day: date, mirrors: Mapping[uuid.UUID, object]
) -> QueueOut:
    tickets = session.scalars(
        select(Ticket)
        .where(Ticket.center_id == center_id, Ticket.service_date == day, Ticket.status.in_(_ON_BOARD))
        # waiting_order's calling order: transferred people first, then by number
        .order_by(Ticket.line, Ticket.transfer_note.is_(None), Ticket.number)
    ).all()
    visit_ids = {t.visit_id for t in tickets if t.visit_id is not None}
    visits = (
        {v.id: v for v in session.scalars(select(Visit).where(Visit.id.in_(visit_ids)))} if visit_ids else {}
    )
    live = {key: m for key, m in mirrors.items() if isinstance(m, MirrorOut)}
    lines: dict[str, QueueLine] = {}
    paces: dict[str, LinePace] = {}
    for t in tickets:
        visit = visits.get(t.visit_id) if t.visit_id is not None else None
        person = _Person(visit, live.get(visit.device_id) if visit and visit.device_id else None)
        if t.line not in paces:
            paces[t.line] = line_pace(session, center_id, t.line, day)
        pace = paces[t.line]
        entry = lines.setdefault(
            t.line,
            QueueLine(
                line=t.line,
                waiting=[],
                called=[],
                estimated_wait_minutes=0,
                service_minutes=round(pace.minutes, 1),
                measured=pace.measured,
            ),
        )
        if t.status == TicketStatus.WAITING:
            entry.waiting.append(_row(t, person, len(entry.waiting), pace))
            entry.estimated_wait_minutes = pace.wait_for(len(entry.waiting))
        else:
            entry.called.append(_row(t, person, 0, None))
    return QueueOut(service_date=day, lines=[lines[k] for k in sorted(lines)])
