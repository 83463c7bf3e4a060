"""After-care follow-ups and the center's statistics for a period."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field

from kiosk.api.common import PlainText, Strict


class FollowUpOut(BaseModel):
    id: uuid.UUID
    case_id: uuid.UUID
    due_date: date
    kind: str
    status: str
    note: str | None


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
