"""After-care reminders by SMS, and the replies to them ("1" = 확인했어요, "2" = 전화 요청).

When: the day before the due date, so the person has a day to get ready (find the repayment slip, keep
the line free for the counselor's call) and the counselor sees the answer on the morning's due list.
A follow-up first seen on its due date (planned that day, or the hub was down the day before) still
gets one that day; an overdue one does not (the counselor calls instead). One reminder per follow-up and
due date, ever: the row ``aftercare_reminder`` is unique on (follow-up, due date) and is written in the
same transaction as its message, so a second run — after a restart, or in a second hub process — fails
on the constraint and rolls its message back with it.

Who: a planned follow-up whose person has a mobile number and whose visit's consent grants the item
that names after-care contact (`AFTERCARE_CONSENT_ITEM`). An opted-out number gets its message stored
as skipped by the outbox (so the desk shows "수신 거부") and never sent. Reminders are ``daytime``
messages: the outbox holds them to 08:00–21:00 on the center clock.

The number is decrypted here only, to hand it to the outbox (which stores it encrypted again); it is
never logged or put in an audit event. Replies are matched by the number's blind index to the latest
reminder sent to it within `REPLY_WINDOW`; anything else is logged with the number masked and ignored.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import and_, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from config import clock
from db.audit import append_event
from db.models import (
    AftercareReminder,
    Case,
    Consent,
    FollowUp,
    FollowUpStatus,
    ReminderReply,
    SmsMessage,
    SmsStatus,
    Visit,
)
from db.people import PHONE_CONTEXT
from db.pii import mask_name, mask_phone
from kiosk.aftercare.plan import kind_topic
from kiosk.sms.gateway import InboundMessage
from kiosk.sms.numbers import InvalidMobile, normalize_mobile, phone_blind_index
from kiosk.sms.outbox import OPT_OUT_WORDS
from kiosk.sms.templates import TemplateValueError
from kiosk.web import links as web_links

log = logging.getLogger("kiosk.aftercare")

TEMPLATE = "aftercare_reminder"
# The consent texts (config/consent/items.toml) have no item of its own for after-care contact: the
# required collection item lists "사후관리(상담 후 안부·점검 연락)" among its purposes and the mobile
# number among its items, so it is the grant a reminder needs. A separate item would replace this id.
AFTERCARE_CONSENT_ITEM = "personal_credit_collection"
REMIND_DAYS_BEFORE = 1
REPLY_WINDOW = timedelta(days=14)
ACTOR = "system:aftercare"
WEEKDAYS_KO = "월화수목금토일"
FALLBACK_NAME = "고객"  # "고객님": a person stored without a name

Publish = Callable[[str, str, dict[str, Any]], None]


class Enqueuer(Protocol):
    """What sends: the hub's SmsService, or an SmsOutbox without gateway (the CLI; the hub's sender
    thread sends what it stored)."""

    def enqueue(
        self, template: str, values: Mapping[str, str], to: str, *, session: Session | None = None
    ) -> str: ...


@dataclass
class ReminderRun:
    """What one pass did, counted (no numbers, no names)."""

    queued: int = 0
    already: int = 0  # another pass or process made it first
    no_phone: int = 0
    not_mobile: int = 0
    no_consent: int = 0
    failed: int = 0  # an error on that follow-up (logged); tried again on the next pass


def korean_date(day: date) -> str:
    """12월 3일(목)."""
    return f"{day.month}월 {day.day}일({WEEKDAYS_KO[day.weekday()]})"


def reminder_values(name: str | None, followup: FollowUp) -> dict[str, str]:
    return {
        "masked_name": mask_name(name) or FALLBACK_NAME,
        "due_date": korean_date(followup.due_date),
        "topic": kind_topic(followup.kind),
        "link": "",  # the page with the answers as buttons, when the center's web address is known
    }


def _candidates(session: Session, today: date) -> list[uuid.UUID]:
    reminded = exists().where(
        and_(AftercareReminder.follow_up_id == FollowUp.id, AftercareReminder.due_date == FollowUp.due_date)
    )
    return list(
        session.scalars(
            select(FollowUp.id)
            .where(
                FollowUp.status == FollowUpStatus.PLANNED,
                FollowUp.due_date >= today,
                FollowUp.due_date <= today + timedelta(days=REMIND_DAYS_BEFORE),
                ~reminded,
            )
            .order_by(FollowUp.due_date, FollowUp.id)
        )
    )


def _consented(session: Session, visit_id: uuid.UUID) -> bool:
    consent = session.scalars(
        select(Consent)
        .where(Consent.visit_id == visit_id, Consent.withdrawn_at.is_(None))
        .order_by(Consent.created_at.desc())
        .limit(1)
    ).first()
    if consent is None:
        return False
    item = consent.items.get(AFTERCARE_CONSENT_ITEM)
    return bool(item.get("granted")) if isinstance(item, Mapping) else item is True


def send_due_reminders(
    sessions: sessionmaker[Session],
    keys: Any,
    sms: Enqueuer,
    *,
    today: date | None = None,
    link_base: str = "",
) -> ReminderRun:
    """Queue the reminders due today (follow-ups due today or tomorrow, not yet reminded).

    ``link_base``: the center's public web address; each reminder then carries a link to a page with
    the two answers as buttons (kiosk.web, ``/m/a/…``), for whoever finds a button easier than a reply."""
    today = today or clock.today()
    run = ReminderRun()
    with sessions() as session:
        ids = _candidates(session, today)
    for followup_id in ids:
        try:
            _remind(sessions, keys, sms, followup_id, today, run, link_base)
        except Exception:  # one unreadable row must not keep the others' reminders back
            run.failed += 1
            log.exception("after-care: no reminder for follow-up %s", followup_id)
    if run.queued:
        wake = getattr(sms, "wake", None)
        if callable(wake):
            wake()
        log.info("after-care: %d reminder(s) queued for %s", run.queued, today.isoformat())
    if run.no_phone or run.not_mobile or run.no_consent:
        log.info(
            "after-care: no reminder for %d without a number, %d without a mobile, %d without consent",
            run.no_phone,
            run.not_mobile,
            run.no_consent,
        )
    return run


def _remind(
    sessions: sessionmaker[Session],
    keys: Any,
    sms: Enqueuer,
    followup_id: uuid.UUID,
    today: date,
    run: ReminderRun,
    link_base: str = "",
) -> None:
    with sessions() as session:
        followup = session.get(FollowUp, followup_id)
        if followup is None or followup.status != FollowUpStatus.PLANNED:
            return
        visit = followup.case.visit
        person = visit.person
        if person is None or person.phone_enc is None:
            run.no_phone += 1
            return
        if not _consented(session, visit.id):
            run.no_consent += 1
            return
        try:
            digits = normalize_mobile(keys.decrypt_text(person.phone_enc, PHONE_CONTEXT))
        except InvalidMobile:
            run.not_mobile += 1
            return
        values = reminder_values(person.name, followup)
        reminder_id = uuid.uuid4()
        values["link"] = ""
        if link_base and visit.center_id is not None:
            token = web_links.mint(
                session, "aftercare", visit.center_id, reminder_id, clock.now() + REPLY_WINDOW
            )
            values["link"] = f"누르고 답하기: {link_base.rstrip('/')}/m/a/{token}"
        try:
            message_id = sms.enqueue(TEMPLATE, values, digits, session=session)
        except TemplateValueError:
            # A long (foreign) name or one outside EUC-KR: "고객님" rather than no reminder at all.
            values["masked_name"] = FALLBACK_NAME
            values["link"] = ""  # a public address longer than the template allows: the reply codes stay
            message_id = sms.enqueue(TEMPLATE, values, digits, session=session)
        session.flush()  # the message row first: the reminder refers to it
        session.add(
            AftercareReminder(
                id=reminder_id,
                follow_up_id=followup.id,
                due_date=followup.due_date,
                message_id=uuid.UUID(message_id),
                to_blind_index=phone_blind_index(keys, digits),
                sent_on=today,
            )
        )
        try:
            session.flush()
            append_event(
                session,
                ACTOR,
                "aftercare.remind",
                f"follow_up:{followup.id}",
                {"message_id": message_id, "due_date": followup.due_date.isoformat()},
            )
            session.commit()
        except IntegrityError:
            session.rollback()  # made meanwhile by another pass: its message is the one
            run.already += 1
            return
    run.queued += 1


# --- what the desk's due list shows ----------------------------------------------------------------
_SMS_WORD = {
    SmsStatus.QUEUED: "queued",
    SmsStatus.SENT: "sent",
    SmsStatus.DELIVERED: "delivered",
    SmsStatus.FAILED: "failed",
    SmsStatus.EXPIRED: "failed",
    SmsStatus.SKIPPED: "opted_out",
}


@dataclass(frozen=True)
class ReminderState:
    sms: str  # kiosk.api.FollowUpOut.reminder_sms
    reply: str | None
    replied_at: datetime | None


def reminder_states(session: Session, followups: Iterable[FollowUp]) -> dict[uuid.UUID, ReminderState]:
    """Each follow-up's reminder for its current due date (if one went), with its message's status."""
    due = {f.id: f.due_date for f in followups}
    if not due:
        return {}
    rows = session.execute(
        select(AftercareReminder, SmsMessage.status)
        .join(SmsMessage, SmsMessage.id == AftercareReminder.message_id)
        .where(AftercareReminder.follow_up_id.in_(due))
    ).all()
    return {
        reminder.follow_up_id: ReminderState(
            _SMS_WORD.get(status, "failed"),
            reminder.reply.value if reminder.reply else None,
            reminder.replied_at,
        )
        for reminder, status in rows
        if due.get(reminder.follow_up_id) == reminder.due_date
    }


# --- replies ---------------------------------------------------------------------------------------
# The code first, alone or followed by words ("2 전화 주세요", "1번이요"); not a time ("1시에", "10일").
_REPLY = re.compile(r"([12])(?:\s*번(?:이요|요)?)?(?:[\s.,!)]+.*)?", re.DOTALL)
_WORDS = {
    "확인": ReminderReply.CONFIRMED,
    "확인했어요": ReminderReply.CONFIRMED,
    "확인했습니다": ReminderReply.CONFIRMED,
    "전화": ReminderReply.CALL_BACK,
    "전화요청": ReminderReply.CALL_BACK,
    "전화주세요": ReminderReply.CALL_BACK,
}


def parse_reply(text: str) -> ReminderReply | None:
    """ "1" / "１" / " 1 " / "1번" → confirmed, "2…" → call back, a few plain words too; else None."""
    folded = unicodedata.normalize("NFKC", text or "").strip()
    match = _REPLY.fullmatch(folded)
    if match:
        return ReminderReply.CONFIRMED if match.group(1) == "1" else ReminderReply.CALL_BACK
    return _WORDS.get(re.sub(r"[\s.!]", "", folded))


@dataclass(frozen=True)
class RecordedReply:
    follow_up_id: uuid.UUID
    reply: ReminderReply
    center_id: uuid.UUID | None


def record_reply(
    sessions: sessionmaker[Session], keys: Any, message: InboundMessage, *, now: datetime | None = None
) -> RecordedReply | None:
    """Store a reply on the latest reminder sent to that number (within REPLY_WINDOW); audited.

    None when it is no reply code, or no reminder went to that number: logged masked, nothing changed.
    """
    reply = parse_reply(message.text)
    if reply is None:
        if message.text.strip().upper() not in OPT_OUT_WORDS:  # the outbox's to handle
            log.info(
                "after-care: a reply that is no reply code, from %s: ignored", mask_phone(message.sender)
            )
        return None
    try:
        blind = phone_blind_index(keys, message.sender)
    except InvalidMobile:
        log.info("after-care: a reply from a number that is not a Korean mobile: ignored")
        return None
    now = now or clock.now()
    with sessions() as session:
        reminder = session.scalars(
            select(AftercareReminder)
            .where(
                AftercareReminder.to_blind_index == blind, AftercareReminder.created_at >= now - REPLY_WINDOW
            )
            .order_by(AftercareReminder.created_at.desc(), AftercareReminder.id)
            .limit(1)
        ).first()
        if reminder is None:
            log.info(
                "after-care: reply %s from %s, who has no recent reminder: ignored",
                reply,
                mask_phone(message.sender),
            )
            return None
        return _store_reply(session, reminder, reply, now, "sms")


def record_page_reply(
    sessions: sessionmaker[Session],
    reminder_id: uuid.UUID,
    reply: ReminderReply,
    *,
    now: datetime | None = None,
) -> RecordedReply | None:
    """The same answer given with a button on the reminder's page (kiosk.web): stored and audited alike."""
    with sessions() as session:
        reminder = session.get(AftercareReminder, reminder_id)
        if reminder is None:
            return None
        return _store_reply(session, reminder, reply, now or clock.now(), "web")


def _store_reply(
    session: Session, reminder: AftercareReminder, reply: ReminderReply, now: datetime, channel: str
) -> RecordedReply:
    reminder.reply, reminder.replied_at = reply, now
    center_id = session.scalar(
        select(Visit.center_id)
        .join(Case, Case.visit_id == Visit.id)
        .join(FollowUp, FollowUp.case_id == Case.id)
        .where(FollowUp.id == reminder.follow_up_id)
    )
    append_event(
        session,
        ACTOR,
        "aftercare.reply",
        f"follow_up:{reminder.follow_up_id}",
        {"reply": reply.value, "reminder_id": str(reminder.id), "channel": channel},
    )
    session.commit()
    return RecordedReply(reminder.follow_up_id, reply, center_id)


# --- the hub's background job ----------------------------------------------------------------------
class ReminderJob:
    """Runs `send_due_reminders` at start and every ``interval_s`` on its own thread (never a request's),
    and hears replies. Two hubs over one database may both run it: the constraint keeps each single."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        keys: Any,
        sms: Any,
        *,
        publish: Publish | None = None,
        interval_s: float = 600.0,
        link_base: str = "",
    ) -> None:
        self.sessions, self.keys, self.sms, self.publish = sessions, keys, sms, publish
        self.link_base = link_base
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def for_hub(cls, state: Any, *, interval_s: float = 600.0) -> ReminderJob:
        """The job over a hub's state (kiosk.hub.deps.HubState: sessions, keys, sms, bus)."""
        base = state.settings.web.public_url or state.settings.hub.url
        return cls(
            state.sessions,
            state.keys,
            state.sms,
            publish=state.bus.publish,
            interval_s=interval_s,
            link_base=base,
        )

    def listen(self) -> ReminderJob:
        self.sms.on_reply(self.on_reply)
        return self

    def start(self) -> ReminderJob:
        self.listen()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="aftercare-reminders", daemon=True)
            self._thread.start()
        return self

    def run_once(self) -> ReminderRun:
        return send_due_reminders(self.sessions, self.keys, self.sms, link_base=self.link_base)

    def on_reply(self, message: InboundMessage) -> None:
        # Called on the gateway's thread: an error here must not end its receive loop.
        try:
            recorded = record_reply(self.sessions, self.keys, message)
        except Exception:
            log.exception("after-care: storing a reply failed")
            return
        if recorded is not None and recorded.center_id is not None and self.publish is not None:
            self.publish(
                str(recorded.center_id),
                "aftercare.reply",
                {"follow_up_id": str(recorded.follow_up_id), "reply": recorded.reply.value},
            )

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # a database hiccup: the next pass tries again, nothing was half-written
                log.exception("after-care: a reminder pass failed")
            self._stop.wait(self.interval_s)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10.0)
            self._thread = None
