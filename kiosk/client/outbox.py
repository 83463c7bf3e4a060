"""The lobby's local outbox: a visit and its ticket are never lost while the hub is unreachable.

How offline lobbies number tickets (decided here, enforced by both databases):
- While online, the lobby reserves a few *real* tickets per line at the hub (`POST /tickets/reserve`,
  status `reserved`, invisible to call-next). They are ordinary rows of the hub's ticket table, so the
  hub's unique (center, day, line, number) constraint guarantees no number is ever issued twice —
  online or offline, by this kiosk or another.
- The lobby keeps them in its local `ticket_reservation` table. Handing one out sets
  `used_by_visit_id`, which is UNIQUE, in the same local transaction that queues the outbox entries;
  a reservation row can be used once, so a number is never handed out twice by the kiosk either.
- When the hub returns, `flush()` replays the outbox in order with the same idempotency keys: the
  visit first (its id is made here, so a replay is harmless), then the claim of the reserved ticket.
  A request the hub already applied answers with its stored result: nothing is duplicated.
- With no reservation left and no hub, `take_ticket` raises `HubUnavailable`: the kiosk says to ask
  the staff (it never invents a number).
"""

from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from db.models import OutboxEntry, TicketReservation
from kiosk.client.errors import HubRefused, HubUnavailable
from kiosk.client.hub_client import HubClient
from kiosk.hub.schemas import TicketOut, VisitSubmission

log = logging.getLogger("kiosk.client")


@dataclass(frozen=True)
class OfflineTicket:
    """The ticket a person gets; `offline` says it still has to reach the hub."""

    line: str
    number: int
    display: str
    ticket_id: str
    offline: bool
    wait_minutes: int | None = None


def _today() -> date:
    return datetime.now(ZoneInfo("Asia/Seoul")).date()


class LobbyOutbox:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        client: HubClient,
        *,
        lines: tuple[str, ...] = ("A", "B", "C"),
        reserve_per_line: int = 5,
    ) -> None:
        self.sessions, self.client = sessions, client
        self.lines, self.reserve_per_line = lines, reserve_per_line
        self._lock = threading.Lock()  # one flush at a time keeps replay order
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- what the lobby calls -----------------------------------------------------------------------
    def submit_visit(self, submission: VisitSubmission) -> bool:
        """Send the visit now, or keep it for later. True when the hub has it."""
        if self.pending_count() == 0:
            try:
                self.client.submit_visit(submission)
                return True
            except HubUnavailable:
                pass
        self._enqueue("visit", f"visit:{submission.visit_id}", submission.model_dump(mode="json"))
        return False

    def take_ticket(self, visit_id: uuid.UUID, line: str) -> OfflineTicket:
        """A ticket for a submitted visit (ticket-only visits are submitted too, with path ticket_only)."""
        key = f"ticket:{visit_id}"
        if self.pending_count() == 0:
            try:
                out = self.client.issue_ticket(line, visit_id, key)
                return OfflineTicket(out.line, out.number, out.display, str(out.id), False, out.wait_minutes)
            except HubUnavailable:
                pass
        return self._use_reservation(visit_id, line)

    def replenish(self) -> int:
        """Top up reserved numbers for today's lines (online only). Returns how many were added."""
        today = _today()
        added = 0
        with self.sessions() as session:
            for line in self.lines:
                have = len(
                    session.scalars(
                        select(TicketReservation.id).where(
                            TicketReservation.service_date == today,
                            TicketReservation.line == line,
                            TicketReservation.used_by_visit_id.is_(None),
                        )
                    ).all()
                )
                if have >= self.reserve_per_line:
                    continue
                for out in self.client.reserve_tickets(line, self.reserve_per_line - have):
                    session.add(
                        TicketReservation(
                            hub_ticket_id=str(out.id),
                            service_date=out.service_date,
                            line=out.line,
                            number=out.number,
                            display=out.display,
                        )
                    )
                    added += 1
                session.commit()
        return added

    def pending_count(self) -> int:
        with self.sessions() as session:
            return len(session.scalars(select(OutboxEntry.id).where(OutboxEntry.status == "pending")).all())

    def flush(self) -> int:
        """Replay pending entries in order; stop at the first that cannot be sent. Returns how many went."""
        sent = 0
        with self._lock, self.sessions() as session:
            entries = session.scalars(
                select(OutboxEntry)
                .where(OutboxEntry.status == "pending")
                .order_by(OutboxEntry.created_at, OutboxEntry.id)
            ).all()
            for entry in entries:
                entry.attempts += 1
                try:
                    self._send(entry)
                except HubUnavailable:
                    session.commit()
                    return sent
                except HubRefused as exc:
                    # Refused for good (e.g. invalid data): keep it, marked, for staff to look at.
                    log.warning("outbox entry %s refused: %s", entry.kind, exc.code)
                    entry.status = "failed"
                else:
                    entry.status = "sent"
                    entry.sent_at = datetime.now(UTC)
                    sent += 1
                session.commit()
        return sent

    # --- background sync ------------------------------------------------------------------------------
    def start(self, interval_s: float = 2.0) -> None:
        def loop() -> None:
            while not self._stop.wait(interval_s):
                try:
                    self.flush()
                    if self.pending_count() == 0:
                        self.replenish()
                except HubUnavailable:
                    continue
                except Exception:
                    log.exception("outbox sync failed")

        self._thread = threading.Thread(target=loop, name="lobby-outbox", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)

    # --- internals ------------------------------------------------------------------------------------
    def _enqueue(self, kind: str, key: str, body: dict[str, Any]) -> None:
        with self.sessions() as session:
            if session.scalars(select(OutboxEntry).where(OutboxEntry.idempotency_key == key)).first() is None:
                session.add(OutboxEntry(kind=kind, idempotency_key=key, body=body))
                session.commit()

    def _use_reservation(self, visit_id: uuid.UUID, line: str) -> OfflineTicket:
        holder = str(visit_id)
        with self.sessions() as session:
            candidates = session.scalars(
                select(TicketReservation)
                .where(
                    TicketReservation.service_date == _today(),
                    TicketReservation.line == line,
                    TicketReservation.used_by_visit_id.is_(None),
                )
                .order_by(TicketReservation.number)
            ).all()
            for reservation in candidates:
                # Conditional update: only one caller can take a given row, even across processes.
                taken = session.execute(
                    update(TicketReservation)
                    .where(
                        TicketReservation.id == reservation.id, TicketReservation.used_by_visit_id.is_(None)
                    )
                    .values(used_by_visit_id=holder, used_at=datetime.now(UTC))
                ).rowcount  # type: ignore[attr-defined]
                if taken != 1:
                    continue
                session.add(
                    OutboxEntry(
                        kind="claim",
                        idempotency_key=f"claim:{reservation.hub_ticket_id}",
                        body={"ticket_id": reservation.hub_ticket_id, "visit_id": holder},
                    )
                )
                session.commit()
                return OfflineTicket(
                    line, reservation.number, reservation.display, reservation.hub_ticket_id, True
                )
        raise HubUnavailable("no hub and no reserved ticket number left")

    def _send(self, entry: OutboxEntry) -> None:
        if entry.kind == "visit":
            self.client.submit_visit(VisitSubmission.model_validate(entry.body))
        elif entry.kind == "claim":
            self.client.claim_ticket(entry.body["ticket_id"], entry.body["visit_id"], entry.idempotency_key)
        else:
            raise HubRefused(
                400, "unknown_outbox_kind", "알 수 없는 항목이에요.", f"Unknown outbox kind {entry.kind}"
            )


def ticket_from(out: TicketOut) -> OfflineTicket:
    return OfflineTicket(out.line, out.number, out.display, str(out.id), False, out.wait_minutes)
