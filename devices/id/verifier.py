"""The authenticity-check port (신분증 진위확인) and its emulated backend.

The real service is reached through a contracted gateway (the government's ID verification service
via a licensed intermediary); it takes what is printed on the card: for a resident card the name,
RRN and issue date; for a driver's licence the name, birth date, licence number and the serial
(암호일련번호). A gateway adapter implements :class:`IdVerifier` and is selected by
``identity.verifier`` — this module is the place it plugs in.

The emulated verifier checks only that the fields are consistent with each other (and, for the demo,
that the person is one of the synthetic identities it was given). Its results always say
``source="emulated"`` and ``government_check=False``; nothing here claims a government check.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Protocol

from db.pii import InvalidRRN, parse_rrn
from devices.id.image.validate import parse_license_number
from devices.id.model import DocumentKind, IdDocument


@dataclass(frozen=True)
class VerificationRequest:
    kind: DocumentKind
    name: str
    rrn: str | None = field(default=None, repr=False)
    issue_date: date | None = None
    birth_date: date | None = None
    license_number: str = ""
    license_serial: str = ""

    @classmethod
    def from_document(cls, doc: IdDocument) -> VerificationRequest:
        return cls(
            doc.kind,
            doc.name,
            doc.rrn,
            doc.issue_date,
            doc.birth_date,
            doc.license_number,
            doc.license_serial,
        )


@dataclass(frozen=True)
class VerificationResult:
    status: str  # "match", "mismatch", "incomplete", "not_checked", "unavailable"
    source: str  # "emulated", "none", or the gateway's name
    government_check: bool  # True only when a real gateway answered
    message_ko: str
    checked_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def label(self) -> str:
        return f"{self.source}:{self.status}"


class IdVerifier(Protocol):
    name: str

    def verify(self, request: VerificationRequest) -> VerificationResult: ...


def apply_result(document: IdDocument, result: VerificationResult) -> IdDocument:
    """Record the check on the document. ``verified`` becomes True only for a real government check."""
    document.verified = result.status == "match" and result.government_check
    document.extra["verification"] = result.label
    return document


class NoVerifier:
    name = "none"

    def verify(self, request: VerificationRequest) -> VerificationResult:
        return VerificationResult("not_checked", self.name, False, "진위확인을 하지 않았어요 (not checked)")


EMULATED_NOTE = "연습용 확인이에요. 실제 신분증 진위확인이 아니에요 (emulated; not a government check)"


class EmulatedVerifier:
    """For the demo and tests: consistency checks, plus an optional register of synthetic people."""

    name = "emulated"

    def __init__(self, register: Iterable[VerificationRequest] = ()) -> None:
        self._register = {self._key(r): r for r in register}

    @staticmethod
    def _key(request: VerificationRequest) -> tuple[str, str]:
        ident = request.rrn or request.license_number
        return request.name, (ident or "").replace("-", "")

    def verify(self, request: VerificationRequest) -> VerificationResult:
        missing = self._missing(request)
        if missing:
            return VerificationResult(
                "incomplete",
                self.name,
                False,
                f"확인에 필요한 항목이 없어요: {', '.join(missing)}. {EMULATED_NOTE}",
            )
        if not self._consistent(request):
            return VerificationResult(
                "mismatch", self.name, False, f"정보가 서로 맞지 않아요. {EMULATED_NOTE}"
            )
        if self._register:
            known = self._register.get(self._key(request))
            if known is None or known != request:
                return VerificationResult(
                    "mismatch", self.name, False, f"등록된 정보와 달라요. {EMULATED_NOTE}"
                )
        return VerificationResult("match", self.name, False, f"정보가 일치해요. {EMULATED_NOTE}")

    @staticmethod
    def _missing(request: VerificationRequest) -> list[str]:
        needed: dict[str, object] = {"name": request.name}
        if request.kind is DocumentKind.RESIDENT_CARD:
            needed.update(rrn=request.rrn, issue_date=request.issue_date)
        elif request.kind is DocumentKind.DRIVER_LICENSE:
            needed.update(
                birth_date=request.birth_date,
                license_number=request.license_number,
                license_serial=request.license_serial,
            )
        else:
            needed["supported kind"] = None
        return [key for key, value in needed.items() if not value]

    @staticmethod
    def _consistent(request: VerificationRequest) -> bool:
        born = request.birth_date
        if request.rrn:
            try:
                rrn = parse_rrn(request.rrn)
            except InvalidRRN:
                return False
            if born is not None and rrn.birth_date != born:
                return False
            born = rrn.birth_date
        if request.issue_date is not None and born is not None and request.issue_date <= born:
            return False
        return not (request.license_number and parse_license_number(request.license_number) is None)


def make_verifier(name: str) -> IdVerifier:
    """``identity.verifier`` → backend. A contracted gateway adds its name here."""
    if name == "emulated":
        return EmulatedVerifier()
    return NoVerifier()
