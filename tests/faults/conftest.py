"""Fault-suite fixtures: a data folder per hub life, on SQLite and on PostgreSQL (tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def hub_data_dir(tmp_path: Path) -> Path:
    """Where the killed hub keeps its key file and logs; the same folder across its restarts."""
    folder = tmp_path / "hub-data"
    folder.mkdir(mode=0o700)
    return folder
