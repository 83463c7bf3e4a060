"""Consent by SMS code at the kiosk, against a real hub (uvicorn on 127.0.0.1) sending through the
emulated SMSC: the code is read from the emulated phone's inbox, as the visitor reads their phone.

- someone who cannot sign types their number, gets a code, types a wrong one (told how many tries are
  left), asks again until the hub's throttle says no, then types the newest code: the visit reaches the
  desk with consent "sms";
- a number that is no mobile is refused in Korean before anything is sent;
- in English the pages show no Hangul, and at extra-large text in low reach every label fits and every
  control sits in the bottom half; after 3 minutes the code is refused on screen ("Send again");
- a hub that sends no SMS offers no SMS option; the idle wipe forgets the number and the code.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from PySide6.QtWidgets import QAbstractButton, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from config import load_settings
from kiosk.context import AppContext
from tests.ui.lobby.helpers import all_texts, flush, visible_controls
from tests.ui.lobby.test_layout_and_language import LABEL_MARGIN_MM, _label_overflow
from ui.theme import ScreenMetrics

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("lobby-hub")]

PHONE = "010-2345-6789"
DIGITS = "01023456789"
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _center(directory: Path, sms: str | None) -> Iterator[Any]:
    from kiosk.demo.center import start_demo_center

    demo = start_demo_center(load_settings(), directory, sms=sms)
    yield demo
    demo.close()


@pytest.fixture(scope="module")
def center(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A center hub whose SMS goes through the emulated SMSC (``center.sms``); each test its own number
    (the hub sends at most 3 codes to one number in 10 minutes)."""
    yield from _center(tmp_path_factory.mktemp("center"), "smpp")


@pytest.fixture
def center_without_sms(tmp_path: Path) -> Iterator[Any]:
    yield from _center(tmp_path / "center", None)


def _lobby(make_lobby: Any, center: Any, tmp_path: Path) -> Any:
    """A lobby with the visit workflow and the hub link, no devices (so signing is on the screen)."""
    from ui.lobby.emulated import _sessions, _workflow, attach_hub
    from ui.lobby.services import LobbyServices

    ctx = AppContext(db_url_option=f"sqlite:///{tmp_path / 'lobby.db'}")
    services = LobbyServices(settings=load_settings(), sessions=_sessions(ctx, create_tables=True))
    _workflow(services)
    attach_hub(services, center.url, center.lobby_token, sync_interval_s=0.3)
    services.closers.append(ctx.engine.dispose)
    return make_lobby(services)


def _to_signing(lobby: Any, qtbot: QtBot, phone: str = PHONE) -> Any:
    lobby.primary.click()  # 상담 접수
    identify = lobby.screens["identify"]
    identify.manual.click()
    identify.name_edit.setText("김민수")
    identify.birth_edit.setText("1979-05-02")
    identify.phone_edit.setText(phone)
    lobby.primary.click()
    qtbot.waitUntil(lambda: lobby.draft.flow is not None and lobby.current == "consent", timeout=20000)
    consent = lobby.screens["consent"]
    consent.agree_required.click()
    lobby.primary.click()  # 서명하러 가기
    assert consent.mode == "sign"
    return consent


def _press(pad: Any, digits: str) -> None:
    for digit in digits:
        pad.keys[digit].click()


def _shoot(lobby: Any, name: str) -> None:
    """A reviewer's look at the screen: KIOSK_SHOTS=DIR pytest …"""
    if os.environ.get("KIOSK_SHOTS"):
        flush()
        lobby.grab().save(str(Path(os.environ["KIOSK_SHOTS"]) / f"{name}.png"))


def _code_in(texts: list[str]) -> str:
    codes = [m.group(1) for text in texts if "인증번호" in text for m in [re.search(r"(\d{6})", text)] if m]
    return codes[-1] if codes else ""


def test_a_visitor_who_cannot_sign_consents_by_the_code_sent_to_their_phone(
    make_lobby: Any, center: Any, qtbot: QtBot, tmp_path: Path
) -> None:
    lobby = _lobby(make_lobby, center, tmp_path)
    consent = _to_signing(lobby, qtbot)
    option = consent.sms
    qtbot.waitUntil(lambda: option.button.isVisible(), timeout=10000)  # the hub sends SMS
    assert option.button.text() == "문자 인증으로 동의하기"
    _shoot(lobby, "consent-sms-offered")
    option.button.click()
    page = option.page
    assert consent.mode == "sms" and lobby.title_label.text() == "문자 인증으로 동의해요"
    # The number the visitor gave is there already, masked beyond what they need to check.
    assert page.number_pad.display.text() == "010-****-6789" and "2345" not in page.number_pad.display.text()
    _shoot(lobby, "consent-sms-number")

    # A slip: a landline is refused in Korean at once, nothing is sent.
    page.number_pad.keys["clear"].click()
    _press(page.number_pad, "0212345678")
    assert lobby.primary.isEnabled()
    lobby.primary.click()
    qtbot.waitUntil(lambda: "휴대전화 번호가 아니에요" in page.status.text(), timeout=10000)
    assert page.step == "number" and center.sms.inbox("0212345678") == []

    page.number_pad.keys["clear"].click()
    _press(page.number_pad, DIGITS)
    lobby.primary.click()  # 인증번호 받기
    qtbot.waitUntil(lambda: page.step == "code", timeout=10000)
    assert "인증번호를 보냈어요 (010-****-6789)" in page.status.text()
    assert re.fullmatch(r"남은 시간 [23]분 \d\d초", page.countdown.text())
    assert page.resend.isVisible() and lobby.title_label.text() == "인증번호를 눌러 주세요"
    qtbot.waitUntil(lambda: bool(_code_in(center.sms.inbox(DIGITS))), timeout=10000)
    code = _code_in(center.sms.inbox(DIGITS))

    wrong = "000000" if code != "000000" else "111111"
    assert not lobby.primary.isEnabled()  # six digits first
    _press(page.code_pad, wrong)
    lobby.primary.click()
    qtbot.waitUntil(lambda: "인증번호가 맞지 않아요" in page.status.text(), timeout=10000)
    assert "4번 더" in page.status.text() and page.code_pad.digits == "" and page.step == "code"
    _shoot(lobby, "consent-sms-wrong-code")

    # 다시 보내기: a new code each time, until the hub says this number had enough for now.
    for sent in (2, 3):
        page.resend.click()
        qtbot.waitUntil(lambda n=sent: len(center.sms.inbox(DIGITS)) == n and not page.busy, timeout=10000)
    page.resend.click()
    qtbot.waitUntil(lambda: "여러 번 보냈어요" in page.status.text(), timeout=10000)
    assert page.step == "code" and len(center.sms.inbox(DIGITS)) == 3  # nothing more was sent
    code = _code_in(center.sms.inbox(DIGITS))  # the newest code is the one that counts

    _press(page.code_pad, code)
    lobby.primary.click()  # 인증하고 동의하기
    qtbot.waitUntil(lambda: lobby.current == "needs", timeout=20000)
    flow = lobby.draft.flow
    qtbot.waitUntil(lambda: flow.step == "needs", timeout=20000)  # the consent step is stored
    assert lobby.draft.signature is None

    from ui.lobby.tour import _enter_answer, answer_for

    needs = lobby.screens["needs"]
    while lobby.current == "needs":
        _enter_answer(needs, answer_for(needs.question))
        lobby.primary.click()
    results = lobby.screens["results"]
    qtbot.waitUntil(lambda: not results.loading and bool(results.cards), timeout=30000)
    lobby.primary.click()
    qtbot.waitUntil(lambda: lobby.draft.ticket is not None, timeout=30000)
    # The desk sees the visit, and that its consent was given by SMS code.
    desk = center.desk_client()
    try:
        case = desk.case(flow.visit_id)
        assert case.consent is not None and case.consent.method == "sms" and not case.consent.signed
    finally:
        desk.close()


def test_the_sms_pages_in_english_in_extra_large_text_and_low_reach(
    make_lobby: Any, center: Any, qtbot: QtBot, tmp_path: Path
) -> None:
    lobby = _lobby(make_lobby, center, tmp_path)
    lobby.set_language("en")
    consent = _to_signing(lobby, qtbot, "010-3456-7890")
    qtbot.waitUntil(lambda: consent.sms.button.isVisible(), timeout=10000)
    consent.sms.button.click()
    page = consent.sms.page
    lobby.primary.click()
    qtbot.waitUntil(lambda: page.step == "code", timeout=10000)
    flush()
    texts = [lobby.title_label.text(), lobby.primary.text()]
    for kind in (QLabel, QAbstractButton):
        texts += [w.text() for w in page.findChildren(kind) if w.isVisible()]
    texts += [w.accessibleName() for w in page.findChildren(QWidget) if w.isVisible()]
    assert "We sent a code to 010-****-7890" in page.status.text()
    assert [t for t in texts if HANGUL.search(t)] == []

    # Extra-large text in low reach: every label fits its key or button, every control sits low.
    lobby.set_text_size("extra_large")
    lobby.set_low_reach(True)
    flush()
    margin = ScreenMetrics(lobby.services.settings.lobby.screen_dpi).px(LABEL_MARGIN_MM)
    controls = visible_controls(lobby)
    cramped = [c.objectName() for c in controls if isinstance(c, QPushButton) and _label_overflow(c, margin)]
    assert cramped == []
    high = []
    for control in controls:
        shown = control.visibleRegion().boundingRect()
        if not shown.isEmpty() and control.mapTo(lobby, shown.topLeft()).y() < lobby.height() // 2:
            high.append(control.objectName())
    assert high == [] and page.code_pad.keys["5"] in controls

    # Three minutes later the code is gone: the countdown says so, only "Send again" helps.
    _press(page.code_pad, "123456")
    assert lobby.primary.isEnabled()
    with time_machine.travel(datetime.now(UTC) + timedelta(seconds=181), tick=True):
        qtbot.waitUntil(lambda: page.countdown.text() == "Time is up", timeout=5000)
        assert "expired" in page.status.text() and not lobby.primary.isEnabled()
        assert page.resend.isVisible() and page.resend.isEnabled()
    lobby.wipe_visit(reason="idle")  # the visitor walked away: nothing of them stays, not even masked
    assert page.sent is None and not [t for t in all_texts(lobby) if "7890" in t]


def test_no_sms_option_when_the_hub_sends_no_sms_and_the_wipe_forgets_the_number(
    make_lobby: Any, center_without_sms: Any, qtbot: QtBot, tmp_path: Path
) -> None:
    lobby = _lobby(make_lobby, center_without_sms, tmp_path)
    consent = _to_signing(lobby, qtbot)
    option = consent.sms
    assert option.link is not None
    qtbot.waitUntil(lambda: option.link.known_offered() is False, timeout=10000)  # the hub said 503
    flush()
    assert not option.button.isVisible() and consent.canvas.isVisible()  # signing stays, alone

    # Had the visitor reached the page (before the hub said no), the wipe forgets what was typed.
    option.open()
    _press(option.page.number_pad, DIGITS)
    assert consent.mode == "sms" and option.page.number_pad.digits == DIGITS
    lobby.wipe_visit(reason="idle")
    assert consent.mode == "items" and option.page.number_pad.digits == ""
    assert option.page.sent is None and "6789" not in option.page.number_pad.display.text()
    assert not [t for t in all_texts(lobby) if "6789" in t]  # nowhere on the screens, not even masked
    assert not option.page.isVisible()
