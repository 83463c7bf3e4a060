"""A pseudo-terminal that behaves like the far end of a serial cable, for device emulators.

The driver under test opens ``port_name`` with pyserial exactly as it would open ``/dev/ttyUSB0``; the
emulator reads and writes the master side. Writes are paced to the configured line rate so timing in
tests and benches matches a real cable (8N1: baud/10 bytes per second; 8O1 has one more bit).
"""

from __future__ import annotations

import os
import pty
import select
import termios
import time
import tty


def bytes_per_second(baud: int, parity: bool = False, stop_bits: int = 1) -> float:
    """Characters per second on an asynchronous serial line: start + 8 data + parity + stop bits."""
    bits = 1 + 8 + (1 if parity else 0) + stop_bits
    return baud / bits


class PtyEndpoint:
    """The emulator's side of a pty pair. Closing it looks like an unplugged cable to the driver."""

    def __init__(self, baud: int = 19200, parity: bool = False, pace: bool = True) -> None:
        self.master, self._slave = pty.openpty()
        tty.setraw(self._slave)
        attrs = termios.tcgetattr(self._slave)
        attrs[3] &= ~termios.ECHO  # lflag: never echo what the driver sends back to it
        termios.tcsetattr(self._slave, termios.TCSANOW, attrs)
        self.port_name = os.ttyname(self._slave)
        self.rate = bytes_per_second(baud, parity)
        self.pace = pace
        self.closed = False

    def write(self, data: bytes) -> None:
        """Send bytes to the driver at line rate (chunked so pacing stays smooth)."""
        if not self.pace:
            os.write(self.master, data)
            return
        start = time.monotonic()
        sent = 0
        chunk = max(1, int(self.rate / 200))  # ~5 ms of line time per write
        while sent < len(data):
            piece = data[sent : sent + chunk]
            os.write(self.master, piece)
            sent += len(piece)
            due = start + sent / self.rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)  # emulating the wire's speed, not waiting for a result

    def read(self, timeout: float = 0.05, max_bytes: int = 4096) -> bytes:
        """What the driver sent, or b"" after ``timeout`` seconds of silence."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return b""
        try:
            return os.read(self.master, max_bytes)
        except OSError:
            return b""

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        for fd in (self.master, self._slave):
            try:
                os.close(fd)
            except OSError:
                pass

    def __enter__(self) -> PtyEndpoint:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
