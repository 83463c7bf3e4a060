"""The one wait rule: people ahead in calling order × the line's recent median service time.

Lobby, hub, hall display and desk all use this module, so a person is never told "약 5분" on one
screen and "0분" on another; ``wait_words`` is the one wording of a wait, on the screen as on the
printed slip. A service is measured from the call to the end (the desk is taken from the moment it
calls a number); the median of the line's last ``SAMPLE`` finished services in the last
``LOOKBACK_DAYS`` center days follows the pace without one long case moving it. Until ``MIN_SAMPLES``
services are known the line's configured ``default_service_minutes`` stands in.
"""

from __future__ import annotations

import statistics
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.orm import Session

from config import clock
from db.base import utcnow
from db.models import Ticket
from kiosk.queue.lines import ServiceLine, service_lines
from kiosk.queue.tickets import DONE, waiting_order

MIN_SAMPLES = 3  # fewer finished tickets than this: use the line's configured default
SAMPLE = 20
LOOKBACK_DAYS = 14

_TICKET = Ticket.__table__
# Built once: the hub reads it for every batch of issued tickets. service_date leads the range so the
# (center, service_date, line, number) unique index narrows the scan.
_RECENT_SERVICES = (
    select(_TICKET.c.called_at, _TICKET.c.done_at)
    .where(
        _TICKET.c.center_id == bindparam("center_id"),
        _TICKET.c.service_date >= bindparam("since"),
        _TICKET.c.line == bindparam("line"),
        _TICKET.c.status == DONE,
        _TICKET.c.called_at.is_not(None),
        _TICKET.c.done_at.is_not(None),
    )
    .order_by(_TICKET.c.done_at.desc())
    .limit(bindparam("sample"))
)


@dataclass(frozen=True)
class LinePace:
    """Minutes one person takes at a desk of the line; ``measured`` False: the configured default."""

    minutes: float
    measured: bool

    def wait_for(self, people_ahead: int) -> int:
        return round(people_ahead * self.minutes)


@dataclass(frozen=True)
class WaitEstimate:
    people_ahead: int
    median_service_minutes: float
    measured: bool  # False: the configured default was used (not enough finished tickets yet)

    @property
    def minutes(self) -> int:
        return LinePace(self.median_service_minutes, self.measured).wait_for(self.people_ahead)

    def text_ko(self) -> str:
        return wait_words(self.people_ahead, self.minutes)

    def text_en(self) -> str:
        return wait_words(self.people_ahead, self.minutes, english=True)


def people_ahead(order: Sequence[Ticket], ticket_id: uuid.UUID) -> int:
    """How many are ahead of ``ticket_id`` in ``order`` (``waiting_order``, calling order); a ticket not
    in it (a new one) has everyone ahead. The one count of "앞에 N명": screens, slips, waits and SMS."""
    for ahead, ticket in enumerate(order):
        if ticket.id == ticket_id:
            return ahead
    return len(order)


def wait_words(people_ahead: int, minutes: int, *, english: bool = False) -> str:
    """The wait in words: the one wording of the ticket screen, the printed slip and the hub's answer.

    Nobody ahead is "바로 차례예요" / "You're next" (never "앞에 0명 · 약 0분"); people ahead with no
    estimate yet say only how many.
    """
    ahead, wait = max(0, int(people_ahead)), max(0, int(minutes))
    if ahead == 0:
        return "You're next" if english else "바로 차례예요"
    if wait == 0:
        return f"People ahead of you: {ahead}" if english else f"앞에 {ahead}명 있어요"
    if english:
        return f"People ahead of you: {ahead} · about {wait} min wait"
    return f"앞에 {ahead}명 · 약 {wait}분 기다려요"


def median_service_minutes(
    conn: Connection | Session, center_id: uuid.UUID, line: str, today: date, *, sample: int = SAMPLE
) -> float | None:
    """Median call→done minutes of the line's last ``sample`` finished services; None: too few."""
    connection = conn.connection() if isinstance(conn, Session) else conn
    params = {
        "center_id": center_id,
        "since": today - timedelta(days=LOOKBACK_DAYS),
        "line": line,
        "sample": sample,
    }
    rows = connection.execute(_RECENT_SERVICES, params).all()
    durations = [(d - c).total_seconds() / 60 for c, d in rows if c is not None and d is not None and d >= c]
    if len(durations) < MIN_SAMPLES:
        return None
    return float(statistics.median(durations))


def line_pace(
    conn: Connection | Session,
    center_id: uuid.UUID,
    line: str,
    today: date,
    *,
    lines: dict[str, ServiceLine] | None = None,
    sample: int = SAMPLE,
) -> LinePace:
    """The line's measured median, or its configured default while too few services are known."""
    median = median_service_minutes(conn, center_id, line, today, sample=sample)
    if median is not None:
        return LinePace(median, True)
    known = lines or service_lines()
    spec = known.get(line)
    return LinePace(spec.default_service_minutes if spec else 15.0, False)


def estimate_wait(
    session: Session,
    center_id: uuid.UUID,
    line: str,
    *,
    ticket: Ticket | None = None,
    now: datetime | None = None,
    sample: int = SAMPLE,
    default_minutes: float | None = None,
    lines: dict[str, ServiceLine] | None = None,
) -> WaitEstimate:
    """People ahead of ``ticket`` (or of a new ticket) in calling order × the line's pace."""
    now = now or utcnow()
    service_date = clock.local_date(now)
    queue = waiting_order(session, center_id, line, service_date)
    ahead = people_ahead(queue, ticket.id) if ticket is not None else len(queue)
    pace = line_pace(session, center_id, line, service_date, lines=lines, sample=sample)
    if not pace.measured and default_minutes is not None:
        pace = LinePace(default_minutes, False)
    return WaitEstimate(ahead, pace.minutes, pace.measured)
