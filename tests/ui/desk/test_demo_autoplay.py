"""Autoplay plays walk-ins end to end through the real windows, and a person can stop it at any moment."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from config import Settings
from config.loader import load_settings
from db.models import Document, Ticket
from db.models.enums import DocumentStatus, TicketStatus
from ui.desk.demo_autoplay import Autoplay, HandsOn, Pause, Say, Script, Wait
from ui.desk.demo_center import CenterDemo
from ui.desk.demo_layout import Rect
from ui.desk.device_windows import PrinterPaperWindow

FAST = 0.02  # every pause at 2 %: the same steps, a test-sized run


@pytest.fixture
def settings() -> Settings:
    return load_settings(None)


@pytest.fixture
def demo(qtbot: QtBot, tmp_path: Path, settings: Settings) -> Iterator[CenterDemo]:
    center = CenterDemo(settings, tmp_path / "data", screen=Rect(0, 0, 1920, 1080), pace=FAST)
    center.show()
    center.start()
    try:
        yield center
    finally:
        center.close()


@pytest.mark.slow
def test_autoplay_serves_two_walk_ins_end_to_end(qtbot: QtBot, demo: CenterDemo) -> None:
    printer = demo.lobby_services.emulators["printer"]
    errors: list[str] = []
    demo.autoplay.failed.connect(errors.append)
    demo.control.autoplay_button.click()  # the control window's "자동 시연 · Autoplay" with 2 people
    assert demo.autoplay.running
    qtbot.waitUntil(lambda: not demo.autoplay.running, timeout=480_000)
    assert errors == []
    lines = demo.autoplay.lines
    assert lines[-1].startswith("자동 시연을 마쳤어요: 방문자 2명")
    # Two tickets came out of the lobby printer, two documents were signed at the counter, both
    # tickets were called and closed at the desk, and the control window showed the narration.
    assert len(printer.jobs) == 2
    assert sum("프린터에서 나왔어요" in line for line in lines) == 2
    assert sum("서명된 문서가 상담석으로" in line for line in lines) == 2
    assert demo.desk.current is None
    assert demo.control.narration.text() == lines[-1]
    assert demo.lobby.current in ("welcome", "goodbye")
    # What the hub recorded: two signed consent forms, two tickets served.
    with demo.center.sessions() as session:
        signed = session.scalars(
            select(Document).where(Document.status == DocumentStatus.SIGNED, Document.template == "consent")
        ).all()
        served = session.scalars(select(Ticket).where(Ticket.status == TicketStatus.DONE)).all()
    assert len(signed) == 2 and len(served) == 2
    # The hall display still shows the last call; the printer panel shows the last ticket's paper.
    last = max(served, key=lambda t: t.called_at or t.created_at)
    assert last.display in demo.hall.called.text() and "3번 창구" in demo.hall.called.text()
    printer_window = demo.windows["printer"]
    assert isinstance(printer_window, PrinterPaperWindow) and not printer_window.paper.pixmap().isNull()


@pytest.mark.slow
def test_stop_mid_visit_then_autoplay_again(qtbot: QtBot, demo: CenterDemo) -> None:
    control = demo.control
    control.walk_ins.setValue(1)
    control.autoplay_button.click()
    qtbot.waitUntil(lambda: demo.lobby.current == "consent", timeout=180_000)
    assert control.autoplay_button.text().startswith("멈추고 직접 하기")
    control.autoplay_button.click()  # Stop: the person takes over
    assert not demo.autoplay.running
    assert demo.lobby.current == "consent"  # left where it was, for the person to carry on
    assert control.autoplay_button.text() == "자동 시연 · Autoplay"
    errors: list[str] = []
    demo.autoplay.failed.connect(errors.append)
    control.autoplay_button.click()  # and Autoplay again: it starts over from the welcome screen
    qtbot.waitUntil(lambda: not demo.autoplay.running, timeout=480_000)
    assert errors == []
    assert demo.autoplay.lines[0].startswith("키오스크를 첫 화면으로 돌려요")
    assert demo.autoplay.lines[-1].startswith("자동 시연을 마쳤어요: 방문자 1명")


@pytest.mark.slow
def test_a_scripted_walk_in_is_called_from_the_desk_with_one_action(qtbot: QtBot, demo: CenterDemo) -> None:
    demo.control.walk_button.click()
    status = demo.control.walk_status
    qtbot.waitUntil(lambda: "발급" in status.text() or "[" in status.text(), timeout=180_000)
    match = re.search(r"번호표 (\S+) 발급", status.text())
    assert match is not None, status.text()
    assert "다음 번호 호출" in status.text()  # what the control window tells the person to press
    demo.desk.call_button.click()  # whatever line the desk's selector shows
    qtbot.waitUntil(lambda: demo.desk.current is not None, timeout=30_000)
    assert demo.desk.current is not None and demo.desk.current.display == match.group(1)


def test_stop_leaves_the_windows_to_a_person(qtbot: QtBot) -> None:
    player = Autoplay(pace=FAST)
    seen: list[str] = []
    closed: list[bool] = []
    player.narrated.connect(seen.append)

    def script() -> Script:
        try:
            yield Say("one")
            yield Wait(lambda: False, "something that never happens", timeout_s=600)
            yield Say("never")
        finally:
            closed.append(True)  # the script is ended, not merely paused: it can tap nothing more

    player.start(script())
    qtbot.waitUntil(lambda: seen == ["one"])
    with qtbot.waitSignal(player.runningChanged, timeout=1000) as changed:
        player.stop()  # the person takes over mid-wait
    assert changed.args == [False]
    assert not player.running and closed == [True]
    assert seen == ["one"]


def test_a_wait_that_never_ends_fails_in_words(qtbot: QtBot) -> None:
    player = Autoplay(pace=FAST)

    def script() -> Script:
        yield Pause(10)
        yield Wait(lambda: False, "the ticket", timeout_s=0.2)

    with qtbot.waitSignal(player.failed, timeout=5000) as failed:
        player.start(script())
    assert "the ticket" in failed.args[0]
    assert not player.running


def test_a_step_that_breaks_stops_the_tour_with_the_reason(qtbot: QtBot) -> None:
    player = Autoplay(pace=FAST)

    def script() -> Script:
        yield Say("tap")
        raise RuntimeError("the button is not enabled")

    with qtbot.waitSignal(player.failed, timeout=5000) as failed:
        player.start(script())
    assert "not enabled" in failed.args[0]


def test_a_press_by_hand_takes_over_but_not_one_in_the_control_window(qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    player = Autoplay(pace=FAST)
    control, kiosk_button = QPushButton("stop"), QPushButton("상담 접수 시작")
    for widget in (control, kiosk_button):
        qtbot.addWidget(widget)
        widget.show()
        qtbot.waitExposed(widget)
    hands = HandsOn(player, control)

    def script() -> Script:
        yield Wait(lambda: False, "a person", timeout_s=600)

    player.start(script())
    qtbot.mouseClick(control, Qt.MouseButton.LeftButton)  # the control window's own buttons decide
    assert player.running
    with qtbot.waitSignal(hands.tookOver, timeout=2000):
        qtbot.mouseClick(kiosk_button, Qt.MouseButton.LeftButton)  # a hand on the kiosk
    assert not player.running
    player.start(script())
    kiosk_button.click()  # Autoplay's own presses (click / animateClick) are no takeover
    assert player.running
    player.stop()
