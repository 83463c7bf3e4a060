"""Ticket calls by SMS (issue 18 item 5): a ticket holder's opt-in, "곧 차례예요" and "N번 창구로 와 주세요".

Everything here runs inside the caller's transaction (the hub route that moves the queue): the messages
are stored in the SMS outbox together with the queue change that caused them, so a call that rolls back
sends nothing and a call that commits is never without its message. The caller wakes the sender after
its commit (``SmsService.wake``).

The rules, once:
- nothing is sent without an opt-in (a ``TicketSms`` row); an opted-out number is skipped by the outbox;
- "곧 차례예요" (``ticket_soon``) at most once per ticket, at the first queue change that leaves two or
  fewer people ahead of it — the count is the queue's one "앞에 N명" (kiosk.queue.waits.people_ahead);
  a person who opted in with two or fewer ahead already read that on the screen and is not told again;
- "N번 창구로 와 주세요" (``ticket_called``) once per call: the ticket's ``called_at`` it announced is
  kept, so a recall — the hall's loudspeaker saying it again — sends nothing more (the phone already shows
  that very message, and a desk that recalls three times must not buzz a phone three times), while a
  person put back in line and called again gets the new call;
- a transfer moves the opt-in to the new ticket: a new line, a new place, a new "곧 차례예요".
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Ticket, TicketStatus
from db.models.ticket_sms import TicketSms
from kiosk.queue.tickets import waiting_order
from kiosk.queue.waits import people_ahead
from kiosk.sms.numbers import mask_phone, normalize_mobile, phone_blind_index
from kiosk.sms.templates import TemplateValueError

log = logging.getLogger("kiosk.sms")

PHONE_CONTEXT = "ticket_sms.phone"
SOON_AHEAD = 2  # "곧 차례예요" when this many (or fewer) are ahead
SOON, CALLED, NUMBER = "ticket_soon", "ticket_called", "ticket_number"


@dataclass(frozen=True)
class OptIn:
    """What the opt-in stored: the masked number and the message queued now (the number's), if any."""

    to_masked: str
    calls: bool
    number_message_id: str | None


def opt_in(
    session: Session,
    sms: Any,
    keys: Any,
    ticket: Ticket,
    phone: str,
    *,
    device_id: uuid.UUID | None,
    calls: bool,
    send_number: bool,
) -> OptIn:
    """Keep ``phone`` for ``ticket`` (InvalidMobile before anything is stored). ``calls``: tell them when
    their turn nears and comes; ``send_number``: send the ticket's number now (the printer failed) — once
    per ticket. A second opt-in for the same ticket replaces the number and keeps what was sent."""
    digits = normalize_mobile(phone)
    row = session.scalar(select(TicketSms).where(TicketSms.ticket_id == ticket.id))
    if row is None:
        row = TicketSms(ticket_id=ticket.id, calls=False)
        if calls:
            # Told "앞에 2명" on the screen a moment ago: "곧 차례예요" would say nothing new.
            row.soon_message_id = "" if _ahead(session, ticket) <= SOON_AHEAD else None
        session.add(row)
    row.device_id = device_id
    row.phone_enc = keys.encrypt_text(digits, PHONE_CONTEXT)
    row.phone_blind_index = phone_blind_index(keys, digits)
    row.phone_masked = mask_phone(digits)
    if calls and not row.calls:
        row.calls = True
        if row.soon_message_id is None and _ahead(session, ticket) <= SOON_AHEAD:
            row.soon_message_id = ""
    sent_now = None
    if send_number and not row.number_message_id:
        sent_now = sms.enqueue(NUMBER, {"ticket": ticket.display}, digits, session=session)
        row.number_message_id = sent_now
    session.flush()
    return OptIn(row.phone_masked, row.calls, sent_now)


def _ahead(session: Session, ticket: Ticket) -> int:
    if ticket.status != TicketStatus.WAITING:
        return 0
    return people_ahead(waiting_order(session, ticket.center_id, ticket.line, ticket.service_date), ticket.id)


def queue_moved(
    session: Session,
    sms: Any,
    keys: Any,
    center_id: uuid.UUID,
    service_date: date,
    lines: Iterable[str],
    *,
    called: Ticket | None = None,
) -> list[str]:
    """After a queue change in ``lines`` (and the call of ``called``), queue the messages now due, in
    the caller's transaction; returns their ids (the caller wakes the sender after committing)."""
    if sms is None:
        return []
    queued: list[str] = []
    if called is not None and called.status == TicketStatus.CALLED:
        row = session.scalar(select(TicketSms).where(TicketSms.ticket_id == called.id, TicketSms.calls))
        if row is not None and row.called_for != called.called_at:
            message = _send(
                session, sms, keys, row, CALLED, {"ticket": called.display, "window": called.desk}
            )
            row.called_message_id, row.called_for = message or row.called_message_id, called.called_at
            queued += [message] if message else []
    for line in sorted(set(lines)):
        near = waiting_order(session, center_id, line, service_date)[: SOON_AHEAD + 1]
        if not near:
            continue
        rows = session.scalars(
            select(TicketSms).where(
                TicketSms.ticket_id.in_([t.id for t in near]),
                TicketSms.calls,
                TicketSms.soon_message_id.is_(None),
            )
        ).all()
        displays = {t.id: t.display for t in near}
        for row in rows:
            message = _send(session, sms, keys, row, SOON, {"ticket": displays[row.ticket_id]})
            row.soon_message_id = message or ""  # once, even when the text could not be made
            queued += [message] if message else []
    session.flush()
    return queued


def _send(
    session: Session, sms: Any, keys: Any, row: TicketSms, template: str, values: dict[str, Any]
) -> str:
    """Queue one message to the row's number; "" when a value does not fit the template (logged by
    code: a desk label too long for "N번 창구"). The queue change goes on either way."""
    digits = keys.decrypt_text(row.phone_enc, PHONE_CONTEXT)
    try:
        message_id: str = sms.enqueue(
            template, {k: str(v or "") for k, v in values.items()}, digits, session=session
        )
    except TemplateValueError as exc:
        log.warning("ticket SMS %s not queued for %s: %s", template, row.phone_masked, exc.__class__.__name__)
        return ""
    return message_id


def follow_transfer(session: Session, old_ticket_id: uuid.UUID, new_ticket: Ticket) -> None:
    """The opt-in goes with the person to the new line's ticket, to be told again there."""
    row = session.scalar(select(TicketSms).where(TicketSms.ticket_id == old_ticket_id))
    if row is None:
        return
    row.ticket_id = new_ticket.id
    row.called_message_id, row.called_for = None, None
    row.soon_message_id = "" if _ahead(session, new_ticket) <= SOON_AHEAD else None
    session.flush()


def sms_offered(sms: Any) -> bool:
    """Whether a person may be offered SMS now: a configured gateway that has not refused us."""
    return sms is not None and bool(getattr(sms, "available", True))
