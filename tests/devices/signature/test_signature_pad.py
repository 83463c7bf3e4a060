"""The serial pad driver against its emulator on a real pty: faults a cable shows, and recovery."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from config.sections.signature import SignatureSection
from devices.signature.emulator import EmulatedPad
from devices.signature.measure import sample_rate_hz
from devices.signature.pad import PAD_DISCONNECTED, PAD_NOT_FOUND, PAD_SILENT, SignaturePad
from devices.signature.record import SignatureError, SignaturePoint, strokes_of, verify
from tests.polling import wait_until

from .conftest import CROSS, DOCUMENT


class Events:
    """What the pad's subscribers saw (they run on the pad's reader thread)."""

    def __init__(self, pad: SignaturePad) -> None:
        self.points: list[SignaturePoint] = []
        self.pen_ups = 0
        self.errors: list[tuple[str, str]] = []
        self.error_seen = threading.Event()
        pad.on_point(self.points.append)
        pad.on_pen_up(self._pen_up)
        pad.on_error(self._error)

    def _pen_up(self) -> None:
        self.pen_ups += 1

    def _error(self, code: str, message: str) -> None:
        self.errors.append((code, message))
        self.error_seen.set()


@pytest.fixture
def rig(settings: SignatureSection) -> Iterator[tuple[EmulatedPad, SignaturePad, Events]]:
    emulator = EmulatedPad(settings=settings)
    pad = SignaturePad(emulator.port_name, settings)
    events = Events(pad)
    yield emulator, pad, events
    pad.stop()
    emulator.disconnect()


def test_replay_arrives_at_the_configured_sample_rate(rig, document_sha256: str) -> None:
    emulator, pad, events = rig
    pad.start_capture(document_sha256, "c-1")
    emulator.replay("initials-mj")
    assert pad.pen_left.wait(3.0)
    record = pad.finish()
    assert len(strokes_of(record.points)) == 3 and events.pen_ups == 3
    assert events.points == [p for p in record.points if p.pen_down]
    assert 0.85 * 120 < sample_rate_hz(record.points) < 1.15 * 120
    assert record.device == "serial-pad:EMU-5BYTE"  # the model from the pad's info packets
    assert verify(record, DOCUMENT)


def test_noise_and_lost_bytes_are_survived(rig, document_sha256: str) -> None:
    emulator, pad, _ = rig
    pad.start_capture(document_sha256, None)
    emulator.play(CROSS, block=False)
    for _ in range(20):
        emulator.inject_noise(7)
    emulator.drop_bytes(0.01)
    assert emulator.wait(10)
    assert pad.pen_left.wait(3.0) or pad.points
    record = pad.finish()
    res = record.resolution
    assert all(0 <= p.x <= res.width and 0 <= p.y <= res.height for p in record.points)
    assert pad.decoder.resyncs + pad.decoder.dropped_bytes > 0
    assert verify(record, DOCUMENT)


def test_a_burst_of_random_bytes_on_the_line_breaks_nothing(rig, document_sha256: str) -> None:
    emulator, pad, events = rig
    pad.start_capture(document_sha256, None)
    emulator.inject_noise(3000)  # ~1.7 s of line noise at 19200 8O1
    wait_until(
        lambda: pad.decoder.dropped_bytes + 5 * pad.decoder.packets >= 2000,
        5.0,
        interval_s=0.005,
        message="the pad never read the burst of noise",
    )
    res = pad.geometry.resolution
    assert all(0 <= p.x <= res.width and 0 <= p.y <= res.height for p in pad.points)
    assert events.errors == []
    pad.clear()  # the person starts over; the pad still works
    emulator.play(CROSS)
    assert pad.pen_left.wait(3.0)
    assert verify(pad.finish(), DOCUMENT)


def test_silence_mid_signature_discards_it_and_capture_restarts(rig, document_sha256: str) -> None:
    emulator, pad, events = rig
    pad.start_capture(document_sha256, None)
    emulator.play(CROSS, block=False)
    wait_until(lambda: len(pad.points) >= 20, 5.0, interval_s=0.005, message="no pen points")  # mid-stroke
    emulator.go_silent()
    assert events.error_seen.wait(5.0)
    code, message = events.errors[0]
    assert code == PAD_SILENT and "다시 서명해 주세요" in message
    assert pad.points == [] and not pad.capturing
    emulator.wait(10)
    emulator.resume()
    pad.start_capture(document_sha256, None)
    emulator.play(CROSS)
    assert pad.pen_left.wait(3.0)
    assert verify(pad.finish(), DOCUMENT)


def test_unplugged_pad_reports_and_discards_the_partial_signature(rig, document_sha256: str) -> None:
    emulator, pad, events = rig
    pad.start_capture(document_sha256, None)
    emulator.play(CROSS, block=False)
    wait_until(lambda: len(pad.points) >= 10, 5.0, interval_s=0.005, message="no pen points")
    emulator.disconnect()
    assert events.error_seen.wait(5.0)
    assert events.errors[0][0] == PAD_DISCONNECTED and "서명 패드 연결이 끊겼어요" in events.errors[0][1]
    assert pad.points == [] and not pad.is_open
    with pytest.raises(SignatureError) as lost:
        pad.start_capture(document_sha256, None)  # the cable is still out
    assert lost.value.code == PAD_NOT_FOUND


def test_replugged_pad_captures_again(settings: SignatureSection, document_sha256: str) -> None:
    """After an unplug the same driver object captures from the pad once it is back (new port)."""
    first = EmulatedPad(settings=settings)
    pad = SignaturePad(first.port_name, settings)
    events = Events(pad)
    pad.start_capture(document_sha256, None)
    first.disconnect()
    assert events.error_seen.wait(5.0)
    with EmulatedPad(settings=settings) as second:
        pad.port = second.port_name
        pad.start_capture(document_sha256, None)
        second.play(CROSS)
        assert pad.pen_left.wait(3.0)
        assert verify(pad.finish(), DOCUMENT)
    pad.stop()


def test_pressure_pads_deliver_pressure(document_sha256: str) -> None:
    settings = SignatureSection(pressure=True)
    with EmulatedPad(settings=settings) as emulator, SignaturePad(emulator.port_name, settings) as pad:
        pad.start_capture(document_sha256, None)
        emulator.play(CROSS)
        assert pad.pen_left.wait(3.0)
        record = pad.finish()
    down = [p for p in record.points if p.pen_down]
    assert all(p.pressure is not None and 0 < p.pressure <= 1 for p in down)


def test_pad_mounted_upside_down_still_gives_an_upright_signature(document_sha256: str) -> None:
    shapes = {}
    for orientation in ("normal", "rotated_180"):
        settings = SignatureSection(orientation=orientation)
        with EmulatedPad(settings=settings) as emulator, SignaturePad(emulator.port_name, settings) as pad:
            pad.start_capture(document_sha256, None)
            emulator.play(CROSS)
            assert pad.pen_left.wait(3.0)
            first = pad.finish().points[0]
            shapes[orientation] = (first.x, first.y)
    # The cross starts top-left (20 mm, 8 mm) as the signer sees it, whichever way the pad is turned.
    for x, y in shapes.values():
        assert abs(x - 20 * 410 / 25.4) < 8 and abs(y - 8 * 410 / 25.4) < 8


def test_missing_port_is_a_clear_error(document_sha256: str) -> None:
    pad = SignaturePad("/dev/does-not-exist", SignatureSection())
    with pytest.raises(SignatureError) as missing:
        pad.start_capture(document_sha256, None)
    assert missing.value.code == PAD_NOT_FOUND and "직원에게 알려 주세요" in missing.value.message_ko


def test_finish_without_capture_is_refused() -> None:
    with pytest.raises(SignatureError, match="NOT_CAPTURING"):
        SignaturePad("/dev/null").finish()


def test_emulator_refuses_settings_a_real_line_could_not_carry() -> None:
    with pytest.raises(ValueError, match="does not fit the line"):
        EmulatedPad(sample_rate_hz=400)  # 19200 baud 8O1 carries at most 349 reports/s
    with EmulatedPad() as emulator, pytest.raises(ValueError):
        emulator.drop_bytes(1.5)
