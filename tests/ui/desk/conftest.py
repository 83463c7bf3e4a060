"""The hub fixtures of tests/kiosk/hub, shared with the desk and counter UI tests, and a desk signed in
to a hub that sends SMS through the emulated SMSC."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from config import load_settings
from kiosk.client import HubClient
from kiosk.hub.app import create_app
from kiosk.hub.server import serve_in_thread
from tests.kiosk.hub.conftest import CenterTls, Hub, center_tls, hub, hub_sqlite, make_hub  # noqa: F401
from ui.adapters.hub_adapter import HubAdapter
from ui.desk.window import DeskWindow


@contextmanager
def signed_in_desk(qtbot, app: FastAPI, hub: Hub, center_tls: CenterTls) -> Iterator[DeskWindow]:  # type: ignore[no-untyped-def]  # noqa: F811 - the fixture above, by name
    """A desk window (desk "3", counselor kim) on this hub app served over TLS, shown; all stopped after."""
    server = serve_in_thread(app, tls=center_tls.files)
    try:
        client = HubClient(server.url, ca_pem=center_tls.ca_pem)
        client.login("kim", "correct-horse-42", hub.enroll("desk")[1])
        window = DeskWindow(HubAdapter(client), "3", "김상담")
        qtbot.addWidget(window)
        window.show()
        try:
            yield window
        finally:
            window.close()
    finally:
        server.stop()


@pytest.fixture
def sms_desk(qtbot, sqlite_engine: Engine, center_tls: CenterTls) -> Iterator[tuple[Hub, DeskWindow]]:  # type: ignore[no-untyped-def]  # noqa: F811 - the fixture above, by name
    """The desk on a hub whose SMS go to the SMPP emulator (``Hub.sms``)."""
    for sms_hub in make_hub(sqlite_engine, "smpp"):
        assert sms_hub.sms is not None
        app = create_app(load_settings(), sms_hub.sessions, sms_hub.keys, sms=sms_hub.sms.service)
        with signed_in_desk(qtbot, app, sms_hub, center_tls) as window:
            yield sms_hub, window


@pytest.fixture
def plain_desk(qtbot, hub_sqlite: Hub, center_tls: CenterTls) -> Iterator[tuple[Hub, DeskWindow]]:  # type: ignore[no-untyped-def]  # noqa: F811 - the fixtures above, by name
    """The desk on a hub with no SMS service at all."""
    app = create_app(load_settings(), hub_sqlite.sessions, hub_sqlite.keys)
    with signed_in_desk(qtbot, app, hub_sqlite, center_tls) as window:
        yield hub_sqlite, window
