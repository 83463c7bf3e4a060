"""What the SMS outbox tells its callers: a pass's counts and one message's state (nothing personal)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.models import SmsMessage, SmsStatus

FINAL = frozenset({SmsStatus.DELIVERED, SmsStatus.FAILED, SmsStatus.EXPIRED, SmsStatus.SKIPPED})


@dataclass
class SendReport:
    """One ``send_due`` pass, counted."""

    sent: int = 0
    retried: int = 0  # backed off (gateway down) or throttled: tried again later
    failed: int = 0  # given up (rejected, or out of tries)
    skipped: int = 0  # opted-out numbers
    expired: int = 0  # past their template's time to live
    paused: bool = False  # the outbox is waiting out a throttle or an outage
    auth_error: str | None = None  # sending stopped: the gateway refused our credentials


@dataclass(frozen=True)
class MessageView:
    """One message as operators see it: routing and status, the number masked, never the text."""

    id: str
    template: str
    kind: str
    to_masked: str
    byte_length: int
    status: SmsStatus
    attempts: int
    last_error: str | None
    gateway: str | None
    gateway_id: str | None
    delivery_status: str | None
    created_at: datetime
    sent_at: datetime | None
    delivered_at: datetime | None
    next_attempt_at: datetime | None

    @property
    def final(self) -> bool:
        return self.status in FINAL


def view_of(row: SmsMessage) -> MessageView:
    return MessageView(
        id=str(row.id),
        template=row.template,
        kind=row.kind.value,
        to_masked=row.to_masked,
        byte_length=row.byte_length,
        status=row.status,
        attempts=row.attempts,
        last_error=row.last_error,
        gateway=row.gateway,
        gateway_id=row.gateway_id,
        delivery_status=row.delivery_status,
        created_at=row.created_at,
        sent_at=row.sent_at,
        delivered_at=row.delivered_at,
        next_attempt_at=row.next_attempt_at,
    )


def message_views(sessions: sessionmaker[Session], message_ids: Iterable[str]) -> list[MessageView]:
    """The messages with these ids, in that order (an id that is not one, or unknown, is left out)."""
    keys = []
    for message_id in message_ids:
        try:
            keys.append(uuid.UUID(message_id))
        except ValueError:
            continue
    with sessions() as session:
        rows = {r.id: r for r in session.scalars(select(SmsMessage).where(SmsMessage.id.in_(keys)))}
    return [view_of(rows[k]) for k in keys if k in rows]
