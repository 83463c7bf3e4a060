"""Signature pad callbacks → queued Qt signals; slow pad calls run off the GUI thread.

``SignaturePad`` calls its subscribers on its reader thread. This QObject lives on the GUI thread, so
emitting its signals from that thread makes Qt queue them to the GUI thread (AutoConnection picks a
queued connection across threads): widgets are only ever touched on the GUI thread. ``begin`` (opens
the port) and ``finish`` (renders the PNG) run on a one-thread executor and report back by signal, so
the GUI never waits on the device.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

from devices.signature.pad import SignaturePad
from devices.signature.record import SignatureError, SignaturePoint, SignatureRefused

log = logging.getLogger(__name__)


class SignaturePadAdapter(QObject):
    """Wraps one ``SignaturePad``; call ``close()`` when the screen goes away."""

    # x, y, pressure (-1.0 when the pad has none), t_ms, pen_down: plain values, cheap to queue at
    # the pad's rate. (The "none_dealloc" crashes at exit were PySide6 6.12.0 itself stealing a
    # reference to None on every void call, not this signal; constraints.txt pins 6.11.3.)
    point = Signal(int, int, float, int, bool)
    penUp = Signal()
    error = Signal(str, str)  # code, message_ko (unplugged, silent, not found)
    started = Signal()
    recordReady = Signal(object)  # SignatureRecord
    refused = Signal(str, str)  # code, message_ko ("다시 서명해 주세요")

    def __init__(self, pad: SignaturePad, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pad = pad
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="signature-pad-calls")
        self._unsubscribe = [
            pad.on_point(self._emit_point),
            pad.on_pen_up(self.penUp.emit),
            pad.on_error(self.error.emit),
        ]

    def _emit_point(self, point: SignaturePoint) -> None:
        pressure = -1.0 if point.pressure is None else float(point.pressure)
        self.point.emit(point.x, point.y, pressure, point.t_ms, point.pen_down)

    def begin(self, document_sha256: str, consent_id: str | None = None) -> None:
        """Start a capture off the GUI thread; ``started`` or ``error`` follows."""
        self._executor.submit(self._run, self._begin, document_sha256, consent_id)

    def clear(self) -> None:
        self._executor.submit(self._run, self.pad.clear)

    def finish(self) -> None:
        """Seal the signature off the GUI thread; ``recordReady`` or ``refused`` follows."""
        self._executor.submit(self._run, self._finish)

    def _begin(self, document_sha256: str, consent_id: str | None) -> None:
        self.pad.start_capture(document_sha256, consent_id)
        self.started.emit()

    def _finish(self) -> None:
        self.recordReady.emit(self.pad.finish())

    def _run(self, call: Any, *args: Any) -> None:
        try:
            call(*args)
        except SignatureRefused as exc:
            self.refused.emit(exc.code, exc.message_ko)
        except SignatureError as exc:
            self.error.emit(exc.code, exc.message_ko)
        except Exception:  # never let a worker failure vanish silently
            log.exception("signature pad call failed")
            self.error.emit("PAD_FAILED", "서명 패드에 문제가 생겼어요. 직원에게 알려 주세요. (Pad failure.)")

    def close(self) -> None:
        """Unsubscribe, stop the pad and the worker thread (call in teardown)."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []
        self._executor.submit(self.pad.stop)
        self._executor.shutdown(wait=True)


def point_from_signal(x: int, y: int, pressure: float, t_ms: int, pen_down: bool) -> SignaturePoint:
    """Rebuild the SignaturePoint that ``SignaturePadAdapter.point`` carried as plain values."""
    return SignaturePoint(x, y, None if pressure < 0 else pressure, t_ms, pen_down)
