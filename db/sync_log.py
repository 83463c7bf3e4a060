"""The center's domain events for HQ, written in the caller's transaction and numbered at its commit.

``record`` inserts the event at once (so a savepoint or transaction rolled back takes it away with the
change it tells of) with no number yet. When the transaction commits, a ``before_commit`` hook takes the
center's lock — PostgreSQL: a transaction-scoped advisory lock per center; SQLite: the database's one
write lock, which the INSERT already holds — reads the center's last number and gives the
transaction's events the next ones, in the order they were recorded. So numbers run 1, 2, 3… without
gaps, in commit order, and a reader never sees seq N+1 committed before seq N.

Why at commit and not at ``record``: the event hooks sit deep in the write paths (a ticket's call, a
transfer that issues a new ticket, a batch of lobby tickets under their numbering locks). Taken there,
the center's lock would be held across other locks taken later in the same transaction, in different
orders on different paths — two desks could wait for each other in a circle. Taken last, after the
session's own flush, it is never held while waiting for anything else.

A row that somehow reached a commit unnumbered (a transaction committed past the session, by its
connection) is not lost: ``number_unnumbered`` numbers it later, and the pusher calls it before each pass.

Event data holds ids, codes and times — never personal data: RRN- or phone-shaped text is refused by the
audit chain's own check (db.audit). A person is named only by ``person_bi``, the ring's blind index.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, event, func, insert, select, text, update
from sqlalchemy.orm import Session, SessionTransaction

from db.audit import _check_no_pii
from db.base import utcnow
from db.models import SyncEvent

# The contract's vocabulary (HQ-CONTRACT.md): anything else is a bug at the hook, refused loudly.
EVENT_TYPES = frozenset(
    {
        "visit.submitted",
        "ticket.issued",
        "ticket.called",
        "ticket.done",
        "ticket.no_show",
        "ticket.transferred",
        "ticket.cancelled",
        "case.outcome",
        "consent.given",
        "consent.withdrawn",
        "document.signed",
        "followup.planned",
        "followup.done",
        "purge",
        "device.health",
    }
)
# First half of the two-int advisory-lock key: "sync events" (tickets use "kQNo", the audit chain the
# one-bigint key space).
_PG_LOCK_CLASS = 0x6B53_796E  # "kSyn"
_PENDING = "db.sync_log.pending"  # session.info: [(center_id, event id)] recorded in this transaction
_NUMBERED = "db.sync_log.numbered"  # session.info: this commit numbered events
_COMMIT_LISTENERS: list[Callable[[], None]] = []

_EVENT = SyncEvent.__table__
_INSERT = insert(SyncEvent)
_HEAD = select(func.coalesce(func.max(_EVENT.c.seq), 0)).where(_EVENT.c.center_id == bindparam("center_id"))
_UNNUMBERED_OF = select(_EVENT.c.id).where(
    _EVENT.c.id.in_(bindparam("ids", expanding=True)), _EVENT.c.seq.is_(None)
)
_ORPHANS = (
    select(_EVENT.c.id)
    .where(_EVENT.c.center_id == bindparam("center_id"), _EVENT.c.seq.is_(None))
    .order_by(_EVENT.c.at, _EVENT.c.id)
)
_NUMBER = update(SyncEvent).where(SyncEvent.id == bindparam("event_id")).values(seq=bindparam("event_seq"))
_PG_LOCK = text("SELECT pg_advisory_xact_lock(:cls, :key)")
_SQLITE_LOCK = text("UPDATE sync_event SET type = type WHERE seq = -1")


class SyncEventError(ValueError):
    """An event the contract does not know, or data that is not plain JSON without personal data."""


def record(session: Session, center_id: uuid.UUID, type: str, data: Mapping[str, Any]) -> None:
    """Record one event of ``center_id`` in the caller's transaction (numbered when it commits)."""
    record_many(session, [(center_id, type, data)])


def record_many(session: Session, events: Iterable[tuple[uuid.UUID, str, Mapping[str, Any]]]) -> None:
    """Record (center_id, type, data) events in order, in one INSERT, in the caller's transaction."""
    rows = []
    now = utcnow()
    for center_id, type_, data in events:
        if type_ not in EVENT_TYPES:
            raise SyncEventError(f"unknown sync event type {type_!r}")
        body = dict(data)
        try:
            _check_no_pii(body, f"{type_}.data")
            json.dumps(body, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise SyncEventError(str(exc)) from exc
        rows.append(
            {"id": uuid.uuid4(), "center_id": center_id, "seq": None, "type": type_, "at": now, "data": body}
        )
    if not rows:
        return
    session.connection().execute(_INSERT, rows)
    session.info.setdefault(_PENDING, []).extend((row["center_id"], row["id"]) for row in rows)


def _lock_center(conn: Connection, center_id: uuid.UUID) -> None:
    if conn.dialect.name == "postgresql":
        digest = hashlib.sha256(f"sync|{center_id}".encode()).digest()
        conn.execute(_PG_LOCK, {"cls": _PG_LOCK_CLASS, "key": int.from_bytes(digest[:4], "big", signed=True)})
    elif conn.dialect.name == "sqlite":
        # A write first (as db.audit does): the transaction holds the database's one write lock, and a
        # fresh snapshot, before it reads the head. At commit the event INSERT already holds it.
        conn.execute(_SQLITE_LOCK)


def _number(conn: Connection, center_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> int:
    """Give ``ids`` (those still present and unnumbered) the center's next numbers, in order."""
    if not ids:
        return 0
    _lock_center(conn, center_id)
    head = int(conn.execute(_HEAD, {"center_id": center_id}).scalar_one())
    params = []
    for event_id in ids:
        head += 1
        params.append({"event_id": event_id, "event_seq": head})
    conn.execute(_NUMBER, params)
    return len(params)


@event.listens_for(Session, "before_commit")
def _number_at_commit(session: Session) -> None:
    pending: list[tuple[uuid.UUID, uuid.UUID]] | None = session.info.get(_PENDING)
    if not pending or session.in_nested_transaction():
        return  # a savepoint's release: the outer commit numbers
    session.flush()  # the ORM's own writes take their row locks now, never while the center lock is held
    conn = session.connection()
    by_center: dict[uuid.UUID, list[uuid.UUID]] = {}
    for center_id, event_id in pending:
        by_center.setdefault(center_id, []).append(event_id)
    for center_id in sorted(by_center):  # a fixed order: two commits never wait for each other in a circle
        ids = by_center[center_id]
        present = set(conn.execute(_UNNUMBERED_OF, {"ids": ids}).scalars())
        _number(conn, center_id, [i for i in ids if i in present])  # rolled-back savepoints drop out
    pending.clear()
    session.info[_NUMBERED] = True


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.info.pop(_NUMBERED, False):  # set only by the outermost commit's numbering
        for listener in tuple(_COMMIT_LISTENERS):
            listener()


@event.listens_for(Session, "after_transaction_end")
def _forget_pending(session: Session, transaction: SessionTransaction) -> None:
    # Only the outermost transaction's end: a savepoint's rollback leaves the events around it pending
    # (and its own rows are gone, which the numbering sees).
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
        session.info.pop(_NUMBERED, None)


def add_commit_listener(listener: Callable[[], None]) -> None:
    """Call ``listener`` (cheap, never raising: it runs on the committing thread) after every commit that
    numbered events: the HQ pusher wakes instead of waiting for its next round."""
    _COMMIT_LISTENERS.append(listener)


def remove_commit_listener(listener: Callable[[], None]) -> None:
    if listener in _COMMIT_LISTENERS:
        _COMMIT_LISTENERS.remove(listener)


def number_unnumbered(session: Session, center_id: uuid.UUID) -> int:
    """Number committed events of the center that have no seq yet (oldest first); the caller commits.

    Only a commit that went around the session leaves such a row; an uncommitted one is not seen."""
    conn = session.connection()
    if conn.execute(_ORPHANS.limit(1), {"center_id": center_id}).first() is None:
        return 0  # the usual answer, from a plain read: no lock, no write transaction
    _lock_center(conn, center_id)
    orphans = list(conn.execute(_ORPHANS, {"center_id": center_id}).scalars())  # again, under the lock
    return _number(conn, center_id, orphans)


def last_seq(session: Session, center_id: uuid.UUID) -> int:
    """The center's highest numbered event (0 when none)."""
    return int(session.connection().execute(_HEAD, {"center_id": center_id}).scalar_one())
