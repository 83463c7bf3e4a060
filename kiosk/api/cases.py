"""A case as a counselor's desk reads it (masked person, answers, verdicts, notes) and what it writes back."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from kiosk.api.aftercare import FollowUpOut
from kiosk.api.common import MultilineText, PlainText, Strict
from kiosk.api.documents import DocumentOut
from kiosk.api.tickets import TicketOut


class PersonMasked(BaseModel):
    person_id: uuid.UUID
    name_masked: str
    rrn_masked: str | None
    verified: bool


class PersonRevealed(BaseModel):
    person_id: uuid.UUID
    name: str | None
    rrn: str | None
    phone: str | None
    birth_date: date | None


class IdentityOut(BaseModel):
    method: str
    document_kind: str
    result: str
    verifier: str


class ConsentOut(BaseModel):
    items: dict[str, Any]
    text_version: str
    text_sha256: str
    method: str
    signed: bool


class NoteIn(Strict):
    text: Annotated[MultilineText, Field(min_length=1, max_length=2000)]


class NoteOut(BaseModel):
    at: datetime
    counselor_id: uuid.UUID
    text: str


class OutcomeIn(Strict):
    # The outcomes of config/aftercare.toml (each plans its own follow-ups), plus "other".
    outcome: Literal[
        "debt_adjustment_applied",
        "loan_approved",
        "business_loan_approved",
        "court_referral",
        "employment_referral",
        "welfare_referral",
        "information_only",
        "other",
    ]
    referrals: Annotated[list[Annotated[PlainText, Field(max_length=60)]], Field(max_length=20)] = []  # noqa: RUF012 - a pydantic field (Strict), copied per instance


class EarlierVisit(BaseModel):
    visit_id: uuid.UUID
    at: datetime
    outcome: str | None


class CaseView(BaseModel):
    visit_id: uuid.UUID
    case_id: uuid.UUID | None
    status: str
    path: str
    ticket: TicketOut | None
    person: PersonMasked | None
    identity: list[IdentityOut]
    consent: ConsentOut | None
    answers: dict[str, Any]
    verdicts: list[dict[str, Any]]
    earlier_visits: list[EarlierVisit]
    notes: list[NoteOut]
    outcome: str | None
    documents: list[DocumentOut]
    followups: list[FollowUpOut]
