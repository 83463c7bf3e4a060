"""A completed lobby visit as the lobby submits it (`POST /visits`) and the hub's receipt.

Its id is made by the kiosk, so a replay from the outbox is harmless.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from typing_extensions import TypedDict

from kiosk.api.common import (
    BirthDate,
    EventTime,
    FiniteFloat,
    Hex64,
    MultilineText,
    PlainText,
    SafeInt,
    Strict,
    check_plain_json,
)
from kiosk.api.signatures import SignatureIn


class IdentityIn(Strict):
    method: Literal["image", "ic_chip", "mobile", "manual"]
    document_kind: Annotated[PlainText, Field(max_length=30)]
    result: Literal["verified", "unverified", "failed", "not_checked"]
    verifier: Annotated[PlainText, Field(max_length=40)] = ""
    name: Annotated[PlainText, Field(min_length=1, max_length=100)]
    rrn: Annotated[PlainText | None, Field(max_length=20)] = None
    phone: Annotated[PlainText | None, Field(max_length=20)] = None
    birth_date: BirthDate | None = None


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
    # Method "sms": the confirmed code challenge (kiosk.api.sms_consent) of this device; no signature.
    sms_challenge_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _method_has_its_proof(self) -> ConsentIn:
        if self.method == "sms" and (self.sms_challenge_id is None or self.signature is not None):
            raise ValueError("a consent by SMS names its sms_challenge_id and carries no signature")
        if self.method == "signature" and self.sms_challenge_id is not None:
            raise ValueError("sms_challenge_id belongs to a consent by SMS only")
        return self


def consent_items(granted: Mapping[str, bool], known: Mapping[str, bool]) -> dict[str, ConsentItemState]:
    """Each legally separate item as granted or refused, with whether it was required.

    ``known`` is {item id: required} from the consent texts; when the kiosk knows none, the items the
    person was shown are recorded as optional. The one place a consent record is built: the kiosk's
    Consent row and the hub's are both this.
    """
    return {
        item: ConsentItemState(granted=bool(granted.get(item, False)), required=bool(known.get(item, False)))
        for item in (known or granted)
    }


RANGE_MAX = 10**13  # as the engine's answer ranges (kiosk.matching.ranges): above any amount a field allows
RangeEnd = Annotated[int, Field(strict=True, ge=0, le=RANGE_MAX)]
_RangeShape = TypedDict("_RangeShape", {"from": RangeEnd, "to": RangeEnd | None})
_RangeShape.__pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[attr-defined]


def _ordered(value: _RangeShape) -> _RangeShape:
    if value["to"] is not None and value["to"] < value["from"]:
        raise ValueError("a range's 'from' must not exceed its 'to'")
    return value


# A number answered as a range ("31~89일"): {"from": 31, "to": 89}, "to" null for no upper bound.
RangeAnswer = Annotated[_RangeShape, AfterValidator(_ordered)]

# Free answers may span lines; choices are one-line. Numbers are finite and exact (see JSON_SAFE).
AnswerValue = (
    SafeInt
    | FiniteFloat
    | Annotated[MultilineText, Field(max_length=2000)]
    | bool
    | Annotated[list[Annotated[PlainText, Field(max_length=200)]], Field(max_length=100)]
    | RangeAnswer
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

    # A catalogue id ("ccrs.pre_workout"): stored and synced as it is, so nothing else may pass as one
    # (a phone- or RRN-shaped "id" would otherwise sit in clear in match_result).
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_.]{0,59}$")]
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
    # The kiosk's credit inquiry (kiosk.api.credit_inquiry): the hub attaches its lines as the visit's list.
    credit_inquiry_id: uuid.UUID | None = None


class VisitRecord(VisitSubmission):
    """The visit as the lobby fills it, step by step: the submission itself, plus the line chosen.

    Each part is checked as it is set (``validate_assignment``), so a part the hub would refuse fails at
    its own step, not at the hand-off. The line travels in the ticket request, not in the submission.
    """

    model_config = ConfigDict(validate_assignment=True)

    line: Annotated[PlainText | None, Field(max_length=10)] = None

    def to_submission(self) -> VisitSubmission:
        return VisitSubmission.model_validate(self.model_dump(exclude={"line"}))

    def forget_person(self) -> None:
        """Drop every part that came from the person (an abandoned visit, or one handed over)."""
        self.identity = self.consent = self.intake = self.match = None
        self.handoff_transcript = self.credit_inquiry_id = None


class VisitReceipt(BaseModel):
    visit_id: uuid.UUID
    person_id: uuid.UUID | None
    returning_visitor: bool
    case_id: uuid.UUID
