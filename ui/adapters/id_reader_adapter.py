"""ID reader events → Qt signals. The reader's thread only emits; widgets react on the GUI thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from devices.id.mobile import MobileIdReader

log = logging.getLogger(__name__)


class IdReaderAdapter(QObject):
    """Wraps a ``devices.id.model.IdReader``. Signals cross threads as queued connections because this
    object lives on the GUI thread and the reader calls ``_on_event`` from its own thread."""

    cardPresent = Signal()
    cardRemoved = Signal()
    reading = Signal()
    guidance = Signal(str, str)  # code, message_ko
    documentRead = Signal(object)  # devices.id.model.IdDocument
    readFailed = Signal(str, str)  # code, message_ko

    def __init__(self, reader: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.reader = reader
        self._unsubscribe: Callable[[], None] | None = None
        self.running = False
        # Starting and stopping a reader can wait for its thread (a stop joins a read in progress):
        # both run here, in order, never on the GUI thread.
        self._calls = ThreadPoolExecutor(max_workers=1, thread_name_prefix="id-reader-calls")

    def start(self) -> None:
        """Subscribe and start the reader. Errors become ``readFailed``, never raise."""
        if self.running:
            return
        self._unsubscribe = self.reader.subscribe(self._on_event)
        self.running = True
        self._calls.submit(self._start)

    def _start(self) -> None:
        try:
            self.reader.start()
        except Exception as exc:  # an unplugged reader must not take the kiosk down
            log.warning("ID reader did not start: %s", exc)
            code = getattr(exc, "code", "reader_unavailable")
            self.readFailed.emit(code, getattr(exc, "message_ko", "신분증 리더를 쓸 수 없어요."))

    def stop(self) -> None:
        """Unsubscribe at once (no late event reaches a screen); the reader stops in the background."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self.running:
            self._calls.submit(self._stop)
        self.running = False

    def _stop(self) -> None:
        try:
            self.reader.stop()
        except Exception:
            log.exception("ID reader stop failed")

    def close(self) -> None:
        """Stop the reader and wait for it (teardown and quit only)."""
        self.stop()
        self._calls.shutdown(wait=True)

    def _on_event(self, event: Any) -> None:
        # Runs on the reader's thread: only emit, never touch a widget.
        from devices.id.model import (
            CardPresent,
            CardRemoved,
            Guidance,
            ReadError,
            Reading,
            ReadResult,
        )

        if isinstance(event, CardPresent):
            self.cardPresent.emit()
        elif isinstance(event, CardRemoved):
            self.cardRemoved.emit()
        elif isinstance(event, Reading):
            self.reading.emit()
        elif isinstance(event, Guidance):
            self.guidance.emit(event.code, event.message_ko)
        elif isinstance(event, ReadResult):
            self.documentRead.emit(event.document)
        elif isinstance(event, ReadError):
            self.readFailed.emit(event.code, event.message_ko)


def mobile_id_reader(
    frames: Callable[[], Any], verifier: Any = None, *, interval_s: float = 0.2
) -> MobileIdReader:
    """A ``devices.id`` reader that looks for a mobile-ID QR on the camera/scanner frames; its events go
    through ``IdReaderAdapter`` like every other reader's."""
    from devices.id.mobile import MobileIdReader

    return MobileIdReader(frames, verifier, interval_s)


class BacKeySlot:
    """The passport chip's BAC key for the next read: the identify screen puts it in (typed MRZ fields
    or a scanned passport page), the chip reader's thread takes it out. Cleared after each visit."""

    def __init__(self) -> None:
        import threading

        self._lock = threading.Lock()
        self._key: Any = None

    def set(self, key: Any) -> None:
        with self._lock:
            self._key = key

    def clear(self) -> None:
        self.set(None)

    def __call__(self) -> Any:
        with self._lock:
            return self._key
