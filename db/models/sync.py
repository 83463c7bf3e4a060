"""What the center sends to HQ (issue 20): its domain events, numbered per center, and how far HQ has them.

An event row is written in the same transaction as the change it tells of (db.sync_log). Its ``seq`` is
given at that transaction's commit, under a per-center lock, so the numbers run 1, 2, 3… without gaps in
commit order; until then (and for the moment of the commit only) it is NULL. ``data`` holds ids, codes
and times, never a person's name, RRN or phone, not even encrypted (HQ-CONTRACT.md).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UUIDPk, utcnow

_SEQ = BigInteger()


class SyncEvent(UUIDPk, Base):
    __tablename__ = "sync_event"
    __table_args__ = (UniqueConstraint("center_id", "seq"),)

    center_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("center.id"))
    seq: Mapped[int | None] = mapped_column(_SEQ)
    type: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class SyncCursor(Base):
    """How far HQ holds this center's events and audit rows, as HQ last answered (HQ stays the judge)."""

    __tablename__ = "sync_cursor"

    center_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("center.id"), primary_key=True)
    events_acked: Mapped[int] = mapped_column(_SEQ, default=0)
    audit_acked: Mapped[int] = mapped_column(_SEQ, default=0)
    last_ok_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
