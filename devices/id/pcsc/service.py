"""The PC/SC daemon: is it answering, and start/stop a private ``pcscd -f`` when we need one.

Used by the CLI (``kiosk devices id --emulated-passport``) and the tests. A pcscd that someone else
started is reused and never stopped by us.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import time

from devices.id.model import IdError

log = logging.getLogger(__name__)


def pcscd_answers() -> bool:
    """True when a pcscd is running and accepts a PC/SC context."""
    try:
        from smartcard.scard import (
            SCARD_S_SUCCESS,
            SCARD_SCOPE_USER,
            SCardEstablishContext,
            SCardReleaseContext,
        )
    except ImportError:  # pragma: no cover - pyscard is a hard dependency
        return False
    hresult, context = SCardEstablishContext(SCARD_SCOPE_USER)
    if hresult != SCARD_S_SUCCESS:
        return False
    SCardReleaseContext(context)
    return True


def reader_names() -> list[str]:
    """Names of the connected readers; IdError('pcscd_not_running') when the daemon is absent."""
    from smartcard.pcsc.PCSCExceptions import EstablishContextException, ListReadersException
    from smartcard.System import readers

    try:
        return [str(r) for r in readers()]
    except EstablishContextException:
        raise IdError("pcscd_not_running") from None
    except ListReadersException:
        return []
    except Exception as exc:  # pyscard wraps other daemon failures in its own exception types
        if "0x8010001D" in str(exc) or "service" in str(exc).lower():
            raise IdError("pcscd_not_running") from None
        raise


class PcscdProcess:
    """A pcscd we started (foreground, so we own its lifetime). ``None`` process means reused."""

    def __init__(self, debug: bool = False) -> None:
        self.debug = debug
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def started(self) -> bool:
        """True when this object launched the daemon (and will stop it)."""
        return self.process is not None

    def ensure_running(self, wait_for_reader: str = "Virtual PCD", timeout: float = 10.0) -> None:
        """Have a pcscd that lists ``wait_for_reader``. One we started that answers without the reader
        is started again, once, half-way through ``timeout``: its driver loads the readers only at
        start, so a vpcd that could not listen then (its TCP port busy for a moment) never appears."""
        if not pcscd_answers():
            self._launch()
        deadline = time.monotonic() + timeout
        restart_at = time.monotonic() + timeout / 2
        while time.monotonic() < deadline:
            if wait_for_reader and self.process is not None and restart_at and time.monotonic() >= restart_at:
                restart_at = 0.0
                if pcscd_answers() and not self._lists(wait_for_reader):
                    log.warning("pcscd answers without %r: starting it again", wait_for_reader)
                    self.stop()
                    self._launch()
            if self.process is not None and self.process.poll() is not None:
                raise IdError("pcscd_not_running", f"pcscd exited with {self.process.returncode}")
            if pcscd_answers() and (not wait_for_reader or self._lists(wait_for_reader)):
                return
            time.sleep(0.05)  # polling a daemon we just launched; nothing to wait on instead
        raise IdError("no_reader", f"no reader named {wait_for_reader!r} within {timeout}s")

    def _launch(self) -> None:
        binary = shutil.which("pcscd") or "/usr/sbin/pcscd"
        args = [binary, "-f"] + (["-d"] if self.debug else [])
        self.process = subprocess.Popen(
            args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )

    @staticmethod
    def _lists(reader: str) -> bool:
        try:
            return any(reader in name for name in reader_names())
        except IdError:
            return False

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.process = None

    def __enter__(self) -> PcscdProcess:
        self.ensure_running()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
