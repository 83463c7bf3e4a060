"""After-care reminders by SMS (kiosk.aftercare.reminders): which follow-up got which message, and the
person's reply code.

One row per follow-up and due date, made in the same transaction as its message (``sms_message``): the
unique constraint is what keeps a reminder single across restarts and across two hub processes — the
second writer's commit fails and takes its message row with it. A replanned follow-up on a new date
is a new reminder. ``to_blind_index`` is the number's HMAC (the ring's "sms.phone" domain, as on
``sms_message``), so a reply is matched to its reminder without decrypting anything; no number is kept
here.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Timestamps, UUIDPk
from db.models.enums import EnumString


class ReminderReply(StrEnum):
    CONFIRMED = "confirmed"  # "1" = 확인했어요
    CALL_BACK = "call_back"  # "2" = 전화 요청: the counselor calls back


class AftercareReminder(UUIDPk, Timestamps, Base):
    __tablename__ = "aftercare_reminder"
    __table_args__ = (UniqueConstraint("follow_up_id", "due_date"),)

    follow_up_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("follow_up.id", ondelete="CASCADE"))
    due_date: Mapped[date]  # the follow-up's due date this reminder announced
    message_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sms_message.id"))
    to_blind_index: Mapped[str] = mapped_column(String(64), index=True)
    sent_on: Mapped[date]  # the center day it was queued (the outbox may hold it until 08:00)
    reply: Mapped[ReminderReply | None] = mapped_column(EnumString(ReminderReply, 12))
    replied_at: Mapped[datetime | None]
