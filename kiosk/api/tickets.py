"""Tickets and the queue: issue, reserve for offline lobbies, claim, call next, transfer."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StrictBool

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


class CallNextAnyIn(Strict):
    """Call over several lines at once: the person who waited longest of ``lines`` (None: every line)."""

    desk: Annotated[PlainText, Field(min_length=1, max_length=20)]
    lines: Annotated[list[LineCode], Field(min_length=1, max_length=10)] | None = None


# What the person did before taking the number: the whole intake at a kiosk, or only the ticket.
Intake = Literal["intake_done", "ticket_only"]


class QueueTicket(TicketOut):
    """A queue row as the desk reads it: the ticket, where it stands, and what the person did."""

    people_ahead: int = 0
    intake: Intake = "ticket_only"
    help_requested: bool = False  # the person's kiosk is calling for staff (직원 호출)
    transferred: bool = False  # sent here from another line: called before first-time tickets


class QueueLine(BaseModel):
    line: str
    waiting: list[QueueTicket]
    called: list[QueueTicket]
    estimated_wait_minutes: int  # a ticket issued now: everyone waiting × service_minutes
    # The one wait rule (kiosk.queue.waits): every row's wait is people_ahead × service_minutes.
    service_minutes: float = 0.0
    measured: bool = False  # False: the line's configured default (too few services measured yet)


class QueueOut(BaseModel):
    service_date: date
    lines: list[QueueLine]


# --- ticket calls by SMS (issue 18) --------------------------------------------------------------------
class TicketSmsIn(Strict):
    """A ticket holder's number (a Korean mobile; checked by the hub, never echoed back in full).

    ``calls``: "곧 차례예요" when two are ahead and "N번 창구로 와 주세요" when called; ``send_number``: the
    ticket's number now (the printer could not print it)."""

    phone: Annotated[PlainText, Field(min_length=1, max_length=20)]
    calls: StrictBool = True
    send_number: StrictBool = False


class TicketSmsOut(BaseModel):
    ticket_id: uuid.UUID
    to_masked: str  # "010-****-5678"
    calls: bool
    number_message_id: str | None = None  # the number's message, queued by this request


class TicketLinkOut(BaseModel):
    """The ticket's "내 순서" page for the citizen's phone (the QR on the slip and the screen)."""

    url: str
    expires_at: datetime


class SmsStatusOut(BaseModel):
    """Whether the center offers SMS now (a configured gateway that has not refused our credentials)."""

    available: bool
