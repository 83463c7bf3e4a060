"""The PC/SC daemon: is it answering, and start/stop a private ``pcscd -f`` when we need one.

Used by the CLI (``kiosk devices id --emulated-passport``) and the tests. A pcscd that someone else
started is reused and never stopped by us.
"""

from __future__ import annotations

import shutil
import subprocess
import time

from devices.id.model import IdError


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
        if not pcscd_answers():
            binary = shutil.which("pcscd") or "/usr/sbin/pcscd"
            args = [binary, "-f"] + (["-d"] if self.debug else [])
            self.process = subprocess.Popen(
                args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise IdError("pcscd_not_running", f"pcscd exited with {self.process.returncode}")
            if pcscd_answers():
                try:
                    names = reader_names()
                except IdError:
                    names = []
                if not wait_for_reader or any(wait_for_reader in n for n in names):
                    return
            time.sleep(0.05)  # polling a daemon we just launched; nothing to wait on instead
        raise IdError("no_reader", f"no reader named {wait_for_reader!r} within {timeout}s")

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
