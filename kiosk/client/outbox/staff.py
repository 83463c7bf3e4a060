"""What staff see of the outbox and may do about it (`kiosk outbox list / retry`, the staff screen).

Counts, routing and retry state only: never what an entry carries. No hub client needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from db.models import OutboxEntry, OutboxStatus


@dataclass(frozen=True)
class OutboxHealth:
    """What staff need to know about the outbox: counts only, and what to do about them."""

    pending: int
    held_auth: int
    quarantined: int

    @property
    def ok(self) -> bool:
        return not (self.held_auth or self.quarantined)

    @property
    def message_ko(self) -> str:
        parts = []
        if self.held_auth:
            parts.append(
                f"허브가 이 키오스크를 인증하지 않아요: {self.held_auth}건을 보관 중이에요. "
                "키오스크를 다시 등록하면 자동으로 보내요."
            )
        if self.quarantined:
            parts.append(
                f"계속 실패한 {self.quarantined}건을 따로 두었어요. "
                "`kiosk outbox list`로 확인하고 `kiosk outbox retry ID`로 다시 보내세요."
            )
        if self.pending:
            parts.append(f"허브로 보낼 {self.pending}건이 자동으로 다시 보내질 차례를 기다려요.")
        return " ".join(parts) or "허브로 보낼 항목이 없어요."

    @property
    def message_en(self) -> str:
        parts = []
        if self.held_auth:
            parts.append(
                f"the hub refuses this kiosk's token: {self.held_auth} held until it is enrolled again."
            )
        if self.quarantined:
            parts.append(
                f"{self.quarantined} set aside after repeated failures: see `kiosk outbox list`, "
                "send again with `kiosk outbox retry ID`."
            )
        if self.pending:
            parts.append(f"{self.pending} waiting to be sent again automatically.")
        return " ".join(parts) or "nothing waiting for the hub."

    @property
    def message(self) -> str:
        return f"{self.message_ko} ({self.message_en})"


@dataclass(frozen=True)
class EntryView:
    """One outbox entry as staff may see it: routing and retry state, no personal data."""

    id: str
    kind: str
    status: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    created_at: datetime


class UnknownEntry(LookupError):
    pass


def outbox_health(sessions: sessionmaker[Session]) -> OutboxHealth:
    with sessions() as session:
        counts = dict(
            session.execute(
                select(OutboxEntry.status, func.count(OutboxEntry.id)).group_by(OutboxEntry.status)
            ).all()
        )
    return OutboxHealth(
        counts.get(OutboxStatus.PENDING, 0),
        counts.get(OutboxStatus.HELD_AUTH, 0),
        counts.get(OutboxStatus.QUARANTINED, 0),
    )


def list_entries(sessions: sessionmaker[Session], *, include_sent: bool = False) -> list[EntryView]:
    with sessions() as session:
        query = select(OutboxEntry).order_by(OutboxEntry.created_at, OutboxEntry.id)
        if not include_sent:
            query = query.where(OutboxEntry.status != OutboxStatus.SENT)
        return [_view(e) for e in session.scalars(query)]


def retry_entry(sessions: sessionmaker[Session], entry_id: str) -> EntryView:
    """Send a held or quarantined entry again from the next sync on, with a fresh count of tries.

    ``entry_id``: the full id or an unambiguous prefix of at least 6 characters, as `list` shows it.
    Raises UnknownEntry when nothing (or more than one entry) matches.
    """
    wanted = entry_id.strip().lower()
    if len(wanted) < 6:
        raise UnknownEntry(entry_id)
    with sessions() as session:
        matches = [i for i in session.scalars(select(OutboxEntry.id)) if str(i).startswith(wanted)]
        if len(matches) != 1:
            raise UnknownEntry(entry_id)
        entry = session.get_one(OutboxEntry, matches[0])
        if entry.status != OutboxStatus.SENT:
            entry.status, entry.attempts, entry.next_attempt_at = OutboxStatus.PENDING, 0, None
            session.commit()
        return _view(entry)


def _view(entry: OutboxEntry) -> EntryView:
    return EntryView(
        str(entry.id),
        entry.kind,
        entry.status,
        entry.attempts,
        entry.last_error,
        entry.next_attempt_at,
        entry.created_at,
    )
