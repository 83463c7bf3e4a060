"""Queue tickets: per-center daily numbering, calling, serving, no-shows and transfers.

No number is issued twice, even with several kiosks and a hub writing at once: the database's unique
constraint (center, service date, line, number) is the judge. The next number is computed inside the
INSERT itself (one statement, so SQLite takes its write lock before reading). On PostgreSQL, issuers of
the same center/day/line first take a transaction-scoped advisory lock, so processes with their own
connections take turns instead of racing for one number; a clash that still slips through (a writer
that skips the lock) is retried inside a savepoint, leaving the caller's transaction intact.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from config import clock
from db.base import utcnow
from db.models import Ticket
from kiosk.queue.lines import ServiceLine, service_lines

WAITING, CALLED, SERVING, DONE, NO_SHOW, TRANSFERRED = (
    "waiting",
    "called",
    "serving",
    "done",
    "no_show",
    "transferred",
)
STATUSES = (WAITING, CALLED, SERVING, DONE, NO_SHOW, TRANSFERRED)
# Which status may follow which. A no-show may come back and be called again (it is put back to waiting).
_ALLOWED = {
    WAITING: {CALLED, NO_SHOW, TRANSFERRED},
    CALLED: {SERVING, NO_SHOW, TRANSFERRED, WAITING},
    SERVING: {DONE, TRANSFERRED},
    NO_SHOW: {WAITING},
    DONE: set(),
    TRANSFERRED: set(),
}
MAX_ATTEMPTS = 20
_LOOKUP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed at a desk


class QueueError(Exception):
    """A queue operation that cannot be done; ``code`` for logs/staff, ``ko``/``en`` for people."""

    def __init__(self, code: str, ko: str, en: str) -> None:
        self.code, self.ko, self.en = code, ko, en
        super().__init__(f"[{code}] {en}")


@dataclass(frozen=True)
class QueueClock:
    """Turns 'now' into the center's service date (tickets restart at 1 every local day), on the
    center clock (``config.clock``, whose zone is ``app.timezone``)."""

    def service_date(self, now: datetime) -> date:
        return clock.local_date(now)


def service_line(line: str, lines: dict[str, ServiceLine] | None = None) -> ServiceLine:
    known = lines or service_lines()
    if line not in known:
        raise QueueError(
            "QUEUE_UNKNOWN_LINE",
            "없는 상담 창구예요. 직원에게 알려 주세요",
            f"unknown service line {line!r} (known: {', '.join(known)})",
        )
    return known[line]


def lookup_code() -> str:
    """Six characters a person can read out at a desk to find their ticket (no 0/O, 1/I)."""
    return "".join(secrets.choice(_LOOKUP_ALPHABET) for _ in range(6))


def _by_key(session: Session, key: str) -> Ticket | None:
    return session.scalars(select(Ticket).where(Ticket.idempotency_key == key)).first()


# First half of the two-int advisory-lock key: "ticket numbering" (the audit chain uses the one-bigint
# key space, which PostgreSQL keeps apart from the two-int one).
_PG_LOCK_CLASS = 0x6B51_4E6F  # "kQNo"


def lock_numbering(session: Session, center_id: uuid.UUID, service_date: date, line: str) -> None:
    """PostgreSQL: serialise issuers of one center/day/line until the caller's transaction ends.

    Under READ COMMITTED each statement sees what was committed before it started, so once the lock is
    held the INSERT's max(number)+1 already counts the previous holder's ticket. Different lines and
    centers never wait for each other (a hash collision only makes two of them take turns).
    """
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite: the single INSERT … SELECT already runs under the database's one write lock
    digest = hashlib.sha256(f"{center_id}|{service_date.isoformat()}|{line}".encode()).digest()
    session.execute(
        text("SELECT pg_advisory_xact_lock(:cls, :key)"),
        {"cls": _PG_LOCK_CLASS, "key": int.from_bytes(digest[:4], "big", signed=True)},
    )


@dataclass(frozen=True)
class IssuedTicket:
    """A just-issued ticket as written (the fields a ticket view needs), without an ORM object."""

    id: uuid.UUID
    center_id: uuid.UUID
    visit_id: uuid.UUID | None
    service_date: date
    line: str
    number: int
    display: str
    lookup_code: str
    created_at: datetime
    transfer_note: str | None = None
    status: str = WAITING
    desk: str | None = None
    called_at: datetime | None = None


# Built once (statement construction cost more than the SQL): the next number is computed inside the
# INSERT, so on SQLite reading the maximum and writing the row are one step under the write lock.
_TICKET = Ticket.__table__
_COLUMNS = (
    "id",
    "center_id",
    "visit_id",
    "service_date",
    "line",
    "display",
    "status",
    "transfer_note",
    "lookup_code",
    "idempotency_key",
    "created_at",
)
_NEXT_NUMBER = (
    select(func.coalesce(func.max(_TICKET.c.number), 0) + 1)
    .where(
        _TICKET.c.center_id == bindparam("center_id"),
        _TICKET.c.service_date == bindparam("service_date"),
        _TICKET.c.line == bindparam("line"),
    )
    .scalar_subquery()
)
_ISSUE = (
    insert(Ticket)
    .from_select(
        [*_COLUMNS, "number"],
        select(*(bindparam(name, type_=_TICKET.c[name].type) for name in _COLUMNS), _NEXT_NUMBER),
    )
    .returning(_TICKET.c.number)
)
_SET_DISPLAY = (
    update(Ticket).where(_TICKET.c.id == bindparam("ticket_id")).values(display=bindparam("display"))
)


def issue_ticket(
    session: Session,
    center_id: uuid.UUID,
    line: str,
    *,
    visit_id: uuid.UUID | None = None,
    idempotency_key: str | None = None,
    transfer_note: str | None = None,
    now: datetime | None = None,
    clock: QueueClock | None = None,
    lines: dict[str, ServiceLine] | None = None,
) -> Ticket:
    """Issue the next number of ``line`` today. The same ``idempotency_key`` returns the same ticket.

    Runs in the caller's transaction (the caller commits), in prebuilt Core statements.
    """
    spec = service_line(line, lines)
    if idempotency_key:
        existing = _by_key(session, idempotency_key)
        if existing is not None:
            return existing
    now = now or utcnow()
    service_date = (clock or QueueClock()).service_date(now)
    conn = session.connection()
    postgres = conn.dialect.name == "postgresql"
    if postgres:
        lock_numbering(session, center_id, service_date, line)
    # A savepoint keeps the caller's transaction usable after a clash: PostgreSQL aborts a transaction
    # on any error. SQLite only undoes the failed statement, and under its write lock the number
    # cannot clash, so a keyless request skips the two extra statements.
    guarded = postgres or idempotency_key is not None
    for _ in range(MAX_ATTEMPTS):
        ticket_id = uuid.uuid4()
        values: dict[str, Any] = {
            "id": ticket_id,
            "center_id": center_id,
            "visit_id": visit_id,
            "service_date": service_date,
            "line": line,
            "display": spec.code,  # completed below, once the number is known
            "status": WAITING,
            "transfer_note": transfer_note,
            "lookup_code": lookup_code(),
            "idempotency_key": idempotency_key,
            "created_at": now,
        }
        try:
            with conn.begin_nested() if guarded else nullcontext():
                number = conn.execute(_ISSUE, values).scalar_one()
        except IntegrityError:
            if idempotency_key:
                twin = _by_key(session, idempotency_key)
                if twin is not None:
                    return twin  # a concurrent request with the same key won
            continue  # another kiosk took this number first: compute the next one again
        conn.execute(_SET_DISPLAY, {"ticket_id": ticket_id, "display": spec.display(number)})
        ticket = session.get(Ticket, ticket_id)
        assert ticket is not None
        return ticket
    raise QueueError(
        "QUEUE_NUMBER_CONFLICT",
        "번호표를 만들지 못했어요. 잠시 후 다시 눌러 주세요",
        "could not allocate a ticket number after repeated conflicts",
    )


def _transition(session: Session, ticket: Ticket, to: str) -> None:
    if to not in _ALLOWED[ticket.status]:
        raise QueueError(
            "QUEUE_BAD_TRANSITION",
            "지금 상태에서는 할 수 없는 일이에요",
            f"ticket {ticket.display} cannot go from {ticket.status} to {to}",
        )
    # Compare-and-set: a second desk acting on the same ticket at the same moment loses cleanly.
    result = session.execute(
        update(Ticket).where(Ticket.id == ticket.id, Ticket.status == ticket.status).values(status=to)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(ticket)
        raise QueueError(
            "QUEUE_CHANGED",
            "다른 창구에서 먼저 처리했어요",
            f"ticket {ticket.display} was changed by another desk",
        )
    session.refresh(ticket)


def _get(session: Session, ticket_id: uuid.UUID) -> Ticket:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise QueueError("QUEUE_NO_TICKET", "번호표를 찾을 수 없어요", f"no ticket {ticket_id}")
    return ticket


def waiting_order(session: Session, center_id: uuid.UUID, line: str, service_date: date) -> list[Ticket]:
    """Waiting tickets in calling order: transferred people (they waited once) first, then by number."""
    return list(
        session.scalars(
            select(Ticket)
            .where(
                Ticket.center_id == center_id,
                Ticket.service_date == service_date,
                Ticket.line == line,
                Ticket.status == WAITING,
            )
            .order_by(Ticket.transfer_note.is_(None), Ticket.number)
        )
    )


def call_next(
    session: Session,
    center_id: uuid.UUID,
    line: str,
    desk: str,
    counselor_id: uuid.UUID | None,
    *,
    now: datetime | None = None,
    clock: QueueClock | None = None,
) -> Ticket | None:
    """Call the next waiting ticket of ``line`` to ``desk``; None when nobody is waiting."""
    now = now or utcnow()
    service_date = (clock or QueueClock()).service_date(now)
    for _ in range(MAX_ATTEMPTS):
        queue = waiting_order(session, center_id, line, service_date)
        if not queue:
            return None
        ticket = queue[0]
        result = session.execute(
            update(Ticket)
            .where(Ticket.id == ticket.id, Ticket.status == WAITING)
            .values(status=CALLED, desk=desk, counselor_id=counselor_id, called_at=now)
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            session.refresh(ticket)
            return ticket
        session.expire(ticket)  # another desk called this one first; take the next
    return None


def start_serving(session: Session, ticket_id: uuid.UUID, *, now: datetime | None = None) -> Ticket:
    ticket = _get(session, ticket_id)
    _transition(session, ticket, SERVING)
    ticket.served_at = now or utcnow()
    session.flush()
    return ticket


def finish(session: Session, ticket_id: uuid.UUID, *, now: datetime | None = None) -> Ticket:
    ticket = _get(session, ticket_id)
    _transition(session, ticket, DONE)
    ticket.done_at = now or utcnow()
    session.flush()
    return ticket


def mark_no_show(session: Session, ticket_id: uuid.UUID, *, now: datetime | None = None) -> Ticket:
    ticket = _get(session, ticket_id)
    _transition(session, ticket, NO_SHOW)
    ticket.done_at = now or utcnow()
    session.flush()
    return ticket


def requeue(session: Session, ticket_id: uuid.UUID) -> Ticket:
    """A called person who did not come (or a no-show who came back) waits again with the same number."""
    ticket = _get(session, ticket_id)
    _transition(session, ticket, WAITING)
    ticket.desk, ticket.called_at, ticket.done_at = None, None, None
    session.flush()
    return ticket


def transfer(
    session: Session,
    ticket_id: uuid.UUID,
    to_line: str,
    note: str,
    *,
    now: datetime | None = None,
    clock: QueueClock | None = None,
    lines: dict[str, ServiceLine] | None = None,
) -> Ticket:
    """Send a called or served person to another line; the note (and earlier notes) travel along.

    The old ticket ends as ``transferred``; the new one waits on ``to_line`` and is called before
    first-time tickets, because the person already waited once.
    """
    if not note.strip():
        raise QueueError("QUEUE_NOTE_REQUIRED", "넘기는 이유를 적어 주세요", "a transfer needs a note")
    ticket = _get(session, ticket_id)
    service_line(to_line, lines)
    _transition(session, ticket, TRANSFERRED)
    now = now or utcnow()
    notes = [n for n in (ticket.transfer_note, f"{ticket.display} → {to_line}: {note.strip()}") if n]
    ticket.transfer_note = "\n".join(notes)
    ticket.done_at = now
    session.flush()
    return issue_ticket(
        session,
        ticket.center_id,
        to_line,
        visit_id=ticket.visit_id,
        transfer_note=ticket.transfer_note,
        now=now,
        clock=clock,
        lines=lines,
    )
