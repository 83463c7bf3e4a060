"""Identity fixtures: a real pcscd (with the vpcd reader driver) and synthetic cards."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from devices.id.emulators.identities import SyntheticIdentity, generate_identity
from devices.id.pcsc.service import PcscdProcess, pcscd_answers


@pytest.fixture(scope="session")
def pcscd() -> Iterator[PcscdProcess]:
    """Start ``pcscd -f`` unless one already answers (then reuse it and leave it running).

    Tests using it are marked ``xdist_group("pcscd")``: one daemon and one vpcd port per machine,
    so they must never run in two workers at once."""
    daemon = PcscdProcess()
    try:
        daemon.ensure_running(wait_for_reader="Virtual PCD", timeout=15)
    except Exception as exc:
        daemon.stop()
        pytest.fail(f"cannot start pcscd with the vpcd reader: {exc}")
    yield daemon
    daemon.stop()


@pytest.fixture
def identity() -> SyntheticIdentity:
    return generate_identity(random.Random(4242))


def synthetic(seed: int) -> SyntheticIdentity:
    return generate_identity(random.Random(seed))


__all__ = ["pcscd_answers", "synthetic"]
