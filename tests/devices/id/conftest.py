"""Identity fixtures: a real pcscd (with the vpcd reader driver) and synthetic cards."""

from __future__ import annotations

import fcntl
import random
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from devices.id.emulators.identities import SyntheticIdentity, generate_identity
from devices.id.model import IdError
from devices.id.pcsc.service import PcscdProcess, pcscd_answers
from tests.polling import wait_until

LOCK_FILE = Path(tempfile.gettempdir()) / "paperless-kiosk-pcscd.lock"


@contextmanager
def machine_lock(timeout: float = 240) -> Iterator[None]:
    """One pcscd and one vpcd port per machine: a file lock keeps two test sessions (say, a
    developer's run and a clean-clone CI run) from putting two virtual cards on one reader."""
    with LOCK_FILE.open("a") as handle:

        def locked() -> bool:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

        # another process's lock gives no event to wait on: poll it
        wait_until(locked, timeout, interval_s=0.1, message=f"{LOCK_FILE} held by another test session")
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def pcscd_daemon() -> Iterator[PcscdProcess]:
    """Start ``pcscd -f`` unless one already answers (then reuse it and leave it running).

    Tests using it are marked ``xdist_group("pcscd")`` (one worker in this session) and take the
    machine lock per test (other sessions)."""
    daemon = PcscdProcess()
    yield daemon
    with machine_lock():
        daemon.stop()


@pytest.fixture
def pcscd(pcscd_daemon: PcscdProcess) -> Iterator[PcscdProcess]:
    from devices.id.pcsc.reader import wait_for_card

    with machine_lock():
        try:
            pcscd_daemon.ensure_running(wait_for_reader="Virtual PCD", timeout=15)
        except IdError as exc:
            if pcscd_daemon.started:
                pytest.fail(f"cannot start pcscd with the vpcd reader: {exc}")
            # A pcscd left by another run answers without the reader and won't get it back; under the
            # machine lock no other session is mid-test, so this test machine's daemon may be replaced.
            subprocess.run(["pkill", "-x", "pcscd"], check=False)
            wait_until(lambda: not pcscd_answers(), 10, message="the stale pcscd to exit")
            try:
                pcscd_daemon.ensure_running(wait_for_reader="Virtual PCD", timeout=15)
            except IdError as again:
                pytest.fail(f"cannot start pcscd with the vpcd reader: {again}")
        yield pcscd_daemon
        # pcscd notices a removed virtual card on its next poll: leave the reader empty for the next test
        if pcscd_answers():
            assert wait_for_card("Virtual PCD 00 00", timeout=20, present=False)


@pytest.fixture
def identity() -> SyntheticIdentity:
    return generate_identity(random.Random(4242))
