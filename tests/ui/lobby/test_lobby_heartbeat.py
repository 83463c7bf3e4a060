"""The lobby tells the hub's fleet view how its printer is (issue 20 item 7): each change at once, and
the last state again every few minutes as a heartbeat, so a kiosk that falls silent shows as such."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from config import load_settings
from db.models import Device, DeviceHealth, DeviceKind
from printers.escpos.status import HealthState, PrinterHealth
from tests.polling import wait_until
from ui.lobby.hub_link import HubLink


class Client:
    """Records what the link sends; the second report fails as an unreachable hub would."""

    def __init__(self, fail_on: int = -1) -> None:
        self.sent: list[tuple[str, str, str]] = []
        self.fail_on = fail_on
        self.lock = threading.Lock()

    def report_health(self, component: str, status: str, code: str = "", message_ko: str = "") -> None:
        with self.lock:
            self.sent.append((component, status, code))
            if len(self.sent) == self.fail_on:
                raise ConnectionError("hub down")

    def close(self) -> None:
        pass


def _link(client: Client, heartbeat_s: float) -> HubLink:
    link = HubLink(client, outbox=None, heartbeat_s=heartbeat_s)  # type: ignore[arg-type]
    link._reporter.start()  # the reporter thread only: no outbox in this test
    return link


def _stop(link: HubLink) -> None:
    link._reports.put(None)
    link._reporter.join(5)


def test_a_printer_change_is_reported_at_once_then_repeated_as_heartbeat() -> None:
    client = Client()
    link = _link(client, heartbeat_s=0.05)
    try:
        paper_out = PrinterHealth(HealthState.PAPER_OUT, online=True, paper_out=True)
        link.report_printer(paper_out)
        wait_until(lambda: len(client.sent) >= 3, 10.0, message="no heartbeat")
        assert set(client.sent) == {("printer", "error", "paper_out")}
    finally:
        _stop(link)


def test_without_a_printer_the_heartbeat_still_says_the_kiosk_is_alive() -> None:
    client = Client(fail_on=1)  # the first one is lost: the link says unreachable and goes on
    link = _link(client, heartbeat_s=0.05)
    try:
        wait_until(lambda: len(client.sent) >= 2, 10.0, message="no heartbeat")
        wait_until(lambda: link.reachable is True, 10.0)
        assert set(client.sent) == {("heartbeat", "ok", "")}
    finally:
        _stop(link)


def test_ready_and_low_paper_are_not_errors() -> None:
    client = Client()
    link = _link(client, heartbeat_s=60.0)
    try:
        for state in ("ready", "paper_near_end", "unknown", "cover_open"):
            link.report_printer(state)
        wait_until(lambda: len(client.sent) == 4, 10.0)
        assert client.sent == [
            ("printer", "ok", "ready"),
            ("printer", "warning", "paper_near_end"),
            ("printer", "unknown", "unknown"),
            ("printer", "error", "cover_open"),
        ]
    finally:
        _stop(link)


@pytest.mark.slow
def test_the_emulated_lobby_printer_shows_on_the_hub_fleet_list(
    emulated: Any, tmp_path: Path, center_tls: Any
) -> None:
    """End to end: the lobby's emulated printer answers its status poll, the link reports it, and the
    hub stores it for the desk's list (GET /devices/health) — no test code in between."""
    from kiosk.demo.center import start_demo_center
    from ui.lobby.emulated import attach_hub

    services, _ctx = emulated
    center = start_demo_center(load_settings(), tmp_path / "center", tls=center_tls.files)
    try:
        attach_hub(services, center.url, center.lobby_token, sync_interval_s=0.3, ca_pem=center.ca_pem)

        def lobby_printer() -> str | None:
            with center.sessions() as s:
                rows = s.execute(
                    select(DeviceHealth.printer).join(Device).where(Device.kind == DeviceKind.LOBBY)
                ).scalars()
                return next((str(p) for p in rows if p == "ok"), None)

        assert wait_until(lobby_printer, 30.0, message="the lobby's printer never reached the hub") == "ok"
    finally:
        center.close()
