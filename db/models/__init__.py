"""Every entity of ARCHITECTURE.md "Data". Importing this package registers all tables on Base.metadata."""

from db.base import Base
from db.models.center import Center, Counselor, Device
from db.models.documents import Document, Signature
from db.models.operations import AuditEvent, OutboxEntry, PrintJob
from db.models.person import Person
from db.models.visit import Case, Consent, FollowUp, IdentityCheck, Intake, MatchResult, Ticket, Visit

__all__ = [
    "AuditEvent",
    "Base",
    "Case",
    "Center",
    "Consent",
    "Counselor",
    "Device",
    "Document",
    "FollowUp",
    "IdentityCheck",
    "Intake",
    "MatchResult",
    "OutboxEntry",
    "Person",
    "PrintJob",
    "Signature",
    "Ticket",
    "Visit",
]
