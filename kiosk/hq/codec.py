"""The batch body of the sync contract as strict pydantic models, with every limit HQ enforces.

Anything that passes here can be stored in PostgreSQL (no NUL or lone surrogates, which JSONB
refuses; integers within BIGINT; times HQ can convert to UTC) and hashed like db.audit does.
"""

from __future__ import annotations

import math
import re
import uuid
from datetime import UTC, date, datetime
from itertools import pairwise
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from db.sync_log import EVENT_TYPES
from kiosk.hq.sealed import envelope_bytes

MAX_BODY_BYTES = 4 * 1024 * 1024
MAX_EVENTS = 1000
MAX_AUDIT = 1000
MAX_SEQ = 2**62
MAX_JSON_DEPTH = 8
MAX_STRING = 10_000
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1
# Times outside these years are not a hub's clock but a bug or an attack (and break UTC arithmetic).
EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC)

HEX64 = r"^[0-9a-f]{64}$"
_BLIND_INDEX = re.compile(r"[0-9a-f]{16,128}")
# Python reads ISO week dates and the basic format too; PostgreSQL, casting data fields in the
# statistics, does not. Only the extended calendar form both read the same is accepted.
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# Field kinds of each event type's data (a trailing "?" marks a field that may be absent or null).
# Ids and the times statistics rest on are required; descriptive fields are tolerated missing,
# because a refused batch stops a center's whole sync until a person steps in. Other keys are
# allowed (person_bi, future fields) but pass the same plain-JSON checks; person_sealed (a contact sealed
# to HQ's key, kiosk.hq.sealed) must be an envelope's base64 and ride only on visit.submitted.
EVENT_FIELDS: dict[str, dict[str, str]] = {
    "visit.submitted": {
        "visit_id": "uuid",
        "path": "str?",
        "line": "str?",
        "programs_eligible": "strs?",
        "programs_maybe": "strs?",
    },
    "ticket.issued": {
        "ticket_id": "uuid",
        "line": "str",
        "display": "str?",
        "service_date": "date?",
        "issued_at": "time",
    },
    "ticket.called": {"ticket_id": "uuid", "desk": "str?", "counselor_id": "uuid?", "called_at": "time"},
    "ticket.done": {"ticket_id": "uuid", "done_at": "time?"},
    "ticket.no_show": {"ticket_id": "uuid"},
    "ticket.transferred": {"ticket_id": "uuid", "to_line": "str?"},
    "ticket.cancelled": {"ticket_id": "uuid"},
    "case.outcome": {"visit_id": "uuid", "counselor_id": "uuid?", "outcome": "str?"},
    "consent.given": {"visit_id": "uuid", "consent_id": "uuid", "method": "str?"},
    "consent.withdrawn": {"visit_id": "uuid"},
    "document.signed": {"document_id": "uuid", "visit_id": "uuid", "template": "str?"},
    "followup.planned": {"follow_up_id": "uuid", "visit_id": "uuid", "kind": "str?", "due_date": "date?"},
    "followup.done": {"follow_up_id": "uuid"},
    "purge": {"person_refs": "bis"},
    "device.health": {
        "device_id": "str",
        "kind": "str?",
        "last_seen": "time?",
        "version": "str?",
        "printer": "any?",
        "reader": "any?",
    },
}
# The contract's vocabulary has one home, the center's writer (db.sync_log); each type has its fields here.
if set(EVENT_FIELDS) != EVENT_TYPES:
    raise RuntimeError("kiosk.hq.codec.EVENT_FIELDS and db.sync_log.EVENT_TYPES name different event types")


def check_plain_json(value: Any, where: str = "", depth: int = 0) -> None:
    """Refuse what JSONB, BIGINT or canonical JSON cannot hold: deep nesting, NUL, NaN, huge ints."""
    if depth > MAX_JSON_DEPTH:
        raise ValueError(f"{where or 'value'}: nested deeper than {MAX_JSON_DEPTH}")
    if isinstance(value, str):
        if len(value) > MAX_STRING:
            raise ValueError(f"{where}: string longer than {MAX_STRING}")
        if "\x00" in value:
            raise ValueError(f"{where}: NUL character")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError(f"{where}: not valid Unicode (lone surrogate)") from exc
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int):
        if not _INT_MIN <= value <= _INT_MAX:
            raise ValueError(f"{where}: integer out of range")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{where}: not a finite number")
    elif isinstance(value, dict):
        for key, item in value.items():
            check_plain_json(key, f"{where}.key", depth + 1)
            check_plain_json(item, f"{where}.{key}", depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_plain_json(item, f"{where}[{index}]", depth + 1)
    else:
        raise ValueError(f"{where}: {type(value).__name__} is not plain JSON")


def parse_time(text: str) -> datetime:
    """An ISO 8601 time with its offset, within the years HQ accepts."""
    if not _ISO_TIME.fullmatch(text):
        raise ValueError(
            f"not an ISO 8601 time with offset (YYYY-MM-DDTHH:MM:SS[.ffffff]±HH:MM): {text[:40]!r}"
        )
    try:
        at = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"not an ISO 8601 time: {text[:40]!r}") from exc
    if at.tzinfo is None:
        raise ValueError(f"time without offset: {text[:40]!r}")
    check_time(at)
    return at


def check_time(at: datetime) -> datetime:
    if not EARLIEST <= at <= LATEST:
        raise ValueError(f"time out of range: {at.isoformat()[:40]}")
    return at


def _check_field(kind: str, value: Any, where: str) -> None:
    if kind == "any":
        return
    if kind == "str":
        if not isinstance(value, str) or not 0 < len(value) <= 200:
            raise ValueError(f"{where}: expected a short text")
    elif kind == "uuid":
        if not isinstance(value, str):
            raise ValueError(f"{where}: expected a UUID string")
        try:
            uuid.UUID(value)
        except ValueError as exc:
            raise ValueError(f"{where}: expected a UUID string") from exc
    elif kind == "time":
        if not isinstance(value, str):
            raise ValueError(f"{where}: expected an ISO 8601 time")
        try:
            parse_time(value)
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
    elif kind == "date":
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            raise ValueError(f"{where}: expected YYYY-MM-DD")
        try:
            day = date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"{where}: expected YYYY-MM-DD") from exc
        if not EARLIEST.year <= day.year < LATEST.year:
            raise ValueError(f"{where}: date out of range")
    elif kind in ("strs", "bis"):
        if not isinstance(value, list) or len(value) > 1000:
            raise ValueError(f"{where}: expected a list")
        for index, item in enumerate(value):
            if kind == "bis":
                if not isinstance(item, str) or not _BLIND_INDEX.fullmatch(item):
                    raise ValueError(f"{where}[{index}]: expected a hex blind index")
            else:
                _check_field("str", item, f"{where}[{index}]")


def check_event_data(event_type: str, data: dict[str, Any]) -> None:
    check_plain_json(data, "data")
    for field, spec in EVENT_FIELDS[event_type].items():
        kind, optional = spec.rstrip("?"), spec.endswith("?")
        if field not in data or (optional and data[field] is None):
            if optional:
                continue
            raise ValueError(f"data.{field}: missing for {event_type}")
        _check_field(kind, data[field], f"data.{field}")
    bi = data.get("person_bi")
    if bi is not None and (not isinstance(bi, str) or not _BLIND_INDEX.fullmatch(bi)):
        raise ValueError("data.person_bi: expected a hex blind index")
    if "person_sealed" in data:
        # Only a visit carries a sealed contact: on another event purge would never find it.
        if event_type != "visit.submitted":
            raise ValueError(f"data.person_sealed: only on visit.submitted, not {event_type}")
        if bi is None:  # purges find people by blind index: a contact without one would never be erased
            raise ValueError("data.person_sealed: only beside person_bi")
        envelope_bytes(data["person_sealed"])  # shape only: HQ opens it only in an audited read


Seq = Annotated[int, Field(ge=1, le=MAX_SEQ)]
ShortText = Annotated[str, Field(max_length=200)]
Hex64 = Annotated[str, Field(pattern=HEX64)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class EventIn(_Strict):
    seq: Seq
    type: ShortText
    at: AwareDatetime
    data: dict[str, Any]

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in EVENT_TYPES:
            raise ValueError(f"unknown event type {value[:40]!r}")
        return value

    @field_validator("at")
    @classmethod
    def _at_in_range(cls, at: datetime) -> datetime:
        return check_time(at)

    @model_validator(mode="after")
    def _data_fits_type(self) -> EventIn:
        check_event_data(self.type, self.data)
        return self


class AuditIn(_Strict):
    seq: Seq
    at: AwareDatetime
    actor: ShortText
    action: ShortText
    target: ShortText
    detail: dict[str, Any]
    prev_hash: Hex64
    hash: Hex64

    @field_validator("at")
    @classmethod
    def _at_in_range(cls, at: datetime) -> datetime:
        return check_time(at)

    @model_validator(mode="after")
    def _plain(self) -> AuditIn:
        for name in ("actor", "action", "target"):
            check_plain_json(getattr(self, name), name)
        check_plain_json(self.detail, "detail")
        return self


class HeadIn(_Strict):
    audit_seq: Annotated[int, Field(ge=0, le=MAX_SEQ)]
    audit_hash: Hex64
    signed_at: Annotated[str, Field(max_length=64)]  # kept as text: the signature covers these characters
    signature: Annotated[str, Field(max_length=120)]

    @field_validator("signed_at")
    @classmethod
    def _iso(cls, text: str) -> str:
        parse_time(text)
        return text

    @property
    def signed_at_time(self) -> datetime:
        return parse_time(self.signed_at)


class BatchIn(_Strict):
    v: Literal[1]
    center: Annotated[str, Field(min_length=1, max_length=32)]
    sent_at: AwareDatetime
    events: Annotated[list[EventIn], Field(max_length=MAX_EVENTS)]
    audit: Annotated[list[AuditIn], Field(max_length=MAX_AUDIT)]
    head: HeadIn | None

    @field_validator("sent_at")
    @classmethod
    def _sent_in_range(cls, at: datetime) -> datetime:
        return check_time(at)

    @model_validator(mode="after")
    def _ascending_contiguous(self) -> BatchIn:
        sequences = (("events", [e.seq for e in self.events]), ("audit", [a.seq for a in self.audit]))
        for name, seqs in sequences:
            for before, after in pairwise(seqs):
                if after != before + 1:
                    raise ValueError(f"{name}: seq {after} after {before} (must be ascending, contiguous)")
        return self


def parse_batch(body: bytes) -> BatchIn:
    """The batch in body, or ValueError with the first problem in words (never the data itself)."""
    try:
        return BatchIn.model_validate_json(body)
    except ValidationError as exc:
        first = exc.errors(include_input=False, include_url=False)[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        raise ValueError(
            f"{where}: {first.get('msg', 'invalid')}" if where else str(first.get("msg"))
        ) from None
