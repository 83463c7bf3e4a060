"""The hub fixtures of tests/kiosk/hub, shared with the desk and counter UI tests."""

from tests.kiosk.hub.conftest import center_tls, hub, hub_sqlite  # noqa: F401
