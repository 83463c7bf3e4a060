"""What a visit flow needs from the service that opened it: the database, the clock, the keys and the
center's data files.

A Protocol, so `flow.py` names no service class: `VisitService` (service.py) makes flows and therefore
imports the flow; the flow depending back on the concrete service made the two files one knot.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session, sessionmaker

from db.crypto import KeyRing
from kiosk.matching.catalogue import Catalogue
from kiosk.queue import ServiceLine
from kiosk.visit.questionnaire import Questionnaire


class VisitBackend(Protocol):
    """Read-only from the flow's side; `VisitService` is the one implementation."""

    @property
    def sessions(self) -> sessionmaker[Session]: ...

    @property
    def now(self) -> Callable[[], datetime]: ...

    @property
    def keys(self) -> KeyRing | None:
        """Set when identified persons are to be stored (encrypted); None stores no person row."""

    @property
    def catalogue(self) -> Catalogue: ...

    @property
    def questionnaire(self) -> Questionnaire: ...

    @property
    def lines(self) -> dict[str, ServiceLine]: ...

    @property
    def consent_items(self) -> Callable[[], dict[str, bool]]: ...

    @property
    def center_id(self) -> uuid.UUID: ...

    def today(self) -> date: ...

    def load_intake_answers(self, visit_id: uuid.UUID) -> dict[str, Any]: ...
