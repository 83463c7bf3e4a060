"""The desk shows a printer gone silent (issue 20 item 7): the hub's alert job's ``device.alert`` reaches
the desk over its event stream and a red banner names the kiosk and what is wrong until it is fixed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time, timedelta

import pytest
from sqlalchemy import update

from config import clock, load_settings
from db.models import DeviceHealth
from kiosk.client import HubClient
from kiosk.hub.app import create_app
from kiosk.hub.fleet import FleetJob, OpeningHours
from kiosk.hub.server import serve_in_thread
from tests.kiosk.hub.conftest import CenterTls, Hub
from ui.adapters.hub_adapter import HubAdapter
from ui.desk.fleet_banner import alert_text
from ui.desk.window import DeskWindow

LABEL = "1번 키오스크"


@pytest.fixture
def desk(  # type: ignore[no-untyped-def]
    qtbot, hub_sqlite: Hub, center_tls: CenterTls
) -> Iterator[tuple[Hub, DeskWindow, HubClient, FleetJob]]:
    app = create_app(load_settings(), hub_sqlite.sessions, hub_sqlite.keys)
    server = serve_in_thread(app, tls=center_tls.files)
    client = HubClient(server.url, ca_pem=center_tls.ca_pem)
    client.login("kim", "correct-horse-42", hub_sqlite.enroll("desk")[1])
    lobby = HubClient(server.url, hub_sqlite.enroll("lobby", label=LABEL)[1], ca_pem=center_tls.ca_pem)
    job = FleetJob.for_hub(app.state.hub)  # run by hand below, as the hub's minute thread would
    # Open around the clock, so the test means the same at any hour (the calendar has its own tests).
    job.hours = OpeningHours(time.min, time.max, frozenset(range(7)))
    window = DeskWindow(HubAdapter(client), "3", "김상담")
    qtbot.addWidget(window)
    window.show()
    yield hub_sqlite, window, lobby, job
    window.close()
    server.stop()


def test_the_desk_shows_a_printer_out_of_paper_until_it_is_fixed(qtbot, desk) -> None:  # type: ignore[no-untyped-def]
    hub, window, lobby, job = desk
    with qtbot.waitSignal(window.adapter.connectionChanged, timeout=30_000):  # TLS + a retry on a busy CI
        window.start()  # the desk's event stream: how it hears the alert
    lobby.report_health("printer", "error", "paper_out", "용지가 없어요")
    assert job.run_once() == []  # just ran out: nobody is bothered yet
    assert not window.fleet_banner.isVisible()
    with hub.sessions() as s:  # ten minutes pass
        s.execute(update(DeviceHealth).values(printer_since=clock.now() - timedelta(minutes=10)))
        s.commit()
    assert len(job.run_once()) == 1
    qtbot.waitUntil(window.fleet_banner.isVisible, timeout=10_000)
    assert window.fleet_banner.text() == f"🖨 {LABEL} 프린터 용지가 10분째 없어요"
    lobby.report_health("printer", "ok", "ready")  # paper loaded
    qtbot.waitUntil(lambda: not window.fleet_banner.isVisible(), timeout=10_000)
    assert window.fleet_banner.alerts == []


def test_alert_text_reads_whatever_the_event_holds() -> None:
    assert alert_text({"label": LABEL, "printer": "cover_open", "minutes": 12}) == (
        f"🖨 {LABEL} 프린터 덮개가 12분째 열려 있어요"
    )
    assert alert_text({"device_id": "0123456789abcdef", "printer": "offline", "minutes": "x"}) == (
        "🖨 기기 01234567 프린터가 0분째 응답하지 않아요"
    )
    assert alert_text({}) == "🖨 기기  프린터에 문제가 0분째 있어요"
