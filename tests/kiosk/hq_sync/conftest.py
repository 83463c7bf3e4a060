"""Fixtures shared by the center-side HQ sync tests."""

from tests.db.conftest import kiosk  # noqa: F401 - the `kiosk …` runner, one for every CLI test
