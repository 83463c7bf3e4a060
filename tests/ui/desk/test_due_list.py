"""The desk's due list against a real hub and the emulated SMSC: the reminder's SMS status, and a "2"
from the person's phone shows as a highlighted "전화 요청" without the counselor doing anything."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from config import clock, load_settings
from db.models import AftercareReminder
from kiosk.aftercare.reminders import ReminderJob
from kiosk.client import HubClient
from kiosk.hub.app import create_app
from kiosk.hub.server import serve_in_thread
from tests.kiosk.aftercare.conftest import PHONE, add_followup
from tests.kiosk.hub.conftest import CenterTls, Hub, make_hub
from ui.adapters.hub_adapter import HubAdapter
from ui.desk.case_tabs import CALL_BACK_BACKGROUND, DUE_HEADERS
from ui.desk.window import DeskWindow


@pytest.fixture
def desk(
    qtbot, sqlite_engine: Engine, center_tls: CenterTls
) -> Iterator[tuple[Hub, DeskWindow, ReminderJob]]:  # type: ignore[no-untyped-def]
    for hub in make_hub(sqlite_engine, "smpp"):
        assert hub.sms is not None
        app = create_app(load_settings(), hub.sessions, hub.keys, sms=hub.sms.service)
        server = serve_in_thread(app, tls=center_tls.files)
        job = ReminderJob.for_hub(app.state.hub).listen()  # replies go to the served hub's desks
        client = HubClient(server.url, ca_pem=center_tls.ca_pem)
        client.login("kim", "correct-horse-42", hub.enroll("desk")[1])
        window = DeskWindow(HubAdapter(client), "3", "김상담")
        qtbot.addWidget(window)
        yield hub, window, job
        window.close()
        server.stop()


def _cells(window: DeskWindow) -> list[list[str]]:
    table = window.tabs.due
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]  # type: ignore[union-attr]
        for r in range(table.rowCount())
    ]


def test_a_reply_2_shows_call_back_highlighted_on_the_due_list(qtbot, desk) -> None:  # type: ignore[no-untyped-def]
    hub, window, job = desk
    tomorrow = clock.today() + timedelta(days=1)
    add_followup(hub.sessions, hub.keys, tomorrow)
    job.run_once()
    with hub.sessions() as s:
        message_id = str(s.scalars(select(AftercareReminder.message_id)).one())
    hub.sms.service.wait_final([message_id], 10)
    window.show()
    window.start()
    assert [window.tabs.due.horizontalHeaderItem(c).text() for c in range(5)] == DUE_HEADERS  # type: ignore[union-attr]
    qtbot.waitUntil(
        lambda: _cells(window) == [[tomorrow.isoformat(), "상환 확인", "예정", "전달됨", ""]], timeout=10_000
    )
    hub.sms.reply_from(PHONE, "2")
    qtbot.waitUntil(lambda: _cells(window) and _cells(window)[0][4] == "전화 요청", timeout=10_000)
    item = window.tabs.due.item(0, 4)
    assert item is not None and item.background().color() == CALL_BACK_BACKGROUND
    assert item.font().bold()
    assert "전화 요청 1건" in window.tabs.due_label.text()
