"""Estimated wait: people ahead in the live queue × the line's recent median service time."""

from __future__ import annotations

import statistics
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from config import clock
from db.base import utcnow
from db.models import Ticket
from kiosk.queue.lines import ServiceLine, service_lines
from kiosk.queue.tickets import DONE, waiting_order

MIN_SAMPLES = 3  # fewer finished tickets than this: use the line's configured default
LOOKBACK = timedelta(days=14)


@dataclass(frozen=True)
class WaitEstimate:
    people_ahead: int
    median_service_minutes: float
    measured: bool  # False: the configured default was used (not enough finished tickets yet)

    @property
    def minutes(self) -> int:
        return round(self.people_ahead * self.median_service_minutes)

    def text_ko(self) -> str:
        if self.people_ahead == 0:
            return "곧 불러 드려요"
        return f"앞에 {self.people_ahead}명, 약 {self.minutes}분 기다려요"

    def text_en(self) -> str:
        if self.people_ahead == 0:
            return "You will be called shortly"
        return f"{self.people_ahead} ahead, about {self.minutes} min"


def median_service_minutes(
    session: Session, center_id: uuid.UUID, line: str, *, sample: int = 20, now: datetime | None = None
) -> float | None:
    """Median of served→done of the line's last ``sample`` finished tickets (last two weeks)."""
    now = now or utcnow()
    rows = session.execute(
        select(Ticket.served_at, Ticket.done_at)
        .where(
            Ticket.center_id == center_id,
            Ticket.line == line,
            Ticket.status == DONE,
            Ticket.served_at.is_not(None),
            Ticket.done_at.is_not(None),
            Ticket.done_at >= now - LOOKBACK,
        )
        .order_by(Ticket.done_at.desc())
        .limit(sample)
    ).all()
    durations = [(d - s).total_seconds() / 60 for s, d in rows if s is not None and d is not None and d >= s]
    if len(durations) < MIN_SAMPLES:
        return None
    return float(statistics.median(durations))


def estimate_wait(
    session: Session,
    center_id: uuid.UUID,
    line: str,
    *,
    ticket: Ticket | None = None,
    now: datetime | None = None,
    sample: int = 20,
    default_minutes: float | None = None,
    lines: dict[str, ServiceLine] | None = None,
) -> WaitEstimate:
    """People ahead of ``ticket`` (or of a new ticket) × the recent median service time of the line."""
    now = now or utcnow()
    service_date = clock.local_date(now)
    queue = waiting_order(session, center_id, line, service_date)
    ids = [t.id for t in queue]
    ahead = ids.index(ticket.id) if ticket is not None and ticket.id in ids else len(queue)
    median = median_service_minutes(session, center_id, line, sample=sample, now=now)
    if median is not None:
        return WaitEstimate(ahead, median, True)
    if default_minutes is None:
        default_minutes = (lines or service_lines())[line].default_service_minutes
    return WaitEstimate(ahead, default_minutes, False)
