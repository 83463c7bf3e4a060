"""Where a finished visit goes besides the kiosk's own rows, and the ticket it comes back with.

The flow's rows are always written (a lobby works without a hub); a sink given at start receives the
closed visit's record and numbers its ticket, so exactly one numbering authority answers per visit.
`kiosk.client.HubVisitSink` (the hub through the outbox) is the one sink today; the SMS consent or the
citizen web would be others. A Protocol, so `kiosk.visit` names no client class.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from kiosk.api.visits import VisitRecord


class IssuedTicket(Protocol):
    """What the ticket screen shows and prints, whoever issued the number."""

    @property
    def display(self) -> str: ...

    @property
    def line(self) -> str: ...

    @property
    def line_name_ko(self) -> str: ...

    @property
    def line_name_en(self) -> str: ...

    @property
    def people_ahead(self) -> int: ...

    @property
    def wait_minutes(self) -> int: ...

    @property
    def lookup_code(self) -> str: ...

    @property
    def issued_at(self) -> datetime: ...


class VisitSink(Protocol):
    def take_ticket(self, record: VisitRecord, line: str) -> IssuedTicket:
        """Take the closed visit's record (``record.line`` is set) and return its ticket."""
