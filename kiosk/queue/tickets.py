"""Queue tickets: per-center daily numbering, calling, serving, no-shows and transfers.

No number is issued twice, even with several kiosks and a hub writing at once: the database's unique
constraint (center, service date, line, number) is the judge. The numbering rule lives here once, for
``issue_ticket`` and for the hub's batches (kiosk.hub.ticket_store): take the numbering lock
(``begin_numbering`` — SQLite's one write lock, taken before anything is read — then ``lock_numbering``
per line — PostgreSQL's transaction-scoped advisory lock, so processes with their own connections take
turns instead of racing for one number), read where each line stands (``line_counts``), and give each
new ticket its line's next number (``LineCount.take``). A clash that still slips through (a writer that
skips the lock) is retried inside a savepoint, leaving the caller's transaction intact.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from config import clock
from db import sync_events
from db.base import utcnow
from db.models import Ticket, TicketStatus
from kiosk.queue.lines import ServiceLine, service_lines

# Short names for the statuses a desk moves a ticket through (the enum lives in db.models.enums).
WAITING, CALLED, SERVING, DONE, NO_SHOW, TRANSFERRED, CANCELLED = (
    TicketStatus.WAITING,
    TicketStatus.CALLED,
    TicketStatus.SERVING,
    TicketStatus.DONE,
    TicketStatus.NO_SHOW,
    TicketStatus.TRANSFERRED,
    TicketStatus.CANCELLED,
)
STATUSES = (WAITING, CALLED, SERVING, DONE, NO_SHOW, TRANSFERRED, CANCELLED)
# Which status may follow which. A no-show may come back and be called again (it is put back to waiting).
_ALLOWED: dict[TicketStatus, set[TicketStatus]] = {
    WAITING: {CALLED, NO_SHOW, TRANSFERRED, CANCELLED},
    CALLED: {SERVING, NO_SHOW, TRANSFERRED, WAITING},
    SERVING: {DONE, TRANSFERRED},
    NO_SHOW: {WAITING},
    DONE: set(),
    TRANSFERRED: set(),
    CANCELLED: set(),
}
MAX_ATTEMPTS = 20
_LOOKUP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed at a desk


class QueueError(Exception):
    """A queue operation that cannot be done; ``code`` for logs/staff, ``ko``/``en`` for people."""

    def __init__(self, code: str, ko: str, en: str) -> None:
        self.code, self.ko, self.en = code, ko, en
        super().__init__(f"[{code}] {en}")


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


# SQLite: a write statement that matches no row, so the transaction holds the database's one write lock
# before it reads the numbers: no other writer can add a ticket between that read and the INSERT.
_SQLITE_WRITE_LOCK = text("UPDATE ticket SET line = line WHERE id IS NULL")


def begin_numbering(session: Session) -> None:
    """SQLite: take the write lock now (waiting for it), before the numbers are read; PostgreSQL:
    nothing, lock_numbering locks per line."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(_SQLITE_WRITE_LOCK)


def lock_numbering(session: Session, center_id: uuid.UUID, service_date: date, line: str) -> None:
    """PostgreSQL: serialise issuers of one center/day/line until the caller's transaction ends.

    Under READ COMMITTED each statement sees what was committed before it started, so once the lock is
    held the INSERT's max(number)+1 already counts the previous holder's ticket. Different lines and
    centers never wait for each other (a hash collision only makes two of them take turns).
    """
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite: begin_numbering's write lock already serialises every issuer
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
    status: TicketStatus = WAITING
    desk: str | None = None
    called_at: datetime | None = None


@dataclass
class LineCount:
    """Where one line of one center's day stands: its last number and how many wait."""

    last: int = 0
    waiting: int = 0

    def take(self) -> int:
        """The next number of the line (numbers restart at 1 every service date), now taken."""
        self.last += 1
        self.waiting += 1
        return self.last


# Built once (statement construction costs more than the SQL).
_TICKET = Ticket.__table__
# Last number and waiting count per line of one center's day, in one read.
_LINE_COUNTS = (
    select(
        _TICKET.c.line,
        func.max(_TICKET.c.number),
        func.count(_TICKET.c.id).filter(_TICKET.c.status == WAITING),
    )
    .where(
        _TICKET.c.center_id == bindparam("center_id"),
        _TICKET.c.service_date == bindparam("service_date"),
        _TICKET.c.line.in_(bindparam("lines", expanding=True)),
    )
    .group_by(_TICKET.c.line)
)
_INSERT_TICKETS = insert(Ticket)


def line_counts(
    session: Session, center_id: uuid.UUID, service_date: date, lines: Iterable[str]
) -> dict[str, LineCount]:
    """Each line's standing on the center's service date; read it under the numbering lock
    (begin_numbering, then lock_numbering per line) so that no other issuer moves it meanwhile."""
    counts = {line: LineCount() for line in lines}
    params = {"center_id": center_id, "service_date": service_date, "lines": sorted(counts)}
    for line, last, waiting in session.connection().execute(_LINE_COUNTS, params):
        counts[line] = LineCount(last or 0, waiting or 0)
    return counts


def insert_tickets(session: Session, tickets: list[IssuedTicket], idempotency_key: str | None = None) -> None:
    """Write just-numbered tickets in one statement (the key only for a single ticket)."""
    rows = [{**asdict(ticket), "idempotency_key": idempotency_key} for ticket in tickets]
    session.connection().execute(_INSERT_TICKETS, rows)
    # HQ sync, in the same transaction (db.sync_log). A number reserved for offline use is not issued to
    # anyone yet: its event comes when a lobby claims it (kiosk.hub.routes_tickets.claim).
    sync_events.tickets_issued(session, [t for t in tickets if t.status != TicketStatus.RESERVED])


def issue_ticket(
    session: Session,
    center_id: uuid.UUID,
    line: str,
    *,
    visit_id: uuid.UUID | None = None,
    idempotency_key: str | None = None,
    transfer_note: str | None = None,
    now: datetime | None = None,
    lines: dict[str, ServiceLine] | None = None,
    status: TicketStatus = WAITING,
) -> Ticket:
    """Issue the next number of ``line`` today. The same ``idempotency_key`` returns the same ticket.
    ``status`` RESERVED sets the number aside for a lobby's offline use (handed out later by a claim).

    Runs in the caller's transaction (the caller commits), which holds the numbering lock until then.
    """
    spec = service_line(line, lines)
    if idempotency_key:
        existing = _by_key(session, idempotency_key)
        if existing is not None:
            return existing
    now = now or utcnow()
    service_date = clock.local_date(now)  # tickets restart at 1 each center day
    conn = session.connection()
    postgres = conn.dialect.name == "postgresql"
    begin_numbering(session)
    lock_numbering(session, center_id, service_date, line)
    # A savepoint keeps the caller's transaction usable after a clash: PostgreSQL aborts a transaction
    # on any error. SQLite only undoes the failed statement, and under its write lock the number
    # cannot clash, so a keyless request skips the two extra statements.
    guarded = postgres or idempotency_key is not None
    for _ in range(MAX_ATTEMPTS):
        number = line_counts(session, center_id, service_date, [line])[line].take()
        issued = IssuedTicket(
            id=uuid.uuid4(),
            center_id=center_id,
            visit_id=visit_id,
            service_date=service_date,
            line=line,
            number=number,
            display=spec.display(number),
            lookup_code=lookup_code(),
            created_at=now,
            transfer_note=transfer_note,
            status=status,
        )
        try:
            with conn.begin_nested() if guarded else nullcontext():
                insert_tickets(session, [issued], idempotency_key)
        except IntegrityError:
            if idempotency_key:
                twin = _by_key(session, idempotency_key)
                if twin is not None:
                    return twin  # a concurrent request with the same key won
            continue  # a writer that skipped the lock took this number first: read the line again
        ticket = session.get(Ticket, issued.id)
        assert ticket is not None
        return ticket
    raise QueueError(
        "QUEUE_NUMBER_CONFLICT",
        "번호표를 만들지 못했어요. 잠시 후 다시 눌러 주세요",
        "could not allocate a ticket number after repeated conflicts",
    )


def _transition(session: Session, ticket: Ticket, to: TicketStatus) -> None:
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
) -> Ticket | None:
    """Call the next waiting ticket of ``line`` to ``desk``; None when nobody is waiting."""
    now = now or utcnow()
    service_date = clock.local_date(now)  # tickets restart at 1 each center day
    return call_first(
        session, lambda: waiting_order(session, center_id, line, service_date), desk, counselor_id, now
    )


def call_first(
    session: Session,
    waiting: Callable[[], Sequence[Ticket]],
    desk: str,
    counselor_id: uuid.UUID | None,
    now: datetime,
) -> Ticket | None:
    """Call the first of ``waiting()`` to ``desk`` by compare-and-set: when another desk calls the same
    person at the same moment, this one loses cleanly and takes the next. None when nobody waits."""
    for _ in range(MAX_ATTEMPTS):
        queue = waiting()
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
            sync_events.ticket_changed(session, ticket)
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
    sync_events.ticket_changed(session, ticket)
    session.flush()
    return ticket


def mark_no_show(session: Session, ticket_id: uuid.UUID, *, now: datetime | None = None) -> Ticket:
    ticket = _get(session, ticket_id)
    _transition(session, ticket, NO_SHOW)
    ticket.done_at = now or utcnow()
    sync_events.ticket_changed(session, ticket)
    session.flush()
    return ticket


def cancel(session: Session, ticket_id: uuid.UUID, *, now: datetime | None = None) -> Ticket:
    """The holder gives a waiting ticket back (from the phone): the people behind move up."""
    ticket = _get(session, ticket_id)
    _transition(session, ticket, CANCELLED)
    ticket.done_at = now or utcnow()
    sync_events.ticket_changed(session, ticket)
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
    sync_events.ticket_transferred(session, ticket, to_line)
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
        lines=lines,
    )
