"""What withdrawing a visit's consent changes, in the caller's transaction (PIPA §37).

A withdrawal is kept on the consent row itself: ``withdrawn_at`` when the whole consent goes, and on each
item ``{"granted": false, "withdrawn_at": …}`` so the record still shows what had been agreed and when it
ended. Everything that acts on a consent already reads only rows with ``withdrawn_at`` unset — the credit
inquiry (routes_debts) and after-care reminders (kiosk.aftercare.reminders) — so they stop by themselves.
SMS does not read consents: the ticket's call opt-in is turned off and messages still waiting for the
visit's numbers are skipped here, so nothing more reaches that phone because of this visit.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from config.consent import consent_set
from db.models import Consent, Person, SmsMessage, SmsStatus, Ticket, Visit
from db.models.ticket_sms import TicketSms
from db.people import PHONE_CONTEXT
from kiosk.sms.numbers import InvalidMobile, phone_blind_index

SKIP_REASON = "consent_withdrawn"  # sms_message.last_error of a message that will not go


class NothingToWithdraw(Exception):
    """The visit has no consent, or the named items are already withdrawn (``at``: when, if known)."""

    def __init__(self, at: datetime | None) -> None:
        super().__init__("nothing left to withdraw")
        self.at = at


class UnknownItems(Exception):
    def __init__(self, ids: list[str]) -> None:
        super().__init__(f"items not in this consent: {', '.join(ids)}")
        self.ids = ids


@dataclass(frozen=True)
class Withdrawal:
    items: list[str]
    processing_ended: bool
    at: datetime
    sms_stopped: int


def _required(item_id: str, stored: Any) -> bool:
    """Required per the center's consent texts; an item the texts do not name keeps its stored flag."""
    known = {item.id: item.required for item in consent_set().items}
    if item_id in known:
        return known[item_id]
    return isinstance(stored, Mapping) and stored.get("required") is True


def _granted(stored: Any) -> bool:
    return bool(stored.get("granted")) if isinstance(stored, Mapping) else stored is True


def _withdrawn_item(stored: Any, required: bool, at: datetime) -> dict[str, Any]:
    base = dict(stored) if isinstance(stored, Mapping) else {"required": required}
    return {**base, "granted": False, "withdrawn_at": at.isoformat()}


def withdraw(
    session: Session, keys: Any, visit: Visit, scope: str, items: Iterable[str], now: datetime
) -> Withdrawal:
    """Withdraw ``items`` (scope "items") or everything (scope "all") of the visit's live consents."""
    live = list(
        session.scalars(
            select(Consent)
            .where(Consent.visit_id == visit.id, Consent.withdrawn_at.is_(None))
            .order_by(Consent.created_at, Consent.id)
            .with_for_update()
        )
    )
    if not live:
        ended = session.scalar(select(Consent.withdrawn_at).where(Consent.visit_id == visit.id).limit(1))
        raise NothingToWithdraw(ended)
    held = {item_id: stored for consent in live for item_id, stored in (consent.items or {}).items()}
    wanted = sorted(set(items)) if scope == "items" else sorted(held)
    unknown = [item_id for item_id in wanted if item_id not in held]
    if unknown:
        raise UnknownItems(unknown)
    ends = scope == "all" or any(_required(i, held[i]) for i in wanted)
    withdrawn: set[str] = set()
    for consent in live:
        changed = dict(consent.items or {})
        for item_id, stored in changed.items():
            if (ends or item_id in wanted) and _granted(stored):
                changed[item_id] = _withdrawn_item(stored, _required(item_id, stored), now)
                withdrawn.add(item_id)
        consent.items = changed  # a new dict: the JSON column sees the change
        if ends:
            consent.withdrawn_at = now
    if not ends and not withdrawn:
        raise NothingToWithdraw(None)  # every named optional item was already off
    stopped = stop_sms(session, keys, visit) if ends else 0
    return Withdrawal(sorted(withdrawn), ends, now, stopped)


def _numbers(session: Session, keys: Any, visit: Visit) -> set[str]:
    """Blind indexes of the numbers this visit gave: the person's, and any ticket's call opt-in."""
    found: set[str] = set()
    tickets = select(Ticket.id).where(Ticket.visit_id == visit.id)
    for row in session.scalars(select(TicketSms).where(TicketSms.ticket_id.in_(tickets))):
        row.calls = False  # no "곧 차례예요", no call message any more
        found.add(row.phone_blind_index)
    person = session.get(Person, visit.person_id) if visit.person_id else None
    if person is not None and person.phone_enc:
        try:
            found.add(phone_blind_index(keys, keys.decrypt_text(person.phone_enc, PHONE_CONTEXT)))
        except InvalidMobile:  # a landline was kept: no SMS ever went there
            pass
    return found


def stop_sms(session: Session, keys: Any, visit: Visit) -> int:
    """Turn off the visit's SMS opt-ins and skip what still waits for its numbers; how many were skipped."""
    numbers = _numbers(session, keys, visit)
    if not numbers:
        return 0
    result = session.execute(
        update(SmsMessage)
        .where(SmsMessage.status == SmsStatus.QUEUED, SmsMessage.to_blind_index.in_(sorted(numbers)))
        .values(status=SmsStatus.SKIPPED, last_error=SKIP_REASON, text_enc=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def event_data(visit_id: uuid.UUID, withdrawal: Withdrawal) -> dict[str, Any]:
    """The sync event's data: ids and codes only (HQ counts withdrawals; it never learns who)."""
    return {
        "visit_id": str(visit_id),
        "items": withdrawal.items,
        "processing_ended": withdrawal.processing_ended,
    }
