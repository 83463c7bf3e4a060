"""The hub fixtures of tests/kiosk/hub, shared with the demo tests."""

from tests.kiosk.hub.conftest import center_tls, hub, hub_sqlite  # noqa: F401
