"""An ESC/POS receipt printer on a pseudo-terminal: the demo's printer and the tests' far end.

The driver opens ``port_name`` like a real serial port. The emulator reads at line rate (8N1:
baud/10 bytes/s), parses every command, draws the paper (``jobs``: one PNG-able image per cut), answers
``DLE EOT`` from its state, and can run out of paper, open its cover, go silent or answer garbage.
Print commands that arrive while it cannot print are held and printed after ``recover()``, as a real
printer keeps its buffer. Unknown commands are listed in ``unknown_commands`` and logged, not dropped.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from devices.serial_pty import PtyEndpoint
from printers.escpos.models import PrinterModel, load_model
from printers.escpos.paper import Paper, PrintedJob
from printers.escpos.parser import Command, EscPosParser

log = logging.getLogger(__name__)

GARBAGE = b"\xff\x00\xa5"  # breaks the fixed-bit pattern of a status byte
CATCH_UP_S = 0.002  # further behind schedule than this means the wire went quiet in between


class EmulatedPrinter:
    """A printer model on a pty. ``start()`` runs it on its own thread; ``stop()`` unplugs it."""

    def __init__(self, model: str | PrinterModel = "bixolon-srp-350iii", baud: int | None = None) -> None:
        self.model = load_model(model) if isinstance(model, str) else model
        self.baud = baud or self.model.baud
        self.rate = self.baud / 10
        self._endpoint = PtyEndpoint(self.baud, pace=True)
        self.port_name = self._endpoint.port_name
        self._parser = EscPosParser()
        self._paper = Paper(self.model.paper_width_dots)
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._held: list[Command] = []
        self._job_bytes = bytearray()
        self._received = bytearray()
        self.jobs: list[PrintedJob] = []
        self.unknown_commands: list[Command] = []
        self.status_queries = 0
        self.on_job: Callable[[PrintedJob], None] | None = None
        self._paper_out = False
        self._near_end = False
        self._cover_open = False
        self._silent = False
        self._garbage = False
        self._thread: threading.Thread | None = None
        self._running = False

    # -- life cycle -------------------------------------------------------------------------------
    def start(self) -> EmulatedPrinter:
        self._running = True
        self._thread = threading.Thread(
            target=self._run, name=f"printer-emulator-{self.port_name}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._running = False
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None
        self._endpoint.close()

    def __enter__(self) -> EmulatedPrinter:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- faults a test or the demo can cause ---------------------------------------------------------
    def paper_out(self) -> None:
        with self._lock:
            self._paper_out = True

    def paper_near_end(self) -> None:
        with self._lock:
            self._near_end = True

    def open_cover(self) -> None:
        with self._lock:
            self._cover_open = True

    def go_silent(self) -> None:
        with self._lock:
            self._silent = True

    def answer_garbage(self) -> None:
        with self._lock:
            self._garbage = True

    def recover(self) -> None:
        """Paper loaded, cover closed, talking normally again; held print data is printed now."""
        with self._lock:
            self._paper_out = self._near_end = self._cover_open = self._silent = self._garbage = False
            held, self._held = self._held, []
            for command in held:
                self._print(command)
            self._changed.notify_all()

    # -- what tests read back ------------------------------------------------------------------------
    @property
    def received_bytes(self) -> bytes:
        with self._lock:
            return bytes(self._received)

    @property
    def can_print(self) -> bool:
        return not (self._paper_out or self._cover_open)

    def status_byte(self, n: int) -> int:
        """The ``DLE EOT n`` answer for the current state."""
        value = 0b0001_0010
        if n == 1 and not self.can_print:
            value |= 1 << 3
        elif n == 2:
            value |= (self._cover_open << 2) | (self._paper_out << 5)
        elif n == 4:
            value |= (0b1100 if self._near_end or self._paper_out else 0) | (
                0b110_0000 if self._paper_out else 0
            )
        return value

    def wait_for(self, predicate: Callable[[EmulatedPrinter], bool], timeout: float = 5.0) -> bool:
        """Block until ``predicate(self)`` holds (checked on every change) or the timeout passes."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(self):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
            return True

    def wait_for_jobs(self, count: int, timeout: float = 5.0) -> bool:
        return self.wait_for(lambda printer: len(printer.jobs) >= count, timeout)

    def wait_for_bytes(self, count: int, timeout: float = 5.0) -> bool:
        return self.wait_for(lambda printer: len(printer._received) >= count, timeout)

    def tear_off(self) -> PrintedJob | None:
        """Finish the uncut paper as a job (a model without cutter), or None if nothing was printed."""
        with self._lock:
            if self._paper.empty:
                return None
            return self._finish_job()

    def save_job_png(self, index: int, path: str | Path) -> Path:
        target = Path(path)
        self.jobs[index].image.save(target)
        return target

    # -- the printer's loop --------------------------------------------------------------------------
    def _run(self) -> None:
        wire_free_at = 0.0
        chunk = max(1, int(self.rate / 200))  # about 5 ms of line time per read
        while self._running:
            # Data already waiting means the wire was busy all along; having to wait means it was idle.
            data = self._endpoint.read(timeout=0, max_bytes=chunk)
            idle = not data
            if idle:
                data = self._endpoint.read(timeout=0.02, max_bytes=chunk)
                if not data:
                    continue
            # Bytes come off the wire one after another at line rate; within a burst the schedule is
            # absolute, so a late wake-up is not added to every later byte.
            now = time.monotonic()
            if idle or now - wire_free_at > CATCH_UP_S:
                wire_free_at = max(wire_free_at, now)
            wire_free_at += len(data) / self.rate
            delay = wire_free_at - time.monotonic()
            if delay > 0:
                time.sleep(delay)  # emulating the wire's speed, not waiting for a result
            try:
                self._consume(data)
            except Exception:  # the emulator must keep answering whatever it was sent
                log.exception("emulated printer could not process %s", data[:32].hex(" "))

    def _consume(self, data: bytes) -> None:
        with self._lock:
            self._received.extend(data)
            for command in self._parser.feed(data):
                if command.name == "DLE EOT" and 1 <= command.params[0] <= 4:
                    self._answer_status(command.params[0])
                    continue
                self._job_bytes.extend(command.raw)
                if command.name in ("unknown", "DLE EOT"):  # DLE EOT 0 or 5..255 is not a command
                    self.unknown_commands.append(command)
                    log.warning("emulated printer: unknown command %s", command.raw.hex(" "))
                    continue
                if self.can_print:
                    self._print(command)
                else:
                    self._held.append(command)
            self._changed.notify_all()

    def _print(self, command: Command) -> None:
        if self._paper.apply(command) and self.model.cutter:
            self._finish_job()

    def _finish_job(self) -> PrintedJob:
        job = self._paper.tear_off(len(self.jobs), bytes(self._job_bytes))
        self._job_bytes.clear()
        self.jobs.append(job)
        self._changed.notify_all()
        if self.on_job is not None:
            try:
                self.on_job(job)
            except Exception:
                log.exception("emulated printer: on_job subscriber failed")
        return job

    def _answer_status(self, n: int) -> None:
        self.status_queries += 1
        if self._silent:
            return
        reply = GARBAGE if self._garbage else bytes([self.status_byte(n)])
        try:
            self._endpoint.write(reply)
        except OSError:
            log.debug("status reply lost: the port is closed")
