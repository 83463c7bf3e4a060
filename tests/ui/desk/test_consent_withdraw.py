"""동의 철회 at the desk against a real hub over TLS: the confirmation says what stops, cancelling sends
nothing, confirming withdraws on the hub and the case then shows the consent as withdrawn."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from config import load_settings
from db.models import Consent
from kiosk.client import HubClient
from kiosk.hub.app import create_app
from kiosk.hub.server import serve_in_thread
from tests.kiosk.hub.conftest import CenterTls, Hub
from tests.kiosk.hub.factories import submission
from ui.adapters.hub_adapter import HubAdapter
from ui.desk.case_tabs import SECTIONS
from ui.desk.window import DeskWindow


@pytest.fixture
def desk(qtbot, hub_sqlite: Hub, center_tls: CenterTls) -> Iterator[tuple[DeskWindow, Hub]]:  # type: ignore[no-untyped-def]
    server = serve_in_thread(
        create_app(load_settings(), hub_sqlite.sessions, hub_sqlite.keys), tls=center_tls.files
    )
    client = HubClient(server.url, ca_pem=center_tls.ca_pem)
    client.login("kim", "correct-horse-42", hub_sqlite.enroll("desk")[1])
    window = DeskWindow(HubAdapter(client), "3", "김상담")
    qtbot.addWidget(window)
    window.show()
    yield window, hub_sqlite
    window.close()
    server.stop()


def _visit(hub: Hub) -> uuid.UUID:
    lobby, _ = hub.enroll("lobby")
    body = submission(51)
    body["consent"]["items"]["marketing"] = {"granted": True, "required": False}
    r = hub.http.post("/visits", json=body, headers=lobby)
    assert r.status_code == 200, r.text
    return uuid.UUID(r.json()["visit_id"])


def _withdrawn_at(hub: Hub, visit_id: uuid.UUID) -> object:
    with hub.sessions() as s:
        return s.scalar(select(Consent.withdrawn_at).where(Consent.visit_id == visit_id))


def test_withdraw_after_a_plain_korean_confirmation(qtbot, desk) -> None:  # type: ignore[no-untyped-def]
    window, hub = desk
    visit_id = _visit(hub)
    panel = window.tabs.consent_withdraw
    window.load_case(visit_id)
    qtbot.waitUntil(lambda: panel.visit_id == visit_id and panel.button.isEnabled(), timeout=15_000)
    window.tabs.setCurrentIndex(SECTIONS.index("동의"))
    assert panel.state.text() == "동의 받음"

    # Cancel first: the hub hears nothing.
    qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert dialog is not None and dialog.isVisible()
    assert "철회하면" in dialog.explain.text() and "더 이상" in dialog.explain.text()
    assert dialog.cancel_button.isDefault()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
    assert _withdrawn_at(hub, visit_id) is None

    # Only an optional item: the choice lists it, the text says counseling goes on.
    qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert dialog is not None and list(dialog.item_boxes) == ["marketing"]
    dialog.some_items.setChecked(True)
    assert not dialog.withdraw_button.isEnabled()  # nothing chosen yet
    dialog.item_boxes["marketing"].setChecked(True)
    assert "상담은 그대로" in dialog.explain.text()
    qtbot.mouseClick(dialog.withdraw_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "선택 항목 1개를 철회했어요" in panel.state.text(), timeout=15_000)
    assert _withdrawn_at(hub, visit_id) is None

    # Everything: the hub ends the consent; the reloaded case says so and the button is done.
    qtbot.waitUntil(panel.button.isEnabled, timeout=15_000)
    qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert dialog is not None and dialog.all_items.isChecked()
    qtbot.mouseClick(dialog.withdraw_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _withdrawn_at(hub, visit_id) is not None, timeout=15_000)
    qtbot.waitUntil(lambda: "에 철회했어요" in panel.state.text(), timeout=15_000)
    assert not panel.button.isEnabled()
    table = window.tabs.consent
    assert {table.item(row, 2).text() for row in range(table.rowCount())} == {"철회"}
