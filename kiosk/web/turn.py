""" "내 순서": what a ticket's page says — the number, how many are ahead, the wait, or where to go.

``TurnBoard`` answers for every ticket of a center at once and keeps the answer until the queue moves
(the hub's event sequence): with hundreds of phones watching, one call-next costs one look at the
queue, not one per phone. Nothing personal: a number, a line, a desk.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config import clock
from db.models import Ticket, TicketStatus
from kiosk.queue.lines import service_lines
from kiosk.queue.tickets import waiting_order
from kiosk.queue.waits import LinePace, line_pace, people_ahead, wait_words


@dataclass(frozen=True)
class Turn:
    """One ticket as its page shows it. ``state``: waiting | called | serving | done | cancelled | gone."""

    ticket_id: uuid.UUID
    display: str
    line: str
    line_ko: str
    line_en: str
    state: str
    ahead: int
    minutes: int
    desk: str | None

    def words(self, english: bool = False) -> str:
        if self.state == "waiting":
            return wait_words(self.ahead, self.minutes, english=english)
        if self.state == "called":
            desk = self.desk or "?"
            return f"Please come to desk {desk}" if english else f"{desk}번 창구로 와 주세요"
        if self.state == "serving":
            return "You are being served" if english else "상담 중이에요"
        if self.state == "done":
            return "Your visit is finished. Thank you" if english else "상담이 끝났어요. 고맙습니다"
        if self.state == "cancelled":
            return "You gave this ticket back" if english else "번호표를 취소했어요"
        return (
            "This number has passed. Please take a new ticket at the kiosk"
            if english
            else "이 번호는 지나갔어요. 키오스크에서 번호표를 새로 받아 주세요"
        )

    def as_event(self) -> dict[str, object]:
        """What the live page needs to redraw itself (both languages: the page chose one)."""
        return {
            "display": self.display,
            "state": self.state,
            "ahead": self.ahead,
            "desk": self.desk,
            "ko": self.words(False),
            "en": self.words(True),
        }


_STATE = {
    TicketStatus.WAITING: "waiting",
    TicketStatus.CALLED: "called",
    TicketStatus.SERVING: "serving",
    TicketStatus.DONE: "done",
    TicketStatus.CANCELLED: "cancelled",
}


def _turn(ticket: Ticket, order: list[Ticket], pace: LinePace) -> Turn:
    spec = service_lines().get(ticket.line)
    state = _STATE.get(ticket.status, "gone")
    ahead = people_ahead(order, ticket.id) if state == "waiting" else 0
    return Turn(
        ticket.id,
        ticket.display,
        ticket.line,
        spec.name_ko if spec else ticket.line,
        spec.name_en if spec else ticket.line,
        state,
        ahead,
        pace.wait_for(ahead),
        ticket.desk,
    )


class TurnBoard:
    """Every ticket's page of one service day, computed once per queue change (``version``)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        self._lock = threading.Lock()
        self._cache: dict[uuid.UUID, tuple[int, date, dict[uuid.UUID, Turn]]] = {}

    def fresh(self, center_id: uuid.UUID, version: int) -> dict[uuid.UUID, Turn] | None:
        """The answer already worked out for ``version`` (no database, no wait), or None."""
        cached = self._cache.get(center_id)
        if cached is not None and cached[0] >= version and cached[1] == clock.today():
            return cached[2]
        return None

    def turns(self, center_id: uuid.UUID, version: int) -> dict[uuid.UUID, Turn]:
        """{ticket id: Turn} for the center's tickets of today, as of queue version ``version``."""
        today = clock.today()
        with self._lock:
            cached = self._cache.get(center_id)
            if cached is not None and cached[0] >= version and cached[1] == today:
                return cached[2]
            with self.sessions() as session:
                tickets = list(
                    session.scalars(
                        select(Ticket).where(Ticket.center_id == center_id, Ticket.service_date == today)
                    )
                )
                by_line: dict[str, list[Ticket]] = {}
                for ticket in tickets:
                    by_line.setdefault(ticket.line, []).append(ticket)
                result: dict[uuid.UUID, Turn] = {}
                for line, members in by_line.items():
                    order = waiting_order(session, center_id, line, today)
                    pace = line_pace(session, center_id, line, today)
                    for ticket in members:
                        result[ticket.id] = _turn(ticket, order, pace)
            self._cache[center_id] = (version, today, result)
            return result
