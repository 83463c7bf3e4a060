"""The ticket screen's SMS, driven through the real window against a real center hub (uvicorn over TLS,
the emulated SMSC): the opt-in typed on the big keypad, then the desk's call reaches the emulated phone;
no SMS button at all when the hub has no SMS; on a printer failure "번호를 문자로 받기" only with SMS and
a number, and "보냈어요" only once the hub took it."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from config import load_settings
from tests.polling import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("lobby-hub")]
_PHONES = (f"0107531{n:04d}" for n in itertools.count(1))


def _center(tmp_path_factory: pytest.TempPathFactory, tls: Any, sms: str | None) -> Any:
    from kiosk.demo.center import start_demo_center

    return start_demo_center(load_settings(), tmp_path_factory.mktemp("center"), tls=tls.files, sms=sms)


@pytest.fixture(scope="module")
def center(tmp_path_factory: pytest.TempPathFactory, center_tls: Any) -> Iterator[Any]:
    """A center hub with SMS through the emulated SMSC (shared by this module's tests: hubs cost seconds)."""
    demo = _center(tmp_path_factory, center_tls, "smpp")
    yield demo
    demo.close()


@pytest.fixture(scope="module")
def center_without_sms(tmp_path_factory: pytest.TempPathFactory, center_tls: Any) -> Iterator[Any]:
    demo = _center(tmp_path_factory, center_tls, None)
    yield demo
    demo.close()


def _ticket_shown(make_lobby: Any, emulated: Any, center: Any, qtbot: QtBot, *, phone: str = "") -> Any:
    """A ticket-only visitor at a lobby linked to ``center`` takes a number on line A."""
    from ui.lobby.emulated import attach_hub

    services, _ctx = emulated
    attach_hub(services, center.url, center.lobby_token, sync_interval_s=0.3, ca_pem=center.ca_pem)
    lobby = make_lobby(services)
    lobby.screens["welcome"].ticket_only.click()
    if phone:
        lobby.draft.manual = {"phone": phone}  # as the intake would have it
    ticket = lobby.screens["ticket"]
    ticket.line_buttons["A"].click()
    qtbot.waitUntil(lambda: ticket.mode == "shown", timeout=30000)
    assert not lobby.draft.ticket.offline
    return lobby, ticket


def _call_next(center: Any, desk: str = "4") -> Any:
    client = center.desk_client()
    try:
        return client.call_next("A", desk)
    finally:
        client.close()


def _drain(center: Any) -> None:
    """The center is shared by this module: whoever still waits on line A from another test is called."""
    while _call_next(center, "0") is not None:
        pass


def _worker_idle(lobby: Any, qtbot: QtBot) -> None:
    """Every job the screen gave the worker thread so far has answered (the worker runs them in order)."""
    done: list[bool] = []
    lobby.worker.submit(lambda: None, lambda _r: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=15000)


def test_opt_in_on_the_keypad_then_the_call_reaches_the_phone(
    make_lobby: Any, emulated: Any, center: Any, qtbot: QtBot
) -> None:
    _drain(center)
    phone = next(_PHONES)
    _lobby, ticket = _ticket_shown(make_lobby, emulated, center, qtbot)
    panel = ticket.sms_panel
    qtbot.waitUntil(panel.isVisible, timeout=15000)
    assert panel.question.text() == "차례가 가까워지면 문자로 알려 드릴까요?"
    assert not panel.use_known.isVisible()  # no number from an intake: only typing
    panel.type_number.click()
    assert panel.keypad.isVisible() and not panel.send.isEnabled()
    for digit in "0109":  # a slip, then ← 하나 지우기
        panel.keys[digit].click()
    panel.keys["back"].click()
    for digit in phone[3:]:
        panel.keys[digit].click()
    assert panel.display.text() == f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"
    panel.send.click()
    masked = f"010-****-{phone[-4:]}"
    qtbot.waitUntil(lambda: panel.state == "done", timeout=15000)
    assert panel.question.text() == f"문자로 알려 드릴게요 ({masked})"
    assert phone not in " ".join(w.text() for w in (panel.question, panel.note, panel.display))

    called = _call_next(center)
    assert called is not None and called.display == ticket.ticket_number()
    texts = wait_until(lambda: center.sms.inbox(phone), 15.0, message="the call on the emulated phone")
    assert texts == [f"[서민금융센터] {called.display}번 손님, 4번 창구로 와 주세요."]


def test_the_intakes_number_is_offered_first_and_the_screen_speaks_english(
    make_lobby: Any, emulated: Any, center: Any, qtbot: QtBot
) -> None:
    phone = next(_PHONES)
    lobby, ticket = _ticket_shown(make_lobby, emulated, center, qtbot, phone=phone)
    panel = ticket.sms_panel
    qtbot.waitUntil(panel.isVisible, timeout=15000)
    masked = f"010-****-{phone[-4:]}"
    assert panel.use_known.isVisible() and panel.use_known.text() == f"{masked}로 받기"
    assert panel.type_number.text() == "다른 번호 누르기"
    lobby.set_language("en")
    qtbot.waitUntil(lambda: panel.question.text() == "Shall we text you when your turn is near?")
    assert panel.use_known.text() == f"Send to {masked}"
    panel.use_known.click()
    qtbot.waitUntil(lambda: panel.state == "done", timeout=15000)
    assert panel.question.text() == f"We'll text you when your turn is near ({masked})"


def test_a_typed_number_that_is_not_a_mobile_is_refused_in_korean(
    make_lobby: Any, emulated: Any, center: Any, qtbot: QtBot
) -> None:
    _lobby, ticket = _ticket_shown(make_lobby, emulated, center, qtbot)
    panel = ticket.sms_panel
    qtbot.waitUntil(panel.isVisible, timeout=15000)
    panel.type_number.click()
    for digit in "0212345678":  # a Seoul landline
        panel.keys[digit].click()
    panel.send.click()
    assert panel.state == "typing" and "휴대전화 번호가 아니에요" in panel.note.text()
    assert panel.note.isVisible()


def test_printer_failure_offers_the_number_by_sms_and_says_sent_only_after_the_hub_took_it(
    make_lobby: Any, emulated: Any, center: Any, qtbot: QtBot
) -> None:
    services, _ctx = emulated
    services.emulators["printer"].paper_out()
    phone = next(_PHONES)
    lobby, ticket = _ticket_shown(make_lobby, emulated, center, qtbot, phone=phone)
    qtbot.waitUntil(lambda: lobby.draft.printed == "failed", timeout=30000)
    qtbot.waitUntil(ticket.sms.isVisible, timeout=15000)  # SMS offered and a number known
    assert ticket.sms.text() == "번호를 문자로 받기"
    assert "보냈어요" not in ticket.print_status.text() + lobby.notice.text()
    ticket.sms.click()
    qtbot.waitUntil(lambda: "보냈어요" in ticket.print_status.text(), timeout=15000)
    assert f"010-****-{phone[-4:]}" in ticket.print_status.text() and phone not in ticket.print_status.text()
    assert lobby.notice.text() == "문자로 보냈어요."
    assert not ticket.sms.isVisible()  # sent once; a second tap would send nothing new
    texts = wait_until(lambda: center.sms.inbox(phone), 15.0, message="the number on the emulated phone")
    said = "차례가 되면 화면과 안내 방송으로 불러 드려요."
    assert texts == [f"[서민금융센터] 번호표는 {ticket.ticket_number()}번이에요. {said}"]


def test_printer_failure_when_the_hub_cannot_take_it_says_not_sent(
    make_lobby: Any, emulated: Any, center: Any, qtbot: QtBot
) -> None:
    services, _ctx = emulated
    services.emulators["printer"].paper_out()
    phone = next(_PHONES)
    lobby, ticket = _ticket_shown(make_lobby, emulated, center, qtbot, phone=phone)
    qtbot.waitUntil(lambda: ticket.sms.isVisible() and lobby.draft.printed == "failed", timeout=30000)
    unknown = "00000000-0000-4000-8000-000000000000"  # a ticket the hub does not know: it refuses (404)
    ticket.ticket = lobby.draft.ticket = dataclasses.replace(ticket.ticket, ticket_id=unknown)
    ticket.sms.click()
    qtbot.waitUntil(lambda: "문자를 보내지 못했어요" in lobby.notice.text(), timeout=15000)
    assert "보냈어요" not in ticket.print_status.text()
    assert ticket.sms.isVisible() and ticket.sms.isEnabled()  # it may be tried again


def test_without_sms_at_the_hub_no_sms_is_offered_anywhere(
    make_lobby: Any, emulated: Any, center_without_sms: Any, qtbot: QtBot
) -> None:
    services, _ctx = emulated
    services.emulators["printer"].paper_out()
    lobby, ticket = _ticket_shown(make_lobby, emulated, center_without_sms, qtbot, phone=next(_PHONES))
    qtbot.waitUntil(lambda: lobby.draft.printed == "failed", timeout=30000)
    _worker_idle(lobby, qtbot)  # the hub's answer about SMS has reached the screen
    assert services.hub.sms_offered() is False  # asked on this (non-GUI) thread: the hub said no
    assert not ticket.sms_panel.isVisible() and not ticket.sms.isVisible()
    assert "문자" not in ticket.print_status.text()
    assert ticket.qr.isVisible()  # the honest fallback
