"""The desk against a real hub: no dead end when the ticket is in another line, queue rows that say what
each person did, and a case that opens with its summary and the next step as a button."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from config import load_settings
from kiosk.client import HubClient
from kiosk.hub.app import create_app
from kiosk.hub.server import serve_in_thread
from tests.kiosk.hub.conftest import CenterTls, Hub
from tests.kiosk.hub.factories import submission
from ui.adapters.hub_adapter import HubAdapter
from ui.desk.window import DeskWindow

LONG_REASON = {
    "ko": "총채무 4,800만원 > 0원 충족 / 가장 오래된 연체 45일 ≥ 31일 충족 / 연체 45일 ≤ 89일 충족",
    "en": "long",
}


@pytest.fixture
def desk(qtbot, hub_sqlite: Hub, center_tls: CenterTls) -> Iterator[tuple[Hub, DeskWindow, HubClient]]:  # type: ignore[no-untyped-def]
    app = create_app(load_settings(), hub_sqlite.sessions, hub_sqlite.keys)
    server = serve_in_thread(app, tls=center_tls.files)
    client = HubClient(server.url, ca_pem=center_tls.ca_pem)
    client.login("kim", "correct-horse-42", hub_sqlite.enroll("desk")[1])
    counter = HubClient(server.url, hub_sqlite.enroll("counter")[1], ca_pem=center_tls.ca_pem)
    counter.pair_counter(client.counter_code().code)  # documents go to this desk's counter
    window = DeskWindow(HubAdapter(client), "3", "김상담")
    qtbot.addWidget(window)
    window.show()
    window.start()
    # a lobby kiosk of the same hub the desk talks to (its calls for staff live in that hub's memory)
    lobby = HubClient(server.url, hub_sqlite.enroll("lobby", label="로비 1")[1], ca_pem=center_tls.ca_pem)
    yield hub_sqlite, window, lobby
    window.close()
    server.stop()


def _visit(hub: Hub, lobby: dict[str, str], seed: int) -> str:
    body: dict[str, Any] = submission(seed)
    body["intake"]["answers"].update(
        {"unsecured_debt_krw": 38_000_000, "secured_debt_krw": 10_000_000, "delinquency_days": 45}
    )
    body["match"]["verdicts"] = [
        {"id": "kinfa.sunshine", "name_ko": "햇살론15", "verdict": "ineligible", "reasons": [LONG_REASON]},
        {
            "id": "ccrs.pre_workout",
            "name_ko": "사전채무조정 (프리워크아웃)",
            "verdict": "eligible",
            "reasons": [LONG_REASON, LONG_REASON],
        },
    ]
    r = hub.http.post("/visits", json=body, headers=lobby)
    assert r.status_code == 200, r.text
    return str(r.json()["visit_id"])


def _ticket(
    hub: Hub, lobby: dict[str, str], line: str, key: str, visit_id: str | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"line": line} if visit_id is None else {"line": line, "visit_id": visit_id}
    r = hub.http.post("/tickets", json=body, headers={**lobby, "Idempotency-Key": key})
    assert r.status_code == 200, r.text
    return dict(r.json())


def _rows(window: DeskWindow) -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    for index in range(window.board.topLevelItemCount()):
        top = window.board.topLevelItem(index)
        assert top is not None
        for child in range(top.childCount()):
            item = top.child(child)
            assert item is not None
            rows[item.text(0)] = [item.text(1), item.text(2)]
    return rows


def test_a_ticket_in_line_b_is_called_with_one_action_while_the_desk_is_on_line_a(  # type: ignore[no-untyped-def]
    qtbot, desk: tuple[Hub, DeskWindow, HubClient], tmp_path: Path
) -> None:
    hub, window, _ = desk
    lobby, _ = hub.enroll("lobby")
    visit_id = _visit(hub, lobby, 61)
    _ticket(hub, lobby, "B", "desk-000061", visit_id)
    _ticket(hub, lobby, "B", "desk-000062")
    window.refresh_queue()
    qtbot.waitUntil(lambda: "B-002" in _rows(window), timeout=10_000)
    rows = _rows(window)
    # the one wording of a wait (kiosk.queue.waits.wait_words): the desk reads what the lobby printed
    assert rows["B-001"] == ["대기 · 접수 완료", "바로 차례예요"]
    assert rows["B-002"] == ["대기 · 번호표만", "앞에 1명 · 약 25분 기다려요"]  # B's configured 25 minutes
    window.line_box.setCurrentIndex(window.line_box.findData("A"))  # the demo's dead end: line A chosen
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.current is not None, timeout=10_000)
    assert window.current is not None and window.current.display == "B-001"
    assert "B-001" in window.called_label.text()
    assert "비어서" in window.statusBar().currentMessage()
    # the case opens with its one-line summary and the next step as a button
    qtbot.waitUntil(lambda: "목적" in window.tabs.summary.text(), timeout=10_000)
    summary = window.tabs.summary.text()
    assert "빚 갚기가 힘들어요" in summary and "총 빚 4,800만원" in summary
    assert "가장 오래 밀린 빚 45일" in summary and "사전채무조정 (프리워크아웃)" in summary
    assert window.tabs.next_button.text() == "채무조정 신청서 만들기"
    # verdict reasons wrap in the width there is, nothing runs off to the right
    window.tabs.setCurrentIndex(3)
    qtbot.waitUntil(lambda: window.tabs.verdicts.rowCount() == 2, timeout=5_000)
    verdicts = window.tabs.verdicts
    assert verdicts.horizontalScrollBar().maximum() == 0
    assert verdicts.rowHeight(1) > 2 * verdicts.fontMetrics().height()
    window.grab().save(str(tmp_path / "desk-verdicts.png"))
    qtbot.mouseClick(window.tabs.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.tabs.documents.rowCount() == 1, timeout=15_000)
    assert window.tabs.documents.item(0, 0).text() == "상담 신청서"
    qtbot.waitUntil(lambda: window.tabs.next_button.text() == "창구로 보내 서명 받기", timeout=5_000)
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "서명 대기" in window.tabs.documents.item(0, 1).text(), timeout=10_000)
    assert not window.tabs.next_button.isEnabled()  # waiting for the citizen: nothing to press
    # the next Ctrl+N, back on "every line", calls the ticket-only person; the case says so
    window.line_box.setCurrentIndex(0)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.current is not None and window.current.display == "B-002", timeout=10_000)
    assert "번호표만" in window.tabs.summary.text()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: window.statusBar().currentMessage() == "지금 기다리는 분이 없어요", timeout=10_000
    )
    window.grab().save(str(tmp_path / "desk.png"))


def test_a_call_for_staff_shows_on_the_persons_row(qtbot, desk: tuple[Hub, DeskWindow, HubClient]) -> None:  # type: ignore[no-untyped-def]
    hub, window, kiosk = desk
    lobby = {"Authorization": f"Bearer {kiosk.token}"}
    visit_id = _visit(hub, lobby, 71)
    _ticket(hub, lobby, "A", "desk-000071", visit_id)
    window.refresh_queue()
    qtbot.waitUntil(lambda: "A-001" in _rows(window), timeout=10_000)
    assert "직원 호출" not in _rows(window)["A-001"][0]
    kiosk.report_step("ticket", "번호표", needs_help=True)
    qtbot.waitUntil(lambda: "🔔 직원 호출" in _rows(window)["A-001"][0], timeout=10_000)
    assert any("직원 호출" in window.mirror.item(i).text() for i in range(window.mirror.count()))
