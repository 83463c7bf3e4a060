"""The hub fixtures of tests/hub, shared with the center tests."""

from tests.hub.conftest import hub, hub_sqlite  # noqa: F401
