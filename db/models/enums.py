"""The closed sets of values that status, role and kind columns hold, defined once for every layer.

Each column stays the VARCHAR it always was (no migration): ``EnumString`` writes the member's value and
reads back the member, so the code compares and assigns members instead of bare strings. A ``StrEnum``
member equals its string, so code and JSON that still speak the plain value keep working.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import String, TypeDecorator
from sqlalchemy.engine import Dialect

E = TypeVar("E", bound=StrEnum)


class TicketStatus(StrEnum):
    """A queue ticket's place in its life (kiosk.queue.tickets says which may follow which)."""

    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    TRANSFERRED = "transferred"
    CANCELLED = "cancelled"  # given back by its holder (the phone's "번호표 취소"); never called
    # Issued ahead to a lobby for offline use, or set aside when superseded; never called (kiosk.hub).
    RESERVED = "reserved"


class DocumentStatus(StrEnum):
    GENERATED = "generated"
    PUSHED = "pushed"  # sent to a counter screen to be signed
    SIGNED = "signed"
    ARCHIVED = "archived"


class PrintJobStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # left so after a crash: reported as interrupted, never sent again
    DONE = "done"
    FAILED = "failed"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    HELD_AUTH = "held_auth"  # the hub refused the lobby's token; waits for a new pairing
    QUARANTINED = "quarantined"  # the hub rejected it for good; an operator decides


class OutboxKind(StrEnum):
    VISIT = "visit"
    CLAIM = "claim"  # a reserved ticket handed out offline; waits for its visit's entry


class FollowUpStatus(StrEnum):
    PLANNED = "planned"
    DONE = "done"
    MISSED = "missed"


class CounselorRole(StrEnum):
    """Ordered from least to most rights (kiosk.hub.auth ranks them in this order)."""

    COUNSELOR = "counselor"
    CENTER_MANAGER = "center_manager"
    ADMIN = "admin"


class DeviceKind(StrEnum):
    LOBBY = "lobby"
    COUNTER = "counter"
    DESK = "desk"
    DISPLAY = "display"


class VisitStep(StrEnum):
    """A visit's steps in walking order; ``Visit.step`` holds the last one completed (kiosk.visit.steps
    says which path walks which)."""

    WELCOME = "welcome"
    IDENTIFY = "identify"
    CONSENT = "consent"
    NEEDS = "needs"
    RESULTS = "results"
    TICKET = "ticket"
    DONE = "done"


class VisitStatus(StrEnum):
    OPEN = "open"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


class VisitPath(StrEnum):
    CONSULT = "consult"  # identify, consent, needs and results before the ticket
    TICKET_ONLY = "ticket_only"  # straight to a ticket


class IdentityMethod(StrEnum):
    """How the identify step read the person (kiosk.api.visits.IdentityIn says the same values)."""

    IMAGE = "image"  # a photo of the ID card
    IC_CHIP = "ic_chip"
    MOBILE = "mobile"  # a mobile ID's QR
    MANUAL = "manual"  # typed in by the person


class IdentityResult(StrEnum):
    VERIFIED = "verified"
    UNVERIFIED = "unverified"
    FAILED = "failed"
    NOT_CHECKED = "not_checked"


class ConsentMethod(StrEnum):
    SIGNATURE = "signature"
    SMS = "sms"


class EnumString(TypeDecorator[E]):
    """A ``StrEnum`` stored as its value in a plain VARCHAR: the schema is the one ``String(length)``
    gives, and a value outside the enum fails at write (and at read) instead of being stored."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[E], length: int) -> None:
        super().__init__(length)
        # Both kept as attributes: SQLAlchemy builds the type's cache key from the __init__ arguments.
        self.enum, self.length = enum, length

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return self.enum(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> E | None:
        if value is None:
            return None
        return self.enum(value)

    def __repr__(self) -> str:
        return f"EnumString({self.enum.__name__}, {self.length})"
