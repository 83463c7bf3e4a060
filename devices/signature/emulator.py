"""A serial signature pad on a pseudo-terminal, for tests, benches and demos without hardware.

``EmulatedPad`` owns the master side of a pty (``devices.serial_pty.PtyEndpoint``); the driver opens
``port_name`` with pyserial like any serial port. It replays signatures at the pad's sample rate, paced
at the line's byte rate, in the 5-byte format of ``devices.signature.packet``: a few hover reports
(proximity, pen up) before the pen lands and between strokes, pen-down reports while writing, then one
out-of-proximity report. Faults a real cable shows can be switched on: noise bytes, dropped bytes,
silence and an unplugged cable.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass

from config.sections.signature import SignatureSection
from devices.serial_pty import PtyEndpoint
from devices.signature import packet
from devices.signature.geometry import PadGeometry
from devices.signature.stroke_library import load_strokes
from devices.signature.stroke_synth import StrokeFile

HOVER_MS = 80  # hover reports before landing and after lifting


@dataclass(frozen=True)
class SentSample:
    """One coordinate report the emulator put on the line (for latency measurements)."""

    sent_at: float  # time.monotonic() just before the packet was written
    x: int  # signing-area units
    y: int
    pen_down: bool


class EmulatedPad:
    """A pad on a pty. ``replay()`` plays a shipped signature at the real sample rate and baud."""

    def __init__(
        self,
        baud: int | None = None,
        sample_rate_hz: int | None = None,
        settings: SignatureSection | None = None,
        model: str = "EMU-5BYTE",
    ) -> None:
        base = settings or SignatureSection()
        overrides = {k: v for k, v in (("baud", baud), ("sample_rate_hz", sample_rate_hz)) if v is not None}
        self.settings = base.model_copy(update=overrides) if overrides else base
        SignatureSection.model_validate(self.settings.model_dump())  # the same limits as a config file
        self.geometry = PadGeometry(self.settings)
        self.model = model
        self._line = PtyEndpoint(self.settings.baud, parity=self.settings.parity != "none")
        self.port_name = self._line.port_name
        self._lock = threading.Lock()
        self._noise = bytearray()
        self._drop_p = 0.0
        self._silent = False
        self._rng = random.Random(4)
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.sent: list[SentSample] = []

    # --- faults ---------------------------------------------------------------------------------
    def inject_noise(self, n: int) -> None:
        """Put ``n`` random bytes on the line (between packets while replaying, else at once)."""
        noise = bytes(self._rng.randrange(256) for _ in range(n))
        if self.replaying:
            with self._lock:
                self._noise += noise
        else:
            self._write(noise)

    def drop_bytes(self, p: float) -> None:
        """From now on lose each byte with probability ``p`` (0 switches it off)."""
        if not 0.0 <= p <= 1.0:
            raise ValueError("p is a probability: 0..1")
        self._drop_p = p

    def go_silent(self) -> None:
        """Send nothing more (the pad hangs); ``resume()`` undoes it."""
        self._silent = True

    def resume(self) -> None:
        self._silent = False

    def disconnect(self) -> None:
        """Unplug the cable: the pty closes and the driver's port fails."""
        self._stop.set()
        with self._lock:
            self._line.close()

    close = disconnect

    # --- replay ---------------------------------------------------------------------------------
    @property
    def replaying(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def replay(self, name: str | None = None, block: bool = True) -> None:
        """Play a shipped signature (``None``: the default one) at the pad's sample rate."""
        self.play(load_strokes(name), block=block)

    def play(self, strokes: StrokeFile, block: bool = True) -> None:
        """Play any strokes (in mm); they are scaled down if larger than the signing area."""
        if self.replaying:
            raise RuntimeError("the emulated pad is already replaying")
        schedule = self._schedule(strokes)
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, args=(schedule,), name="emulated-pad", daemon=True)
        self._thread.start()
        if block:
            self.wait()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the replay to end; False on timeout."""
        if self._thread is not None:
            self._thread.join(timeout)
        return not self.replaying

    def _schedule(self, strokes: StrokeFile) -> list[tuple[float, int, int, bool, bool, float]]:
        """(seconds, area x, area y, pen down, proximity, pressure) at the pad's sample rate."""
        res = self.geometry.resolution
        units_per_mm = res.x_dpi / 25.4
        fit = min(
            1.0,
            res.width / (strokes.area_mm[0] * units_per_mm),
            res.height / (strokes.area_mm[1] * units_per_mm),
        )
        scale = units_per_mm * fit

        def area(x_mm: float, y_mm: float) -> tuple[int, int]:
            return (
                min(res.width, max(0, round(x_mm * scale))),
                min(res.height, max(0, round(y_mm * scale))),
            )

        period = 1.0 / self.settings.sample_rate_hz
        out: list[tuple[float, int, int, bool, bool, float]] = []
        hover_s = HOVER_MS / 1000
        t = 0.0
        for index, stroke in enumerate(strokes.strokes):
            start = stroke[0][2] / 1000 + hover_s
            end = stroke[-1][2] / 1000 + hover_s
            if index == 0:  # hover in before the first landing
                x, y = area(stroke[0][0], stroke[0][1])
                while t < start:
                    out.append((t, x, y, False, True, 0.0))
                    t += period
            while t <= end:
                ms = (t - hover_s) * 1000
                j = max(
                    0,
                    min(
                        len(stroke) - 2, next((i for i, s in enumerate(stroke) if s[2] > ms), len(stroke)) - 1
                    ),
                )
                a, b = stroke[j], stroke[min(j + 1, len(stroke) - 1)]
                u = 0.0 if b[2] == a[2] else min(1.0, max(0.0, (ms - a[2]) / (b[2] - a[2])))
                x, y = area(a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u)
                out.append((t, x, y, True, True, a[3] + (b[3] - a[3]) * u))
                t += period
            nxt = (
                strokes.strokes[index + 1][0][2] / 1000 + hover_s
                if index + 1 < len(strokes.strokes)
                else end + hover_s
            )
            last = stroke[-1]
            while t < nxt:  # hovering towards the next stroke (position held: the pen is in the air)
                x, y = area(last[0], last[1])
                out.append((t, x, y, False, True, 0.0))
                t += period
        if out:
            out.append((t, out[-1][1], out[-1][2], False, False, 0.0))  # pen leaves proximity
        return out

    def _run(self, schedule: list[tuple[float, int, int, bool, bool, float]]) -> None:
        if not self._silent:
            self.send_info()  # pads announce their model when the pen comes near
        origin = time.monotonic()
        for at, ax, ay, down, near, pressure in schedule:
            if self._stop.is_set():
                return
            delay = origin + at - time.monotonic()
            if delay > 0:
                time.sleep(delay)  # the pad's sample clock
            px, py = self.geometry.to_pad(ax, ay)
            data = b""
            if self.settings.pressure and down:
                data += packet.encode_pressure(round(pressure * packet.MAX_VALUE))
            data += packet.encode_pen(px, py, pen_down=down, proximity=near)
            with self._lock:
                noise, self._noise = bytes(self._noise), bytearray()
            if self._silent:
                continue
            self.sent.append(SentSample(time.monotonic(), ax, ay, down))
            if not self._write(noise + data):
                return

    def _write(self, data: bytes) -> bool:
        if self._drop_p:
            data = bytes(b for b in data if self._rng.random() >= self._drop_p)
        with self._lock:
            if self._line.closed:
                return False
            try:
                self._line.write(data)
            except OSError:
                return False
        return True

    def send_info(self) -> None:
        """Announce the model name with type-2 info packets, as pads do when asked."""
        self._write(packet.encode_info(self.model))

    def __enter__(self) -> EmulatedPad:
        return self

    def __exit__(self, *exc: object) -> None:
        self.disconnect()
        if self._thread is not None:
            self._thread.join(2.0)
