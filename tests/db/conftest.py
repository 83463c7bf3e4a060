"""Fixtures of the data-layer tests: a key ring in a temp key file and sessions on the `engine` fixture."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from db.crypto import KeyRing, load_keyring
from db.session import make_sessionmaker
from kiosk.cli import main

# A `kiosk …` command run in this process: (args) → exit code, stdout and stderr.
Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def keys(tmp_path: Path) -> KeyRing:
    return load_keyring(tmp_path / "keys.json", environ={})


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_sessionmaker(engine)


@pytest.fixture
def kiosk(capsys: pytest.CaptureFixture[str]) -> Run:
    """The CLI entry point in this process, as tests/kiosk/test_cli_foundation.py runs it."""

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(list(args), code, out, err)

    return run
