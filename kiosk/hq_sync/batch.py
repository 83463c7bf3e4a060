"""One sync batch (HQ-CONTRACT.md): the center's events and audit rows after where HQ stands, and its
signed chain head, as the exact bytes that are signed and sent.

``build_batch`` reads the rows; ``encode_batch`` / ``parse_batch`` are the codec (the bytes are compact
UTF-8 JSON; parse checks the shape HQ checks, so a round trip proves what is sent is what HQ reads).
Audit rows travel as stored, their times in db.audit's hashing form, so HQ recomputes the same hashes.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from config import clock
from db.models import AuditEvent, SyncEvent
from kiosk.hq_sync.contacts import ContactSealing
from kiosk.hq_sync.keys import CenterKey

VERSION = 1
MAX_BODY_BYTES = 4 * 1024 * 1024
MAX_ROWS = 1000  # events, and audit rows, per batch (HQ refuses more)


class BatchFormatError(ValueError):
    """Bytes that are not a batch of the contract's shape."""


def audit_time(at: datetime) -> str:
    """An audit row's time exactly as db.audit hashes it (UTC, microseconds)."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def event_time(at: datetime) -> str:
    return at.astimezone(UTC).isoformat()


def head_message(center_code: str, audit_seq: int, audit_hash: str, signed_at: str) -> bytes:
    """What the hub signs for its chain head (ASCII), signed_at exactly as sent."""
    return f"{center_code}:{audit_seq}:{audit_hash}:{signed_at}".encode("ascii")


@dataclass(frozen=True)
class Batch:
    body: bytes
    signature: str  # base64 Ed25519 over body
    events: int
    audit: int
    last_event_seq: int  # the last seq this batch carries (the cursor's when it carries none)
    last_audit_seq: int

    @property
    def empty(self) -> bool:
        return not (self.events or self.audit)


def encode_batch(doc: Mapping[str, Any]) -> bytes:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def _event_row(row: Any) -> dict[str, Any]:
    return {"seq": row.seq, "type": row.type, "at": event_time(row.at), "data": dict(row.data)}


def _audit_row(row: Any) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "at": audit_time(row.at),
        "actor": row.actor,
        "action": row.action,
        "target": row.target,
        "detail": dict(row.detail or {}),
        "prev_hash": row.prev_hash,
        "hash": row.hash,
    }


_EVENT, _AUDIT = SyncEvent.__table__, AuditEvent.__table__


def build_batch(
    session: Session,
    center_id: uuid.UUID,
    center_code: str,
    key: CenterKey,
    *,
    events_after: int,
    audit_after: int,
    limit: int = MAX_ROWS,
    now: datetime | None = None,
    sealing: ContactSealing | None = None,
) -> Batch:
    """The batch after HQ's acknowledgement: ≤ ``limit`` events and audit rows, ≤ 4 MiB, signed.

    With ``sealing`` (HQ's public key is configured), each visit.submitted carries the person's contact
    sealed to HQ as ``person_sealed``; it is made here, never stored at the center."""
    limit = max(1, min(limit, MAX_ROWS))
    conn = session.connection()
    while True:
        events = conn.execute(
            select(_EVENT.c.seq, _EVENT.c.type, _EVENT.c.at, _EVENT.c.data)
            .where(_EVENT.c.center_id == center_id, _EVENT.c.seq > events_after)
            .order_by(_EVENT.c.seq)
            .limit(limit)
        ).all()
        audit = conn.execute(
            select(_AUDIT).where(_AUDIT.c.seq > audit_after).order_by(_AUDIT.c.seq).limit(limit)
        ).all()
        signed_at = (now or clock.now()).astimezone(UTC).isoformat()
        head_row = audit[-1] if audit else None
        if head_row is None and audit_after > 0:
            head_row = conn.execute(
                select(_AUDIT.c.seq, _AUDIT.c.hash).where(_AUDIT.c.seq == audit_after)
            ).first()
        head = None
        if head_row is not None:
            message = head_message(center_code, head_row.seq, head_row.hash, signed_at)
            head = {
                "audit_seq": head_row.seq,
                "audit_hash": head_row.hash,
                "signed_at": signed_at,
                "signature": key.sign(message),
            }
        event_rows = [_event_row(row) for row in events]
        if sealing is not None:
            sealing.seal_rows(session, event_rows)
        doc = {
            "v": VERSION,
            "center": center_code,
            "sent_at": signed_at,
            "events": event_rows,
            "audit": [_audit_row(row) for row in audit],
            "head": head,
        }
        body = encode_batch(doc)
        if len(body) <= MAX_BODY_BYTES or limit == 1:
            break
        limit //= 2  # rows this large are rare (an audit detail, a long list): fewer rows per batch
    return Batch(
        body=body,
        signature=key.sign(body),
        events=len(events),
        audit=len(audit),
        last_event_seq=events[-1].seq if events else events_after,
        last_audit_seq=audit[-1].seq if audit else audit_after,
    )


# --- the codec's reading side: the shape HQ checks ------------------------------------------------------
_EVENT_KEYS = {"seq", "type", "at", "data"}
_AUDIT_KEYS = {"seq", "at", "actor", "action", "target", "detail", "prev_hash", "hash"}
_HEAD_KEYS = {"audit_seq", "audit_hash", "signed_at", "signature"}


def _fail(what: str) -> BatchFormatError:
    return BatchFormatError(what)


def _seq(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _fail(f"{where}: seq must be a positive integer")
    return value


def _aware(value: Any, where: str) -> datetime:
    if not isinstance(value, str):
        raise _fail(f"{where}: a time must be an ISO 8601 string")
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise _fail(f"{where}: not an ISO 8601 time") from None
    if at.tzinfo is None:
        raise _fail(f"{where}: a time needs its zone")
    return at


def _rows(doc: Mapping[str, Any], name: str, keys: set[str]) -> list[dict[str, Any]]:
    rows = doc.get(name)
    if not isinstance(rows, list) or len(rows) > MAX_ROWS:
        raise _fail(f"{name}: a list of at most {MAX_ROWS} rows")
    previous = None
    for index, row in enumerate(rows):
        where = f"{name}[{index}]"
        if not isinstance(row, dict) or set(row) != keys:
            raise _fail(f"{where}: exactly the keys {sorted(keys)}")
        seq = _seq(row["seq"], where)
        if previous is not None and seq != previous + 1:
            raise _fail(f"{where}: seqs ascend without gaps")
        previous = seq
        _aware(row["at"], where)
    return rows


def parse_batch(body: bytes) -> dict[str, Any]:
    """The batch in ``body``; BatchFormatError naming the first thing that is not the contract's."""
    if len(body) > MAX_BODY_BYTES:
        raise _fail("larger than 4 MiB")
    try:
        doc = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _fail("not UTF-8 JSON") from None
    if not isinstance(doc, dict) or set(doc) != {"v", "center", "sent_at", "events", "audit", "head"}:
        raise _fail("exactly the keys v, center, sent_at, events, audit, head")
    if doc["v"] != VERSION or isinstance(doc["v"], bool):
        raise _fail(f"v must be {VERSION}")
    if not isinstance(doc["center"], str) or not doc["center"]:
        raise _fail("center: the center's code")
    _aware(doc["sent_at"], "sent_at")
    for row in _rows(doc, "events", _EVENT_KEYS):
        if not isinstance(row["type"], str) or not isinstance(row["data"], dict):
            raise _fail("events: type is a string, data an object")
    for row in _rows(doc, "audit", _AUDIT_KEYS):
        texts = (row["actor"], row["action"], row["target"], row["prev_hash"], row["hash"])
        if not all(isinstance(t, str) for t in texts) or not isinstance(row["detail"], dict):
            raise _fail("audit: actor, action, target, hashes are strings, detail an object")
    head = doc["head"]
    if head is not None:
        if not isinstance(head, dict) or set(head) != _HEAD_KEYS:
            raise _fail(f"head: null or exactly the keys {sorted(_HEAD_KEYS)}")
        _seq(head["audit_seq"], "head")
        _aware(head["signed_at"], "head.signed_at")
        if not isinstance(head["audit_hash"], str) or not isinstance(head["signature"], str):
            raise _fail("head: audit_hash and signature are strings")
    return doc
