"""The SMS outbox (kiosk.sms.outbox): every message stored before it is sent, and the per-number opt-outs.

Personal data only as ciphertext: ``to_enc`` (context "sms_message.to") and ``text_enc`` (context
"sms_message.text", the rendered text, which may carry a code or a masked name) are found by db.rotation
and db.key_guard by their ``_enc`` names. A number is found without decrypting through its blind index
(HMAC under the ring's blind-index key, kiosk.sms.numbers.phone_blind_index). ``to_masked`` is
``010-****-5678`` (db.pii.mask_phone) for operators' listings. The row's id is the message id handed to
the gateway on every try, so a resend after a crash is the same message there.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Timestamps, UUIDPk
from db.models.enums import EnumString


class SmsStatus(StrEnum):
    QUEUED = "queued"  # stored, not yet taken by the gateway (also while retrying or held for auth)
    SENT = "sent"  # the gateway took it (gateway_id known); waiting for the delivery report
    DELIVERED = "delivered"  # the phone has it (DELIVRD)
    FAILED = "failed"  # rejected by the gateway, or undeliverable, or out of tries
    EXPIRED = "expired"  # too late to be of use (its template's ttl) or the carrier's EXPIRED
    SKIPPED = "skipped"  # the number opted out: never sent


class SmsKind(StrEnum):  # the values of kiosk.sms.gateway.MessageKind (db does not import kiosk)
    SMS = "sms"
    LMS = "lms"


class SmsMessage(UUIDPk, Timestamps, Base):
    __tablename__ = "sms_message"
    __table_args__ = (Index("ix_sms_message_status_next", "status", "next_attempt_at"),)

    template: Mapped[str] = mapped_column(String(40))
    kind: Mapped[SmsKind] = mapped_column(EnumString(SmsKind, 8))
    urgency: Mapped[str] = mapped_column(String(12))  # "urgent" | "daytime"
    to_enc: Mapped[bytes] = mapped_column(LargeBinary)
    to_blind_index: Mapped[str] = mapped_column(String(64), index=True)
    to_masked: Mapped[str] = mapped_column(String(16))
    text_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    subject: Mapped[str] = mapped_column(String(60), default="")  # template text, nothing personal
    byte_length: Mapped[int] = mapped_column(default=0)  # EUC-KR bytes of the text
    status: Mapped[SmsStatus] = mapped_column(EnumString(SmsStatus, 12), default=SmsStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(60))  # a code, never a number or a text
    gateway: Mapped[str | None] = mapped_column(String(10))  # "smpp" | "http": who took it
    gateway_id: Mapped[str | None] = mapped_column(String(80), index=True)
    sent_at: Mapped[datetime | None]
    delivery_status: Mapped[str | None] = mapped_column(String(10))  # DELIVRD, UNDELIV, … (gateway words)
    delivery_error: Mapped[str | None] = mapped_column(String(20))
    delivered_at: Mapped[datetime | None]  # when the delivery report says it happened


class SmsOptOut(UUIDPk, Timestamps, Base):
    """A number that asked for no more messages (by its blind index; the number itself is not kept)."""

    __tablename__ = "sms_opt_out"

    blind_index: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(String(20))  # "reply" | "operator"


class SmsEarlyReport(UUIDPk, Timestamps, Base):
    """A delivery report whose message had no gateway id yet (the answer to its submit was lost, or is
    still being written): applied when a row gets that id, by this process or the next one."""

    __tablename__ = "sms_early_report"

    gateway_id: Mapped[str] = mapped_column(String(80), index=True)
    status: Mapped[str] = mapped_column(String(10))
    error: Mapped[str | None] = mapped_column(String(20))
    at: Mapped[datetime]
