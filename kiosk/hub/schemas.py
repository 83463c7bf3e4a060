"""Every request and response body of the hub, typed (they make /openapi.json)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Hex64 = Annotated[str, Field(pattern="^[0-9a-f]{64}$")]
LineCode = Annotated[
    str, Field(pattern="^[A-Z]$", description="service line, e.g. A (금융), B (채무), C (통합)")
]
ShortText = Annotated[str, Field(max_length=200)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- auth and devices -------------------------------------------------------------------------------
class LoginIn(Strict):
    username: Annotated[str, Field(min_length=1, max_length=60)]
    password: Annotated[str, Field(min_length=1, max_length=200)]
    desk_device_token: Annotated[str | None, Field(max_length=100)] = None


class CounselorOut(BaseModel):
    id: uuid.UUID
    username: str
    display_name: str
    role: str
    center_id: uuid.UUID


class LoginOut(BaseModel):
    token: str
    expires_at: datetime
    counselor: CounselorOut
    desk_device_id: uuid.UUID | None


class CounselorIn(Strict):
    username: Annotated[str, Field(pattern="^[a-z0-9._-]{3,60}$")]
    display_name: Annotated[str, Field(min_length=1, max_length=60)]
    password: Annotated[str, Field(min_length=10, max_length=200)]
    role: Literal["counselor", "center_manager", "admin"] = "counselor"


class MeOut(BaseModel):
    kind: str
    id: uuid.UUID
    center_id: uuid.UUID
    role: str
    desk_device_id: uuid.UUID | None = None
    paired_device_id: uuid.UUID | None = None


class PairingCodeIn(Strict):
    kind: Literal["lobby", "counter", "desk", "display"]
    label: Annotated[str, Field(max_length=80)] = ""


class PairingCodeOut(BaseModel):
    device_id: uuid.UUID
    code: str
    expires_at: datetime


class EnrollIn(Strict):
    code: Annotated[str, Field(pattern="^[0-9]{8}$")]


class EnrollOut(BaseModel):
    device_id: uuid.UUID
    token: str
    kind: str
    label: str
    center_id: uuid.UUID


class CounterCodeOut(BaseModel):
    code: str
    expires_at: datetime


class PairOut(BaseModel):
    desk_device_id: uuid.UUID
    desk_label: str


class DeviceOut(BaseModel):
    id: uuid.UUID
    kind: str
    label: str
    enrolled: bool
    revoked: bool
    paired_device_id: uuid.UUID | None


class HealthIn(Strict):
    component: Annotated[str, Field(pattern="^[a-z_]{1,30}$")]  # printer | id_reader | signature_pad | …
    status: Literal["ok", "warning", "error", "unknown"]
    code: Annotated[str, Field(max_length=40)] = ""
    message_ko: ShortText = ""


class MirrorIn(Strict):
    step: Annotated[str, Field(pattern="^[a-z_]{1,20}$")]
    title_ko: ShortText = ""
    needs_help: bool = False


class MirrorOut(BaseModel):
    device_id: uuid.UUID
    label: str
    step: str
    title_ko: str
    needs_help: bool
    at: datetime


class OkOut(BaseModel):
    ok: bool = True


# --- visits (what a lobby submits) --------------------------------------------------------------------
class IdentityIn(Strict):
    method: Literal["image", "ic_chip", "mobile", "manual"]
    document_kind: Annotated[str, Field(max_length=30)]
    result: Literal["verified", "unverified", "failed", "not_checked"]
    verifier: Annotated[str, Field(max_length=40)] = ""
    name: Annotated[str, Field(min_length=1, max_length=100)]
    rrn: Annotated[str | None, Field(max_length=20)] = None
    phone: Annotated[str | None, Field(max_length=20)] = None
    birth_date: date | None = None


class SignaturePointIn(Strict):
    x: float
    y: float
    p: float | None = None
    t: Annotated[float, Field(ge=0)]
    pen: bool = True


class SignatureIn(Strict):
    points: Annotated[list[SignaturePointIn], Field(min_length=2, max_length=20000)]
    device: Annotated[str, Field(max_length=40)]
    resolution: dict[str, float] = {}
    png_b64: Annotated[str | None, Field(max_length=600_000)] = None
    document_sha256: Hex64
    consent_id: Annotated[str | None, Field(max_length=64)] = None
    record_sha256: Hex64


class ConsentItemState(Strict):
    granted: bool
    required: bool


class ConsentIn(Strict):
    items: Annotated[dict[str, ConsentItemState], Field(min_length=1, max_length=20)]
    text_version: Annotated[str, Field(min_length=1, max_length=40)]
    text_sha256: Hex64
    method: Literal["signature", "sms"] = "signature"
    signature: SignatureIn | None = None


AnswerValue = int | float | str | bool | list[str] | None


class IntakeIn(Strict):
    questionnaire_version: Annotated[str, Field(max_length=40)] = ""
    answers: Annotated[dict[str, AnswerValue], Field(max_length=60)]


class ReasonIn(BaseModel):
    ko: Annotated[str, Field(max_length=500)]
    en: Annotated[str, Field(max_length=500)] = ""


class VerdictIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: Annotated[str, Field(max_length=60)]
    # The program's name as the catalogue said it at matching time: what the desk and documents show.
    name_ko: Annotated[str, Field(max_length=200)] = ""
    name_en: Annotated[str, Field(max_length=200)] = ""
    verdict: Literal["eligible", "maybe", "ineligible"]
    reasons: Annotated[list[ReasonIn], Field(max_length=40)] = []


class MatchIn(Strict):
    catalogue_version: Annotated[str, Field(max_length=40)]
    engine_version: Annotated[str, Field(max_length=40)]
    verdicts: Annotated[list[VerdictIn], Field(max_length=300)]


class VisitSubmission(Strict):
    """A completed lobby visit; its id is made by the kiosk, so a replay from the outbox is harmless."""

    visit_id: uuid.UUID
    path: Literal["consult", "ticket_only"] = "consult"
    language: Literal["ko", "en"] = "ko"
    started_at: datetime | None = None
    identity: IdentityIn | None = None
    consent: ConsentIn | None = None
    intake: IntakeIn | None = None
    match: MatchIn | None = None
    # The chatbot conversation (masked on the kiosk) when the visitor asked for a person from the chat.
    handoff_transcript: Annotated[str | None, Field(max_length=8000)] = None


class VisitReceipt(BaseModel):
    visit_id: uuid.UUID
    person_id: uuid.UUID | None
    returning_visitor: bool
    case_id: uuid.UUID


# --- tickets and queue ------------------------------------------------------------------------------
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
    desk: Annotated[str, Field(min_length=1, max_length=20)]


class TransferIn(Strict):
    line: LineCode
    note: Annotated[str, Field(max_length=500)] = ""


class QueueLine(BaseModel):
    line: str
    waiting: list[TicketOut]
    called: list[TicketOut]
    estimated_wait_minutes: int


class QueueOut(BaseModel):
    service_date: date
    lines: list[QueueLine]


# --- cases ------------------------------------------------------------------------------------------
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
    text: Annotated[str, Field(min_length=1, max_length=2000)]


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
    referrals: Annotated[list[Annotated[str, Field(max_length=60)]], Field(max_length=20)] = []


class EarlierVisit(BaseModel):
    visit_id: uuid.UUID
    at: datetime
    outcome: str | None


class DocumentIn(Strict):
    template: Literal["consent", "intake_summary", "counseling_record", "aftercare_plan"]


class DocumentOut(BaseModel):
    id: uuid.UUID
    visit_id: uuid.UUID | None
    template: str
    template_version: str
    sha256: str
    status: str
    pushed_to_device_id: uuid.UUID | None
    signed_at: datetime | None
    size_bytes: int


class FollowUpOut(BaseModel):
    id: uuid.UUID
    case_id: uuid.UUID
    due_date: date
    kind: str
    status: str
    note: str | None


class AftercareIn(Strict):
    outcome: Annotated[str | None, Field(max_length=40)] = None


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
