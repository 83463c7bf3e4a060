"""The demo's "휴대전화 (에뮬레이터)" window shows what the emulated phone received: the masked number,
the time and the whole text (a consent code included: that is the phone the visitor holds), live."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import Engine

from db.crypto import KeyRing
from db.session import make_sessionmaker
from ui.desk.phone_inbox import EMPTY, TITLE, PhoneInboxWindow


@pytest.fixture
def sms(sqlite_engine: Engine) -> Iterator[Any]:
    from kiosk.sms.emulated import EmulatedSms

    emulated = EmulatedSms(
        make_sessionmaker(sqlite_engine), KeyRing.generate(), "smpp", daytime_hours=(0, 24)
    )
    yield emulated
    emulated.close()


def test_the_window_shows_a_delivered_message_as_the_phone_does(
    qtbot: QtBot, sms: Any, tmp_path: Path
) -> None:
    window = PhoneInboxWindow(sms, interval_ms=50)
    qtbot.addWidget(window)
    window.resize(320, 260)
    window.show()
    assert window.windowTitle() == TITLE and "에뮬레이터" in TITLE
    assert window.empty.isVisible() and window.empty.text() == EMPTY

    message_id = sms.service.enqueue("consent_code", {"code": "482913"}, "01012345678")
    assert sms.service.wait_final([message_id], 10)
    qtbot.waitUntil(lambda: bool(window.texts()), timeout=10000)
    heading, text = window.texts()
    assert heading.startswith("010-****-5678 · 오") and ("시" in heading and "분" in heading)
    assert "482913" in text and text == sms.inbox("01012345678")[0]
    assert not any("01012345678" in t or "1234" in t for t in window.texts())  # the number masked
    assert not window.empty.isVisible()

    sms.service.enqueue("ticket_called", {"ticket": "B-012", "window": "3"}, "01098765432")
    qtbot.waitUntil(lambda: len(window.texts()) == 4, timeout=10000)
    assert "010-****-5432" in window.texts()[0]  # the newest on top
    assert "B-012" in window.texts()[1]
    if os.environ.get("KIOSK_SHOTS"):  # a reviewer's look: KIOSK_SHOTS=DIR pytest …
        window.grab().save(str(Path(os.environ["KIOSK_SHOTS"]) / "demo-phone.png"))


def test_no_emulator_means_an_empty_phone(qtbot: QtBot) -> None:
    window = PhoneInboxWindow(None)
    qtbot.addWidget(window)
    window.show()
    assert window.texts() == [] and window.empty.isVisible()
