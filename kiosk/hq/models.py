"""HQ's own tables (own Base, own migrations in kiosk/hq/migrations): never mixed with a hub's.

PostgreSQL only (JSONB, percentile_cont): HQ runs on the agencies' engine.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from db.base import NAMING, UTCDateTime, utcnow

ROLES = ("analyst", "admin")
VISIT_TYPES = "('visit.submitted', 'case.outcome', 'followup.planned')"


class HqBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime}


class HqCenter(HqBase):
    __tablename__ = "hq_center"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    # Raw 32-byte Ed25519 public key (a PEM file given to `center add` is reduced to these bytes).
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class HqEvent(HqBase):
    __tablename__ = "hq_event"
    __table_args__ = (
        UniqueConstraint("center_id", "seq", name="uq_hq_event_center_seq"),
        # Statistics pick events by type and time, then join a ticket's events by its id.
        Index("ix_hq_event_type_at", "type", "at"),
        Index("ix_hq_event_ticket", "center_id", "type", text("(data ->> 'ticket_id')")),
        # A visit's outcome and follow-ups, a follow-up's end, the days a follow-up is due: partial, so
        # the ticket events (most of the table) carry no entry.
        Index(
            "ix_hq_event_visit",
            "center_id",
            "type",
            text("(data ->> 'visit_id')"),
            postgresql_where=text(f"type IN {VISIT_TYPES}"),
        ),
        Index(
            "ix_hq_event_follow_up",
            "center_id",
            "type",
            text("(data ->> 'follow_up_id')"),
            postgresql_where=text("type IN ('followup.planned', 'followup.done')"),
        ),
        Index(
            "ix_hq_event_due",
            "center_id",
            text("(data ->> 'due_date')"),
            postgresql_where=text("type = 'followup.planned'"),
        ),
        # Returning visitors and purges find a person by the national blind index.
        Index(
            "ix_hq_event_person",
            text("(data ->> 'person_bi')"),
            postgresql_where=text("type = 'visit.submitted'"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    center_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hq_center.id"))
    seq: Mapped[int] = mapped_column(BigInteger)
    type: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime]
    data: Mapped[dict[str, Any]] = mapped_column(JSONB)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When HQ erased the person's blind index from data (a center's purge or HQ's own retention): a
    # replay of the original row then still counts as the same row, and brings nothing back.
    purged_at: Mapped[datetime | None] = mapped_column(default=None)


class HqDay(HqBase):
    """The figures of one center's local day (its zone) for one line and counselor, kept in step with
    hq_event by ingest (kiosk.hq.aggregate) in the batch's own transaction.

    Counts and sums add up across rows; the waits themselves are kept (waits_s) so medians, p90 and
    the over-target share of any grouping stay exact. Tickets belong to their issue day, visits to
    their submission day, follow-ups to their due day (stats.py's docstring)."""

    __tablename__ = "hq_day"
    __table_args__ = (Index("ix_hq_day_day_center", "day", "center_id"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    center_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hq_center.id"))
    day: Mapped[date] = mapped_column(Date)
    line: Mapped[str | None] = mapped_column(String(200), default=None)
    counselor_id: Mapped[str | None] = mapped_column(String(200), default=None)
    visits: Mapped[int] = mapped_column(Integer, default=0)
    visits_eligible: Mapped[int] = mapped_column(Integer, default=0)
    programs_eligible: Mapped[int] = mapped_column(Integer, default=0)
    programs_maybe: Mapped[int] = mapped_column(Integer, default=0)
    eligible_by: Mapped[dict[str, int]] = mapped_column(JSONB, default=dict)  # program id -> visits
    maybe_by: Mapped[dict[str, int]] = mapped_column(JSONB, default=dict)
    outcomes: Mapped[dict[str, int]] = mapped_column(JSONB, default=dict)  # outcome -> visits
    tickets_issued: Mapped[int] = mapped_column(Integer, default=0)
    served: Mapped[int] = mapped_column(Integer, default=0)
    no_shows: Mapped[int] = mapped_column(Integer, default=0)
    transfers: Mapped[int] = mapped_column(Integer, default=0)
    wait_n: Mapped[int] = mapped_column(Integer, default=0)
    wait_sum_s: Mapped[float] = mapped_column(Float, default=0.0)
    waits_s: Mapped[list[float]] = mapped_column(ARRAY(Float), default=list)
    service_n: Mapped[int] = mapped_column(Integer, default=0)
    service_sum_s: Mapped[float] = mapped_column(Float, default=0.0)
    followups_due: Mapped[int] = mapped_column(Integer, default=0)
    followups_done: Mapped[int] = mapped_column(Integer, default=0)


class HqMonth(HqBase):
    """hq_day's rows of one center's local month added up, per line and counselor (kiosk.hq.aggregate
    recomputes a month from its day rows whenever one of them changes, in the same transaction).

    A year of 47 centers is ≈ 200,000 day rows but ≈ 7,000 month rows, so a report over whole months
    reads these. waits_s holds every wait of the month, sorted, so medians and p90 stay exact.
    month is the month's first day."""

    __tablename__ = "hq_month"
    __table_args__ = (Index("ix_hq_month_month_center", "month", "center_id"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    center_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hq_center.id"))
    month: Mapped[date] = mapped_column(Date)
    line: Mapped[str | None] = mapped_column(String(200), default=None)
    counselor_id: Mapped[str | None] = mapped_column(String(200), default=None)
    visits: Mapped[int] = mapped_column(Integer, default=0)
    visits_eligible: Mapped[int] = mapped_column(Integer, default=0)
    programs_eligible: Mapped[int] = mapped_column(Integer, default=0)
    programs_maybe: Mapped[int] = mapped_column(Integer, default=0)
    eligible_by: Mapped[dict[str, int]] = mapped_column(JSONB, default=dict)
    maybe_by: Mapped[dict[str, int]] = mapped_column(JSONB, default=dict)
    outcomes: Mapped[dict[str, int]] = mapped_column(JSONB, default=dict)
    tickets_issued: Mapped[int] = mapped_column(Integer, default=0)
    served: Mapped[int] = mapped_column(Integer, default=0)
    no_shows: Mapped[int] = mapped_column(Integer, default=0)
    transfers: Mapped[int] = mapped_column(Integer, default=0)
    wait_n: Mapped[int] = mapped_column(Integer, default=0)
    wait_sum_s: Mapped[float] = mapped_column(Float, default=0.0)
    waits_s: Mapped[list[float]] = mapped_column(ARRAY(Float), default=list)
    service_n: Mapped[int] = mapped_column(Integer, default=0)
    service_sum_s: Mapped[float] = mapped_column(Float, default=0.0)
    followups_due: Mapped[int] = mapped_column(Integer, default=0)
    followups_done: Mapped[int] = mapped_column(Integer, default=0)


class HqAudit(HqBase):
    __tablename__ = "hq_audit"
    __table_args__ = (UniqueConstraint("center_id", "seq", name="uq_hq_audit_center_seq"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    center_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hq_center.id"))
    seq: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(200))
    target: Mapped[str] = mapped_column(String(200))
    detail: Mapped[dict[str, Any]] = mapped_column(JSONB)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class HqCursor(HqBase):
    """What HQ holds per center; its row is also the per-center lock of ingest (SELECT … FOR UPDATE)."""

    __tablename__ = "hq_cursor"

    center_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hq_center.id"), primary_key=True)
    events_acked: Mapped[int] = mapped_column(BigInteger, default=0)
    audit_acked: Mapped[int] = mapped_column(BigInteger, default=0)
    last_batch_at: Mapped[datetime | None] = mapped_column(default=None)


class HqHead(HqBase):
    """Every signed chain head a center sent: the newest is checked by verify, the rest are history."""

    __tablename__ = "hq_head"
    __table_args__ = (Index("ix_hq_head_center_seq", "center_id", "audit_seq"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    center_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hq_center.id"))
    audit_seq: Mapped[int] = mapped_column(BigInteger)
    audit_hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime]
    # The signed message holds signed_at exactly as the hub wrote it; verify re-signs over this text.
    signed_at_text: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(120))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class HqAccount(HqBase):
    __tablename__ = "hq_account"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id
    role: Mapped[str] = mapped_column(String(16))  # analyst | admin
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class HqReadAudit(HqBase):
    """Who read which person's events, when and why (ids and blind indexes only, never a name)."""

    __tablename__ = "hq_read_audit"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hq_account.id"))
    person_bi: Mapped[str] = mapped_column(String(128))
    purpose: Mapped[str] = mapped_column(Text, default="")
    rows: Mapped[int] = mapped_column(Integer, default=0)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class HqLoginSession(HqBase):
    """A staff member's signed-in browser: only the SHA-256 of its cookie token is kept, so a copy of
    this table cannot be replayed as a cookie."""

    __tablename__ = "hq_login_session"
    __table_args__ = (Index("ix_hq_login_session_account", "account_id"),)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hq_account.id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
