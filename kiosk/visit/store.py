"""One visit's row: completing a step is a compare-and-set on ``Visit.step`` plus that step's rows.

Each completed step is one transaction, so two drivers (the lobby screen and the hub) cannot both
complete the same step, and a crash between steps leaves the visit at its last completed step, never
half-written. ``Visit.state`` is only ever written here, through ``VisitState.to_json()``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import CursorResult, Update, update
from sqlalchemy.orm import Session

from db.models import Visit
from db.models.enums import VisitStatus, VisitStep
from kiosk.visit.backend import VisitBackend
from kiosk.visit.state import VisitState
from kiosk.visit.steps import OPEN, VisitError

StepRows = Callable[[Session], None]


class VisitStore:
    """Remembers the last completed step it wrote, which is what the next compare-and-set expects."""

    def __init__(self, backend: VisitBackend, visit_id: uuid.UUID, completed: VisitStep) -> None:
        self._backend = backend
        self.visit_id = visit_id
        self.completed = completed

    def now(self) -> datetime:
        return self._backend.now()

    def complete(
        self,
        completed: VisitStep,
        state: VisitState,
        rows: StepRows | None = None,
        *,
        status: VisitStatus = OPEN,
    ) -> None:
        """Complete a step atomically: CAS on (step, status) + the step's rows, in one transaction."""
        now = self._backend.now()
        values: dict[str, object] = {
            "step": completed, "status": status, "state": state.to_json(), "updated_at": now,
        }  # fmt: skip
        if status != OPEN:
            values["ended_at"] = now
        with self._backend.sessions.begin() as session:
            result = session.execute(self._current().values(**values))
            if not isinstance(result, CursorResult) or result.rowcount != 1:
                raise VisitError(
                    "VISIT_STALE",
                    "다른 화면에서 이 방문이 바뀌었어요. 처음부터 다시 시작해 주세요",
                    "the visit was changed elsewhere (or closed) since this flow loaded it",
                )
            if rows is not None:
                rows(session)
        self.completed = completed

    def keep(self, state: VisitState) -> None:
        """Keep answers given so far (one question at a time) without completing the step."""
        with self._backend.sessions.begin() as session:
            session.execute(self._current().values(state=state.to_json(), updated_at=self._backend.now()))

    def _current(self) -> Update:
        return update(Visit).where(
            Visit.id == self.visit_id, Visit.step == self.completed, Visit.status == OPEN
        )
