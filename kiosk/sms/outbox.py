"""The SMS outbox: every message is stored (number and text encrypted) before it is sent, sent at least
once, and reaches a person at most once.

- ``enqueue`` renders a template, checks the number, and stores the row — in the caller's transaction
  when given one, so a ticket and its "곧 차례예요" message commit together or not at all.
- ``send_due`` hands what is due to the gateway. The row's id is the message id on every try, so a
  resend after a crash or a lost answer is the same message at the gateway, which drops the copy.
  THROTTLED pauses the outbox (no try charged); UNAVAILABLE backs the message off (charged, given up after
  ``max_attempts``); REJECTED gives up at once; AUTH stops all sending until an operator fixes the
  configuration and the outbox is made again (``auth_error`` says why).
- Daytime-only messages (reminders) wait for 08:00–21:00 on the center clock; a message past its
  template's time-to-live expires unsent; an opted-out number is never sent to (``skipped``).
- Delivery reports update rows by gateway id (`outbox_reports`); a final status clears the stored text.

A new outbox over the same database carries on where the last one stopped: only the pause after a
throttle or an outage lives in memory.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from config import clock as center_clock
from db.crypto import KeyRing
from db.models import SmsKind, SmsMessage, SmsOptOut, SmsStatus
from db.pii import mask_free_text, mask_phone
from kiosk.client.outbox.rules import RetryPolicy
from kiosk.sms.gateway import (
    DeliveryReport,
    GatewayError,
    GatewayErrorKind,
    InboundMessage,
    MessageKind,
    OutgoingMessage,
    SmsGateway,
    Submitted,
)
from kiosk.sms.numbers import normalize_mobile, phone_blind_index
from kiosk.sms.outbox_reports import ReportLedger
from kiosk.sms.outbox_view import FINAL, MessageView, SendReport, message_views
from kiosk.sms.templates import Template, Urgency, default_templates

log = logging.getLogger("kiosk.sms")

TO_CONTEXT, TEXT_CONTEXT = "sms_message.to", "sms_message.text"
OPT_OUT_WORDS = {"거부", "수신거부", "STOP"}
AUTH_MESSAGE = (
    "문자 게이트웨이가 인증을 거부해서 보내기를 멈췄어요. 설정(sms.*)의 계정과 비밀을 확인해 주세요 "
    "(SMS gateway refused our credentials; sending stopped: {detail})"
)

Outcome = Submitted | GatewayError | Exception
ReplyHandler = Callable[[InboundMessage], None]


class Clock(Protocol):
    def now(self) -> datetime: ...


class SmsOutbox:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        gateway: SmsGateway | None,
        keyring: KeyRing,
        clock: Clock = center_clock,
        *,
        sender: str = "",
        templates: Mapping[str, Template] | None = None,
        max_attempts: int = 8,
        policy: RetryPolicy | None = None,
        daytime_hours: tuple[int, int] = (8, 21),
        concurrency: int = 1,
        batch: int = 200,
    ) -> None:
        self.sessions, self.gateway, self.keys, self.clock = session_factory, gateway, keyring, clock
        self.sender = sender
        self.templates = dict(templates) if templates is not None else default_templates()
        self.policy = policy or RetryPolicy(quarantine_after=max_attempts, backoff_s=2.0, max_backoff_s=300.0)
        self.daytime_hours, self.concurrency, self.batch = daytime_hours, max(1, concurrency), batch
        self.auth_error: str | None = None
        self._paused_until: datetime | None = None
        self._throttles = 0
        self._lock = threading.Lock()  # orders "row gets its gateway id" against "its report arrives"
        self.reports = ReportLedger(session_factory, self._lock)
        self._reply_handlers: list[ReplyHandler] = []
        self._pool: ThreadPoolExecutor | None = None
        self.stopping = threading.Event()  # set: the pass ends after the chunk in flight (shutdown)
        if gateway is not None:
            gateway.on_report(self._on_report)
            gateway.on_inbound(self._on_inbound)

    def template(self, template: str | Template) -> Template:
        if isinstance(template, Template):
            return template
        found = self.templates.get(template)
        if found is None:
            raise KeyError(f"no SMS template {template!r}; known: {', '.join(sorted(self.templates))}")
        return found

    def enqueue(
        self, template: str | Template, values: Mapping[str, str], to: str, *, session: Session | None = None
    ) -> str:
        """Store one message and return its id. InvalidMobile / TemplateValueError before anything is
        stored. With ``session`` the row joins the caller's transaction (the caller commits)."""
        tpl = self.template(template)
        digits = normalize_mobile(to)
        text = tpl.render(dict(values))
        now = self.clock.now()
        row = SmsMessage(
            id=uuid.uuid4(),
            template=tpl.id,
            kind=SmsKind(tpl.kind.value),
            urgency=tpl.urgency.value,
            to_enc=self.keys.encrypt_text(digits, TO_CONTEXT),
            to_blind_index=phone_blind_index(self.keys, digits),
            to_masked=mask_phone(digits),
            text_enc=self.keys.encrypt_text(text, TEXT_CONTEXT),
            subject=tpl.subject,
            byte_length=len(text.encode("euc-kr")),
            status=SmsStatus.QUEUED,
            attempts=0,
            created_at=now,
            expires_at=now + timedelta(minutes=tpl.ttl_minutes) if tpl.ttl_minutes else None,
        )
        if session is not None:
            self._store(session, row)
        else:
            with self.sessions() as own:
                self._store(own, row)
                own.commit()
        log.info("SMS %s queued: %s to %s", row.id, tpl.id, row.to_masked)
        return str(row.id)

    @staticmethod
    def _store(session: Session, row: SmsMessage) -> None:
        with session.no_autoflush:  # the caller's pending rows need not be flushed for this lookup
            opted = session.scalar(select(SmsOptOut.id).where(SmsOptOut.blind_index == row.to_blind_index))
        if opted is not None:
            row.status, row.last_error, row.text_enc = SmsStatus.SKIPPED, "opted_out", None
        session.add(row)

    def opt_out(self, to: str, source: str = "operator") -> None:
        blind = phone_blind_index(self.keys, to)
        with self.sessions() as session:
            if session.scalar(select(SmsOptOut.id).where(SmsOptOut.blind_index == blind)) is None:
                session.add(SmsOptOut(blind_index=blind, source=source, created_at=self.clock.now()))
                session.commit()
        log.info("SMS opt-out recorded for %s (%s)", mask_phone(to), source)

    def opt_in(self, to: str) -> None:
        with self.sessions() as session:
            session.execute(
                delete(SmsOptOut).where(SmsOptOut.blind_index == phone_blind_index(self.keys, to))
            )
            session.commit()

    # --- sending ------------------------------------------------------------------------------------------
    def is_daytime(self, at: datetime) -> bool:
        start, end = self.daytime_hours
        return start <= center_clock.local(at).hour < end

    def send_due(self) -> SendReport:
        """Send every message due now (at most ``batch``); what happened, counted."""
        report = SendReport()
        if self.gateway is None:
            raise RuntimeError("this outbox has no gateway (sms.backend = off)")
        if self.auth_error is not None:
            report.auth_error = self.auth_error
            return report
        now = self.clock.now()
        if self._paused_until is not None and now < self._paused_until:
            report.paused = True
            return report
        work = self._due(now, report)
        if self.concurrency == 1:
            for item in work:
                if self.stopping.is_set() or self._record([(item, self._submit_one(item[1]))], report):
                    break
        elif work:
            self._pipeline(work, report)
        return report

    def _pipeline(self, work: list[tuple[uuid.UUID, OutgoingMessage]], report: SendReport) -> None:
        """``concurrency`` submits in flight all the time (the SMPP window stays full); results are
        written in groups. On a stop verdict nothing new starts, and what was in flight is still written."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="sms-submit")
        futures = {self._pool.submit(self._submit_one, msg): (row_id, msg) for row_id, msg in work}
        done: list[tuple[tuple[uuid.UUID, OutgoingMessage], Outcome]] = []
        stopped = False
        for future in as_completed(futures):
            if future.cancelled():
                continue
            done.append((futures[future], future.result()))
            if len(done) >= max(self.concurrency, 20) or self.stopping.is_set():
                stopped = self._record(done, report) or stopped or self.stopping.is_set()
                done = []
            if stopped:
                for other in futures:
                    other.cancel()  # not started: stays queued, untouched
        if done:
            self._record(done, report)

    def _due(self, now: datetime, report: SendReport) -> list[tuple[uuid.UUID, OutgoingMessage]]:
        with self.sessions() as session:
            expired = session.execute(
                update(SmsMessage)
                .where(SmsMessage.status == SmsStatus.QUEUED, SmsMessage.expires_at <= now)
                .values(status=SmsStatus.EXPIRED, last_error="ttl", text_enc=None)
            )
            report.expired += int(getattr(expired, "rowcount", 0) or 0)
            ReportLedger.forget_old(session, now)
            query = select(SmsMessage).where(
                SmsMessage.status == SmsStatus.QUEUED,
                or_(SmsMessage.next_attempt_at.is_(None), SmsMessage.next_attempt_at <= now),
            )
            if not self.is_daytime(now):
                query = query.where(SmsMessage.urgency == Urgency.URGENT.value)
            rows = list(
                session.scalars(query.order_by(SmsMessage.created_at, SmsMessage.id).limit(self.batch))
            )
            opted = set(
                session.scalars(
                    select(SmsOptOut.blind_index).where(
                        SmsOptOut.blind_index.in_({r.to_blind_index for r in rows})
                    )
                )
            )
            work: list[tuple[uuid.UUID, OutgoingMessage]] = []
            for row in rows:
                if row.to_blind_index in opted or row.text_enc is None:
                    row.status, row.last_error, row.text_enc = SmsStatus.SKIPPED, "opted_out", None
                    report.skipped += 1
                    continue
                work.append((row.id, self._outgoing(row)))
            session.commit()
        return work

    def _outgoing(self, row: SmsMessage) -> OutgoingMessage:
        assert row.text_enc is not None
        return OutgoingMessage(
            message_id=str(row.id),
            to=self.keys.decrypt_text(row.to_enc, TO_CONTEXT),
            sender=self.sender,
            text=self.keys.decrypt_text(row.text_enc, TEXT_CONTEXT),
            kind=MessageKind(row.kind.value),
            subject=row.subject,
        )

    def _submit_one(self, message: OutgoingMessage) -> Outcome:
        assert self.gateway is not None
        try:
            return self.gateway.submit(message)
        except Exception as exc:  # a backend's bug must not lose the pass: it is a failed try
            return exc

    def _record(
        self, results: list[tuple[tuple[uuid.UUID, OutgoingMessage], Outcome]], report: SendReport
    ) -> bool:
        """Write each try's result; True when the pass must stop (auth, throttled, gateway down)."""
        assert self.gateway is not None
        now, stop, sent = self.clock.now(), False, {}
        with self._lock, self.sessions() as session:
            wanted = [row_id for (row_id, _), _ in results]
            rows = {r.id: r for r in session.scalars(select(SmsMessage).where(SmsMessage.id.in_(wanted)))}
            for (row_id, msg), outcome in results:
                row = rows.get(row_id)
                if row is None or row.status != SmsStatus.QUEUED:
                    continue
                if isinstance(outcome, Submitted):
                    row.status, row.gateway_id, row.gateway = (
                        SmsStatus.SENT,
                        outcome.gateway_id,
                        self.gateway.name,
                    )
                    row.sent_at, row.attempts, row.last_error = outcome.at, row.attempts + 1, None
                    row.next_attempt_at = None
                    sent[outcome.gateway_id] = row
                    report.sent += 1
                    self._throttles = 0
                    continue
                kind = outcome.kind if isinstance(outcome, GatewayError) else GatewayErrorKind.UNAVAILABLE
                code = mask_free_text(
                    str(outcome) if isinstance(outcome, GatewayError) else f"error_{type(outcome).__name__}"
                )[:60]
                stop = stop or self._failed(row, kind, code, now, report)
                log.warning("SMS %s to %s not sent: %s", row.id, mask_phone(msg.to), code)
            self.reports.claim(session, sent)
            session.commit()
        return stop

    def _failed(
        self, row: SmsMessage, kind: GatewayErrorKind, code: str, now: datetime, rep: SendReport
    ) -> bool:
        row.last_error = code
        if kind is GatewayErrorKind.AUTH:
            self.auth_error = AUTH_MESSAGE.format(detail=code)
            rep.auth_error = self.auth_error
            log.error("%s", self.auth_error)
            return True
        if kind is GatewayErrorKind.THROTTLED:  # not the message's fault: no try charged, the outbox waits
            self._throttles += 1
            delay = min(5.0, 0.05 * 2 ** (self._throttles - 1))
            self._paused_until = now + timedelta(seconds=delay)
            row.next_attempt_at = self._paused_until
            rep.retried += 1
            return True
        row.attempts += 1
        if kind is GatewayErrorKind.REJECTED or row.attempts >= self.policy.quarantine_after:
            row.status, row.text_enc = SmsStatus.FAILED, None
            rep.failed += 1
            return False
        row.next_attempt_at = now + timedelta(seconds=self.policy.delay_s(row.attempts))
        self._paused_until = now + timedelta(seconds=min(self.policy.backoff_s, 1.0))
        rep.retried += 1
        return True

    def _on_report(self, report: DeliveryReport) -> None:
        """Called on the backend's thread: handed to the writer, so a receipt never waits for a commit."""
        self.reports.put(report)

    def on_reply(self, handler: ReplyHandler) -> None:
        """Who hears replies (after-care's 1 = 확인 / 2 = 전화 요청); opt-out words are handled here."""
        self._reply_handlers.append(handler)

    def _on_inbound(self, message: InboundMessage) -> None:
        if message.text.strip().upper() in OPT_OUT_WORDS:
            try:
                self.opt_out(message.sender, source="reply")
            except ValueError:
                log.warning("opt-out reply from a number that is not a Korean mobile: ignored")
        for handler in self._reply_handlers:
            handler(message)

    def status(self, message_id: str) -> MessageView | None:
        found = message_views(self.sessions, [message_id])
        return found[0] if found else None

    def views(self, message_ids: Iterable[str]) -> list[MessageView]:
        return message_views(self.sessions, message_ids)

    def wait_final(self, message_ids: Iterable[str], timeout_s: float) -> list[MessageView]:
        """Wait (at most ``timeout_s``, real time) until every message has a final status; their views."""
        ids = list(message_ids)
        deadline = threading.Event()
        timer = threading.Timer(timeout_s, deadline.set)
        timer.start()
        try:
            while True:
                views = self.views(ids)
                if all(v.status in FINAL for v in views) or deadline.is_set():
                    return views
                with self.reports.arrived:
                    self.reports.arrived.wait(0.05)
        finally:
            timer.cancel()

    def drain(self, timeout_s: float) -> SendReport:
        """Send until nothing is queued (or AUTH stops it, or ``timeout_s`` of real time pass): for the
        CLI and the bench; a service calls ``send_due`` on its own schedule instead."""
        total, idle = SendReport(), threading.Event()
        deadline = time.monotonic() + timeout_s
        while self.pending() and time.monotonic() < deadline and not self.stopping.is_set():
            report = self.send_due()
            for name in ("sent", "retried", "failed", "skipped", "expired"):
                setattr(total, name, getattr(total, name) + getattr(report, name))
            if report.auth_error:
                total.auth_error = report.auth_error
                break
            if not report.sent:
                idle.wait(0.02)  # paused or backing off: look again shortly
        return total

    def pending(self) -> int:
        """Messages not yet taken by the gateway (queued, retrying, held)."""
        with self.sessions() as session:
            counted = session.scalar(
                select(func.count(SmsMessage.id)).where(SmsMessage.status == SmsStatus.QUEUED)
            )
            return int(counted or 0)

    def close(self) -> None:
        """Stop the submit pool and the report writer (after it stored what had arrived)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        self.reports.close()
