"""Storing one center's batch exactly once, per the contract's gap / replay / conflict / chain rules.

Everything here runs in the caller's transaction and raises SyncError before the caller commits, so a
refused batch leaves nothing behind. The center's hq_cursor row, locked FOR UPDATE first, orders the
batches of one center; batches of different centers do not wait for each other.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from config import clock
from db.audit import GENESIS, event_hash
from kiosk.hq import errors
from kiosk.hq.aggregate import refresh, touched_days
from kiosk.hq.codec import AuditIn, BatchIn, EventIn, HeadIn
from kiosk.hq.models import HqAudit, HqCenter, HqCursor, HqEvent, HqHead
from kiosk.hq.purge import PERSON_KEY, SEALED_KEY, apply_purges
from kiosk.hq.signing import head_message, verifies


@dataclass(frozen=True)
class Ack:
    events_acked: int
    audit_acked: int

    def body(self) -> dict[str, int]:
        return {"events_acked": self.events_acked, "audit_acked": self.audit_acked}


def find_center(session: Session, code: str) -> HqCenter:
    center = session.scalar(select(HqCenter).where(HqCenter.code == code))
    if center is None:
        raise errors.unknown_center(code)
    if center.revoked_at is not None:
        raise errors.revoked_center(code)
    return center


def lock_cursor(session: Session, center: HqCenter) -> HqCursor:
    """The center's cursor row, created on first contact, locked until the transaction ends."""
    session.execute(
        insert(HqCursor).values(center_id=center.id, events_acked=0, audit_acked=0).on_conflict_do_nothing()
    )
    cursor = session.scalar(
        select(HqCursor)
        .where(HqCursor.center_id == center.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert cursor is not None  # inserted just above or already there
    return cursor


def read_cursor(session: Session, center: HqCenter) -> Ack:
    cursor = session.get(HqCursor, center.id)
    return Ack(cursor.events_acked, cursor.audit_acked) if cursor else Ack(0, 0)


def ingest_batch(session: Session, center: HqCenter, batch: BatchIn) -> Ack:
    """Store what is new in batch; the highest contiguous seqs HQ now holds. SyncError: store nothing."""
    cursor = lock_cursor(session, center)
    try:
        events_acked = _take_events(session, center, cursor.events_acked, batch.events)
        audit_acked = _take_audit(session, center, cursor.audit_acked, batch.audit)
        if batch.head is not None:
            _take_head(session, center, audit_acked, batch.head)
    except errors.SyncError as exc:
        exc.events_acked, exc.audit_acked = cursor.events_acked, cursor.audit_acked
        raise
    cursor.events_acked, cursor.audit_acked = events_acked, audit_acked
    cursor.last_batch_at = clock.now()
    return Ack(events_acked, audit_acked)


def _check_start(kind: str, rows: Sequence[EventIn] | Sequence[AuditIn], acked: int) -> None:
    if rows and rows[0].seq > acked + 1:
        raise errors.gap(kind, rows[0].seq, acked)


def _check_replayed(
    session: Session,
    model: Any,  # HqEvent or HqAudit
    center: HqCenter,
    replayed: Sequence[Any],
    same: Callable[[Any, Any], bool],
) -> None:
    """Rows at or below what HQ holds must be the very rows it holds (a replay), else SYNC_CONFLICT."""
    if not replayed:
        return
    kind = "event" if model is HqEvent else "audit"
    stored = {
        row.seq: row
        for row in session.scalars(
            select(model).where(
                model.center_id == center.id, model.seq.between(replayed[0].seq, replayed[-1].seq)
            )
        )
    }
    for incoming in replayed:
        have = stored.get(incoming.seq)
        if have is None or not same(have, incoming):
            raise errors.conflict(kind, incoming.seq)


def _same_event(row: HqEvent, event: EventIn) -> bool:
    data = event.data
    if row.purged_at is not None:  # HQ erased the person since: the original still carries them
        data = {key: value for key, value in data.items() if key not in (PERSON_KEY, SEALED_KEY)}
    return (row.type, row.at, row.data) == (event.type, event.at, data)


_INSERT_EVENTS = text("""
INSERT INTO hq_event (center_id, seq, type, at, data, received_at)
SELECT :center, b.seq, b.type, b.at, b.data::jsonb, :received
FROM unnest(CAST(:seqs AS bigint[]), CAST(:types AS text[]), CAST(:ats AS timestamptz[]),
            CAST(:datas AS text[])) AS b(seq, type, at, data)
ON CONFLICT (center_id, seq) DO NOTHING
""")


def _take_events(session: Session, center: HqCenter, acked: int, events: Sequence[EventIn]) -> int:
    if not events:
        return acked
    _check_start("event", events, acked)
    _check_replayed(session, HqEvent, center, [e for e in events if e.seq <= acked], _same_event)
    fresh = [e for e in events if e.seq > acked]
    if fresh:
        # One statement for the whole batch (arrays unnested server-side): a thousand-row executemany
        # spent most of its time in round trips. The lock makes a duplicate impossible; DO NOTHING keeps
        # a replay harmless even without it.
        params = {
            "center": center.id,
            "received": clock.now(),
            "seqs": [e.seq for e in fresh],
            "types": [e.type for e in fresh],
            "ats": [e.at for e in fresh],
            "datas": [json.dumps(e.data, ensure_ascii=False, allow_nan=False) for e in fresh],
        }
        session.execute(_INSERT_EVENTS, params)
        # In this transaction, so the batch, its purges and its figures are stored together or not at all.
        if any(e.type == "purge" for e in fresh):
            apply_purges(session, center.id, fresh[0].seq, fresh[-1].seq)
        refresh(session, center.id, touched_days(session, center.id, [(e.type, e.at, e.data) for e in fresh]))
    return max(acked, events[-1].seq)


def _audit_fields(row: AuditIn | HqAudit) -> tuple[Any, ...]:
    return (row.seq, row.at, row.actor, row.action, row.target, row.detail, row.prev_hash, row.hash)


def _stored_hash(session: Session, center: HqCenter, seq: int) -> str | None:
    if seq == 0:
        return GENESIS
    return session.scalar(select(HqAudit.hash).where(HqAudit.center_id == center.id, HqAudit.seq == seq))


def _take_audit(session: Session, center: HqCenter, acked: int, audit: Sequence[AuditIn]) -> int:
    if not audit:
        return acked
    _check_start("audit", audit, acked)
    _check_replayed(
        session,
        HqAudit,
        center,
        [row for row in audit if row.seq <= acked],
        lambda have, row: _audit_fields(have) == _audit_fields(row),
    )
    new = [row for row in audit if row.seq > acked]
    if not new:
        return acked
    prev_hash = _stored_hash(session, center, acked)
    rows = []
    for row in new:
        if row.prev_hash != prev_hash:
            raise errors.chain_broken(
                row.seq, "prev_hash is not the previous event's hash", "앞 기록의 해시와 달라요"
            )
        try:
            recomputed = event_hash(
                row.seq, row.at, row.actor, row.action, row.target, row.detail, row.prev_hash
            )
        except (TypeError, ValueError):
            recomputed = ""
        if recomputed != row.hash:
            raise errors.chain_broken(row.seq, "content does not match its hash", "내용이 해시와 맞지 않아요")
        rows.append({"center_id": center.id, **row.model_dump()})
        prev_hash = row.hash
    session.execute(insert(HqAudit).on_conflict_do_nothing(index_elements=["center_id", "seq"]), rows)
    return new[-1].seq


def _take_head(session: Session, center: HqCenter, audit_acked: int, head: HeadIn) -> None:
    message = head_message(center.code, head.audit_seq, head.audit_hash, head.signed_at)
    if not verifies(center.public_key, head.signature, message):
        raise errors.bad_signature("head")
    if head.audit_seq > audit_acked:
        raise errors.chain_broken(
            head.audit_seq,
            "the signed head is beyond the audit rows HQ holds",
            "서명한 머리가 본부가 가진 기록보다 뒤예요",
        )
    session.flush()  # the rows of this batch are visible to the lookup below
    if _stored_hash(session, center, head.audit_seq) != head.audit_hash:
        raise errors.chain_broken(
            head.audit_seq,
            "the signed head does not match the stored event",
            "서명한 머리가 저장된 기록과 달라요",
        )
    already = session.scalar(
        select(HqHead.id).where(
            HqHead.center_id == center.id,
            HqHead.audit_seq == head.audit_seq,
            HqHead.audit_hash == head.audit_hash,
            HqHead.signed_at_text == head.signed_at,
        )
    )
    if already is None:
        session.add(
            HqHead(
                center_id=center.id,
                audit_seq=head.audit_seq,
                audit_hash=head.audit_hash,
                signed_at=head.signed_at_time,
                signed_at_text=head.signed_at,
                signature=head.signature,
                received_at=clock.now(),
            )
        )
