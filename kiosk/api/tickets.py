"""Tickets and the queue: issue, reserve for offline lobbies, claim, call next, transfer."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from kiosk.api.common import LineCode, MultilineText, PlainText, Strict


class TicketIssueIn(Strict):
    line: LineCode
    visit_id: uuid.UUID | None = None


class ReserveIn(Strict):
    line: LineCode
    count: Annotated[int, Field(ge=1, le=50)]


class ClaimIn(Strict):
    visit_id: uuid.UUID


class TicketOut(BaseModel):
    id: uuid.UUID
    line: str
    number: int
    display: str
    status: str
    desk: str | None
    service_date: date
    visit_id: uuid.UUID | None
    created_at: datetime
    called_at: datetime | None = None
    wait_minutes: int | None = None
    lookup_code: str = ""


class CallNextIn(Strict):
    desk: Annotated[PlainText, Field(min_length=1, max_length=20)]


class TransferIn(Strict):
    line: LineCode
    note: Annotated[MultilineText, Field(max_length=500)] = ""


class QueueLine(BaseModel):
    line: str
    waiting: list[TicketOut]
    called: list[TicketOut]
    estimated_wait_minutes: int


class QueueOut(BaseModel):
    service_date: date
    lines: list[QueueLine]
