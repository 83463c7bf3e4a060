"""The desk's 채무 section against a real hub over TLS: fetch, edit → save → reload, the slider moves the
payment (worked out on the desk), refusals shown as the hub words them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from config import clock, load_settings
from kiosk.client import HubClient
from kiosk.hub.app import create_app
from kiosk.hub.server import serve_in_thread
from tests.kiosk.hub.conftest import CenterTls, Hub
from tests.kiosk.hub.factories import submission
from ui.adapters.hub_adapter import HubAdapter
from ui.desk.case_tabs import DEBTS
from ui.desk.debt_tab import (
    CREDITOR,
    EMULATED,
    OVERDUE,
    PRINCIPAL,
    RATE,
    WRITTEN_OFF,
    DebtTab,
    KindBox,
    measure_slider_repaint,
)
from ui.desk.window import DeskWindow

# 400 days overdue on written-off card debt: the acceptance case (개인워크아웃).
ANSWERS: dict[str, Any] = {
    "purpose": "debt",
    "age": 52,
    "annual_income_krw": 30_000_000,
    "household_size": 1,
    "livelihood_status": "none",
    "hardship": [],
    "total_debt_krw": 32_000_000,
    "delinquency_days": 400,
}


@pytest.fixture
def running(hub_sqlite: Hub, center_tls: CenterTls) -> Iterator[tuple[Hub, str]]:
    app = create_app(load_settings(), hub_sqlite.sessions, hub_sqlite.keys)
    server = serve_in_thread(app, tls=center_tls.files)
    yield hub_sqlite, server.url
    server.stop()


def _visit(hub: Hub, seed: int, *, credit_inquiry: bool) -> uuid.UUID:
    lobby, _ = hub.enroll("lobby")
    body = submission(seed)
    body["intake"]["answers"] = dict(ANSWERS)
    if credit_inquiry:
        body["consent"]["items"]["credit_inquiry"] = {"granted": True, "required": False}
    response = hub.http.post("/visits", json=body, headers=lobby)
    assert response.status_code in (200, 201), response.text
    return uuid.UUID(response.json()["visit_id"])


@pytest.fixture
def desk(qtbot, running: tuple[Hub, str], center_tls: CenterTls) -> Iterator[tuple[DeskWindow, Hub]]:  # type: ignore[no-untyped-def]
    hub, url = running
    client = HubClient(url, ca_pem=center_tls.ca_pem)
    client.login("kim", "correct-horse-42", hub.enroll("desk")[1])
    window = DeskWindow(HubAdapter(client), "3", "김상담")
    qtbot.addWidget(window)
    window.resize(1400, 860)
    window.show()
    window.start()
    yield window, hub
    window.close()


def _open(qtbot, window: DeskWindow, visit_id: uuid.UUID) -> DebtTab:  # type: ignore[no-untyped-def]
    window.load_case(visit_id)
    tab = window.tabs.debts
    qtbot.waitUntil(lambda: tab.visit_id == visit_id and tab.table.rowCount() > 0, timeout=15_000)
    window.tabs.setCurrentIndex(DEBTS)
    return tab


@pytest.mark.slow
def test_fetch_edit_save_reload_and_the_slider(qtbot, desk, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window, hub = desk
    visit_id = _visit(hub, 41, credit_inquiry=True)
    tab = _open(qtbot, window, visit_id)
    # Nothing stored yet: the kiosk's totals, said to be so.
    assert "키오스크 답변" in tab.source.text() and not tab.emulated.isVisible()
    assert tab.table.item(0, PRINCIPAL).text() == "32,000,000"
    # … and its plan says what the totals could not tell: the rate was assumed, no cut was counted.
    assert "가정했어요" in tab.reasons.text() and "상각 여부를 알 수 없어서" in tab.reasons.text()

    qtbot.mouseClick(tab.fetch_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "신용정보 조회" in tab.source.text(), timeout=15_000)
    assert "가정했어요" not in tab.reasons.text()  # the bureau's lines carry their own rates
    assert tab.emulated.isVisible() and tab.emulated.text() == EMULATED
    fetched = tab.table.rowCount()
    fetched_at = window.adapter.client.get_debts(visit_id).fetched_at
    assert fetched_at is not None and f"{clock.local(fetched_at):%Y-%m-%d %H:%M}" in tab.source.text()  # KST
    assert fetched >= 1 and "불러왔어요" in tab.message.text()

    # The counselor corrects the first line and adds one; the plan follows before anything is saved.
    tab.table.item(0, PRINCIPAL).setText("12,345,000")
    tab.table.item(0, WRITTEN_OFF).setCheckState(Qt.CheckState.Checked)
    tab.add_line()
    last = tab.table.rowCount() - 1
    tab.table.item(last, CREDITOR).setText("동네 저축은행")
    box = tab.table.cellWidget(last, 1)
    assert isinstance(box, KindBox)
    box.setCurrentIndex(box.findData("unsecured_loan"))
    tab.table.item(last, PRINCIPAL).setText("5,000,000")
    tab.table.item(last, RATE).setText("18.5")
    tab.table.item(last, OVERDUE).setText("120")
    assert tab.dirty and "저장되지 않았어요" in tab.message.text()
    assert tab.result is not None and tab.chosen == "ccrs.individual_workout"

    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.message.text() == "저장했어요.", timeout=15_000)
    assert "상담사 입력" in tab.source.text() and not tab.dirty
    # Reloaded from the hub (another desk would see the same): the edits are there.
    tab.wipe()
    window.load_case(visit_id)
    qtbot.waitUntil(lambda: tab.table.rowCount() == fetched + 1, timeout=15_000)
    assert tab.table.item(0, PRINCIPAL).text() == "12,345,000"
    assert tab.table.item(0, WRITTEN_OFF).checkState() == Qt.CheckState.Checked
    names = [tab.table.item(r, CREDITOR).text() for r in range(tab.table.rowCount())]
    assert "동네 저축은행" in names
    row = names.index("동네 저축은행")
    assert tab.table.item(row, RATE).text() == "18.5" and tab.table.item(row, OVERDUE).text() == "120"

    # The slider: a longer term, a smaller monthly payment — shown at once, worked out on the desk.
    qtbot.waitUntil(tab.slider.isEnabled, timeout=5_000)
    assert (tab.slider.minimum(), tab.slider.maximum()) == (12, 96)  # 개인워크아웃: up to 8 years
    tab.slider.setValue(24)
    short = tab.chosen_plan()
    shown_short = tab.payment.text()
    tab.slider.setValue(96)
    long = tab.chosen_plan()
    assert short is not None and long is not None
    assert long.term_months == 96 and short.term_months == 24
    assert (long.monthly_payment_krw or 0) < (short.monthly_payment_krw or 0)
    assert f"{long.monthly_payment_krw:,}원" in tab.payment.text() and tab.payment.text() != shown_short
    assert "96개월 (8년)" in tab.term_label.text()
    assert tab.repaint_ms and max(tab.repaint_ms) < 200
    # At rest, the term goes to the hub: the application will carry it.
    qtbot.waitUntil(lambda: "96개월" in tab.message.text(), timeout=10_000)
    plan = window.adapter.client.debt_plan(visit_id)
    assert plan.plans  # the hub plans from the saved list too

    path = tmp_path / "desk-debts.png"
    window.grab().save(str(path))
    assert not QImage(str(path)).isNull()
    figures = measure_slider_repaint(tab)
    assert figures["ticks"] == 2 * (96 - 12 + 1) and figures["median_ms"] < 100

    qtbot.mouseClick(tab.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: any(
            window.tabs.documents.item(r, 0).text() == "채무조정 신청서"
            for r in range(window.tabs.documents.rowCount())
        ),
        timeout=20_000,
    )


@pytest.mark.slow
def test_refusals_are_shown_as_the_hub_words_them(qtbot, desk) -> None:  # type: ignore[no-untyped-def]
    window, hub = desk
    visit_id = _visit(hub, 42, credit_inquiry=False)
    tab = _open(qtbot, window, visit_id)
    qtbot.mouseClick(tab.fetch_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "consent_missing" in tab.message.text(), timeout=15_000)
    assert "동의" in tab.message.text() and tab.table.rowCount() == 1  # nothing replaced

    # A rate of 150% passes the table but not the plan's rules: the hub's Korean sentence, nothing stored.
    tab.table.item(0, RATE).setText("150")
    assert tab.result is None and "100%" in tab.reasons.text()  # the desk's own preview says why
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: "[" in tab.message.text() and "저장하는" not in tab.message.text(), timeout=15_000
    )
    assert "이자율" in tab.message.text() and "100%" in tab.message.text()
    assert window.adapter.client.get_debts(visit_id).source == "kiosk_totals"

    # Not a number at all: said on the desk, nothing sent.
    tab.table.item(0, PRINCIPAL).setText("삼천만")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.message.text() == "1번째 줄의 원금을(를) 숫자로 적어 주세요"


@pytest.mark.slow
def test_a_list_saved_elsewhere_shows_here_by_itself(qtbot, desk, center_tls: CenterTls) -> None:  # type: ignore[no-untyped-def]
    window, hub = desk
    visit_id = _visit(hub, 43, credit_inquiry=False)
    tab = _open(qtbot, window, visit_id)
    assert "키오스크 답변" in tab.source.text()
    other = HubClient(window.adapter.client.base_url, ca_pem=center_tls.ca_pem)  # a second desk window
    other.login("kim", "correct-horse-42", hub.enroll("desk")[1])
    qtbot.waitUntil(lambda: window.adapter.connected, timeout=15_000)  # this desk hears the hub's events
    line = {"creditor": "한빛카드", "kind": "card", "principal_krw": 7_000_000, "annual_rate": 0.149,
            "overdue_days": 200, "written_off": True}  # fmt: skip
    other.put_debts(visit_id, [line])
    # debts.updated reaches this desk: the table reloads without a click
    qtbot.waitUntil(lambda: "상담사 입력" in tab.source.text(), timeout=15_000)
    assert tab.table.rowCount() == 1 and tab.table.item(0, CREDITOR).text() == "한빛카드"
    # mid-edit, another save does not wipe the counselor's typing: it says so instead
    tab.table.item(0, PRINCIPAL).setText("8,000,000")
    other.put_debts(visit_id, [{**line, "principal_krw": 6_000_000}])
    qtbot.waitUntil(lambda: "다른 곳에서 목록이 바뀌었어요" in tab.message.text(), timeout=15_000)
    assert tab.table.item(0, PRINCIPAL).text() == "8,000,000"
