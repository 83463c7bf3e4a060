"""After-care follow-ups and the center's statistics for a period."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from kiosk.api.common import PlainText, Strict


class FollowUpOut(BaseModel):
    id: uuid.UUID
    case_id: uuid.UUID
    due_date: date
    kind: str
    status: str
    note: str | None
    # The SMS reminder (issue 18), on the due list: None when none was sent (no mobile, no consent, not
    # yet due). "queued" (held for 08:00–21:00 or waiting for the gateway), "sent", "delivered",
    # "failed" (also expired), "opted_out" (the number refused messages: nothing was sent).
    reminder_sms: Literal["queued", "sent", "delivered", "failed", "opted_out"] | None = None
    # The person's reply code: "confirmed" (1 = 확인했어요) or "call_back" (2 = 전화 요청).
    reply: Literal["confirmed", "call_back"] | None = None
    replied_at: datetime | None = None


class AftercareIn(Strict):
    outcome: Annotated[PlainText | None, Field(max_length=40)] = None


class StatisticsOut(BaseModel):
    date_from: date
    date_to: date
    visits: int
    tickets_by_line: dict[str, int]
    tickets_by_status: dict[str, int]
    served_by_counselor: dict[str, int]
    median_wait_minutes: float | None
    documents_signed: int
    followups_due: int
