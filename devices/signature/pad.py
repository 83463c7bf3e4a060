"""Driver for serial signature pads speaking the 5-byte packet format (``devices.signature.packet``).

No Qt here: a reader thread owns the port and calls subscribers *on that thread*; a UI must hop to its
own thread (``ui/adapters/signature_pad_adapter.py`` does this with queued signals).

Life of a capture::

    pad = SignaturePad("/dev/ttyUSB0", settings.signature)
    pad.on_point(lambda p: ...); pad.on_pen_up(lambda: ...); pad.on_error(lambda code, msg: ...)
    pad.start_capture(document_sha256, consent_id)   # opens the port if needed
    ...                                              # the person signs
    record = pad.finish()                            # or SignatureRefused: the person signs again
    pad.stop()                                       # closes the port

An unplugged pad shows up as a port error (``PAD_DISCONNECTED``) or as silence while the pen was near
the pad (``PAD_SILENT``: a pad reports continuously while the pen is near). Either way the partial
signature is discarded, subscribers get ``error(code, message_ko)``, and ``start_capture`` may be
called again (it reopens the port when it was lost).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import serial

from config.sections.signature import SignatureSection
from devices.signature.geometry import PadGeometry
from devices.signature.packet import MAX_VALUE, InfoReport, PacketDecoder, PenReport, PressureReport
from devices.signature.record import (
    SignatureError,
    SignaturePoint,
    SignatureRecord,
    check_sha256_hex,
    make_record,
)

log = logging.getLogger(__name__)

PAD_NOT_FOUND = "PAD_NOT_FOUND"
PAD_DISCONNECTED = "PAD_DISCONNECTED"
PAD_SILENT = "PAD_SILENT"
MESSAGES_KO = {
    PAD_NOT_FOUND: "서명 패드를 찾을 수 없어요. 직원에게 알려 주세요. (Signature pad not found.)",
    PAD_DISCONNECTED: "서명 패드 연결이 끊겼어요. 직원에게 알려 주세요. "
    "다시 연결되면 처음부터 서명해 주세요. (The signature pad was disconnected.)",
    PAD_SILENT: "서명 패드가 응답하지 않아요. 처음부터 다시 서명해 주세요. 계속되면 직원에게 알려 주세요. "
    "(The signature pad stopped responding.)",
}
_PARITY = {"odd": serial.PARITY_ODD, "even": serial.PARITY_EVEN, "none": serial.PARITY_NONE}
READ_TIMEOUT_S = 0.02

F = TypeVar("F", bound=Callable[..., Any])


class _Subscribers(list[F]):
    def add(self, callback: F) -> Callable[[], None]:
        self.append(callback)
        return lambda: self.remove(callback) if callback in self else None

    def call(self, *args: Any) -> None:
        for callback in list(self):
            try:
                callback(*args)
            except Exception:  # a broken subscriber must not stop the pad
                log.exception("signature pad subscriber failed")


class SignaturePad:
    """One serial pad. Thread-safe; subscribers run on the pad's reader thread."""

    def __init__(self, port: str, settings: SignatureSection | None = None) -> None:
        self.port = port
        self.settings = settings or SignatureSection()
        self.geometry = PadGeometry(self.settings)
        self.decoder = PacketDecoder(
            (self.settings.area_x_min, self.settings.area_x_max),
            (self.settings.area_y_min, self.settings.area_y_max),
        )
        self.model = ""  # filled from info packets when the pad sends them
        self._points: list[SignaturePoint] = []
        self._lock = threading.RLock()
        self._serial: serial.Serial | None = None
        self._reader: threading.Thread | None = None
        self._closing = threading.Event()
        self._capturing = False
        self._document_sha256 = ""
        self._consent_id: str | None = None
        self._pen_down = False
        self._pen_near = False
        self._pressure: int | None = None
        self._t0: float | None = None
        self._last_t_ms = -1
        self._last_data = 0.0
        self.pen_left = threading.Event()  # set when the pen leaves the pad during a capture
        self._on_point: _Subscribers[Callable[[SignaturePoint], None]] = _Subscribers()
        self._on_pen_up: _Subscribers[Callable[[], None]] = _Subscribers()
        self._on_error: _Subscribers[Callable[[str, str], None]] = _Subscribers()

    # --- subscribers (each returns an unsubscribe function) -------------------------------------
    def on_point(self, callback: Callable[[SignaturePoint], None]) -> Callable[[], None]:
        return self._on_point.add(callback)

    def on_pen_up(self, callback: Callable[[], None]) -> Callable[[], None]:
        return self._on_pen_up.add(callback)

    def on_error(self, callback: Callable[[str, str], None]) -> Callable[[], None]:
        return self._on_error.add(callback)

    # --- state ----------------------------------------------------------------------------------
    @property
    def device(self) -> str:
        return f"serial-pad:{self.model}" if self.model else "serial-pad"

    @property
    def capturing(self) -> bool:
        return self._capturing

    @property
    def is_open(self) -> bool:
        return self._serial is not None

    @property
    def points(self) -> list[SignaturePoint]:
        with self._lock:
            return list(self._points)

    # --- port -----------------------------------------------------------------------------------
    def open(self) -> None:
        """Open the port and start the reader; raises SignatureError(PAD_NOT_FOUND)."""
        if self._serial is not None:
            return
        try:
            port = serial.Serial(
                self.port,
                baudrate=self.settings.baud,
                bytesize=serial.EIGHTBITS,
                parity=_PARITY[self.settings.parity],
                stopbits=serial.STOPBITS_ONE,
                timeout=READ_TIMEOUT_S,
            )
        except (serial.SerialException, OSError, ValueError) as exc:
            log.warning("signature pad %s cannot be opened: %s", self.port, exc)
            raise SignatureError(PAD_NOT_FOUND, MESSAGES_KO[PAD_NOT_FOUND]) from exc
        self.decoder.reset()
        self._closing.clear()
        self._serial = port
        self._last_data = time.monotonic()
        self._reader = threading.Thread(
            target=self._read_loop, args=(port,), name="signature-pad", daemon=True
        )
        self._reader.start()

    def stop(self) -> None:
        """End any capture and close the port."""
        with self._lock:
            self._capturing = False
            self._points.clear()
        self._closing.set()
        reader, self._reader = self._reader, None
        if reader is not None and reader is not threading.current_thread():
            reader.join(2.0)
        self._close_port()

    def _close_port(self) -> None:
        port, self._serial = self._serial, None
        if port is not None:
            try:
                port.close()
            except (serial.SerialException, OSError):
                pass

    # --- capture --------------------------------------------------------------------------------
    def start_capture(self, document_sha256: str, consent_id: str | None = None) -> None:
        """Begin (or restart) a signature for this document; earlier ink is discarded."""
        digest = check_sha256_hex(document_sha256)
        self.open()
        with self._lock:
            self._document_sha256, self._consent_id = digest, consent_id
            self._reset_ink()
            self._capturing = True

    def clear(self) -> None:
        """Discard the ink so far; the capture goes on (the person signs again)."""
        with self._lock:
            self._reset_ink()

    def _reset_ink(self) -> None:
        self._points.clear()
        self._t0 = None
        self._last_t_ms = -1
        self._pen_down = False
        self.pen_left.clear()

    def finish(self) -> SignatureRecord:
        """Seal the captured signature; SignatureRefused (ink cleared, capture goes on) if unusable."""
        with self._lock:
            if not self._capturing:
                raise SignatureError("NOT_CAPTURING", "서명을 시작하지 않았어요. (No capture in progress.)")
            points = list(self._points)
            if points and points[-1].pen_down:  # close the last stroke
                last = points[-1]
                points.append(SignaturePoint(last.x, last.y, None, last.t_ms, False))
            try:
                record = make_record(
                    points,
                    self.device,
                    self.geometry.resolution,
                    self._document_sha256,
                    self._consent_id,
                    self.settings,
                )
            except Exception:
                self._reset_ink()
                raise
            self._capturing = False
            self._points.clear()
            return record

    # --- reader thread --------------------------------------------------------------------------
    def _read_loop(self, port: serial.Serial) -> None:
        stall = self.settings.stall_timeout_ms / 1000
        while not self._closing.is_set():
            try:
                data = port.read(max(1, port.in_waiting))
            except (serial.SerialException, OSError, TypeError) as exc:
                # TypeError: pyserial on a port closed under it by stop()
                if not self._closing.is_set():
                    log.warning("signature pad %s failed: %s", self.port, exc)
                    self._fail(PAD_DISCONNECTED, close=True)
                    try:
                        port.close()  # release the dead descriptor; start_capture opens afresh
                    except (serial.SerialException, OSError):
                        pass
                return
            now = time.monotonic()
            if data:
                self._last_data = now
                self._handle(data, now)
            elif self._pen_near and now - self._last_data > stall:
                self._pen_near = False
                if self._capturing:
                    self._fail(PAD_SILENT, close=False)

    def _fail(self, code: str, close: bool) -> None:
        with self._lock:
            was_capturing = self._capturing
            self._capturing = False
            self._reset_ink()
            self._pen_near = False
        if close:
            self._serial = None  # the reader owns the dead port; start_capture reopens
        if was_capturing or close:
            self._on_error.call(code, MESSAGES_KO[code])

    def _handle(self, data: bytes, arrived: float) -> None:
        reports = self.decoder.feed(data)
        pen_reports = sum(isinstance(r, PenReport) for r in reports)
        period = 1.0 / self.settings.sample_rate_hz
        index = 0
        for report in reports:
            if isinstance(report, PressureReport):
                self._pressure = report.pressure
            elif isinstance(report, InfoReport):
                self.model = (self.model + report.text)[:28]  # device column is 40 chars
            else:
                # A chunk holding several reports arrived late; the earlier ones were sampled earlier.
                index += 1
                self._on_report(report, arrived - (pen_reports - index) * period)

    def _on_report(self, report: PenReport, at: float) -> None:
        emit_point: SignaturePoint | None = None
        lifted = False
        with self._lock:
            self._pen_near = report.proximity or report.pen_down
            pressure, self._pressure = self._pressure, None
            if not self._capturing:
                self._pen_down = report.pen_down
                return
            ax, ay = self.geometry.to_area(report.x, report.y)
            if report.pen_down:
                if self._t0 is None:
                    self._t0 = at
                t_ms = max(self._last_t_ms, round((at - self._t0) * 1000))
                self._last_t_ms = t_ms
                p = None if pressure is None else min(1.0, pressure / MAX_VALUE)
                emit_point = SignaturePoint(ax, ay, p, t_ms, True)
                self._points.append(emit_point)
            elif self._pen_down and self._points:
                last = self._points[-1]
                self._points.append(SignaturePoint(last.x, last.y, None, last.t_ms, False))
                lifted = True
            self._pen_down = report.pen_down
            if not self._pen_near:
                self.pen_left.set()
        if emit_point is not None:
            self._on_point.call(emit_point)
        if lifted:
            self._on_pen_up.call()

    def __enter__(self) -> SignaturePad:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
