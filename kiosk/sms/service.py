"""The center's running SMS: one outbox over the center's database, one gateway, one sender thread.

The hub owns one `SmsService` (``HubState.sms``; None when ``sms.backend = "off"``, and then every SMS
button stays hidden). Features only ``enqueue`` — inside their own transaction when the message must
commit with what caused it (a ticket and its "곧 차례예요") — and the sender thread hands what is due to
the gateway within ``poll_s``, or at once after ``wake``.

A service that starts over a database with messages the gateway took but has not reported on yet asks
the HTTP provider about them again (``track``): a delivery report must not be lost to a restart. The
SMSC sends its receipts on the new bind by itself.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config import clock as center_clock
from db.models import SmsMessage, SmsStatus
from kiosk.sms.gateway import InboundMessage, SmsGateway
from kiosk.sms.outbox import Clock, SmsOutbox
from kiosk.sms.outbox_view import MessageView
from kiosk.sms.templates import Template

log = logging.getLogger("kiosk.sms")


class SmsService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        gateway: SmsGateway,
        keys: Any,
        *,
        sender: str,
        templates: Mapping[str, Template] | None = None,
        clock: Clock = center_clock,
        daytime_hours: tuple[int, int] = (8, 21),
        max_attempts: int = 8,
        poll_s: float = 0.25,
    ) -> None:
        self.gateway = gateway
        self.outbox = SmsOutbox(
            sessions,
            gateway,
            keys,
            clock,
            sender=sender,
            templates=templates,
            max_attempts=max_attempts,
            daytime_hours=daytime_hours,
        )
        self.sessions = sessions
        self.poll_s = poll_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def available(self) -> bool:
        """Whether SMS can be offered to a person now (a gateway that has not refused our credentials)."""
        return self.outbox.auth_error is None

    def start(self) -> SmsService:
        if self._thread is None:
            self._track_unreported()
            self._thread = threading.Thread(target=self._run, name="sms-sender", daemon=True)
            self._thread.start()
        return self

    def enqueue(
        self,
        template: str | Template,
        values: Mapping[str, str],
        to: str,
        *,
        session: Session | None = None,
    ) -> str:
        """Store one message (see `SmsOutbox.enqueue`) and return its id. With ``session`` the caller
        commits; the sender finds the row on its next look (``poll_s``), or call ``wake`` after commit."""
        message_id = self.outbox.enqueue(template, values, to, session=session)
        if session is None:
            self.wake()
        return message_id

    def wake(self) -> None:
        self._wake.set()

    def on_reply(self, handler: Callable[[InboundMessage], None]) -> None:
        """Hear replies from phones (opt-out words are handled by the outbox before any handler)."""
        self.outbox.on_reply(handler)

    def status(self, message_id: str) -> MessageView | None:
        return self.outbox.status(message_id)

    def wait_final(self, message_ids: list[str], timeout_s: float) -> list[MessageView]:
        return self.outbox.wait_final(message_ids, timeout_s)

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        self.outbox.stopping.set()
        if self._thread is not None:
            self._thread.join(10.0)
            self._thread = None
        self.outbox.close()
        self.gateway.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.poll_s)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                report = self.outbox.send_due()
            except Exception:  # a database hiccup must not end the sender: the rows stay, we look again
                log.exception("SMS sender pass failed; trying again")
                continue
            if report.sent:
                self._wake.set()  # a full batch: more may be due at once

    def _track_unreported(self) -> None:
        track = getattr(self.gateway, "track", None)
        if track is None:
            return
        with self.sessions() as session:
            rows = session.execute(
                select(SmsMessage.gateway_id, SmsMessage.id).where(
                    SmsMessage.status == SmsStatus.SENT,
                    SmsMessage.gateway == self.gateway.name,
                    SmsMessage.gateway_id.is_not(None),
                )
            ).all()
        for gateway_id, row_id in rows:
            track(str(gateway_id), str(row_id))
        if rows:
            log.info("SMS: asking the gateway again about %d message(s) sent before the restart", len(rows))


def service_from_settings(settings: Any, sessions: sessionmaker[Session], keys: Any) -> SmsService | None:
    """The configured gateway as a started service; None when ``sms.backend = "off"``."""
    from kiosk.sms.config import build_gateway, section_templates

    section = settings.sms
    gateway = build_gateway(section)
    if gateway is None:
        return None
    return SmsService(
        sessions,
        gateway,
        keys,
        sender=section.sender,
        templates=section_templates(section),
        daytime_hours=(section.daytime_start_hour, section.daytime_end_hour),
        max_attempts=section.max_attempts,
    ).start()
