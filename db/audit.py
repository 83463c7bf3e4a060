"""The append-only audit chain: each event hashes its predecessor, so an edited or deleted row shows.

hash = SHA-256 of the canonical JSON (sorted keys, no spaces, UTF-8) of
``{"seq", "at" (ISO 8601 UTC, microseconds), "actor", "action", "target", "detail", "prev_hash"}``;
the first event's prev_hash is 64 zeros. Events carry ids and hashes, never personal data: any
RRN- or phone-shaped text in them is refused, so the retention purge never has to touch this table.

Concurrent writers are serialised per database: PostgreSQL takes a transaction-scoped advisory lock,
SQLite takes its write lock (a first write statement) before reading the chain head, so the head
read and the insert after it are one step for every appender.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, text
from sqlalchemy.orm import Session

from db.models import AuditEvent
from db.pii import mask_pii_text

GENESIS = "0" * 64
# Arbitrary constant naming "the audit chain" among PostgreSQL advisory locks.
_PG_LOCK_KEY = 0x6B696F736B41  # "kioskA"


class AuditDetailError(ValueError):
    """The event would carry personal data or something that is not plain JSON."""


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    count: int
    first_broken_seq: int | None = None
    reason: str = ""
    # Hash of the last good event. The chain cannot show that events were cut off its end; an operator
    # who notes this value (printed by `kiosk audit verify`) elsewhere can.
    head_hash: str = GENESIS


def _format_time(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def event_hash(
    seq: int, at: datetime, actor: str, action: str, target: str, detail: Mapping[str, Any], prev_hash: str
) -> str:
    canonical = json.dumps(
        {
            "seq": seq,
            "at": _format_time(at),
            "actor": actor,
            "action": action,
            "target": target,
            "detail": detail,
            "prev_hash": prev_hash,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _check_no_pii(value: Any, where: str) -> None:
    if isinstance(value, str):
        if mask_pii_text(value) != value:
            raise AuditDetailError(f"{where}: looks like an RRN or phone number; audit events hold ids only")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise AuditDetailError(f"{where}: keys must be strings")
            _check_no_pii(key, where)
            _check_no_pii(item, f"{where}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_no_pii(item, f"{where}[{index}]")
    elif value is not None and not isinstance(value, bool | int | float):
        raise AuditDetailError(f"{where}: {type(value).__name__} is not plain JSON")


# Built once: constructing statements per append cost more than running them.
_AUDIT = AuditEvent.__table__
_HEAD = select(_AUDIT.c.seq, _AUDIT.c.hash).order_by(_AUDIT.c.seq.desc()).limit(1)
_INSERT = insert(AuditEvent)
_PG_LOCK = text("SELECT pg_advisory_xact_lock(:k)")
# A write statement as the first statement of a SQLite transaction takes the database's write lock
# (waiting up to busy_timeout) and a fresh snapshot, so the head read after it is the real head.
_SQLITE_LOCK = text("UPDATE audit_event SET actor = actor WHERE seq = -1")


def _lock_chain(conn: Connection) -> None:
    dialect = conn.dialect.name
    if dialect == "postgresql":
        conn.execute(_PG_LOCK, {"k": _PG_LOCK_KEY})
    elif dialect == "sqlite":
        conn.execute(_SQLITE_LOCK)


def append_event(
    session: Session, actor: str, action: str, target: str, detail: Mapping[str, Any] | None = None
) -> None:
    """Append one event in the caller's transaction (it becomes durable when the caller commits)."""
    append_events(session, [(actor, action, target, detail)])


def append_events(
    session: Session, events: Sequence[tuple[str, str, str, Mapping[str, Any] | None]]
) -> None:
    """Append (actor, action, target, detail) events in order, in the caller's transaction.

    Core statements on the session's connection, not the ORM: an append is on every write path, and
    the lock makes read-head-then-insert atomic, so there is nothing for a unit of work to track.
    Several events (a batch of submissions) share one lock, one head read and one INSERT.
    """
    checked = []
    for actor, action, target, detail in events:
        detail = dict(detail or {})
        for name, value in (("actor", actor), ("action", action), ("target", target)):
            _check_no_pii(value, name)
        _check_no_pii(detail, "detail")
        json.dumps(detail, allow_nan=False)  # refuse NaN/inf early: they have no canonical JSON
        checked.append((actor, action, target, detail))
    if not checked:
        return
    conn = session.connection()
    _lock_chain(conn)
    # Under the lock no other appender can take these seqs. A writer that skipped append_events and
    # collides on seq or hash fails the caller's transaction: loudly, with nothing half-written.
    head = conn.execute(_HEAD).first()
    seq, prev_hash = (head.seq, head.hash) if head else (0, GENESIS)
    rows = []
    for actor, action, target, detail in checked:
        seq, at = seq + 1, datetime.now(UTC)
        digest = event_hash(seq, at, actor, action, target, detail, prev_hash)
        rows.append(
            {
                "seq": seq,
                "at": at,
                "actor": actor,
                "action": action,
                "target": target,
                "detail": detail,
                "prev_hash": prev_hash,
                "hash": digest,
            }
        )
        prev_hash = digest
    conn.execute(_INSERT, rows)


def verify_chain(session: Session, batch: int = 1000) -> ChainReport:
    """Walk the chain in seq order; report the first event whose content, link or place is wrong."""
    prev_hash, expected_seq, count = GENESIS, 1, 0
    rows = session.execute(select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch))
    for event in rows.scalars():
        if event.seq != expected_seq:
            return ChainReport(
                False, count, event.seq, f"expected seq {expected_seq}: an event is missing", prev_hash
            )
        if event.prev_hash != prev_hash:
            return ChainReport(
                False, count, event.seq, "prev_hash does not match the previous event", prev_hash
            )
        try:
            recomputed = event_hash(
                event.seq, event.at, event.actor, event.action, event.target, event.detail, event.prev_hash
            )
        except (TypeError, ValueError):
            recomputed = ""
        if recomputed != event.hash:
            return ChainReport(
                False, count, event.seq, "content does not match its hash (edited?)", prev_hash
            )
        prev_hash, expected_seq, count = event.hash, expected_seq + 1, count + 1
    return ChainReport(True, count, head_hash=prev_hash)
