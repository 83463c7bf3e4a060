"""What `Visit.state` (a JSON column) may hold: one versioned schema, the only way it is written or read.

Two programs keep a visit row: the kiosk (its progress between steps, so a crash resumes where the
person was) and the hub (which submission made the row, so a replay is recognised). Both write through
`VisitState.to_json()` and read through `VisitState.read()`, so the keys cannot drift apart again.
Nothing personal is kept here: answers are the needs step's own (also stored in `Intake`), and a closed
visit keeps only how it ended.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, ValidationError

from db.models.enums import IdentityMethod, IdentityResult, VisitPath
from kiosk.api.visits import AnswerValue


class IdentityMark(BaseModel):
    """Which identity check the identify step stored (the check's row holds the rest)."""

    model_config = ConfigDict(extra="forbid")

    method: IdentityMethod
    result: IdentityResult
    check_id: uuid.UUID


class VisitState(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    # -- an open visit on the kiosk: where the person is inside the steps --------------------------------
    identity: IdentityMark | None = None
    prefill: dict[str, AnswerValue] = Field(default_factory=dict)  # what the ID card told us (age)
    draft: dict[str, AnswerValue] = Field(default_factory=dict)  # needs answers given so far
    asked: list[str] = Field(default_factory=list)  # the order they were given in (for 이전)
    consent_id: uuid.UUID | None = None
    credit_inquiry_id: uuid.UUID | None = None  # the hub's credit inquiry whose figures are in prefill
    intake_id: uuid.UUID | None = None
    intake_version: int | None = None
    triage_route: str | None = None
    suggested_line: str | None = None
    # -- a closed visit: how it ended ----------------------------------------------------------------
    path: VisitPath | None = None
    ticket_line: str | None = None
    closed_reason: Literal["start_over", "timeout", "interrupted"] | None = None
    # -- a visit the hub made from a lobby submission -------------------------------------------------
    submission_sha256: str | None = None
    returning_visitor: bool | None = None

    @classmethod
    def read(cls, stored: Mapping[str, object] | None) -> VisitState:
        """The stored column, checked. Rows written before the schema had a version are version 1."""
        try:
            return cls.model_validate(dict(stored or {}))
        except ValidationError as exc:
            count = exc.error_count()
            raise ValueError(f"방문 상태를 읽을 수 없어요 (unreadable visit state): {count} errors") from exc

    def to_json(self) -> dict[str, JsonValue]:
        """What goes into the column: the version and every field that is set (empty ones left out)."""
        return {"version": self.version, **self.model_dump(mode="json", exclude_defaults=True)}
