"""Print spool events → Qt signals. Submitting runs on the worker; outcomes come back queued."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


class PrintAdapter(QObject):
    """Wraps a ``printers.escpos.spool.PrintSpool``. The spool's worker thread only emits:
    ``jobDone(job_id)``, ``jobFailed(job_id, code, message_ko)``, ``healthChanged(state, message_ko)``."""

    jobDone = Signal(str)
    jobFailed = Signal(str, str, str)
    healthChanged = Signal(str, str)

    def __init__(self, spool: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.spool = spool
        self._disconnect: list[Callable[[], None]] = [
            spool.on_done.connect(self._done),
            spool.on_failed.connect(self._failed),
            spool.health.subscribe(self._health),
        ]

    def submit(self, template: str, fields: dict[str, Any]) -> str:
        """Store the job in the spool (call it on the worker thread); returns its id."""
        return str(self.spool.submit(template, fields))

    def health_state(self) -> str:
        return str(getattr(self.spool.health.current, "state", "unknown"))

    def close(self) -> None:
        for disconnect in self._disconnect:
            disconnect()
        self._disconnect.clear()

    def _done(self, outcome: Any) -> None:
        self.jobDone.emit(str(outcome.job_id))

    def _failed(self, outcome: Any) -> None:
        self.jobFailed.emit(str(outcome.job_id), str(outcome.code), str(outcome.message_ko))

    def _health(self, health: Any) -> None:
        self.healthChanged.emit(
            str(getattr(health, "state", "unknown")), str(getattr(health, "message_ko", ""))
        )
