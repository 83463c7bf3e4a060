"""The hub fixtures of tests/kiosk/hub, for the counter tests that run against a real hub."""

from tests.kiosk.hub.conftest import center_tls, hub, hub_sqlite  # noqa: F401
