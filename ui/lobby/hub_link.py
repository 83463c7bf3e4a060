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
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from db.crypto import KeyRing
from kiosk.api.tickets import TicketSmsOut
from kiosk.client import HubClient, HubRefused, HubUnavailable, LobbyOutbox
from kiosk.client.visit_sink import HubVisitSink
from kiosk.queue import ServiceLine

log = logging.getLogger(__name__)
SMS_STATUS_TTL_S = 30.0  # how long the hub's "SMS offered" answer stands before it is asked again
HEARTBEAT_S = 300.0  # the hub's fleet view (kiosk.hub.fleet) hears from each kiosk at least this often
# printers.escpos.status.HealthState words → the hub's report status; the word itself goes as the code.
_PRINTER_STATUS = {"ready": "ok", "paper_near_end": "warning", "unknown": "unknown"}


@dataclass(frozen=True)
class _Health:
    """A reporter item: the printer's state word to report (a change, or the heartbeat's repeat)."""

    printer_state: str


class HubLink:
    """One per lobby window: the hub client, the outbox, and a reporter thread for step/help reports."""

    def __init__(
        self,
        client: HubClient,
        outbox: LobbyOutbox,
        *,
        sync_interval_s: float = 2.0,
        heartbeat_s: float = HEARTBEAT_S,
    ) -> None:
        self.client, self.outbox = client, outbox
        self.sync_interval_s, self.heartbeat_s = sync_interval_s, heartbeat_s
        self.reachable: bool | None = None  # None until the first call told us
        self._reports: queue.Queue[tuple[str, str, bool] | _Health | None] = queue.Queue()  # None: stop
        self._printer_state = ""  # the printer's last HealthState word; "": no printer seen
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

    def report_printer(self, health: object) -> None:
        """The printer's health changed (printers.escpos.health's callback, any thread): tell the hub."""
        self._printer_state = str(getattr(health, "state", health))
        self._reports.put(_Health(self._printer_state))

    def _send_health(self, state: str) -> None:
        try:
            if state:
                self.client.report_health("printer", _PRINTER_STATUS.get(state, "error"), state)
            else:  # no printer: the heartbeat still says the kiosk is alive
                self.client.report_health("heartbeat", "ok")
            self.reachable = True
        except Exception as exc:  # the fleet view is a convenience; the lobby goes on without it
            self.reachable = False
            log.info("lobby health not reported to the hub: %s", exc.__class__.__name__)

    def _report_loop(self) -> None:
        next_beat = time.monotonic() + self.heartbeat_s  # steps do not count: only health is a beat
        while True:
            try:
                item = self._reports.get(timeout=max(next_beat - time.monotonic(), 0.0))
            except queue.Empty:
                item = _Health(self._printer_state)  # nothing said for a while: the heartbeat
            if item is None:
                return
            if isinstance(item, _Health):
                self._send_health(item.printer_state)
                next_beat = time.monotonic() + self.heartbeat_s
                continue
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
