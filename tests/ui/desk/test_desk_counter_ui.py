"""Desk and counter windows against a real hub: call next, case masked, push, read to the end, sign, wipe."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel

from config import load_settings
from kiosk.client import HubClient
from kiosk.hub.app import create_app
from kiosk.hub.server import serve_in_thread
from tests.kiosk.hub.conftest import CenterTls, Hub
from tests.kiosk.hub.factories import submission
from ui.adapters.hub_adapter import HubAdapter
from ui.counter.window import DOCUMENT, IDLE, THANKS, CounterWindow
from ui.counter.words import document_code
from ui.desk.window import DeskWindow


@pytest.fixture
def running(hub_sqlite: Hub, center_tls: CenterTls) -> Iterator[tuple[Hub, str]]:
    """The hub over real TLS on 127.0.0.1; clients pin the center CA."""
    app = create_app(load_settings(), hub_sqlite.sessions, hub_sqlite.keys)
    server = serve_in_thread(app, tls=center_tls.files)
    yield hub_sqlite, server.url
    server.stop()


def _sign(qtbot, canvas) -> None:  # type: ignore[no-untyped-def]
    surface = canvas.surface
    w, h = surface.width(), surface.height()
    for stroke in range(3):
        y0 = h // 3 + stroke * 10
        qtbot.mousePress(surface, Qt.MouseButton.LeftButton, pos=QPoint(w // 8, y0), delay=30)
        for i in range(1, 30):
            qtbot.mouseMove(surface, QPoint(w // 8 + i * w // 40, y0 + (25 if i % 2 else -25)), delay=15)
        qtbot.mouseRelease(surface, Qt.MouseButton.LeftButton, pos=QPoint(w // 8 + 29 * w // 40, y0), delay=5)


@pytest.mark.slow
def test_call_push_read_sign_wipe(  # type: ignore[no-untyped-def]
    qtbot, running: tuple[Hub, str], center_tls: CenterTls, tmp_path: Path
) -> None:
    hub, url = running
    lobby, _ = hub.enroll("lobby")
    body = submission(31)
    visit_id = hub.http.post("/visits", json=body, headers=lobby).json()["visit_id"]
    ticket = hub.http.post(
        "/tickets",
        json={"line": "A", "visit_id": visit_id},
        headers={**lobby, "Idempotency-Key": "ui-000001"},
    ).json()
    desk_token = hub.enroll("desk")[1]
    desk_client = HubClient(url, ca_pem=center_tls.ca_pem)
    desk_client.login("kim", "correct-horse-42", desk_token)
    counter_token = hub.enroll("counter")[1]
    counter_client = HubClient(url, counter_token, ca_pem=center_tls.ca_pem)
    counter_client.pair_counter(desk_client.counter_code().code)

    desk = DeskWindow(HubAdapter(desk_client), "3", "김상담")
    counter = CounterWindow(HubAdapter(counter_client), load_settings(), paired=True)
    qtbot.addWidget(desk)
    qtbot.addWidget(counter)
    desk.show()
    counter.show()
    desk.start()
    counter.start()
    try:
        qtbot.mouseClick(desk.call_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: ticket["display"] in desk.called_label.text(), timeout=10_000)
        qtbot.waitUntil(lambda: "홍*동" in desk.tabs.identity.text(), timeout=10_000)
        assert body["identity"]["rrn"] not in desk.tabs.identity.text()  # masked until revealed
        assert "홍길동" not in desk.tabs.identity.text()
        desk.grab().save(str(tmp_path / "desk.png"))

        qtbot.mouseClick(desk.tabs.generate_consent, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: desk.tabs.documents.rowCount() == 1, timeout=15_000)
        qtbot.mouseClick(desk.tabs.push_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: counter.stack.currentIndex() == DOCUMENT, timeout=20_000)
        assert "동의서" in counter.title.text()
        assert counter.page_count >= 2 and counter.page_label.text() == f"1쪽 / 전체 {counter.page_count}쪽"
        assert not counter.previous_button.isEnabled()
        # page by page: 다음 until the last page; only there does it lead to the signature screen
        for _ in range(counter.page_count - 1):
            assert counter.next_button.text() == "다음"
            qtbot.mouseClick(counter.next_button, Qt.MouseButton.LeftButton)
        assert counter.stack.currentIndex() == DOCUMENT and not counter.sign_box.isVisible()
        assert counter.next_button.text() == "서명하러 가기"
        qtbot.mouseClick(counter.next_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(counter.sign_box.isVisible, timeout=5_000)
        document = counter.document
        assert document is not None
        assert (
            "동의서" in counter.sign_caption.text()
            and document_code(document.id) in counter.sign_caption.text()
        )
        shown = " ".join(label.text() for label in counter.findChildren(QLabel))
        assert document.sha256[:8] not in shown and "SHA" not in shown  # no hash in front of the citizen
        assert counter.sign_button.text() == "서명하기"
        counter.grab().save(str(tmp_path / "counter.png"))
        _sign(qtbot, counter.canvas)
        qtbot.mouseClick(counter.sign_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: counter.stack.currentIndex() == THANKS, timeout=20_000)
        qtbot.waitUntil(lambda: "서명 완료" in desk.tabs.documents.item(0, 1).text(), timeout=20_000)
        qtbot.waitUntil(lambda: counter.stack.currentIndex() == IDLE, timeout=10_000)  # wiped back to idle
        assert counter.page_count == 0 and counter.document is None and counter.title.text() == ""
        qtbot.mouseClick(desk.tabs.archive_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "보관됨" in desk.tabs.documents.item(0, 1).text(), timeout=10_000)
    finally:
        desk.close()
        counter.close()
