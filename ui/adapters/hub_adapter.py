"""Hub client → Qt: calls run on a worker pool, results and hub events arrive as queued signals.

The GUI thread never waits on the network: `HubAdapter.call(fn, *args, done=..., failed=...)` runs
`fn` on QThreadPool and delivers the result to the GUI thread; the event stream's thread only emits
signals (Qt queues them across threads).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from kiosk.client import EventStream, HubClient, HubRefused, HubUnavailable


class _CallSignals(QObject):
    done = Signal(object)
    failed = Signal(str, str)  # code, Korean message


class _Call(QRunnable):
    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        super().__init__()
        self.fn, self.args = fn, args
        self.signals = _CallSignals()

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn(*self.args)
        except HubRefused as exc:
            self.signals.failed.emit(exc.code, exc.message_ko)
        except HubUnavailable:
            self.signals.failed.emit("hub_unavailable", HubUnavailable.message_ko)
        except Exception as exc:  # the screen shows a calm message; the log has the rest
            self.signals.failed.emit("client_error", f"처리하지 못했어요 ({type(exc).__name__})")
        else:
            self.signals.done.emit(result)


class HubAdapter(QObject):
    eventReceived = Signal(dict)
    connectionChanged = Signal(bool)
    failed = Signal(str, str)  # any call without its own failure handler

    def __init__(self, client: HubClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(4)
        self._stream: EventStream | None = None
        self._pending: set[_Call] = set()

    def start_events(self) -> None:
        if self._stream is not None or not self.client.token:
            return
        self._stream = EventStream(self.client.ws_url, self.client.token, ssl_context=self.client.ssl_context)
        self._stream.subscribe(self.eventReceived.emit)
        self._stream.on_status(self.connectionChanged.emit)
        self._stream.start()

    @property
    def connected(self) -> bool:
        """The event stream is open (the hub subscribed it before the handshake: nothing is missed
        from here on)."""
        return self._stream is not None and self._stream.connected.is_set()

    def call(
        self,
        fn: Callable[..., Any],
        *args: Any,
        done: Callable[[Any], None] | None = None,
        failed: Callable[[str, str], None] | None = None,
    ) -> None:
        job = _Call(fn, args)
        self._pending.add(job)
        job.setAutoDelete(False)

        def finish_ok(result: Any) -> None:
            self._pending.discard(job)
            if done is not None:
                done(result)

        def finish_failed(code: str, message: str) -> None:
            self._pending.discard(job)
            (failed or self.failed.emit)(code, message)

        job.signals.done.connect(finish_ok)
        job.signals.failed.connect(finish_failed)
        self.pool.start(job)

    def stop(self) -> None:
        """Stop the event thread and wait for running calls (tests and window close)."""
        if self._stream is not None:
            self._stream.stop()
            self._stream = None
        self.pool.waitForDone(10_000)
