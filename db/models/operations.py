"""Operational records: the audit hash chain, the print spool and the sync outbox."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Timestamps, UUIDPk, utcnow
from db.models.enums import EnumString, OutboxStatus, PrintJobStatus


class AuditEvent(Base):
    """Append-only; each row hashes its predecessor. Rows hold ids and hashes, never personal data."""

    __tablename__ = "audit_event"

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(120))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class PrintJob(UUIDPk, Timestamps, Base):
    __tablename__ = "print_job"
    __table_args__ = (Index("ix_print_job_status", "status"),)

    printer: Mapped[str] = mapped_column(String(60))
    template: Mapped[str] = mapped_column(String(40))
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[PrintJobStatus] = mapped_column(
        EnumString(PrintJobStatus, 20), default=PrintJobStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]


class OutboxEntry(UUIDPk, Timestamps, Base):
    """What a lobby could not hand to the hub yet, sent again with its idempotency key (kiosk.client.outbox).

    Personal data only as ciphertext: ``payload_enc`` is the whole request, encrypted with the field
    cipher under context "outbox.payload" (found by db.rotation's naming convention). The other columns
    route the entry and hold no personal data. Once the hub acknowledges it, the payload is deleted and
    ``payload_sha256`` stays as the receipt. ``body`` is the clear JSON of rows written before revision
    0002; the outbox seals such rows (encrypts them into ``payload_enc``, empties ``body``) when it starts.
    """

    __tablename__ = "outbox"

    # An OutboxKind, kept a plain string: an entry of a kind this lobby does not know (written by another
    # version) must still load, so the outbox can quarantine it instead of failing the whole pass.
    kind: Mapped[str] = mapped_column(String(40))
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    visit_id: Mapped[str | None] = mapped_column(String(36))  # a claim waits for its visit's entry
    payload_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    payload_sha256: Mapped[str | None] = mapped_column(String(64))
    body: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # legacy rows only (see above)
    status: Mapped[OutboxStatus] = mapped_column(EnumString(OutboxStatus, 20), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]  # backoff: not tried again before this instant
    last_error: Mapped[str | None] = mapped_column(String(60))  # a code (http_500, unreachable), never a body
    sent_at: Mapped[datetime | None]


class IdempotencyRecord(UUIDPk, Timestamps, Base):
    """The answer the hub gave to a keyed request (ticket issue, signing): a replay gets it again."""

    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("scope", "key"),)

    scope: Mapped[str] = mapped_column(String(40))  # e.g. "ticket.issue", "document.sign"
    key: Mapped[str] = mapped_column(String(80))
    principal: Mapped[str] = mapped_column(String(80))
    request_sha256: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class TicketReservation(UUIDPk, Timestamps, Base):
    """A ticket number the hub issued ahead to one lobby kiosk, handed out while the hub is unreachable.

    Lives in the lobby's local database. The hub already holds the ticket row, so the number can never
    be issued twice there; here the unique constraints stop the kiosk from handing one out twice.
    """

    __tablename__ = "ticket_reservation"
    __table_args__ = (UniqueConstraint("service_date", "line", "number"),)

    hub_ticket_id: Mapped[str] = mapped_column(String(36), unique=True)
    service_date: Mapped[date] = mapped_column(Date)
    line: Mapped[str] = mapped_column(String(10))
    number: Mapped[int] = mapped_column(Integer)
    display: Mapped[str] = mapped_column(String(12))
    used_by_visit_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    used_at: Mapped[datetime | None]
