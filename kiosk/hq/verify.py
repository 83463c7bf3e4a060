"""`kiosk hq verify`: re-walk every center's stored audit chain and check its latest signed head.

The chain alone shows an edited or removed row inside it; the signed head shows that what HQ holds
up to that seq is what the center signed, so neither side can rewrite the past unnoticed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.audit import GENESIS, event_hash
from kiosk.hq.models import HqAudit, HqCenter, HqCursor, HqEvent, HqHead
from kiosk.hq.signing import head_message, verifies


@dataclass(frozen=True)
class CenterVerdict:
    code: str
    name: str
    ok: bool
    audit_count: int
    event_count: int
    head_hash: str = GENESIS
    signed_seq: int | None = None
    broken_seq: int | None = None
    reason: str = ""

    def line(self) -> str:
        if not self.ok:
            return f"{self.name} BROKEN at seq {self.broken_seq}: {self.reason}"
        signed = (
            f", signed at seq {self.signed_seq}" if self.signed_seq is not None else ", no signed head yet"
        )
        return (
            f"{self.name} OK {self.audit_count} events head {self.head_hash[:8]}…"
            f" ({self.event_count} domain events{signed})"
        )


def verify_center(session: Session, center: HqCenter, batch: int = 2000) -> CenterVerdict:
    events = (
        session.scalar(select(func.count()).select_from(HqEvent).where(HqEvent.center_id == center.id)) or 0
    )
    rows = session.execute(
        select(HqAudit)
        .where(HqAudit.center_id == center.id)
        .order_by(HqAudit.seq)
        .execution_options(yield_per=batch)
    ).scalars()
    prev_hash, expected, count = GENESIS, 1, 0

    def broken(seq: int, reason: str) -> CenterVerdict:
        return CenterVerdict(center.code, center.name, False, count, events, prev_hash, None, seq, reason)

    for row in rows:
        if row.seq != expected:
            return broken(expected, "an event is missing")
        if row.prev_hash != prev_hash:
            return broken(row.seq, "prev_hash does not match the previous event")
        try:
            recomputed = event_hash(
                row.seq, row.at, row.actor, row.action, row.target, row.detail, row.prev_hash
            )
        except (TypeError, ValueError):
            recomputed = ""
        if recomputed != row.hash:
            return broken(row.seq, "content does not match its hash")
        prev_hash, expected, count = row.hash, expected + 1, count + 1
    acked = session.scalar(select(HqCursor.audit_acked).where(HqCursor.center_id == center.id)) or 0
    if count < acked:
        return broken(count + 1, f"an event is missing (HQ acknowledged up to {acked})")
    head = session.scalar(
        select(HqHead)
        .where(HqHead.center_id == center.id)
        .order_by(HqHead.audit_seq.desc(), HqHead.id.desc())
        .limit(1)
    )
    if head is None:
        return CenterVerdict(center.code, center.name, True, count, events, prev_hash)
    message = head_message(center.code, head.audit_seq, head.audit_hash, head.signed_at_text)
    if not verifies(center.public_key, head.signature, message):
        return broken(head.audit_seq, "the signed head's signature does not verify")
    stored = (
        GENESIS
        if head.audit_seq == 0
        else session.scalar(
            select(HqAudit.hash).where(HqAudit.center_id == center.id, HqAudit.seq == head.audit_seq)
        )
    )
    if stored != head.audit_hash:
        return broken(head.audit_seq, "the stored event does not match the signed head")
    return CenterVerdict(center.code, center.name, True, count, events, prev_hash, head.audit_seq)


def verify_all(session: Session) -> list[CenterVerdict]:
    centers = session.scalars(select(HqCenter).order_by(HqCenter.code))
    return [verify_center(session, center) for center in centers]
