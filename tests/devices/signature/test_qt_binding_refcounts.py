"""Guard against a Qt binding that corrupts CPython reference counts.

PySide6/shiboken6 6.12.0 returned ``None`` from every void method (``QTimer.stop``,
``QPainterPath.lineTo``, ``QLabel.setText``, …) and ``True`` from ``SignalInstance.emit`` without
taking a reference, so each call stole one reference to the singleton. The app works until the count
reaches zero, typically while the interpreter finalises: "Fatal Python error: none_dealloc" or
"bool_dealloc" at exit, which killed xdist workers after the Qt tests had passed. constraints.txt pins
a release without that bug; this test fails fast (instead of a crash at exit) if the pin moves to one.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QPointF, QTimer, Signal
from PySide6.QtGui import QPainterPath

CALLS = 2000


class _Pinger(QObject):
    ping = Signal()


def _drift(obj: object, call: object) -> int:
    assert callable(call)
    before = sys.getrefcount(obj)
    for _ in range(CALLS):
        call()
    return sys.getrefcount(obj) - before


def test_void_methods_keep_the_reference_to_none(qapp) -> None:
    timer = QTimer()
    path = QPainterPath(QPointF(0.0, 0.0))
    point = QPointF(3.0, 4.0)
    # A correct binding leaves the count where it was (other threads may move it a little);
    # the broken one drops it by one per call.
    assert _drift(None, timer.stop) > -CALLS // 2
    assert _drift(None, lambda: path.lineTo(point)) > -CALLS // 2


def test_emit_keeps_the_reference_to_true(qapp) -> None:
    pinger = _Pinger()
    heard: list[int] = []
    pinger.ping.connect(lambda: heard.append(1))
    assert _drift(True, pinger.ping.emit) > -CALLS // 2
    assert len(heard) == CALLS  # the emits really happened (direct connection, same thread)
