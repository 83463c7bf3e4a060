"""Printer health as events: poll ``DLE EOT`` and tell subscribers when the state changes.

Plain callbacks (no Qt): the UI's adapter re-emits them as queued Qt signals on its own thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from printers.escpos.status import UNKNOWN, PrinterHealth
from printers.escpos.transport import ReceiptPrinter

log = logging.getLogger(__name__)
T = TypeVar("T")


class Event(Generic[T]):
    """A list of callbacks; a failing subscriber is logged and never stops the others."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[[T], None]] = []
        self._lock = threading.Lock()

    def connect(self, callback: Callable[[T], None]) -> Callable[[], None]:
        with self._lock:
            self._callbacks.append(callback)

        def disconnect() -> None:
            with self._lock:
                if callback in self._callbacks:
                    self._callbacks.remove(callback)

        return disconnect

    def emit(self, value: T) -> None:
        with self._lock:
            callbacks = list(self._callbacks)
        for callback in callbacks:
            try:
                callback(value)
            except Exception:
                log.exception("printer event subscriber failed")


class HealthMonitor:
    """Keeps ``current`` up to date; ``on_change`` fires with the new health whenever the state moves."""

    def __init__(self, printer: ReceiptPrinter, *, interval_s: float = 2.0) -> None:
        self.printer = printer
        self.interval_s = interval_s
        self.current: PrinterHealth = UNKNOWN
        self.on_change: Event[PrinterHealth] = Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._seen_any = False
        self._poll_lock = threading.Lock()  # the spool's worker and this poller both poll

    def subscribe(self, callback: Callable[[PrinterHealth], None]) -> Callable[[], None]:
        return self.on_change.connect(callback)

    def poll_once(self) -> PrinterHealth:
        with self._poll_lock:
            health = self.printer.read_health()
            changed = not self._seen_any or not health.same_state(self.current)
            self.current, self._seen_any = health, True
        if changed:
            log.info("printer %s: %s (%s)", self.printer.port, health.state, health.code)
            self.on_change.emit(health)
        return health

    def start(self) -> None:
        """Start polling on a thread (a second call while it runs does nothing)."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="printer-health", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll_once()
            except Exception:  # the poller must outlive anything the port throws at it
                log.exception("printer health poll failed")
            self._stop.wait(self.interval_s)
