"""Print spool callbacks → Qt signals. Submitting runs on the worker; results come back queued."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


class PrintAdapter(QObject):
    """Wraps a ``printers`` PrintSpool: ``jobDone(job_id)``, ``jobFailed(job_id, reason)``,
    ``healthChanged(state)``; the spool's thread only emits."""

    jobDone = Signal(str)
    jobFailed = Signal(str, str)
    healthChanged = Signal(str)

    def __init__(self, spool: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.spool = spool
        self._hooked = False

    def hook(self) -> None:
        if self._hooked or self.spool is None:
            return
        for name, handler in (
            ("on_done", self._done),
            ("on_failed", self._failed),
            ("on_health", self._health),
        ):
            register = getattr(self.spool, name, None)
            if callable(register):
                register(handler)
        subscribe = getattr(self.spool, "subscribe_health", None)
        if callable(subscribe):
            subscribe(self._health)
        self._hooked = True

    def submit(self, template: str, fields: dict[str, Any]) -> str:
        """Store the job in the spool (called on the worker thread); returns its id."""
        self.hook()
        return str(self.spool.submit(template, fields))

    def _done(self, job_id: Any, *_rest: Any) -> None:
        self.jobDone.emit(str(job_id))

    def _failed(self, job_id: Any, reason: Any = "", *_rest: Any) -> None:
        self.jobFailed.emit(str(job_id), str(reason))

    def _health(self, state: Any, *_rest: Any) -> None:
        self.healthChanged.emit(str(getattr(state, "value", state)))
