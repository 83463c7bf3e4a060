"""The day's queue across lines: who waits in which order, and calling the next over several lines.

A desk serves people of every line it is given; "다음 번호 호출" must never answer "nobody is waiting"
while someone waits in another of its lines. Across lines the person who has waited longest goes
first, a transferred person (who already waited once) before anyone new — within one line this is the
same order as ``waiting_order``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from config import clock
from db.base import utcnow
from db.models import Ticket
from kiosk.queue.tickets import WAITING, call_first


def waiting_across(
    session: Session, center_id: uuid.UUID, service_date: date, lines: Sequence[str] | None = None
) -> list[Ticket]:
    """Waiting tickets of ``lines`` (None: every line) in the order a desk serving them calls them."""
    query = select(Ticket).where(
        Ticket.center_id == center_id, Ticket.service_date == service_date, Ticket.status == WAITING
    )
    if lines is not None:
        query = query.where(Ticket.line.in_(list(lines)))
    query = query.order_by(Ticket.transfer_note.is_(None), Ticket.created_at, Ticket.line, Ticket.number)
    return list(session.scalars(query))


def call_next_across(
    session: Session,
    center_id: uuid.UUID,
    lines: Sequence[str] | None,
    desk: str,
    counselor_id: uuid.UUID | None,
    *,
    now: datetime | None = None,
) -> Ticket | None:
    """Call the longest-waiting ticket of ``lines`` (None: all) to ``desk``; None when nobody waits."""
    now = now or utcnow()
    service_date = clock.local_date(now)
    return call_first(
        session, lambda: waiting_across(session, center_id, service_date, lines), desk, counselor_id, now
    )
