"""Honest screens and the first screen's order: the ticket says "바로 차례예요" when nobody is ahead, the
printer-failure screen offers only what exists and a reprint once the printer is back, 이전 is hidden
where it cannot act; the welcome's main action comes first and biggest; a tap is heard when voice is
on; the signing line is visible (≥ 3:1)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from config import load_settings
from kiosk.context import AppContext
from tests.ui.lobby.helpers import flush
from ui.theme import THEMES, ScreenMetrics, Sizes, contrast_ratio, stylesheet


def _issue(lobby: Any, ticket: dict[str, Any]) -> Any:
    """The ticket screen showing a ticket as the workflow hands it over (no printer is wired here)."""
    lobby.go("ticket")
    screen = lobby.screens["ticket"]
    screen._issued(ticket)
    flush()
    return screen


@pytest.mark.parametrize(
    ("ahead", "minutes", "korean", "english"),
    [
        (0, 0, "바로 차례예요", "You're next"),
        (3, 12, "앞에 3명 · 약 12분 기다려요", "People ahead of you: 3 · about 12 min wait"),
        (2, 0, "앞에 2명 있어요", "People ahead of you: 2"),
    ],
)
def test_the_wait_reads_naturally(
    lobby: Any, qtbot: QtBot, ahead: int, minutes: int, korean: str, english: str
) -> None:
    screen = _issue(lobby, {"display": "A-007", "people_ahead": ahead, "wait_minutes": minutes})
    assert korean in screen.wait.text()
    assert "0명" not in screen.wait.text() and "0분" not in screen.wait.text()
    lobby.screens["welcome"].lang_en.click()
    qtbot.waitUntil(lambda: english in screen.wait.text())


def test_an_issued_ticket_hides_back_and_promises_no_sms(lobby: Any) -> None:
    screen = _issue(lobby, {"display": "A-008", "people_ahead": 1, "wait_minutes": 4})
    assert screen.number.text() == "A-008"
    assert not lobby.back_button.isVisible()  # 이전 could not act on an issued ticket
    assert lobby.home_button.isVisible() and lobby.staff_button.isVisible()
    # No printer and no SMS gateway here: the screen offers the QR and the number, nothing else.
    assert lobby.draft.printed == "failed"
    assert screen.qr.isVisible()
    assert not screen.sms.isVisible() and "문자" not in screen.print_status.text()
    assert not screen.retry.isVisible()  # there is no printer to print again on


@pytest.fixture
def quick_give_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Every device emulated; the spool gives a job up after 2 s so the test sees the reprint offer."""
    from ui.lobby.emulated import emulated_services

    monkeypatch.setenv("KIOSK_PRINTER__GIVE_UP_AFTER_S", "2")
    ctx = AppContext(db_url_option=f"sqlite:///{tmp_path / 'lobby.db'}")
    services = emulated_services(load_settings(), ctx)
    services.voice_record_dir = tmp_path / "voice"
    yield services
    services.close()
    ctx.engine.dispose()


@pytest.mark.slow
def test_reprint_is_offered_once_the_printer_is_back(
    make_lobby: Any, quick_give_up: Any, qtbot: QtBot
) -> None:
    services = quick_give_up
    printer = services.emulators["printer"]
    lobby = make_lobby(services)
    printer.paper_out()
    lobby.screens["welcome"].ticket_only.click()
    ticket = lobby.screens["ticket"]
    ticket.line_buttons["A"].click()
    qtbot.waitUntil(lambda: ticket.mode == "shown", timeout=20000)
    qtbot.waitUntil(lambda: ticket._gave_up, timeout=30000)  # the spool gave the job up
    assert not ticket.retry.isVisible()  # paper still out: a reprint would fail the same way
    printer.recover()
    qtbot.waitUntil(ticket.retry.isVisible, timeout=30000)
    assert "다시 인쇄하기" in ticket.print_status.text()
    ticket.retry.click()
    qtbot.waitUntil(lambda: lobby.draft.printed == "done", timeout=30000)
    assert printer.wait_for_jobs(1, timeout=10)
    assert ticket.number.text() in printer.jobs[-1].text


def test_the_main_action_comes_first_and_biggest(lobby: Any) -> None:
    welcome = lobby.screens["welcome"]
    start = lobby.primary
    assert start.text() == "상담 접수 시작"

    def top(widget: QWidget) -> int:
        return widget.mapTo(lobby, widget.rect().topLeft()).y()

    assert top(start) < top(welcome.ticket_only) and top(start) < top(welcome.steps)
    assert start.height() > welcome.ticket_only.height()
    lobby.go("consent")  # other screens: the primary action is back at the bottom, above 이전
    flush()
    assert lobby.primary.isVisible()
    assert top(lobby.primary) > top(lobby.stack_area) and top(lobby.primary) < top(lobby.back_button)


def test_a_tap_is_heard_when_voice_is_on(lobby: Any, qtbot: QtBot) -> None:
    welcome = lobby.screens["welcome"]
    large = welcome.size_buttons["large"]
    QTest.mouseClick(large, Qt.MouseButton.LeftButton)
    assert lobby.voice.last_cue == ""  # voice off: silent
    QTest.mouseClick(welcome.voice, Qt.MouseButton.LeftButton)  # 음성 안내 on
    QTest.mouseClick(welcome.size_buttons["normal"], Qt.MouseButton.LeftButton)
    assert lobby.voice.last_cue == "글자 보통"
    record = lobby.services.voice_record_dir
    qtbot.waitUntil(lambda: any(record.glob("*.wav")), timeout=15000)
    assert lobby.voice.last_text  # the screen's guidance is still what 다시 듣기 repeats
    assert "글자 보통" not in lobby.voice.last_text


@pytest.mark.parametrize("theme", THEMES)
def test_the_signing_line_is_visible(qtbot: QtBot, theme: str) -> None:
    from ui.widgets.signature_canvas import SignatureCanvas

    cfg = load_settings().lobby
    page = QWidget()
    page.setStyleSheet(stylesheet(theme, Sizes.make(ScreenMetrics(cfg.screen_dpi), 6, 15, 18)))
    canvas = SignatureCanvas(dpi=cfg.screen_dpi)
    QVBoxLayout(page).addWidget(canvas)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    flush()
    image = canvas.surface.grab().toImage()
    x = image.width() // 2
    background = QColor(image.pixel(x, image.height() // 3))
    line_y = round(image.height() * 0.78)
    darkest = max(
        (QColor(image.pixel(x, y)) for y in range(line_y - 3, line_y + 4)),
        key=lambda c: contrast_ratio(c.name(), background.name()),
    )
    assert contrast_ratio(darkest.name(), background.name()) >= 3.0


@pytest.mark.slow
def test_goodbye_shows_the_number_once_more_then_forgets_it(
    make_lobby: Any, emulated: Any, qtbot: QtBot
) -> None:
    services, _ctx = emulated
    lobby = make_lobby(services)
    lobby.screens["welcome"].ticket_only.click()
    ticket = lobby.screens["ticket"]
    ticket.line_buttons["C"].click()
    qtbot.waitUntil(lambda: ticket.mode == "shown", timeout=20000)
    number = ticket.number.text()
    lobby.primary.click()  # 다 됐어요
    goodbye = lobby.screens["goodbye"]
    assert lobby.current == "goodbye" and goodbye.number.isVisible()
    assert goodbye.number.text() == number and number.startswith("C-")
    goodbye.on_primary()  # 처음 화면으로: the wipe
    assert goodbye.number.text() == "" and lobby.current == "welcome"
