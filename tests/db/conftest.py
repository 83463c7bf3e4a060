"""Fixtures of the data-layer tests: a key ring in a temp key file and sessions on the `engine` fixture."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from db.crypto import KeyRing, load_keyring
from db.session import make_sessionmaker


@pytest.fixture
def keys(tmp_path: Path) -> KeyRing:
    return load_keyring(tmp_path / "keys.json", environ={})


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_sessionmaker(engine)
