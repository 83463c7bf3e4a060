"""Ticket numbers the hub reserved for this lobby, handed out while the hub cannot answer.

How offline lobbies number tickets (decided here, enforced by both databases):
- While online, the lobby reserves a few *real* tickets per line at the hub (`POST /tickets/reserve`,
  status `reserved`, invisible to call-next). They are ordinary rows of the hub's ticket table, so the
  hub's unique (center, day, line, number) constraint guarantees no number is ever issued twice —
  online or offline, by this kiosk or another.
- The lobby keeps them in its local `ticket_reservation` table. Handing one out sets
  `used_by_visit_id`, which is UNIQUE, in the same local transaction that queues the claim entry;
  a reservation row can be used once, so a number is never handed out twice by the kiosk either.
- With no reservation left and no hub, `take` raises `HubUnavailable`: the kiosk says to ask the staff
  (it never invents a number).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from config import clock
from db.models import OutboxKind, TicketReservation
from kiosk.api import TicketOut
from kiosk.client.errors import HubUnavailable
from kiosk.client.outbox.store import OutboxStore


@dataclass(frozen=True)
class OfflineTicket:
    """The ticket a person gets; `offline` says it still has to reach the hub."""

    line: str
    number: int
    display: str
    ticket_id: str
    offline: bool
    wait_minutes: int | None = None


def ticket_from(out: TicketOut) -> OfflineTicket:
    return OfflineTicket(out.line, out.number, out.display, str(out.id), False, out.wait_minutes)


class TicketReservations:
    """Today's reserved numbers per line in the lobby's database."""

    def __init__(self, sessions: sessionmaker[Session], store: OutboxStore) -> None:
        self.sessions, self.store = sessions, store

    def unused(self, line: str) -> int:
        """Reserved numbers of today's ``line`` not handed out yet."""
        with self.sessions() as session:
            have = session.scalar(
                select(func.count(TicketReservation.id)).where(
                    TicketReservation.service_date == clock.today(),
                    TicketReservation.line == line,
                    TicketReservation.used_by_visit_id.is_(None),
                )
            )
        return have or 0

    def keep(self, reserved: Iterable[TicketOut]) -> int:
        """Store numbers the hub just reserved; returns how many."""
        added = 0
        with self.sessions() as session:
            for out in reserved:
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

    def take(self, visit_id: uuid.UUID, line: str, key: str, *, held: bool) -> OfflineTicket:
        """A reserved number for the visit, with its claim queued under ``key`` in the same transaction.

        Asked twice for the same visit: the same number. HubUnavailable when none is left.
        """
        holder = str(visit_id)
        with self.sessions() as session:
            kept = session.scalars(
                select(TicketReservation).where(TicketReservation.used_by_visit_id == holder)
            ).first()
            if kept is not None:
                return OfflineTicket(kept.line, kept.number, kept.display, kept.hub_ticket_id, True)
            candidates = session.scalars(
                select(TicketReservation)
                .where(
                    TicketReservation.service_date == clock.today(),
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
                    .values(used_by_visit_id=holder, used_at=clock.now())
                ).rowcount  # type: ignore[attr-defined]
                if taken != 1:
                    continue
                payload = {"ticket_id": reservation.hub_ticket_id, "visit_id": holder}
                session.add(self.store.new_entry(OutboxKind.CLAIM, key, holder, payload, held=held))
                session.commit()
                return OfflineTicket(
                    line, reservation.number, reservation.display, reservation.hub_ticket_id, True
                )
        raise HubUnavailable("no hub and no reserved ticket number left")
