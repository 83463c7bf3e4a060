"""Which line a visit is pointed to, and the kiosk's own ticket when no hub numbers it.

With a hub attached (a ``VisitSink``) the hub is the one numbering authority and nothing here issues a
number; without one, the ticket is issued in the same transaction that closes the visit.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from kiosk.matching.engine import MatchReport
from kiosk.queue import ServiceLine, estimate_wait, issue_ticket
from kiosk.visit.steps import TicketInfo

_ROUTE_LINE = {"debt_relief": "B"}  # what the results suggest; the person may choose another line


def suggested_line(report: MatchReport | None) -> str:
    """채무조정 (B) when the results lead with debt relief, 통합 (C) when nothing fits, else 금융상담 (A)."""
    if report is None or not report.programs:
        return "A"
    top = report.programs[0]
    return _ROUTE_LINE.get(top.program.helps, "A") if top.verdict != "ineligible" else "C"


def issue_local_ticket(
    session: Session,
    center_id: uuid.UUID,
    visit_id: uuid.UUID,
    line: ServiceLine,
    lines: dict[str, ServiceLine],
    now: datetime,
) -> TicketInfo:
    """The kiosk's number for the visit (idempotent per visit), with the wait it will show."""
    ticket = issue_ticket(
        session, center_id, line.code, visit_id=visit_id, idempotency_key=f"visit:{visit_id}", now=now,
        lines=lines,
    )  # fmt: skip
    wait = estimate_wait(session, center_id, line.code, ticket=ticket, now=now, lines=lines)
    return TicketInfo(
        ticket.id, ticket.display, line.code, line.name_ko, line.name_en, wait.people_ahead, wait.minutes,
        wait.text_ko(), wait.text_en(), ticket.lookup_code, now,
    )  # fmt: skip
