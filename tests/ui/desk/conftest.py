"""The hub fixtures of tests/hub, shared with the desk and counter UI tests."""

from tests.hub.conftest import center_tls, hub, hub_sqlite  # noqa: F401
