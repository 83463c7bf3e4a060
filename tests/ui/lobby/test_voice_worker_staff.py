"""Voice guidance (espeak-ng, offline), the workflow worker thread, and the hidden staff mode."""

from __future__ import annotations

import threading
import wave
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from ui.adapters.workflow_worker import WorkflowWorker
from ui.lobby.screens.staff import pin_matches
from ui.voice import VoiceGuide


def _wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as wav:
        return wav.getnframes() / wav.getframerate()


def _listen(voice: VoiceGuide) -> list[str]:
    # (qtbot.waitSignal on this signal crashes PySide6 6.12 under pytest-qt; poll a list instead)
    heard: list[str] = []
    voice.spoken.connect(heard.append)
    return heard


def test_voice_speaks_korean_offline_and_replays(qtbot: QtBot, tmp_path: Path) -> None:
    voice = VoiceGuide(default_enabled=True, default_rate_wpm=150, record_dir=tmp_path)
    heard = _listen(voice)
    voice.say("번호표를 받으세요.")
    qtbot.waitUntil(lambda: len(heard) == 1, timeout=15000)
    assert heard == ["번호표를 받으세요."]
    first = sorted(tmp_path.glob("*.wav"))
    assert len(first) == 1 and _wav_seconds(first[0]) > 0.5
    voice.set_rate(90)  # slower speech lasts longer
    voice.replay()
    qtbot.waitUntil(lambda: len(heard) == 2, timeout=15000)
    second = sorted(tmp_path.glob("*.wav"))[-1]
    assert _wav_seconds(second) > _wav_seconds(first[0])
    voice.reset()
    assert (voice.enabled, voice.rate_wpm, voice.last_text) == (True, 150, "")


def test_voice_off_stays_silent_until_replay_is_asked(qtbot: QtBot, tmp_path: Path) -> None:
    voice = VoiceGuide(default_enabled=False, record_dir=tmp_path)
    heard = _listen(voice)
    voice.say("본인 확인을 해 주세요.")
    assert not voice.is_speaking() and list(tmp_path.glob("*.wav")) == []
    voice.replay()  # 다시 듣기 works even with voice off
    qtbot.waitUntil(lambda: heard == ["본인 확인을 해 주세요."], timeout=15000)


def test_missing_voice_program_fails_calmly(qtbot: QtBot, tmp_path: Path) -> None:
    voice = VoiceGuide("/nonexistent/espeak-ng", default_enabled=True, record_dir=tmp_path)
    failures: list[str] = []
    voice.failed.connect(failures.append)
    voice.say("안녕하세요")
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert "missing" in failures[0]


def test_worker_runs_off_the_gui_thread_and_reports_back_on_it(qtbot: QtBot) -> None:
    worker = WorkflowWorker()
    gui = threading.get_ident()
    seen: dict[str, Any] = {}
    try:

        def job() -> int:
            seen["job_thread"] = threading.get_ident()
            return 42

        def done(value: int) -> None:
            seen["value"], seen["callback_thread"] = value, threading.get_ident()

        worker.submit(job, done)
        qtbot.waitUntil(lambda: "value" in seen, timeout=5000)
        assert seen["value"] == 42
        assert seen["job_thread"] != gui and seen["callback_thread"] == gui

        errors: list[Exception] = []
        worker.submit(lambda: 1 / 0, on_error=errors.append)
        qtbot.waitUntil(lambda: bool(errors), timeout=5000)
        assert isinstance(errors[0], ZeroDivisionError)
        assert worker.pending == 0
    finally:
        worker.stop()


def test_pin_check_plain_and_argon2() -> None:
    from argon2 import PasswordHasher

    assert pin_matches("2468", pin="2468", pin_hash="")
    assert not pin_matches("2469", pin="2468", pin_hash="")
    assert not pin_matches("", pin="", pin_hash="")
    hashed = PasswordHasher(time_cost=1, memory_cost=8192).hash("135790")
    assert pin_matches("135790", pin="", pin_hash=hashed)
    assert not pin_matches("135791", pin="", pin_hash=hashed)
    assert not pin_matches("135790", pin="", pin_hash="not-a-hash")


@pytest.mark.parametrize(("entered", "opens"), [("2468", True), ("1111", False)])
def test_hidden_gesture_and_pin_open_staff_mode(lobby: Any, qtbot: QtBot, entered: str, opens: bool) -> None:
    for _ in range(4):
        lobby.register_staff_tap()
    assert lobby.current == "welcome"  # four taps are not enough
    lobby.register_staff_tap()
    assert lobby.current == "staff_pin"
    pin_screen = lobby.screens["staff_pin"]
    for digit in entered:
        pin_screen.keypad.keys[digit].click()
    assert pin_screen.keypad.display.text() == "●" * len(entered)  # the PIN never shows
    lobby.primary.click()
    if opens:
        qtbot.waitUntil(lambda: lobby.current == "staff", timeout=5000)
        qtbot.waitUntil(lambda: "printer: not configured" in lobby.screens["staff"].health.toPlainText())
        lobby.primary.click()  # back to the kiosk, wiped
        assert lobby.current == "welcome"
    else:
        qtbot.waitUntil(lambda: lobby.notice.isVisible(), timeout=5000)
        assert lobby.current == "staff_pin"


def test_call_staff_names_the_step_not_the_person(lobby: Any, qtbot: QtBot) -> None:
    lobby.primary.click()
    lobby.staff_button.click()
    qtbot.waitUntil(lambda: bool(lobby.services.staff_calls), timeout=5000)
    assert lobby.services.staff_calls == [("lobby-1", "identify")]
    assert lobby.notice.isVisible()
