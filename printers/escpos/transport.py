"""A receipt printer on a serial port: python-escpos's ``Serial`` for the link, our bytes for Hangul.

Status queries (``DLE EOT n``) travel behind whatever was sent before them, so the wait for a reply is
the status timeout plus the wire time of the bytes still ahead of the query (8N1: baud/10 bytes/s).
"""

from __future__ import annotations

import logging
import termios
import threading
import time
from collections.abc import Mapping
from typing import Any

import serial
from escpos.exceptions import DeviceNotFoundError
from escpos.printer import Serial

from printers.escpos.models import PrinterModel, load_model
from printers.escpos.receipt import RenderedReceipt, render_receipt
from printers.escpos.status import DLE_EOT, PrinterHealth, health_from_replies

log = logging.getLogger(__name__)
# An unplugged adapter or a closed pty shows up as any of these.
LINK_ERRORS = (OSError, serial.SerialException, termios.error)


class PrinterLinkError(OSError):
    """The port cannot be opened or written (unplugged cable, wrong device)."""

    code = "PRN-LINK"
    message_ko = "프린터에 연결할 수 없어요. 케이블과 전원을 확인해 주세요."


class ReceiptPrinter:
    """One printer model on one serial port; thread-safe (the spool and the health poller share it)."""

    def __init__(
        self,
        port: str,
        model: PrinterModel,
        *,
        baud: int | None = None,
        status_timeout_s: float = 0.5,
        substitute: str = "〓",
    ) -> None:
        self.port = port
        self.model = model
        self.baud = baud or model.baud
        self.status_timeout_s = status_timeout_s
        self.substitute = substitute
        self.rate = self.baud / 10  # 8N1: start + 8 data + stop bits per byte
        self._link = Serial(devfile=port, baudrate=self.baud, timeout=status_timeout_s, dsrdtr=False)
        self._lock = threading.Lock()
        self._wire_free_at = 0.0
        self._link_broken = False

    @classmethod
    def open(
        cls, port: str, model: str | PrinterModel = "bixolon-srp-350iii", **options: Any
    ) -> ReceiptPrinter:
        printer = cls(port, load_model(model) if isinstance(model, str) else model, **options)
        try:
            printer._link.open()
        except DeviceNotFoundError as exc:
            raise PrinterLinkError(f"cannot open printer port {port}: {exc}") from None
        return printer

    @property
    def _device(self) -> serial.Serial:
        device = self._link.device
        if not device:
            raise PrinterLinkError(f"printer port {self.port} is not open")
        return device  # type: ignore[return-value]

    def close(self) -> None:
        with self._lock:
            self._close_link_locked()

    def _close_link_locked(self) -> None:
        try:
            self._link.close()  # flushes what is still queued, then closes
        except LINK_ERRORS:
            # The port is gone: close the handle without draining it, or the fd leaks.
            device = self._link._device
            if device:
                try:
                    device.close()
                except LINK_ERRORS:
                    pass
            self._link._device = False

    def __enter__(self) -> ReceiptPrinter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def render(self, template: str, fields: Mapping[str, Any]) -> RenderedReceipt:
        return render_receipt(template, fields, self.model, substitute=self.substitute)

    def _relink_locked(self) -> bool:
        """After an I/O error, open the port again (a re-plugged USB adapter comes back on its path)."""
        if not self._link_broken:
            return True
        self._close_link_locked()
        try:
            self._link.open()
        except DeviceNotFoundError:
            return False
        log.info("printer port %s reopened", self.port)
        self._link_broken = False
        return True

    def send(self, payload: bytes) -> None:
        """Write the bytes; returns once they are handed to the port (the wire may still be busy)."""
        with self._lock:
            if not self._relink_locked():
                raise PrinterLinkError(f"printer port {self.port} is not available")
            try:
                self._link._raw(payload)
                self._device.flush()
            except LINK_ERRORS as exc:
                self._link_broken = True
                raise PrinterLinkError(f"writing to {self.port} failed: {exc}") from None
            start = max(time.monotonic(), self._wire_free_at)
            self._wire_free_at = start + len(payload) / self.rate

    def print_receipt(self, template: str, fields: Mapping[str, Any]) -> RenderedReceipt:
        rendered = self.render(template, fields)
        self.send(rendered.payload)
        return rendered

    def wire_time_left(self) -> float:
        return max(0.0, self._wire_free_at - time.monotonic())

    def query_status(self, n: int, timeout: float | None = None) -> int | None:
        """One ``DLE EOT n`` round trip: the reply byte, or None for no answer."""
        with self._lock:
            return self._query_locked(n, timeout)

    def _query_locked(self, n: int, timeout: float | None) -> int | None:
        wait = (self.status_timeout_s if timeout is None else timeout) + self.wire_time_left()
        if not self._relink_locked():
            return None
        try:
            device = self._device
            device.reset_input_buffer()  # leftovers (garbage, late replies) must not pass as this answer
            device.write(DLE_EOT + bytes([n]))
            device.flush()
            device.timeout = wait
            reply = device.read(1)
        except LINK_ERRORS as exc:  # PrinterLinkError is an OSError
            log.debug("status query %d on %s failed: %s", n, self.port, exc)
            self._link_broken = True
            return None
        return reply[0] if reply else None

    def read_health(self) -> PrinterHealth:
        """Poll every status the model supports; stops at the first silence (then it is unknown)."""
        replies: dict[int, int | None] = {}
        with self._lock:
            for n in self.model.status_queries:
                replies[n] = self._query_locked(n, None)
                if replies[n] is None:
                    break
        return health_from_replies(replies)
