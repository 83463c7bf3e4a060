"""The hub fixtures (SQLite and PostgreSQL) for the pinned-clock tests."""

from tests.kiosk.hub.conftest import hub, hub_sqlite  # noqa: F401 - fixtures
