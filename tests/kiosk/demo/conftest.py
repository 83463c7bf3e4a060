"""The hub fixtures of tests/hub, shared with the demo tests."""

from tests.hub.conftest import center_tls, hub, hub_sqlite  # noqa: F401
