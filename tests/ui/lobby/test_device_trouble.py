"""Bad input from devices: a printer out of paper, an unreadable card, an unplugged signature pad.
Each gets a calm message with what to do next, and the visit goes on with nothing typed lost."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("lobby-e2e")]


def test_printer_out_of_paper_offers_the_qr_then_prints_when_paper_is_back(
    make_lobby: Any, emulated: Any, qtbot: QtBot
) -> None:
    services, _ctx = emulated
    printer = services.emulators["printer"]
    lobby = make_lobby(services)
    printer.paper_out()
    lobby.screens["welcome"].ticket_only.click()
    ticket = lobby.screens["ticket"]
    ticket.line_buttons["A"].click()
    qtbot.waitUntil(lambda: ticket.mode == "shown", timeout=20000)
    number = ticket.number.text()
    assert number.startswith("A-")
    # The health poll sees the paper end; the visitor gets the QR at once, the number stays on screen.
    qtbot.waitUntil(lambda: lobby.draft.printed == "failed", timeout=20000)
    assert ticket.qr.isVisible()
    assert not ticket.sms.isVisible()  # no SMS gateway wired and no phone given: not offered
    assert not ticket.retry.isVisible()  # the spool still holds the job: a reprint would duplicate it
    assert "QR" in ticket.print_status.text() and ticket.number.text() == number
    import cv2
    from PySide6.QtGui import QImage

    image = ticket.qr.pixmap().toImage().convertToFormat(QImage.Format.Format_RGB888)
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    rgb = pixels[:, : image.width() * 3].reshape(image.height(), image.width(), 3)
    decoded, _points, _ = cv2.QRCodeDetector().detectAndDecode(rgb)
    assert decoded == ticket.qr_payload()
    # Staff load paper: the spool prints the same job, once.
    printer.recover()
    qtbot.waitUntil(lambda: lobby.draft.printed == "done", timeout=30000)
    assert printer.wait_for_jobs(1, timeout=10)
    assert len(printer.jobs) == 1 and number in printer.jobs[0].text


def test_guidance_from_the_scanner_is_shown_and_manual_entry_stays_open(
    make_lobby: Any, emulated: Any, qtbot: QtBot
) -> None:
    services, _ctx = emulated
    lobby = make_lobby(services)
    glass = services.emulators["scanner"]
    services.present_card = None  # nobody lays a card down: the glass shows only the desk
    lobby.primary.click()
    identify = lobby.screens["identify"]
    with glass._lock:
        glass._frame = np.full((1000, 1400, 3), 200, np.uint8)  # a blank, card-less frame
    identify.scan.click()
    qtbot.waitUntil(lambda: identify.guidance.isVisible() and identify.guidance.text() != "", timeout=20000)
    assert "카드" in identify.guidance.text()  # e.g. "카드를 올려 주세요"
    lobby.back_button.click()  # 이전 inside the screen: back to the choice of methods
    assert identify.mode == "choose"
    identify.manual.click()
    identify.birth_edit.setText("1971-02-03")
    assert identify.birth_edit.text() == "1971-02-03"


def test_unplugged_pad_switches_to_signing_on_the_screen(
    make_lobby: Any, emulated: Any, qtbot: QtBot
) -> None:
    services, _ctx = emulated
    pad = services.emulators["pad"]
    lobby = make_lobby(services)
    lobby.primary.click()
    lobby.screens["identify"].manual.click()
    lobby.screens["identify"].name_edit.setText("Kim")
    lobby.screens["identify"].birth_edit.setText("1971-02-03")
    lobby.primary.click()
    consent = lobby.screens["consent"]
    for card in consent.cards:
        card.agree.click()
    started: list[bool] = []
    consent.pad_adapter.started.connect(lambda: started.append(True))
    lobby.primary.click()
    qtbot.waitUntil(lambda: bool(started), timeout=10000)
    assert consent.method == "pad"
    pad.disconnect()  # the cable is pulled
    qtbot.waitUntil(lambda: consent.method == "screen", timeout=15000)
    assert lobby.notice.isVisible() and "화면" in lobby.notice.text()
    assert lobby.draft.consents  # the consent choices are kept
    from ui.lobby.tour import sign_on_canvas

    sign_on_canvas(consent.canvas)
    lobby.primary.click()
    qtbot.waitUntil(lambda: lobby.current == "needs", timeout=20000)
    assert lobby.draft.signature.device == "screen"


def test_staff_mode_shows_device_health_and_makes_a_test_print(
    make_lobby: Any, emulated: Any, qtbot: QtBot
) -> None:
    services, _ctx = emulated
    printer = services.emulators["printer"]
    lobby = make_lobby(services)
    for _ in range(5):
        lobby.register_staff_tap()
    for digit in services.settings.lobby.staff_pin:
        lobby.screens["staff_pin"].keypad.keys[digit].click()
    lobby.primary.click()
    qtbot.waitUntil(lambda: lobby.current == "staff", timeout=5000)
    staff = lobby.screens["staff"]
    qtbot.waitUntil(lambda: "printer: ready" in staff.health.toPlainText(), timeout=15000)
    assert "workflow: ready" in staff.health.toPlainText()
    staff.test_print.click()
    assert printer.wait_for_jobs(1, timeout=20)
    assert "T-000" in printer.jobs[0].text
