"""The building blocks every wire model shares: text, times and numbers a database and JSON can hold.

Request bodies are checked here, at the wire, so nothing a database or JSON writer cannot hold gets
past validation (each such input was a 500 once, issue 13): text carries no control characters (NUL is
refused by PostgreSQL; a lone surrogate has no UTF-8), times carry a zone and lie where UTC can hold
them, numbers are finite and exact in any JSON reader.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import Header
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

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

# The header of every replay-safe POST (tickets, claims, signing): the same key and body get the stored
# answer again. One definition, so the routes and /openapi.json cannot disagree on its shape.
IDEMPOTENCY_HEADER = "Idempotency-Key"
IdemKey = Annotated[
    str, Header(alias=IDEMPOTENCY_HEADER, min_length=8, max_length=80, pattern="^[A-Za-z0-9_.:-]+$")
]

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


class OkOut(BaseModel):
    ok: bool = True
