"""The Qt side: the pad adapter delivers on the GUI thread, the canvas mirrors a pad live, takes touch
and stylus input with pressure, and its clear button always works."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt, QThread
from PySide6.QtGui import QEventPoint, QInputDevice, QPointingDevice, QTabletEvent, QTouchEvent
from PySide6.QtWidgets import QApplication

from devices.signature.emulator import EmulatedPad
from devices.signature.measure import summarize_ms
from devices.signature.pad import PAD_DISCONNECTED, SignaturePad
from devices.signature.record import strokes_of, verify
from ui.adapters.signature_pad_adapter import SignaturePadAdapter
from ui.widgets.signature_canvas import CLEAR_TEXT, SignatureCanvas

from .conftest import CROSS, DOCUMENT, DOT, TEST_PAD


class PaintTimes(QObject):
    """Event filter noting when the surface paints (the moment ink reaches the screen)."""

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.times.append(time.monotonic())
        return False


@pytest.fixture
def canvas(qtbot) -> SignatureCanvas:
    widget = SignatureCanvas(dpi=96.0)
    widget.set_caption("대출 신청서에 서명해요 (Loan application)")
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def pad_rig(qtbot) -> Iterator[tuple[EmulatedPad, SignaturePad, SignaturePadAdapter]]:
    settings = TEST_PAD
    emulator = EmulatedPad(settings=settings)
    pad = SignaturePad(emulator.port_name, settings)
    adapter = SignaturePadAdapter(pad)
    yield emulator, pad, adapter
    adapter.close()  # stops the pad and the worker thread
    emulator.disconnect()


def test_pad_points_reach_the_gui_thread_and_the_mirror(qtbot, canvas, pad_rig, document_sha256: str) -> None:
    emulator, pad, adapter = pad_rig
    canvas.mirror(adapter)
    gui_thread = QApplication.instance().thread()
    arrivals: list[float] = []
    threads: set[bool] = set()

    def on_point(*_: object) -> None:
        arrivals.append(time.monotonic())
        threads.add(QThread.currentThread() is gui_thread)

    adapter.point.connect(on_point)
    paints = PaintTimes()
    canvas.surface.installEventFilter(paints)
    with qtbot.waitSignal(adapter.started, timeout=3000):
        adapter.begin(document_sha256, "consent-7")
    emulator.play(CROSS, block=False)  # the GUI event loop keeps running while the pad replays
    qtbot.waitUntil(lambda: not emulator.replaying, timeout=10000)
    qtbot.waitUntil(lambda: pad.pen_left.is_set() and len(arrivals) == len(pad.points) - 2, timeout=3000)
    assert threads == {True}  # every point was delivered on the GUI thread
    mirrored = [m for m in canvas.surface._mirror if m[2]]
    assert len(mirrored) == len(arrivals)
    with qtbot.waitSignal(adapter.recordReady, timeout=5000) as ready:
        adapter.finish()
    record = ready.args[0]
    assert verify(record, DOCUMENT) and len(strokes_of(record.points)) == 2
    sent = [s.sent_at for s in emulator.sent if s.pen_down]
    qtbot.waitUntil(lambda: bool(paints.times) and paints.times[-1] >= arrivals[-1], timeout=3000)
    latency = summarize_ms([a - s for s, a in zip(sent, arrivals, strict=True)])
    on_screen = summarize_ms(
        [next(p for p in paints.times if p >= a) - s for s, a in zip(sent, arrivals, strict=True)]
    )
    # Figures for the closing note (pytest -s shows them).
    print(f"pen event -> GUI thread: {latency}; pen event -> surface painted: {on_screen}")
    assert latency["p95_ms"] < 500  # generous for a loaded 2-core CI box; typical is a few ms


def test_adapter_reports_refusal_and_unplug_as_signals(qtbot, pad_rig, document_sha256: str) -> None:
    emulator, pad, adapter = pad_rig
    with qtbot.waitSignal(adapter.started, timeout=3000):
        adapter.begin(document_sha256, None)
    emulator.play(DOT)
    qtbot.waitUntil(pad.pen_left.is_set, timeout=3000)
    with qtbot.waitSignal(adapter.refused, timeout=3000) as refused:
        adapter.finish()
    assert "다시 서명해 주세요" in refused.args[1]
    with qtbot.waitSignal(adapter.error, timeout=3000) as error:
        emulator.disconnect()
    assert error.args[0] == PAD_DISCONNECTED


def test_clear_on_a_mirrored_pad_wipes_pad_and_screen(qtbot, canvas, pad_rig, document_sha256: str) -> None:
    emulator, pad, adapter = pad_rig
    canvas.mirror(adapter)
    with qtbot.waitSignal(adapter.started, timeout=3000):
        adapter.begin(document_sha256, None)
    emulator.play(CROSS, block=False)
    qtbot.waitUntil(lambda: len(canvas.surface._mirror) > 20, timeout=5000)
    qtbot.waitUntil(lambda: not emulator.replaying, timeout=10000)
    qtbot.waitUntil(pad.pen_left.is_set, timeout=3000)
    qtbot.mouseClick(canvas.clear_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pad.points == [], timeout=3000)
    assert canvas.surface._mirror == []
    with qtbot.waitSignal(adapter.error, timeout=3000):
        emulator.disconnect()
    assert "서명 패드 연결이 끊겼어요" in canvas.hint.text()  # the screen says what happened


def _pen() -> QPointingDevice:
    caps = QInputDevice.Capability.Position | QInputDevice.Capability.Pressure
    return QPointingDevice(
        "test stylus", 1, QInputDevice.DeviceType.Stylus, QPointingDevice.PointerType.Pen, caps, 1, 2
    )


def _tablet(kind, pos: QPointF, pressure: float, pen: QPointingDevice, ts: int) -> QTabletEvent:
    buttons = (
        Qt.MouseButton.NoButton if kind == QTabletEvent.Type.TabletRelease else Qt.MouseButton.LeftButton
    )
    event = QTabletEvent(
        kind, pen, pos, pos, pressure, 0.0, 0.0, 0.0, 0.0, 0.0,
        Qt.KeyboardModifier.NoModifier, Qt.MouseButton.LeftButton, buttons,
    )  # fmt: skip
    event.setTimestamp(ts)
    return event


def test_stylus_pressure_is_recorded(canvas, document_sha256: str) -> None:
    pen = _pen()
    surface = canvas.surface
    canvas.begin(document_sha256, None)
    for stroke in CROSS.strokes:
        x0, y0, t0, p0 = stroke[0]
        scale = canvas.dpi / 25.4
        QApplication.sendEvent(
            surface, _tablet(QTabletEvent.Type.TabletPress, QPointF(x0 * scale, y0 * scale), p0, pen, t0)
        )
        for x, y, t, p in stroke[1:]:
            QApplication.sendEvent(
                surface, _tablet(QTabletEvent.Type.TabletMove, QPointF(x * scale, y * scale), p, pen, t)
            )
        QApplication.sendEvent(
            surface, _tablet(QTabletEvent.Type.TabletRelease, QPointF(x * scale, y * scale), 0.0, pen, t)
        )
    record = canvas.finish()
    down = [p for p in record.points if p.pen_down]
    expected = [s[3] for stroke in CROSS.strokes for s in stroke]
    assert [p.pressure for p in down] == pytest.approx(expected, abs=1e-3)
    assert len(strokes_of(record.points)) == 2


def _touch(kind, surface, pos: QPointF, device: QPointingDevice, ts: int) -> QTouchEvent:
    state = {
        QEvent.Type.TouchBegin: QEventPoint.State.Pressed,
        QEvent.Type.TouchUpdate: QEventPoint.State.Updated,
        QEvent.Type.TouchEnd: QEventPoint.State.Released,
    }[kind]
    event = QTouchEvent(
        kind, device, Qt.KeyboardModifier.NoModifier, [QEventPoint(0, state, pos, surface.mapToGlobal(pos))]
    )
    event.setTimestamp(ts)
    return event


def test_touch_signs_like_a_finger(canvas, document_sha256: str) -> None:
    finger = QPointingDevice(
        "test touchscreen", 2, QInputDevice.DeviceType.TouchScreen, QPointingDevice.PointerType.Finger,
        QInputDevice.Capability.Position, 10, 0,
    )  # fmt: skip
    surface = canvas.surface
    canvas.begin(document_sha256, None)
    scale = canvas.dpi / 25.4
    for stroke in CROSS.strokes:
        for i, (x, y, t, _) in enumerate(stroke):
            kind = QEvent.Type.TouchBegin if i == 0 else QEvent.Type.TouchUpdate
            QApplication.sendEvent(surface, _touch(kind, surface, QPointF(x * scale, y * scale), finger, t))
        QApplication.sendEvent(
            surface, _touch(QEvent.Type.TouchEnd, surface, QPointF(x * scale, y * scale), finger, t)
        )
    record = canvas.finish()
    assert len(strokes_of(record.points)) == 2
    assert len([p for p in record.points if p.pen_down]) == sum(len(s) for s in CROSS.strokes)
    assert all(p.pressure is None for p in record.points)  # this touchscreen reports no pressure
    first = record.points[0]
    assert (first.x, first.y) == (
        round(CROSS.strokes[0][0][0] * scale),
        round(CROSS.strokes[0][0][1] * scale),
    )


def test_clear_button_wipes_the_ink(qtbot, canvas, document_sha256: str) -> None:
    canvas.begin(document_sha256, None)
    qtbot.mousePress(canvas.surface, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    qtbot.mouseMove(canvas.surface, QPoint(200, 80), delay=50)
    qtbot.mouseRelease(canvas.surface, Qt.MouseButton.LeftButton, pos=QPoint(200, 80))
    assert canvas.points
    assert canvas.clear_button.text() == CLEAR_TEXT and canvas.clear_button.isVisible()
    with qtbot.waitSignal(canvas.strokeChanged, timeout=1000):
        qtbot.mouseClick(canvas.clear_button, Qt.MouseButton.LeftButton)
    assert canvas.points == []


def test_refusal_on_screen_says_sign_again(qtbot, canvas, document_sha256: str) -> None:
    canvas.begin(document_sha256, None)
    qtbot.mouseClick(canvas.surface, Qt.MouseButton.LeftButton, pos=QPoint(100, 100))
    with qtbot.waitSignal(canvas.refused, timeout=1000) as refused, pytest.raises(Exception, match="REFUSED"):
        canvas.finish()
    assert "다시 서명해 주세요" in refused.args[1]
    assert "다시 서명해 주세요" in canvas.hint.text()


def test_canvas_screenshot_for_review(qtbot, canvas, document_sha256: str, tmp_path) -> None:
    """Render the widget with ink so a reviewer can look at it (saved under the test's tmp dir)."""
    canvas.begin(document_sha256, None)
    scale = canvas.dpi / 25.4
    for stroke in CROSS.strokes:
        x, y, _, _ = stroke[0]
        qtbot.mousePress(
            canvas.surface, Qt.MouseButton.LeftButton, pos=QPoint(round(x * scale), round(y * scale))
        )
        for x, y, _, _ in stroke[1:]:
            qtbot.mouseMove(canvas.surface, QPoint(round(x * scale), round(y * scale)), delay=8)
        qtbot.mouseRelease(
            canvas.surface, Qt.MouseButton.LeftButton, pos=QPoint(round(x * scale), round(y * scale))
        )
    image = canvas.grab().toImage()
    path = tmp_path / "signature-canvas.png"
    assert image.save(str(path))
    ink = canvas.palette().color(canvas.palette().ColorRole.Text)
    inked = sum(
        1
        for x in range(0, image.width(), 3)
        for y in range(0, image.height(), 3)
        if image.pixelColor(x, y) == ink
    )
    assert inked > 50  # the strokes are visible on the surface
