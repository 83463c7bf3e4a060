"""One worker thread for everything slow the lobby asks for: database steps, matching, hub calls.

``submit(fn, on_done, on_error)`` runs ``fn()`` on the worker thread and calls back on the GUI thread
through queued signals, so the GUI thread never waits on the database, the network or the printer.
Jobs run one at a time in order, which keeps a visit's steps in the order the visitor took them.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

log = logging.getLogger(__name__)


class _Executor(QObject):
    finished = Signal(int, object)
    failed = Signal(int, object)

    @Slot(int, object)
    def run(self, job_id: int, fn: Callable[[], Any]) -> None:
        try:
            result = fn()
        except Exception as exc:  # delivered to the caller's on_error; the worker keeps going
            log.warning("lobby job %s failed: %s", job_id, exc.__class__.__name__)
            self.failed.emit(job_id, exc)
            return
        self.finished.emit(job_id, result)


class WorkflowWorker(QObject):
    """Owns a QThread; call ``stop()`` before the application quits (tests do it in teardown)."""

    _dispatch = Signal(int, object)
    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("lobby-workflow")
        self._executor = _Executor()
        self._executor.moveToThread(self._thread)
        self._dispatch.connect(self._executor.run)
        self._executor.finished.connect(self._on_finished)
        self._executor.failed.connect(self._on_failed)
        self._ids = itertools.count(1)
        self._stopped = False
        self._callbacks: dict[
            int, tuple[Callable[[Any], None] | None, Callable[[Exception], None] | None]
        ] = {}
        self._thread.start()

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> int:
        job_id = next(self._ids)
        if self._stopped:  # after shutdown nothing runs (a late timer, a wipe during quit)
            return job_id
        self._callbacks[job_id] = (on_done, on_error)
        if len(self._callbacks) == 1:
            self.busyChanged.emit(True)
        self._dispatch.emit(job_id, fn)
        return job_id

    def cancel_all(self) -> None:
        """Forget every pending callback (a wipe): results that arrive later are dropped."""
        self._callbacks.clear()
        self.busyChanged.emit(False)

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    def stop(self) -> None:
        self._stopped = True
        self._callbacks.clear()
        self._thread.quit()
        self._thread.wait(5000)

    def _pop(self, job_id: int) -> tuple[Callable[[Any], None] | None, Callable[[Exception], None] | None]:
        callbacks = self._callbacks.pop(job_id, (None, None))
        if not self._callbacks:
            self.busyChanged.emit(False)
        return callbacks

    def _on_finished(self, job_id: int, result: Any) -> None:
        on_done, _ = self._pop(job_id)
        if on_done is not None:
            on_done(result)

    def _on_failed(self, job_id: int, error: Exception) -> None:
        _, on_error = self._pop(job_id)
        if on_error is not None:
            on_error(error)
