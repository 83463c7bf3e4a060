"""The desk's "내 서류 문자 보내기" against a real hub and the emulated SMSC: shown only for a case with a
signed document at a center with SMS; a click sends off the GUI thread and the desk shows the masked
number and until when the link works — or the hub's Korean refusal."""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import Qt

from tests.kiosk.hub.conftest import Hub
from tests.kiosk.web.test_document_pages import Center
from ui.desk.window import DeskWindow


@pytest.fixture
def desk(sms_desk: tuple[Hub, DeskWindow]) -> tuple[Center, DeskWindow]:
    hub, window = sms_desk
    return Center(hub), window


def _open(qtbot, window: DeskWindow, visit_id: str) -> None:  # type: ignore[no-untyped-def]
    window.load_case(uuid.UUID(visit_id))
    qtbot.waitUntil(lambda: window.case is not None and str(window.case.visit_id) == visit_id, timeout=10_000)


def test_the_button_sends_the_link_and_shows_the_masked_number_and_the_date(  # type: ignore[no-untyped-def]
    qtbot, desk: tuple[Center, DeskWindow]
) -> None:
    center, window = desk
    hub: Hub = center.hub
    assert hub.sms is not None
    button = window.tabs.send_link_button
    window.refresh_sms()
    qtbot.waitUntil(lambda: window.tabs.sms_available, timeout=10_000)
    unsigned = center.visit(sign=False)
    _open(qtbot, window, unsigned.visit_id)
    assert button.isHidden()  # nothing signed yet: nothing to send
    signed = center.visit()
    _open(qtbot, window, signed.visit_id)
    assert not button.isHidden() and button.text() == "내 서류 문자 보내기"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    result = window.tabs.link_result
    qtbot.waitUntil(lambda: "문자 두 통으로" in result.text(), timeout=10_000)
    assert f"010-****-{signed.phone[-4:]}" in result.text() and "까지 쓸 수 있어요" in result.text()
    assert signed.phone not in result.text()
    qtbot.waitUntil(lambda: len(hub.sms.inbox(signed.phone)) == 2, timeout=10_000)  # type: ignore[union-attr]
    # A signed visit without a number: the hub's Korean refusal, on the documents page itself.
    nobody = center.visit(phone=None)
    _open(qtbot, window, nobody.visit_id)
    assert result.text() == ""  # the last case's answer does not stay on screen
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "휴대전화 번호가 없어서" in result.text(), timeout=10_000)
    # Without SMS at the center the button goes away.
    window.tabs.set_sms_available(False)
    assert button.isHidden()
