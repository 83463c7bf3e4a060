"""Every request and response body of the hub, typed (they make /openapi.json).

Request bodies are checked here, at the wire, so nothing a database or JSON writer cannot hold gets
past validation (each such input was a 500 once, issue 13): text carries no control characters (NUL is
refused by PostgreSQL; a lone surrogate has no UTF-8), times carry a zone and lie where UTC can hold
them, numbers are finite and exact in any JSON reader.
"""

from __future__ import annotations

import math
import re
import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, model_validator

# A pattern (not a validator) so /openapi.json says it and the fuzzer generates on both sides of it.
# Rust's regex engine checks it, which also refuses lone surrogates (they are not Unicode scalars).
ONE_LINE_PATTERN = r"^[^\x00-\x1f\x7f]*$"
# Notes, transcripts and free answers may span lines: tab, line feed and carriage return are allowed.
MULTILINE_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
PlainText = Annotated[str, Field(pattern=ONE_LINE_PATTERN)]
MultilineText = Annotated[str, Field(pattern=MULTILINE_PATTERN)]

# Events (a visit's start) happen now-ish; the bound keeps every offset's conversion to UTC in range.
EVENT_YEARS = (2000, 2100)
# Integers and floats past 2**53 lose digits in JavaScript and other readers of the stored JSON.
JSON_SAFE = 2**53 - 1


def _event_time(moment: datetime) -> datetime:
    if not EVENT_YEARS[0] <= moment.year <= EVENT_YEARS[1]:
        raise ValueError(f"year must be within {EVENT_YEARS[0]}–{EVENT_YEARS[1]}")
    return moment.astimezone(UTC)


def _event_date(day: date) -> date:
    # A period's day: date arithmetic (a default 30 days back) must stay inside Python's dates.
    if not EVENT_YEARS[0] <= day.year <= EVENT_YEARS[1]:
        raise ValueError(f"year must be within {EVENT_YEARS[0]}–{EVENT_YEARS[1]}")
    return day


def _birth_date(day: date) -> date:
    if not 1900 <= day.year <= EVENT_YEARS[1]:
        raise ValueError("year must be within 1900–2100")
    return day


EventTime = Annotated[
    AwareDatetime,
    AfterValidator(_event_time),
    Field(description="ISO 8601 with a time zone, years 2000–2100; stored in UTC"),
]
EventDate = Annotated[date, AfterValidator(_event_date), Field(description="YYYY-MM-DD, years 2000–2100")]
BirthDate = Annotated[date, AfterValidator(_birth_date)]
FiniteFloat = Annotated[float, Field(allow_inf_nan=False, ge=-JSON_SAFE, le=JSON_SAFE)]
SafeInt = Annotated[int, Field(ge=-JSON_SAFE, le=JSON_SAFE)]

Hex64 = Annotated[str, Field(pattern="^[0-9a-f]{64}$")]
LineCode = Annotated[
    str, Field(pattern="^[A-Z]$", description="service line, e.g. A (금융), B (채무), C (통합)")
]
ShortText = Annotated[PlainText, Field(max_length=200)]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def check_plain_json(value: Any, where: str = "value", depth: int = 0) -> None:
    """What the declared fields check, for JSON a model lets through undeclared (extra fields)."""
    if depth > 8:
        raise ValueError(f"{where}: nested too deep")
    if isinstance(value, str):
        if len(value) > 2000 or _CONTROL.search(value):
            raise ValueError(f"{where}: text too long or with control characters")
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int | float):
        # abs() first: math.isfinite() of a huge int raises OverflowError, which pydantic lets out.
        if abs(value) > JSON_SAFE or not math.isfinite(value):
            raise ValueError(f"{where}: number not finite or too large")
    elif isinstance(value, list):
        for item in value:
            check_plain_json(item, where, depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_plain_json(key, where, depth + 1)
            check_plain_json(item, where, depth + 1)


class Strict(BaseModel):
    # allow_inf_nan=False: NaN/Infinity (which Python's JSON reader accepts) never reach a float field.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


# --- auth and devices -------------------------------------------------------------------------------
class LoginIn(Strict):
    username: Annotated[PlainText, Field(min_length=1, max_length=60)]
    password: Annotated[PlainText, Field(min_length=1, max_length=200)]
    desk_device_token: Annotated[PlainText | None, Field(max_length=100)] = None


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
    display_name: Annotated[PlainText, Field(min_length=1, max_length=60)]
    password: Annotated[PlainText, Field(min_length=10, max_length=200)]
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
    label: Annotated[PlainText, Field(max_length=80)] = ""


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
    code: Annotated[PlainText, Field(max_length=40)] = ""
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
    document_kind: Annotated[PlainText, Field(max_length=30)]
    result: Literal["verified", "unverified", "failed", "not_checked"]
    verifier: Annotated[PlainText, Field(max_length=40)] = ""
    name: Annotated[PlainText, Field(min_length=1, max_length=100)]
    rrn: Annotated[PlainText | None, Field(max_length=20)] = None
    phone: Annotated[PlainText | None, Field(max_length=20)] = None
    birth_date: BirthDate | None = None


class SignaturePointIn(Strict):
    x: float
    y: float
    p: float | None = None
    t: Annotated[float, Field(ge=0)]
    pen: bool = True


class SignatureIn(Strict):
    points: Annotated[list[SignaturePointIn], Field(min_length=2, max_length=20000)]
    device: Annotated[PlainText, Field(max_length=40)]
    resolution: Annotated[dict[Annotated[PlainText, Field(max_length=40)], float], Field(max_length=10)] = {}
    png_b64: Annotated[str | None, Field(max_length=600_000, pattern="^[A-Za-z0-9+/=]*$")] = None
    document_sha256: Hex64
    consent_id: Annotated[PlainText | None, Field(max_length=64)] = None
    record_sha256: Hex64


ConsentItemId = Annotated[PlainText, Field(min_length=1, max_length=60)]


class ConsentItemState(Strict):
    granted: bool
    required: bool


class ConsentIn(Strict):
    items: Annotated[dict[ConsentItemId, ConsentItemState], Field(min_length=1, max_length=20)]
    text_version: Annotated[PlainText, Field(min_length=1, max_length=40)]
    text_sha256: Hex64
    method: Literal["signature", "sms"] = "signature"
    signature: SignatureIn | None = None


# Free answers may span lines; choices are one-line. Numbers are finite and exact (see JSON_SAFE).
AnswerValue = (
    SafeInt
    | FiniteFloat
    | Annotated[MultilineText, Field(max_length=2000)]
    | bool
    | Annotated[list[Annotated[PlainText, Field(max_length=200)]], Field(max_length=100)]
    | None
)
QuestionId = Annotated[PlainText, Field(min_length=1, max_length=60)]


class IntakeIn(Strict):
    questionnaire_version: Annotated[PlainText, Field(max_length=40)] = ""
    answers: Annotated[dict[QuestionId, AnswerValue], Field(max_length=60)]


class ReasonIn(BaseModel):
    ko: Annotated[MultilineText, Field(max_length=500)]
    en: Annotated[MultilineText, Field(max_length=500)] = ""


class VerdictIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: Annotated[PlainText, Field(max_length=60)]
    # The program's name as the catalogue said it at matching time: what the desk and documents show.
    name_ko: Annotated[PlainText, Field(max_length=200)] = ""
    name_en: Annotated[PlainText, Field(max_length=200)] = ""
    verdict: Literal["eligible", "maybe", "ineligible"]
    reasons: Annotated[list[ReasonIn], Field(max_length=40)] = []

    @model_validator(mode="after")
    def _extras_are_plain(self) -> VerdictIn:
        # Newer engines may add fields; they are stored with the verdict, so they obey the same rules.
        check_plain_json(self.model_extra or {}, "extra field")
        if len(self.model_extra or {}) > 40:  # today's engine adds 16
            raise ValueError("too many extra fields")
        return self


class MatchIn(Strict):
    catalogue_version: Annotated[PlainText, Field(max_length=40)]
    engine_version: Annotated[PlainText, Field(max_length=40)]
    verdicts: Annotated[list[VerdictIn], Field(max_length=300)]


class VisitSubmission(Strict):
    """A completed lobby visit; its id is made by the kiosk, so a replay from the outbox is harmless."""

    visit_id: uuid.UUID
    path: Literal["consult", "ticket_only"] = "consult"
    language: Literal["ko", "en"] = "ko"
    started_at: EventTime | None = None
    identity: IdentityIn | None = None
    consent: ConsentIn | None = None
    intake: IntakeIn | None = None
    match: MatchIn | None = None
    # The chatbot conversation (masked on the kiosk) when the visitor asked for a person from the chat.
    handoff_transcript: Annotated[MultilineText | None, Field(max_length=8000)] = None


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
    referrals: Annotated[list[Annotated[PlainText, Field(max_length=60)]], Field(max_length=20)] = []


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
    outcome: Annotated[PlainText | None, Field(max_length=40)] = None


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
