"""One contract for both capture backends: the serial pad (through its emulator on a pty) and the
on-screen canvas (through qtbot mouse events). Same acceptance, binding, JSON and refusal behaviour."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Protocol

import pytest
from PIL import Image

from devices.signature.record import SignatureRecord, SignatureRefused, strokes_of, verify
from devices.signature.stroke_library import load_strokes
from devices.signature.stroke_synth import StrokeFile
from devices.signature.timeseries_json import dumps, record_from_json

from .conftest import AREA_MM, CROSS, DOCUMENT, DOT, OTHER_DOCUMENT, QUICK, SHORT_LINE, TEST_PAD


class CaptureBackend(Protocol):
    device_prefix: str

    def begin(self, document_sha256: str, consent_id: str | None) -> None: ...
    def sign(self, marks: StrokeFile) -> None: ...
    def clear(self) -> None: ...
    def finish(self) -> SignatureRecord: ...


class PadBackend:
    device_prefix = "serial-pad"

    def __init__(self) -> None:
        from devices.signature.emulator import EmulatedPad
        from devices.signature.pad import SignaturePad

        settings = TEST_PAD
        self.emulator = EmulatedPad(settings=settings)
        self.pad = SignaturePad(self.emulator.port_name, settings)

    def begin(self, document_sha256: str, consent_id: str | None) -> None:
        self.pad.start_capture(document_sha256, consent_id)

    def sign(self, marks: StrokeFile) -> None:
        self.pad.pen_left.clear()
        self.emulator.play(marks)
        assert self.pad.pen_left.wait(3.0), "the pad never reported the pen leaving"

    def clear(self) -> None:
        self.pad.clear()

    def finish(self) -> SignatureRecord:
        return self.pad.finish()

    def close(self) -> None:
        self.pad.stop()
        self.emulator.disconnect()


class ScreenBackend:
    device_prefix = "screen"

    def __init__(self, qtbot) -> None:
        from ui.widgets.signature_canvas import SignatureCanvas

        self.qtbot = qtbot
        self.canvas = SignatureCanvas(dpi=96.0)
        self.canvas.set_caption(
            "개인정보 수집·이용 동의서에 서명해요 (Consent to collect and use personal data)"
        )
        qtbot.addWidget(self.canvas)
        self.canvas.show()
        qtbot.waitExposed(self.canvas)

    def begin(self, document_sha256: str, consent_id: str | None) -> None:
        self.canvas.begin(document_sha256, consent_id)

    def sign(self, marks: StrokeFile) -> None:
        from PySide6.QtCore import QPoint, Qt

        surface = self.canvas.surface
        px_per_mm = self.canvas.dpi / 25.4
        scale = px_per_mm * min(
            1.0, surface.width() / (AREA_MM[0] * px_per_mm), surface.height() / (AREA_MM[1] * px_per_mm)
        )

        def at(x: float, y: float) -> QPoint:
            return QPoint(round(x * scale), round(y * scale))

        previous: int | None = None
        for stroke in marks.strokes:
            x, y, t, _ = stroke[0]
            gap = 1 if previous is None else max(1, t - previous)
            self.qtbot.mousePress(surface, Qt.MouseButton.LeftButton, pos=at(x, y), delay=gap)
            previous = t
            for x, y, t, _ in stroke[1:]:
                self.qtbot.mouseMove(surface, at(x, y), delay=max(1, t - previous))
                previous = t
            self.qtbot.mouseRelease(surface, Qt.MouseButton.LeftButton, pos=at(x, y), delay=1)

    def clear(self) -> None:
        self.canvas.clear()

    def finish(self) -> SignatureRecord:
        return self.canvas.finish()

    def close(self) -> None:
        pass


@pytest.fixture(params=["pad", "screen"])
def backend(request: pytest.FixtureRequest) -> Iterator[CaptureBackend]:
    made: PadBackend | ScreenBackend
    if request.param == "pad":
        made = PadBackend()
    else:
        made = ScreenBackend(request.getfixturevalue("qtbot"))
    yield made
    made.close()


def _aspect(points) -> float:
    down = [p for p in points if p.pen_down]
    xs, ys = [p.x for p in down], [p.y for p in down]
    return (max(xs) - min(xs)) / (max(ys) - min(ys))


def _input_aspect(marks: StrokeFile) -> float:
    xs = [s[0] for stroke in marks.strokes for s in stroke]
    ys = [s[1] for stroke in marks.strokes for s in stroke]
    return (max(xs) - min(xs)) / (max(ys) - min(ys))


@pytest.mark.parametrize("name", ["initials-mj", "lee-seoyeon"])
def test_a_signature_is_accepted_bound_and_exported(
    backend: CaptureBackend, document_sha256: str, name: str
) -> None:
    marks = load_strokes(name)
    backend.begin(document_sha256, "consent-42")
    backend.sign(marks)
    record = backend.finish()
    assert record.device.startswith(backend.device_prefix)
    assert len(strokes_of(record.points)) == len(marks.strokes)
    assert _aspect(record.points) == pytest.approx(_input_aspect(marks), rel=0.1)  # the same shape
    assert record.points[0].t_ms == 0
    # Time inside strokes is kept (QTest adds a double-click interval after each release, so the
    # pauses between strokes are not compared).
    inked_ms = sum(s[-1].t_ms - s[0].t_ms for s in strokes_of(record.points))
    assert inked_ms == pytest.approx(sum(s[-1][2] - s[0][2] for s in marks.strokes), rel=0.15)
    assert verify(record, DOCUMENT) and not verify(record, OTHER_DOCUMENT)
    again = record_from_json(json.loads(dumps(record)))
    assert again.points == record.points and verify(again, DOCUMENT)
    image = Image.open(io.BytesIO(record.png))
    assert image.mode == "RGBA" and image.getchannel("A").getpixel((0, 0)) == 0


@pytest.mark.parametrize("marks", [DOT, SHORT_LINE, QUICK], ids=lambda m: m.name)
def test_unusable_marks_are_refused_and_the_person_can_sign_again(
    backend: CaptureBackend, document_sha256: str, marks: StrokeFile
) -> None:
    backend.begin(document_sha256, None)
    backend.sign(marks)
    with pytest.raises(SignatureRefused) as refused:
        backend.finish()
    assert "다시 서명해 주세요" in refused.value.message_ko
    backend.sign(CROSS)  # the capture goes on after a refusal
    record = backend.finish()
    assert len(strokes_of(record.points)) == 2 and verify(record, DOCUMENT)


def test_clear_discards_the_earlier_ink(backend: CaptureBackend, document_sha256: str) -> None:
    backend.begin(document_sha256, None)
    backend.sign(QUICK)
    backend.clear()
    backend.sign(CROSS)
    record = backend.finish()
    assert len(strokes_of(record.points)) == 2
    assert _aspect(record.points) == pytest.approx(_input_aspect(CROSS), rel=0.1)
