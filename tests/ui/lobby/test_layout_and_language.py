"""Layout that scales and one language per screen, on every lobby screen and sub-page:

- every button's label fits inside it with a margin at every text size (no label touching a border);
- low-reach mode puts every visible control in the bottom half of the window (KS X 9211);
- English mode shows no Hangul outside the language button; Korean mode no stray English words.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QPushButton, QWidget

from tests.ui.lobby.helpers import flush as _flush
from tests.ui.lobby.helpers import visible_controls
from tests.ui.lobby.test_touch_and_access import screen_states
from ui.theme import ScreenMetrics

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Latin that is Korean usage too: the other language's own button, and abbreviations printed on cards.
KOREAN_MODE_LATIN = {"English", "QR", "IC", "ID", "PIN", "SMS", "NICE"}  # NICE: a credit bureau's name
URL = re.compile(r"https?://\S+")  # a source's web address is not an English UI word
LABEL_MARGIN_MM = 1.0  # clear space between a label and its button's border


def _stray_latin(text: str) -> set[str]:
    return set(LATIN_WORD.findall(URL.sub("", text))) - KOREAN_MODE_LATIN


def flush() -> None:
    """Let posted events run, and finish deleteLater() of replaced widgets (a new question's buttons)."""
    _flush()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    _flush()


def _language_buttons(window: Any) -> set[QWidget]:
    welcome = window.screens["welcome"]
    return {welcome.lang_ko, welcome.lang_en}


def _shown_texts(window: Any) -> list[tuple[str, str]]:
    """(widget name, text) for every text a visitor sees or hears on screen right now."""
    skip = _language_buttons(window)
    found: list[tuple[str, str]] = []
    for widget in window.findChildren(QWidget):
        if widget in skip or not widget.isVisible():
            continue
        name = widget.objectName() or type(widget).__name__
        texts = [widget.accessibleName()]
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QLineEdit):
            texts += [widget.placeholderText(), widget.text()]
        found += [(name, text) for text in texts if text]
    return found


def _label_overflow(button: QPushButton, margin_px: int) -> str:
    """Why the label does not fit with ``margin_px`` to spare on every side, or "" if it does."""
    text = button.text()
    if not text:
        return ""
    metrics = button.fontMetrics()
    needed = metrics.boundingRect(QRect(0, 0, 100_000, 100_000), int(Qt.AlignmentFlag.AlignCenter), text)
    width, height = needed.width(), needed.height()
    if not button.icon().isNull():
        width += button.iconSize().width() + metrics.horizontalAdvance(" ")
        height = max(height, button.iconSize().height())
    border = 2  # the theme's border is at least 2 px
    room_w = button.width() - 2 * (border + margin_px)
    room_h = button.height() - 2 * (border + margin_px)
    if width > room_w or height > room_h:
        return f"label {width}x{height} in {button.width()}x{button.height()} (room {room_w}x{room_h})"
    return ""


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("text_size", ["normal", "large", "extra_large"])
def test_every_label_fits_its_button_with_a_margin(lobby: Any, language: str, text_size: str) -> None:
    lobby.set_language(language)
    lobby.set_text_size(text_size)
    margin = ScreenMetrics(lobby.services.settings.lobby.screen_dpi).px(LABEL_MARGIN_MM)
    checked = 0
    cramped: list[str] = []
    for state in screen_states(lobby):
        flush()
        for control in visible_controls(lobby):
            if isinstance(control, QPushButton):
                checked += 1
                problem = _label_overflow(control, margin)
                if problem:
                    cramped.append(f"{state}: {control.objectName() or control.text()!r} {problem}")
    assert checked > 100
    assert cramped == [], "\n".join(cramped)


@pytest.mark.parametrize("text_size", ["normal", "extra_large"])
def test_low_reach_puts_every_control_in_the_bottom_half(lobby: Any, text_size: str) -> None:
    welcome = lobby.screens["welcome"]
    welcome.low_reach.click()  # the visitor's own toggle
    assert lobby.low_reach
    lobby.set_text_size(text_size)
    half = lobby.height() // 2
    checked = 0
    too_high: list[str] = []
    for state in screen_states(lobby):
        flush()
        assert lobby.low_reach, f"{state}: low reach was lost"
        for control in visible_controls(lobby):
            # The part on the glass: a control scrolled out of a list is reached by scrolling, and the
            # list itself is in the bottom half.
            shown = control.visibleRegion().boundingRect()
            if shown.isEmpty():
                continue
            top = control.mapTo(lobby, shown.topLeft()).y()
            bottom = control.mapTo(lobby, shown.bottomLeft()).y()
            checked += 1
            if top < half or bottom > lobby.height():
                too_high.append(f"{state}: {control.objectName() or control.text()} at {top}..{bottom}")
    assert checked > 50
    assert too_high == [], f"window {lobby.height()} px, half {half}"


def test_low_reach_is_forgotten_with_the_visitor(lobby: Any) -> None:
    lobby.screens["welcome"].low_reach.click()
    assert lobby.has_something_to_forget()  # the idle clock runs: the next visitor must not inherit it
    lobby.wipe_visit(reason="start_over")
    assert not lobby.low_reach and not lobby.reach_spacer.isVisible()
    assert not lobby.screens["welcome"].low_reach.isChecked()


@pytest.mark.parametrize("text_size", ["normal", "extra_large"])
def test_english_mode_shows_no_hangul(lobby: Any, qtbot: Any, text_size: str) -> None:
    lobby.screens["welcome"].lang_en.click()
    qtbot.waitUntil(lambda: lobby.primary.text() == "Start")
    lobby.set_text_size(text_size)
    leaks: list[str] = []
    seen = 0
    for state in screen_states(lobby):
        flush()
        texts = _shown_texts(lobby)
        seen += len(texts)
        leaks += [f"{state}: {name}: {text!r}" for name, text in texts if HANGUL.search(text)]
    assert seen > 300  # the walk really read the screens
    assert leaks == [], "\n".join(leaks)


def test_korean_mode_shows_no_stray_english(lobby: Any) -> None:
    strays: list[str] = []
    seen = 0
    for state in screen_states(lobby):
        flush()
        texts = _shown_texts(lobby)
        seen += len(texts)
        for name, text in texts:
            if _stray_latin(text):
                strays.append(f"{state}: {name}: {text!r}")
    assert seen > 300
    assert strays == [], "\n".join(strays)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_chatbot_screen_fits_reaches_low_and_keeps_one_language(
    make_lobby: Any, qtbot: Any, language: str
) -> None:
    lobby = make_lobby(with_chat=True)
    welcome = lobby.screens["welcome"]
    if language == "en":
        welcome.lang_en.click()
        qtbot.waitUntil(lambda: lobby.primary.text() == "Start")
    welcome.size_buttons["extra_large"].click()
    welcome.low_reach.click()
    welcome.chat.click()
    chat = lobby.screens["chat"]
    qtbot.waitUntil(lambda: chat.ready, timeout=60_000)
    answers: list[object] = []
    chat.panel.answerShown.connect(answers.append)
    chat.panel.ask(
        "What do I bring for debt adjustment?" if language == "en" else "채무조정 서류 뭐 필요해요?"
    )
    qtbot.waitUntil(lambda: bool(answers), timeout=30_000)
    flush()
    margin = ScreenMetrics(lobby.services.settings.lobby.screen_dpi).px(LABEL_MARGIN_MM)
    half = lobby.height() // 2
    problems: list[str] = []
    for control in visible_controls(lobby):
        shown = control.visibleRegion().boundingRect()
        if not shown.isEmpty() and control.mapTo(lobby, shown.topLeft()).y() < half:
            problems.append(f"{control.objectName()} above the middle")
        if isinstance(control, QPushButton) and _label_overflow(control, margin):
            problems.append(f"{control.objectName()}: {_label_overflow(control, margin)}")
    texts = _shown_texts(lobby)
    if language == "en":
        problems += [f"{name}: {text!r}" for name, text in texts if HANGUL.search(text)]
    else:
        problems += [f"{name}: {text!r}" for name, text in texts if _stray_latin(text)]
    assert problems == [], "\n".join(problems)
