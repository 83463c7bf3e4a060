"""The provider's webhooks this center has taken (kiosk.sms.http.webhook_shared), by their webhook id.

With several hub workers a provider's retry can reach another worker than its first try did; this table,
not a worker's memory, says a webhook was already handled, so a reply code or a receipt counts once.
``state`` is "handling" while one worker is at it (a lease: a worker that died mid-way lets a retry take
over after a minute) and "done" after; rows go after a week, long past any provider's retries.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class SmsWebhook(Base):
    __tablename__ = "sms_webhook"

    webhook_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[str] = mapped_column(String(10))  # "handling" | "done"
    at: Mapped[datetime] = mapped_column(index=True)  # taken (handling) or finished (done)
