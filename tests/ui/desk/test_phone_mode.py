"""The desk's phone-counseling mode against a real hub and the emulated SMSC: the counselor types the
caller's number, ticks what the caller agreed to, sends the code, types what the caller reads back from
the phone, and the phone visit's case opens — consent by SMS, identity not checked by card."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import time_machine
from PySide6.QtCore import Qt

from config.consent import consent_set
from tests.kiosk.hub.conftest import Hub
from ui.desk.phone_mode import PhoneModeDialog
from ui.desk.window import DeskWindow

CALLER = "01098765432"


def _shot(widget: object, directory: Path, name: str) -> None:
    """A PNG for a reviewer to look at (pytest's tmp directory of the test)."""
    widget.grab().save(str(directory / f"desk-phone-{name}.png"))  # type: ignore[attr-defined]


def _send_code_to_caller(qtbot, window: DeskWindow) -> PhoneModeDialog:  # type: ignore[no-untyped-def]
    """A new phone call: the caller's number typed, the required items ticked, the code's send pressed."""
    dialog = window.open_phone_mode()
    qtbot.keyClicks(dialog.phone_edit, CALLER)
    for item_id in consent_set().required_ids():
        dialog.item_boxes[item_id].setChecked(True)
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    return dialog


def test_a_caller_consents_by_the_code_read_back_and_the_case_opens(  # type: ignore[no-untyped-def]
    qtbot, sms_desk: tuple[Hub, DeskWindow], tmp_path: Path
) -> None:
    hub, window = sms_desk
    assert hub.sms is not None
    qtbot.mouseClick(window.phone_button, Qt.MouseButton.LeftButton)
    dialog: PhoneModeDialog = window.phone_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    # a landline is refused on the spot, in Korean, before anything goes to the hub
    qtbot.keyClicks(dialog.phone_edit, "02-123-4567")
    assert "010" in dialog.phone_hint.text() and not dialog.send_button.isEnabled()
    dialog.phone_edit.clear()
    qtbot.keyClicks(dialog.phone_edit, "010-9876-5432")
    assert dialog.phone_hint.text() == "010-****-5432로 보내요"
    dialog.name_edit.insert("김민")  # (QTest types ASCII only)
    qtbot.keyClicks(dialog.name_edit, "7")  # the name is kept in clear: digits do not go in
    dialog.name_edit.insert("준")
    assert dialog.name_edit.text() == "김민준"
    # the required items are read out and ticked; until then nothing can be sent
    assert not dialog.send_button.isEnabled()
    for item in consent_set().items:
        if item.required:
            dialog.item_boxes[item.id].setChecked(True)
    assert dialog.send_button.isEnabled()
    _shot(dialog, tmp_path, "1-before-send")
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=10_000)
    assert "010-****-5432로 인증번호를 보냈어요" in dialog.sent_label.text()
    assert dialog.phone_edit.text() == ""  # the number is shown masked only from here on
    assert dialog.time_label.text().startswith(("남은 시간 3:00", "남은 시간 2:5"))
    qtbot.waitUntil(lambda: bool(hub.sms.inbox(CALLER)), timeout=10_000)  # type: ignore[union-attr]
    text = hub.sms.inbox(CALLER)[-1]
    code = re.findall(r"(?<!\d)(\d{6})(?!\d)", text)[0]
    assert "동의하지 않는 항목" in text  # the LMS sums up what was and was not agreed
    # a wrong code says how many tries are left and keeps the mode open
    wrong = "000000" if code != "000000" else "111111"
    qtbot.keyClicks(dialog.code_edit, wrong)
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "4번 더" in dialog.message.text(), timeout=10_000)
    _shot(dialog, tmp_path, "2-code-sent")
    # three minutes on, the code is dead: the countdown says so and only "다시 보내기" helps
    with time_machine.travel(datetime.now(UTC) + timedelta(seconds=181), tick=True):
        qtbot.waitUntil(lambda: "3분이 지났어요" in dialog.message.text(), timeout=5_000)
        assert dialog.time_label.text() == "남은 시간 0:00"
        qtbot.keyClicks(dialog.code_edit, code)
        assert not dialog.confirm_button.isEnabled()
        qtbot.mouseClick(dialog.resend_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(hub.sms.inbox(CALLER)) == 2, timeout=10_000)  # type: ignore[union-attr]
        qtbot.waitUntil(lambda: dialog.time_label.text().startswith("남은 시간 2:5"), timeout=5_000)
        fresh = re.findall(r"(?<!\d)(\d{6})(?!\d)", hub.sms.inbox(CALLER)[-1])[0]  # type: ignore[union-attr]
        dialog.code_edit.clear()
        qtbot.keyClicks(dialog.code_edit, fresh)
        qtbot.keyClick(dialog.code_edit, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 2, timeout=10_000)
    assert "휴대전화 문자 인증으로 동의를 받았어요" in dialog.done_label.text()
    assert "전화(본인 확인 안 됨)" in dialog.done_label.text()
    _shot(dialog, tmp_path, "3-confirmed")
    # the case opens behind it like a called visit's: consent by SMS, nobody saw a card
    qtbot.waitUntil(lambda: window.case is not None and window.case.consent is not None, timeout=10_000)
    case = window.case
    assert case is not None and case.consent is not None
    assert case.consent.method == "sms" and case.identity[0].result == "not_checked"
    assert case.person is not None and case.person.name_masked == "김*준"
    assert any("전화(본인 확인 안 됨)" in n.text for n in case.notes)
    assert window.called_label.text() == "전화 상담 중"
    # the counselor reads what kind of visit it is, not "번호표만 받은 분" or raw codes
    assert window.tabs.summary.text().startswith("전화 상담이에요")
    assert "동의 방법: 휴대전화 문자 인증" in window.tabs.identity.text()
    assert "phone_call" not in window.tabs.identity.text()
    qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
    _shot(window, tmp_path, "4-case-open")
    # a number that got its 3 codes in 10 minutes gets no fourth: the hub's wait is said, the code stays
    again = _send_code_to_caller(qtbot, window)
    qtbot.waitUntil(lambda: again.pages.currentIndex() == 1, timeout=10_000)
    qtbot.mouseClick(again.resend_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "여러 번 보냈어요" in again.message.text(), timeout=10_000)
    assert "뒤에 다시 시도해 주세요" in again.message.text() and again.pages.currentIndex() == 1
    # refused on its very first code, a new call's visit stays open for that number, to ask again later
    later = _send_code_to_caller(qtbot, window)
    qtbot.waitUntil(lambda: "여러 번 보냈어요" in later.message.text(), timeout=10_000)
    assert later.pages.currentIndex() == 0 and later.visit_id is not None
    assert later.phone_edit.text() == "" and not later.phone_edit.isEnabled()
    assert later.phone_hint.text() == "010-****-5432로 보내요" and later.send_button.isEnabled()


def test_without_sms_the_mode_says_so_and_opens_nothing(  # type: ignore[no-untyped-def]
    qtbot, plain_desk: tuple[Hub, DeskWindow]
) -> None:
    _hub, window = plain_desk
    dialog = _send_code_to_caller(qtbot, window)
    qtbot.waitUntil(lambda: "문자 서비스를 지금 쓸 수 없어요" in dialog.message.text(), timeout=10_000)
    assert dialog.pages.currentIndex() == 0 and dialog.visit_id is None
    assert dialog.send_button.isEnabled()  # nothing was opened: it may be tried again later


def test_a_caller_who_confirms_on_the_consent_page_needs_no_code_read_back(  # type: ignore[no-untyped-def]
    qtbot, sms_desk: tuple[Hub, DeskWindow]
) -> None:
    """The LMS's link: the caller chooses each item on the phone and types the code there; the desk hears
    it and records the consent with the caller's own choices — the counselor types nothing more."""
    from urllib.parse import urlencode

    import httpx

    hub, window = sms_desk
    assert hub.sms is not None
    with qtbot.waitSignal(window.adapter.connectionChanged, timeout=30_000):  # TLS + a retry on a busy CI
        window.start()  # the desk's event stream: how it hears the page
    dialog = window.open_phone_mode()
    qtbot.keyClicks(dialog.phone_edit, CALLER)
    for item in consent_set().items:
        dialog.item_boxes[item.id].setChecked(True)  # the counselor ticked everything read out…
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=10_000)
    qtbot.waitUntil(lambda: bool(hub.sms.inbox(CALLER)), timeout=10_000)  # type: ignore[union-attr]
    text = hub.sms.inbox(CALLER)[-1]  # type: ignore[union-attr]
    link = re.search(r"https?://\S+(/m/c/[A-Za-z0-9_-]{24})", text)
    assert link is not None
    code = re.findall(r"(?<!\d)(\d{6})(?!\d)", text)[0]
    # …but the caller refuses the optional items on the page
    choices = {item.id: ("yes" if item.required else "no") for item in consent_set().items}
    with httpx.Client(verify=False) as phone:  # the phone does not pin the center's CA
        answer = phone.post(
            window.adapter.client.base_url + link.group(1),  # the served hub (the settings' URL is a default)
            content=urlencode({**choices, "code": code}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            follow_redirects=True,
        )
    assert answer.status_code == 200 and "동의가 확인됐어요" in answer.text
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 2, timeout=10_000)
    assert "문자 링크에서 하나씩 골랐어요" in dialog.done_label.text()
    qtbot.waitUntil(lambda: window.case is not None and window.case.consent is not None, timeout=10_000)
    consent = window.case.consent  # type: ignore[union-attr]
    assert consent is not None and consent.method == "sms"
    granted = {item_id for item_id, item in consent.items.items() if item["granted"]}
    assert granted == set(consent_set().required_ids())  # the caller's choices, not the counselor's ticks
