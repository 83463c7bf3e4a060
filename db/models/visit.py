"""One walk-in visit and what it produces: identity check, consent, intake, verdicts, ticket, case."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, Timestamps, UUIDPk, utcnow
from db.models.enums import (
    ConsentMethod,
    EnumString,
    FollowUpStatus,
    IdentityMethod,
    IdentityResult,
    TicketStatus,
    VisitPath,
    VisitStatus,
    VisitStep,
)

if TYPE_CHECKING:
    from db.models.center import Center
    from db.models.person import Person


class Visit(UUIDPk, Timestamps, Base):
    __tablename__ = "visit"
    # The statistics count a center's visits by day (kiosk.hub.statistics).
    __table_args__ = (Index("ix_visit_center_created", "center_id", "created_at"),)

    center_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("center.id"))
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    device_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("device.id"))
    # Last completed workflow step; a crash resumes from here.
    step: Mapped[VisitStep] = mapped_column(EnumString(VisitStep, 20), default=VisitStep.WELCOME)
    status: Mapped[VisitStatus] = mapped_column(EnumString(VisitStatus, 20), default=VisitStatus.OPEN)
    path: Mapped[VisitPath] = mapped_column(EnumString(VisitPath, 20), default=VisitPath.CONSULT)
    language: Mapped[str] = mapped_column(String(5), default="ko")
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    ended_at: Mapped[datetime | None]

    # Many-to-one walks, loaded on first touch (one SELECT, or the identity map, as session.get); they add
    # no cascade: the foreign keys' ON DELETE rules stay the only ones. The same holds below.
    center: Mapped[Center | None] = relationship()
    person: Mapped[Person | None] = relationship()


class IdentityCheck(UUIDPk, Timestamps, Base):
    __tablename__ = "identity_check"

    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"))
    method: Mapped[IdentityMethod] = mapped_column(EnumString(IdentityMethod, 20))
    document_kind: Mapped[str] = mapped_column(String(30))
    result: Mapped[IdentityResult] = mapped_column(EnumString(IdentityResult, 20))
    verifier: Mapped[str] = mapped_column(String(40), default="")
    masked_image_png: Mapped[bytes | None] = mapped_column(LargeBinary)
    confidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Consent(UUIDPk, Timestamps, Base):
    __tablename__ = "consent"

    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"))
    # {item_id: {"granted": bool, "required": bool}} — each legally separate item keeps its own state.
    items: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    text_version: Mapped[str] = mapped_column(String(40))
    text_sha256: Mapped[str] = mapped_column(String(64))
    method: Mapped[ConsentMethod] = mapped_column(
        EnumString(ConsentMethod, 20), default=ConsentMethod.SIGNATURE
    )
    signature_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("signature.id"))
    # Method SMS: the confirmed code challenge the consent rests on (db.models.sms_consent).
    sms_challenge_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("sms_consent_challenge.id", ondelete="SET NULL")
    )
    withdrawn_at: Mapped[datetime | None]


class Intake(UUIDPk, Timestamps, Base):
    """Versioned answers: a changed answer is a new row, never an overwrite."""

    __tablename__ = "intake"
    __table_args__ = (UniqueConstraint("visit_id", "version"),)

    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(default=1)
    questionnaire_version: Mapped[str] = mapped_column(String(40), default="")
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class MatchResult(UUIDPk, Timestamps, Base):
    __tablename__ = "match_result"

    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    intake_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("intake.id", ondelete="SET NULL"))
    catalogue_version: Mapped[str] = mapped_column(String(40))
    engine_version: Mapped[str] = mapped_column(String(40))
    # [{"id", "verdict", "reasons": [{"ko", "en"}], ...}]
    verdicts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class Ticket(UUIDPk, Timestamps, Base):
    """A queue ticket. The database guarantees a number is issued once per center, line and day."""

    __tablename__ = "ticket"
    __table_args__ = (UniqueConstraint("center_id", "service_date", "line", "number"),)

    center_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("center.id"))
    visit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visit.id", ondelete="SET NULL"))
    service_date: Mapped[date]
    line: Mapped[str] = mapped_column(String(10))
    number: Mapped[int]
    display: Mapped[str] = mapped_column(String(12))  # e.g. "B-017"
    status: Mapped[TicketStatus] = mapped_column(EnumString(TicketStatus, 20), default=TicketStatus.WAITING)
    desk: Mapped[str | None] = mapped_column(String(20))
    counselor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("counselor.id"))
    called_at: Mapped[datetime | None]
    served_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    transfer_note: Mapped[str | None] = mapped_column(Text)
    lookup_code: Mapped[str] = mapped_column(String(16), default="")
    idempotency_key: Mapped[str | None] = mapped_column(String(80), unique=True)

    visit: Mapped[Visit | None] = relationship()


class Case(UUIDPk, Timestamps, Base):
    __tablename__ = "case"

    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    counselor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("counselor.id"))
    # The counselor notes, a JSON list of {at, counselor_id, text}, masked at write and encrypted as one
    # blob (db.crypto, context "case.notes"): a note quotes the person. kiosk.hub.views reads and writes it.
    notes_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    outcome: Mapped[str | None] = mapped_column(String(40))
    referrals: Mapped[list[str]] = mapped_column(JSON, default=list)
    ended_at: Mapped[datetime | None]

    visit: Mapped[Visit] = relationship()


class FollowUp(UUIDPk, Timestamps, Base):
    __tablename__ = "follow_up"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"))
    counselor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("counselor.id"))
    due_date: Mapped[date] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[FollowUpStatus] = mapped_column(
        EnumString(FollowUpStatus, 20), default=FollowUpStatus.PLANNED
    )
    note: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship()
