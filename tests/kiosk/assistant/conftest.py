"""One assistant per test process: loading Kiwi and the index takes 1–3 s."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from config import resource_path
from kiosk.assistant import Assistant


@pytest.fixture(scope="session")
def assistant() -> Assistant:
    return Assistant.load()


@pytest.fixture
def faq_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped FAQ files, for tests that break or change them."""
    target = tmp_path / "faq"
    shutil.copytree(resource_path("faq"), target)
    return target


@pytest.fixture
def products_copy(tmp_path: Path) -> Path:
    target = tmp_path / "products"
    shutil.copytree(resource_path("products"), target)
    return target
