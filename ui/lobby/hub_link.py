"""The lobby's link to the center hub: the visit reaches the desk's queue, the desk mirrors the step.

Qt-free on purpose: everything here runs on the lobby's worker thread (``WorkflowWorker``) or on the
link's own reporter thread, never on the GUI thread. It reuses the one hub client and the one outbox
(``kiosk.client.HubClient`` / ``LobbyOutbox``): a visit the hub cannot take now is queued in the local
outbox and replayed later, and the ticket number comes from the hub (or from the numbers the hub
reserved for this kiosk while it was reachable), so the number printed is the number the desk calls.

The visit itself needs nothing from here but a sink: ``visit_sink`` gives the ``kiosk.visit`` flow a
``kiosk.client.HubVisitSink``; the flow fills its one typed record step by step (its rows stay in the
kiosk's database as without a hub), and ``take_ticket`` closes the local visit, hands the record to the
hub and returns the hub's number — no local ticket is issued.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import uuid
from collections.abc import Mapping

from sqlalchemy.orm import Session, sessionmaker

from db.crypto import KeyRing
from kiosk.api.tickets import TicketSmsOut
from kiosk.client import HubClient, HubRefused, HubUnavailable, LobbyOutbox
from kiosk.client.visit_sink import HubVisitSink
from kiosk.queue import ServiceLine

log = logging.getLogger(__name__)
SMS_STATUS_TTL_S = 30.0  # how long the hub's "SMS offered" answer stands before it is asked again


class HubLink:
    """One per lobby window: the hub client, the outbox, and a reporter thread for step/help reports."""

    def __init__(self, client: HubClient, outbox: LobbyOutbox, *, sync_interval_s: float = 2.0) -> None:
        self.client, self.outbox = client, outbox
        self.sync_interval_s = sync_interval_s
        self.reachable: bool | None = None  # None until the first call told us
        self._reports: queue.Queue[tuple[str, str, bool] | None] = queue.Queue()  # None: stop
        self._reporter = threading.Thread(target=self._report_loop, name="lobby-hub-reports", daemon=True)
        self._started = False
        self._sms: tuple[float, bool] | None = None  # (monotonic time asked, the hub's answer)

    @classmethod
    def connect(
        cls,
        url: str,
        token: str,
        sessions: sessionmaker[Session] | None,
        *,
        keys: KeyRing | None = None,
        ca_pem: bytes | None = None,
        sync_interval_s: float = 2.0,
    ) -> HubLink:
        """``keys``: the site's db.crypto.KeyRing, so what the outbox keeps is encrypted at rest.
        ``ca_pem``: the center CA pinned at enrollment (an https hub is trusted through it alone)."""
        if sessions is None:  # the outbox keeps what the hub has not taken yet in the local database
            raise ValueError("허브 연결에는 로컬 데이터베이스가 필요해요 (hub link needs a local database)")
        client = HubClient(url, token, ca_pem=ca_pem, timeout_s=3.0)
        return cls(client, LobbyOutbox(sessions, client, keys=keys), sync_interval_s=sync_interval_s)

    def start(self) -> HubLink:
        """Reserve numbers for offline use now (if the hub answers), then sync in the background."""
        if self._started:
            return self
        self._started = True
        try:
            self.outbox.replenish()
            self.reachable = True
        except HubUnavailable:
            self.reachable = False
        if self.reachable:
            self.sms_offered()  # asked once now, so the first ticket does not wait for it
        self.outbox.start(self.sync_interval_s)
        self._reporter.start()
        return self

    def stop(self) -> None:
        if self._started:
            self._reports.put(None)
            self._reporter.join(5)
            self.outbox.stop()
        self.client.close()

    # --- the desk's live mirror and 직원 호출 (fire and forget: a missing hub never slows the lobby) ---
    def report_step(self, step: str, title_ko: str = "", needs_help: bool = False) -> None:
        self._reports.put((step, title_ko, needs_help))

    def call_help(self, _kiosk_id: str, step: str) -> None:
        self.report_step(step, "", needs_help=True)

    def _report_loop(self) -> None:
        while True:
            item = self._reports.get()
            if item is None:
                return
            step, title, needs_help = item
            try:
                self.client.report_step(step, title, needs_help=needs_help)
                self.reachable = True
            except Exception as exc:  # the mirror is a convenience; the visit goes on without it
                self.reachable = False
                log.info("lobby step not reported to the hub: %s", exc.__class__.__name__)

    # --- the visit -------------------------------------------------------------------------------------
    def visit_sink(self, lines: Mapping[str, ServiceLine]) -> HubVisitSink:
        """Where the lobby's visits go: the hub (or the outbox), which also numbers their tickets."""
        return HubVisitSink(self.outbox, lines, reached=self._reached)

    def _reached(self, reached: bool) -> None:
        self.reachable = reached

    # --- ticket calls by SMS (issue 18) ------------------------------------------------------------------
    def sms_offered(self) -> bool:
        """Whether the hub offers SMS now: its answer kept ``SMS_STATUS_TTL_S`` seconds, so a screen
        costs no request (worker thread only: it may ask the hub). An unreachable hub offers none."""
        now = time.monotonic()
        if self._sms is not None and now - self._sms[0] < SMS_STATUS_TTL_S:
            return self._sms[1]
        try:
            offered = self.client.sms_status().available
        except (HubUnavailable, HubRefused) as exc:
            log.info("hub SMS status unknown: %s", exc.__class__.__name__)
            offered = False
        self._sms = (now, offered)
        return offered

    def send_ticket_sms(
        self, ticket_id: str, phone: str, *, calls: bool = True, send_number: bool = False
    ) -> TicketSmsOut:
        """Ask the hub to text this ticket's holder (worker thread). HubRefused: 400 not a mobile,
        503 no SMS now (then no SMS is offered until it is asked again); HubUnavailable: no hub."""
        try:
            return self.client.ticket_sms(uuid.UUID(ticket_id), phone, calls=calls, send_number=send_number)
        except HubRefused as exc:
            if exc.status == 503:
                self._sms = (time.monotonic(), False)
            raise
