"""Ticket calls by SMS (issue 18 item 5): the number a ticket holder gave for "곧 차례예요" / "N번 창구로
와 주세요", or for the ticket's number when the printer failed, and which messages went out for it.

The number only as ciphertext (``phone_enc``, context "ticket_sms.phone", found by db.rotation by its
name), its blind index (kiosk.sms.numbers.phone_blind_index, the outbox's opt-outs match the same one)
and ``phone_masked`` ("010-****-5678") for logs and answers. A message id here is the outbox's
(``sms_message.id``), so what was sent can be looked up and is never sent twice for the same event.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Timestamps, UUIDPk


class TicketSms(UUIDPk, Timestamps, Base):
    """One ticket's SMS opt-in (one row per ticket; a transfer moves it to the new ticket)."""

    __tablename__ = "ticket_sms"

    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), unique=True)
    device_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("device.id", ondelete="SET NULL"))
    phone_enc: Mapped[bytes] = mapped_column(LargeBinary)
    phone_blind_index: Mapped[str] = mapped_column(String(64), index=True)
    phone_masked: Mapped[str] = mapped_column(String(16))
    calls: Mapped[bool] = mapped_column(default=False)  # asked for "곧 차례예요" and the call
    # "곧 차례예요", at most once: None = still due, "" = not needed (two or fewer were ahead at the opt-in),
    # else the message's id
    soon_message_id: Mapped[str | None] = mapped_column(String(40))
    called_message_id: Mapped[str | None] = mapped_column(String(40))  # the latest call's message
    called_for: Mapped[datetime | None]  # the ticket's called_at that message announced (one per call)
    number_message_id: Mapped[str | None] = mapped_column(String(40))  # the printer failed: the number
