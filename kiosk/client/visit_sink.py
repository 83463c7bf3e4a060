"""The hub as a sink of the lobby's visit record: the finished record goes to the hub (or the outbox) and
the number printed is the hub's — a number the hub reserved for this kiosk when it cannot answer now.

Qt-free: `kiosk.visit.VisitFlow.take_ticket` calls it on the lobby's worker thread. No local ticket is
issued beside it, so the kiosk never prints a number the desk does not call.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from config import clock
from kiosk.api.visits import VisitRecord, VisitSubmission
from kiosk.client.errors import HubRefused, HubUnavailable
from kiosk.client.outbox import LobbyOutbox
from kiosk.queue import ServiceLine

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HubTicket:
    """What the ticket screen shows and prints: the hub's number; ``offline`` = still to be sent."""

    ticket_id: str
    display: str
    line: str
    line_name_ko: str
    line_name_en: str
    people_ahead: int
    wait_minutes: int
    lookup_code: str
    issued_at: datetime
    offline: bool
    web_url: str = ""  # the ticket's 내 순서 page for the phone ("": no link now, the QR says the number)


class HubVisitSink:
    """Hands a closed visit to the hub through the one outbox; ``reached`` hears whether it got there."""

    def __init__(
        self,
        outbox: LobbyOutbox,
        lines: Mapping[str, ServiceLine],
        *,
        reached: Callable[[bool], None] | None = None,
    ) -> None:
        self._outbox, self._lines, self._reached = outbox, lines, reached

    def take_ticket(self, record: VisitRecord, line: str) -> HubTicket:
        """Submit the visit (or queue it) and take the hub's ticket (or a reserved one)."""
        submission = record.to_submission()
        record.identity = None  # the RRN lives no longer than needed (the hub stores it encrypted)
        try:
            sent = self._outbox.submit_visit(submission)
        except HubRefused as exc:
            # The hub turned the visit down for good (e.g. data it judged invalid). The person still gets
            # a number: the visit goes as a bare ticket visit, the full record stays in the kiosk's own
            # database, and the code goes to the log for staff (never the values).
            log.warning("hub refused the lobby visit (%s); sent as a ticket visit", exc.code)
            bare = VisitSubmission(
                visit_id=submission.visit_id,
                path="ticket_only",
                language=submission.language,
                started_at=submission.started_at,
            )
            sent = self._outbox.submit_visit(bare)
        del submission
        ticket = self._outbox.take_ticket(record.visit_id, line)  # HubUnavailable: no number left
        if self._reached is not None:
            self._reached(sent and not ticket.offline)
        spec = self._lines.get(ticket.line) or self._lines.get(line)
        minutes = ticket.wait_minutes or 0
        # The hub answers with a wait in minutes; the receipt also names people ahead (same estimate).
        per_person = max(1, round(spec.default_service_minutes)) if spec is not None else 15
        return HubTicket(
            ticket_id=ticket.ticket_id,
            display=ticket.display,
            line=ticket.line,
            line_name_ko=spec.name_ko if spec is not None else ticket.line,
            line_name_en=spec.name_en if spec is not None else ticket.line,
            people_ahead=minutes // per_person,
            wait_minutes=minutes,
            lookup_code=ticket.display,
            issued_at=clock.now(),
            offline=ticket.offline,
            web_url="" if ticket.offline else self._web_url(ticket.ticket_id),
        )

    def _web_url(self, ticket_id: str) -> str:
        """The phone link of a ticket the hub just issued; "" when the hub does not give one now (the
        person still has the number and its QR of the number)."""
        try:
            return self._outbox.client.ticket_link(ticket_id).url
        except (HubUnavailable, HubRefused) as exc:
            log.info("no phone link for the ticket now: %s", type(exc).__name__)
            return ""
