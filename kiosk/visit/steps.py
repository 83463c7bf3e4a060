"""The visit's steps, its two paths, its identity summary and its errors (no I/O here)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from db.models.enums import IdentityMethod, IdentityResult, VisitPath, VisitStatus, VisitStep
from db.pii import full_age

# Short names for the steps, paths and statuses (the enums, the one definition, live in db.models.enums).
WELCOME, IDENTIFY, CONSENT, NEEDS, RESULTS, TICKET, DONE = (
    VisitStep.WELCOME, VisitStep.IDENTIFY, VisitStep.CONSENT, VisitStep.NEEDS, VisitStep.RESULTS,
    VisitStep.TICKET, VisitStep.DONE,
)  # fmt: skip
CONSULT, TICKET_ONLY = VisitPath.CONSULT, VisitPath.TICKET_ONLY
PATHS: dict[VisitPath, tuple[VisitStep, ...]] = {
    CONSULT: (WELCOME, IDENTIFY, CONSENT, NEEDS, RESULTS, TICKET, DONE),
    TICKET_ONLY: (WELCOME, TICKET, DONE),
}
OPEN, COMPLETED, ABANDONED = VisitStatus.OPEN, VisitStatus.COMPLETED, VisitStatus.ABANDONED


def next_step(path: VisitPath, completed: VisitStep) -> VisitStep:
    """The screen after the last completed step."""
    steps = PATHS[path]
    return steps[min(steps.index(completed) + 1, len(steps) - 1)]


def previous_step(path: VisitPath, completed: VisitStep) -> VisitStep | None:
    """The step before ``completed`` (None when ``completed`` is the first)."""
    steps = PATHS[path]
    index = steps.index(completed)
    return steps[index - 1] if index > 0 else None


class VisitError(Exception):
    """Something the person or the screen must handle; ``code`` for logs, ``ko``/``en`` for people."""

    def __init__(self, code: str, ko: str, en: str) -> None:
        self.code, self.ko, self.en = code, ko, en
        super().__init__(f"[{code}] {en}")


@dataclass(repr=False)
class IdentitySummary:
    """What the identify step learned. Personal fields live only in memory until the step is saved.

    Either ``person_id`` names an already stored person, or ``name`` (+ ``rrn``/``phone``) is stored
    encrypted through ``db.people.store_person`` when the service has a key ring.
    """

    method: IdentityMethod
    document_kind: str  # resident_card | driver_license | passport | manual
    result: IdentityResult
    verifier: str = ""
    confidence: dict[str, Any] = field(default_factory=dict)
    person_id: uuid.UUID | None = None
    name: str | None = None
    rrn: str | None = None
    phone: str | None = None
    birth_date: date | None = None
    masked_image_png: bytes | None = None

    def __post_init__(self) -> None:
        # A value outside the sets fails here, at the identify step, not when its row is written.
        self.method, self.result = IdentityMethod(self.method), IdentityResult(self.result)

    def age_on(self, day: date) -> int | None:
        """만 나이 on ``day`` (so the questionnaire does not ask what the ID card told us)."""
        if self.birth_date is None:
            return None
        return full_age(self.birth_date, day)

    def __repr__(self) -> str:  # never print the person's data
        method, result = self.method.value, self.result.value
        return f"IdentitySummary(method={method!r}, result={result!r}, person_id={self.person_id})"


@dataclass(frozen=True)
class TicketInfo:
    ticket_id: uuid.UUID
    display: str
    line: str
    line_name_ko: str
    line_name_en: str
    people_ahead: int
    wait_minutes: int
    wait_text_ko: str
    wait_text_en: str
    lookup_code: str
    issued_at: datetime
