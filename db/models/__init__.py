"""Every entity of ARCHITECTURE.md "Data". Importing this package registers all tables on Base.metadata."""

from db.base import Base
from db.models.center import Center, Counselor, Device, HubSession
from db.models.debts import CreditInquiryRecord, DebtLine, DebtList
from db.models.devices_health import DeviceHealth, PrinterState
from db.models.documents import Document, Signature
from db.models.enums import (
    ConsentMethod,
    CounselorRole,
    DeviceKind,
    DocumentStatus,
    FollowUpStatus,
    IdentityMethod,
    IdentityResult,
    OutboxKind,
    OutboxStatus,
    PrintJobStatus,
    TicketStatus,
    VisitPath,
    VisitStatus,
    VisitStep,
)
from db.models.event_seq import EVENT_SEQ
from db.models.operations import AuditEvent, IdempotencyRecord, OutboxEntry, PrintJob, TicketReservation
from db.models.person import Person
from db.models.reminders import AftercareReminder, ReminderReply
from db.models.sms import SmsEarlyReport, SmsKind, SmsMessage, SmsOptOut, SmsStatus
from db.models.sms_consent import ChallengePurpose, ChallengeStatus, SmsConsentChallenge
from db.models.sms_webhook import SmsWebhook
from db.models.sync import SyncCursor, SyncEvent
from db.models.ticket_sms import TicketSms
from db.models.visit import Case, Consent, FollowUp, IdentityCheck, Intake, MatchResult, Ticket, Visit
from db.models.web import WebLink

__all__ = [
    "EVENT_SEQ",
    "AftercareReminder",
    "AuditEvent",
    "Base",
    "Case",
    "Center",
    "ChallengePurpose",
    "ChallengeStatus",
    "Consent",
    "ConsentMethod",
    "Counselor",
    "CounselorRole",
    "CreditInquiryRecord",
    "DebtLine",
    "DebtList",
    "Device",
    "DeviceHealth",
    "DeviceKind",
    "Document",
    "DocumentStatus",
    "FollowUp",
    "FollowUpStatus",
    "HubSession",
    "IdempotencyRecord",
    "IdentityCheck",
    "IdentityMethod",
    "IdentityResult",
    "Intake",
    "MatchResult",
    "OutboxEntry",
    "OutboxKind",
    "OutboxStatus",
    "Person",
    "PrintJob",
    "PrintJobStatus",
    "PrinterState",
    "ReminderReply",
    "Signature",
    "SmsConsentChallenge",
    "SmsEarlyReport",
    "SmsKind",
    "SmsMessage",
    "SmsOptOut",
    "SmsStatus",
    "SmsWebhook",
    "SyncCursor",
    "SyncEvent",
    "Ticket",
    "TicketReservation",
    "TicketSms",
    "TicketStatus",
    "Visit",
    "VisitPath",
    "VisitStatus",
    "VisitStep",
    "WebLink",
]
