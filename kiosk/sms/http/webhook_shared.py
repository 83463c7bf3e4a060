"""The provider's webhook on every hub worker (`kiosk hub --workers N`), each webhook handled once.

The provider posts to one address, and the kernel hands each connection to any worker; only one worker
(the background-jobs holder, kiosk.hub.workers) runs the gateway that sends. So:

- ``SharedWebhook`` is what every worker mounts: it verifies the signature first (unsigned posts never
  touch the database), then takes the webhook id in ``WebhookLedger`` — a row in ``sms_webhook``, so a
  retry that reaches another worker is answered "duplicate" instead of counting a reply twice — and
  hands the event to this worker's handler. A handler that fails (or answers 4xx/5xx) gives the id back,
  so the provider's retry is handled; while one worker is at an id, another answers 409 and the
  provider tries again later.
- In the holder the handler is the gateway's own receiver (its in-memory tracking, then the outbox's
  report writer). Elsewhere it is ``StoreOnlyHandler``: a final delivery report is written to its message
  row in this request's transaction (or, when the holder has not yet recorded the gateway's id, as an
  early report the holder applies when it does — the message row's lock orders the two), and a reply goes
  to this worker's reply handlers (opt-out words, after-care reply codes), which write to the database.
Nothing of a body (number, text) is logged.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any, Literal

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from config import clock
from db.models import SmsEarlyReport, SmsMessage, SmsWebhook
from kiosk.sms.gateway import InboundHandler
from kiosk.sms.http.webhook import WebhookEvent, WebhookRefused, parse_webhook
from kiosk.sms.outbox_reports import apply_to

log = logging.getLogger(__name__)

Answer = tuple[int, dict[str, Any]]
Handler = Callable[[Mapping[str, str], bytes, WebhookEvent], Answer]
Taken = Literal["new", "done", "busy"]

LEASE = timedelta(seconds=60)  # a worker that died holding an id lets a retry take it after this
KEPT_FOR = timedelta(days=7)  # far past any provider's retries
HANDLING, DONE = "handling", "done"


class WebhookLedger:
    """Which webhook ids were taken, in the center's database (table ``sms_webhook``)."""

    def __init__(self, sessions: sessionmaker[Session], lease: timedelta = LEASE) -> None:
        self.sessions, self.lease = sessions, lease

    def take(self, webhook_id: str) -> Taken:
        now = clock.now()
        with self.sessions() as session:
            session.add(SmsWebhook(webhook_id=webhook_id, state=HANDLING, at=now))
            try:
                session.commit()
                return "new"
            except IntegrityError:
                session.rollback()
            row = session.get(SmsWebhook, webhook_id)
            if row is None:  # given back meanwhile: the next retry takes it
                return "busy"
            if row.state == DONE:
                return "done"
            if row.at > now - self.lease:
                return "busy"
            # The worker that took it is gone (or stuck past its lease): take it over, one taker wins.
            taken = session.execute(
                update(SmsWebhook)
                .where(SmsWebhook.webhook_id == webhook_id, SmsWebhook.at == row.at)
                .values(at=now)
            )
            session.commit()
            return "new" if getattr(taken, "rowcount", 0) == 1 else "busy"

    def done(self, webhook_id: str) -> None:
        now = clock.now()
        with self.sessions() as session:
            session.execute(
                update(SmsWebhook).where(SmsWebhook.webhook_id == webhook_id).values(state=DONE, at=now)
            )
            session.execute(delete(SmsWebhook).where(SmsWebhook.at < now - KEPT_FOR))
            session.commit()

    def give_back(self, webhook_id: str) -> None:
        with self.sessions() as session:
            session.execute(delete(SmsWebhook).where(SmsWebhook.webhook_id == webhook_id))
            session.commit()


def _refusal(exc: WebhookRefused) -> Answer:
    return exc.status, {"errorCode": exc.code, "errorMessage": exc.detail}


class SharedWebhook:
    """Verify, take the id once across workers, handle; ``handle`` answers (status, JSON), never raises."""

    def __init__(self, secret: str, ledger: WebhookLedger, handler: Handler) -> None:
        self._secret, self.ledger, self._handler = secret, ledger, handler
        self.refused = 0

    def handle(self, headers: Mapping[str, str], body: bytes) -> Answer:
        try:
            event = parse_webhook(self._secret, headers, body, now=clock.now())
        except WebhookRefused as exc:
            self.refused += 1
            log.warning("SMS webhook refused: %s %s", exc.status, exc.code)
            return _refusal(exc)
        try:
            taken = self.ledger.take(event.webhook_id)
        except Exception:  # the database is away: the provider keeps the webhook and sends it again
            log.exception("SMS webhook %s: could not be recorded", event.webhook_id)
            return 503, {"errorCode": "TryAgain", "errorMessage": "try again later"}
        if taken == "done":
            return 200, {"ok": True, "duplicate": True}
        if taken == "busy":
            return 409, {"errorCode": "InProgress", "errorMessage": "being handled; try again later"}
        try:
            status, answer = self._handler(headers, body, event)
        except Exception:
            log.exception("SMS webhook handler failed (webhook %s)", event.webhook_id)
            status, answer = 500, {"errorCode": "HandlerFailed", "errorMessage": "try again later"}
        try:
            if status < 300:
                self.ledger.done(event.webhook_id)
            else:
                self.ledger.give_back(event.webhook_id)
        except Exception:  # handled but not marked: a retry within the lease is a 409, later handled again
            log.exception("SMS webhook %s: handled, but not marked done", event.webhook_id)
        return status, answer


def receiver_handler(receiver: Any) -> Handler:
    """The holder's handler: its gateway's own receiver (``WebhookReceiver.handle``)."""

    def handle(headers: Mapping[str, str], body: bytes, _event: WebhookEvent) -> Answer:
        status, answer = receiver.handle(headers, body)
        return int(status), dict(answer)

    return handle


class StoreOnlyHandler:
    """A worker that does not send: reports into the outbox's rows, replies to this worker's handlers."""

    def __init__(self, sessions: sessionmaker[Session], replies: list[InboundHandler]) -> None:
        self.sessions = sessions
        self.replies = replies  # the (store-only) outbox's: opt-out words, then after-care's reply codes

    def __call__(self, headers: Mapping[str, str], body: bytes, event: WebhookEvent) -> Answer:
        if event.inbound is not None:
            for handler in self.replies:
                handler(event.inbound)
            return 200, {"ok": True}
        assert event.report is not None  # parse_webhook gives one or the other
        if not event.report.status.final:
            return 200, {"ok": True}  # the gateway keeps only final reports; so do we
        try:
            self._store(event)
        except WebhookRefused as exc:
            return _refusal(exc)
        return 200, {"ok": True}

    def _store(self, event: WebhookEvent) -> None:
        report = event.report
        assert report is not None
        with self.sessions() as session:
            rows = list(
                session.scalars(
                    select(SmsMessage).where(SmsMessage.gateway_id == report.gateway_id).with_for_update()
                )
            )
            if not rows:
                row = self._by_our_id(session, event.our_id)
                if row is None:
                    raise WebhookRefused(404, "UnknownMessage", "no message with this id was sent from here")
                if row.gateway_id == report.gateway_id:  # recorded while we waited for its lock
                    rows = [row]
                else:
                    # The holder has not recorded the gateway's id yet. We hold the row's lock, so its
                    # write (and its look for early reports after it) waits for this commit.
                    session.add(
                        SmsEarlyReport(
                            gateway_id=report.gateway_id[:80],
                            status=report.status.value,
                            error=(report.error or "")[:20] or None,
                            at=report.at,
                        )
                    )
            for row in rows:
                apply_to(row, report)  # a final status is never undone: a repeat changes nothing
            session.commit()

    @staticmethod
    def _by_our_id(session: Session, our_id: str) -> SmsMessage | None:
        try:
            message_id = uuid.UUID(our_id)
        except ValueError:
            return None
        return session.get(SmsMessage, message_id, with_for_update=True)
