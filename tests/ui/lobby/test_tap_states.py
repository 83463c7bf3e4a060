"""Every tap lands: a selected or pressed button looks different from an untouched one, on every button
kind, in both themes and at all three text sizes — measured on rendered pixels, not on style text."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QButtonGroup, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from config import load_settings
from tests.ui.lobby.helpers import flush
from ui.theme import TEXT_SIZES, THEMES, ScreenMetrics, Sizes, contrast_ratio, stylesheet
from ui.widgets.buttons import touch_button

ROLES = ("big", "key", "choice", "secondary")  # the kinds a visitor selects or presses
SELECTED_FILL_CONTRAST = 3.0  # the fill alone (not only the outline) tells selected from not


def _sizes(text_size: str) -> Sizes:
    cfg = load_settings().lobby
    return Sizes.make(
        ScreenMetrics(cfg.screen_dpi), getattr(cfg.text_mm, text_size), cfg.min_touch_mm, cfg.keypad_key_mm
    )


def _styled(qtbot: QtBot, theme: str, text_size: str, role: str) -> tuple[QWidget, QPushButton]:
    page = QWidget()
    page.setStyleSheet(stylesheet(theme, _sizes(text_size)))
    layout = QVBoxLayout(page)
    button = touch_button("빚 갚기가 힘들어요", role=role, checkable=True)
    layout.addWidget(button)
    qtbot.addWidget(page)
    page.resize(900, 400)
    page.show()
    flush()
    return page, button


def _fill(image: QImage) -> str:
    """The colour covering most of the button: its fill."""
    counts: Counter[int] = Counter()
    for y in range(0, image.height(), 3):
        for x in range(0, image.width(), 3):
            counts[image.pixel(x, y) & 0xFFFFFF] += 1
    return f"#{counts.most_common(1)[0][0]:06X}"


def _grab(button: QPushButton) -> QImage:
    flush()
    return button.grab().toImage()


def _differing_share(a: QImage, b: QImage) -> float:
    assert a.size() == b.size()
    differing = total = 0
    for y in range(0, a.height(), 2):
        for x in range(0, a.width(), 2):
            total += 1
            differing += a.pixel(x, y) != b.pixel(x, y)
    return differing / total


@pytest.mark.parametrize("text_size", TEXT_SIZES)
@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("role", ROLES)
def test_selected_and_pressed_are_visibly_different(
    qtbot: QtBot, theme: str, text_size: str, role: str
) -> None:
    _page, button = _styled(qtbot, theme, text_size, role)
    plain = _grab(button)
    button.setChecked(True)
    selected = _grab(button)
    button.setChecked(False)
    button.setDown(True)  # what Qt shows while a finger is on it
    pressed = _grab(button)
    button.setDown(False)
    again = _grab(button)

    assert _differing_share(plain, selected) > 0.5, "selected looks like unselected"
    assert contrast_ratio(_fill(plain), _fill(selected)) >= SELECTED_FILL_CONTRAST
    assert _differing_share(plain, pressed) > 0.5, "pressed looks like untouched"
    assert _fill(pressed) != _fill(selected) or role == "key"  # keys are pressed, never selected
    assert again == plain  # deselecting really goes back


@pytest.mark.parametrize("theme", THEMES)
def test_a_second_tap_in_a_multi_choice_visibly_deselects(qtbot: QtBot, theme: str) -> None:
    page = QWidget()
    page.setStyleSheet(stylesheet(theme, _sizes("normal")))
    layout = QVBoxLayout(page)
    group = QButtonGroup(page)
    group.setExclusive(False)  # as a multi-choice question: several may be chosen
    buttons = [
        touch_button(text, role="big", checkable=True) for text in ("아파서 입원했어요", "일을 잃었어요")
    ]
    for button in buttons:
        group.addButton(button)
        layout.addWidget(button)
    qtbot.addWidget(page)
    page.resize(900, 500)
    page.show()
    flush()
    first = buttons[0]
    untouched = _grab(first)
    QTest.mouseClick(first, Qt.MouseButton.LeftButton)
    flush()
    chosen = _grab(first)
    QTest.mouseClick(first, Qt.MouseButton.LeftButton)
    flush()
    assert first.isChecked() is False
    assert _differing_share(untouched, chosen) > 0.5
    assert _grab(first) == untouched


@pytest.mark.parametrize("text_size", ["normal", "extra_large"])
@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("role", ["primary", "chrome", "staff"])
def test_pressing_an_action_button_shows(qtbot: QtBot, theme: str, text_size: str, role: str) -> None:
    _page, button = _styled(qtbot, theme, text_size, role)
    plain = _grab(button)
    button.setDown(True)
    pressed = _grab(button)
    button.setDown(False)
    assert _differing_share(plain, pressed) > 0.5
    assert contrast_ratio(_fill(plain), _fill(pressed)) >= 1.5  # a clear change of the fill
    assert _grab(button) == plain
