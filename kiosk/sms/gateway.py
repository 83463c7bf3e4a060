"""The one interface every SMS backend offers: hand a message over, hear back what became of it.

A backend (SMPP 3.4 to a carrier's SMSC, or a Korean HTTP provider) turns an `OutgoingMessage` into the
wire protocol and returns the gateway's own message id; delivery reports and replies arrive later and are
handed to the callbacks the caller registered. The outbox above it (``kiosk.sms.outbox``) decides when to
send and retries; a backend sends once per call and says clearly why it could not (`GatewayError` and its
kinds), so the outbox knows whether to retry, back off or give up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class MessageKind(StrEnum):
    SMS = "sms"  # ≤ 90 bytes EUC-KR (HTTP) / one UCS-2 segment of 70 characters (SMPP)
    LMS = "lms"  # ≤ 2,000 bytes EUC-KR with a subject ≤ 40 bytes (HTTP) / concatenated UCS-2 (SMPP)


class DeliveryStatus(StrEnum):
    """The SMPP receipt's ``stat:`` words; HTTP providers' codes are mapped onto them."""

    ENROUTE = "ENROUTE"
    DELIVRD = "DELIVRD"
    EXPIRED = "EXPIRED"
    DELETED = "DELETED"
    UNDELIV = "UNDELIV"
    ACCEPTD = "ACCEPTD"
    UNKNOWN = "UNKNOWN"
    REJECTD = "REJECTD"

    @property
    def final(self) -> bool:
        return self not in (DeliveryStatus.ENROUTE, DeliveryStatus.ACCEPTD, DeliveryStatus.UNKNOWN)


@dataclass(frozen=True)
class OutgoingMessage:
    """One message as the outbox hands it to a backend (the only moment the number is in clear).

    ``message_id`` is ours (stable across retries): backends pass it on where the protocol allows, so a
    resend after a lost answer is recognised as the same message."""

    message_id: str
    to: str  # Korean mobile, digits only: 01012345678
    sender: str  # a pre-registered sender number (발신번호 사전등록제), digits only
    text: str
    kind: MessageKind
    subject: str = ""  # LMS only


@dataclass(frozen=True)
class Submitted:
    """The gateway accepted the message: its id for the delivery report, and when."""

    message_id: str
    gateway_id: str
    at: datetime


@dataclass(frozen=True)
class DeliveryReport:
    gateway_id: str
    status: DeliveryStatus
    at: datetime
    error: str = ""  # the gateway's error code, if any


@dataclass(frozen=True)
class InboundMessage:
    """A reply from a phone (a `deliver_sm` that is not a receipt, or the provider's inbound webhook)."""

    sender: str  # digits; handled and encrypted by the caller, never logged
    text: str
    at: datetime


class GatewayErrorKind(StrEnum):
    THROTTLED = "throttled"  # slow down and retry (ESME_RTHROTTLED, HTTP 429)
    UNAVAILABLE = "unavailable"  # connection lost / timeout / 5xx: retry with backoff
    REJECTED = "rejected"  # this message can never go (bad number, bytes, unregistered sender): give up
    AUTH = "auth"  # bind refused / bad signature: an operator must fix the configuration


class GatewayError(Exception):
    def __init__(self, kind: GatewayErrorKind, detail: str) -> None:
        super().__init__(f"{kind.value}: {detail}")
        self.kind = kind
        self.detail = detail

    @property
    def retryable(self) -> bool:
        return self.kind in (GatewayErrorKind.THROTTLED, GatewayErrorKind.UNAVAILABLE)


ReportHandler = Callable[[DeliveryReport], None]
InboundHandler = Callable[[InboundMessage], None]


class SmsGateway(Protocol):
    """What the outbox needs of a backend. ``submit`` may block (network); never call it on a GUI thread."""

    name: str  # "smpp" or "http"

    def submit(self, message: OutgoingMessage) -> Submitted:
        """Send once; raise `GatewayError` when the gateway did not take it."""
        ...

    def on_report(self, handler: ReportHandler) -> None:
        """Register who hears delivery reports (called from the backend's own thread)."""
        ...

    def on_inbound(self, handler: InboundHandler) -> None:
        """Register who hears replies from phones."""
        ...

    def close(self) -> None: ...
