"""Issue 16: every question of the tour's consult path fits its screen — no scrolling to find an answer.

At every text size and in both languages the screen area's scroll bar is never needed; in low-reach mode
(every control in the bottom half) the range buttons and the keypad fit the half they are given too; and
only the shown screen counts for the area's size (a hidden taller one must not make it scroll).
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ui.lobby.tour import answer_for


def _scrolls(lobby: Any) -> int:
    """How far the screen area could scroll (0: everything is in view): what its scroll bar says, or
    what the shown screen needs beyond the room it has (the bar follows a posted layout request)."""
    for _ in range(3):
        QApplication.processEvents()  # the layout places what the screen just showed
    area = lobby.stack_area
    needed = area.widget().heightForWidth(area.viewport().width()) - area.viewport().height()
    return max(int(area.verticalScrollBar().maximum()), needed, 0)


def _questions(lobby: Any) -> Any:
    """The tour's debt visitor's questions one by one (answered directly once looked at)."""
    lobby.draft.answers["age"] = 52  # what the ID card told us
    lobby.go("needs")
    needs = lobby.screens["needs"]
    for _ in range(20):
        question = needs.question
        if lobby.current != "needs" or question is None:
            return
        yield needs, question
        if needs._exact and question.ranges:
            needs.exact.click()  # back to the range buttons the visitor taps
        needs.answer(answer_for(question))
        assert lobby.current != "needs" or needs.question is not question, needs.problem.text()


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("size", ["normal", "large", "extra_large"])
def test_every_question_fits_without_scrolling(lobby: Any, size: str, language: str):
    lobby.set_text_size(size)
    if language == "en":
        lobby.set_language("en")
    scrolled = [(q.id, far) for _needs, q in _questions(lobby) if (far := _scrolls(lobby))]
    assert not scrolled, f"screens that scroll at {size} ({language}): {scrolled}"


@pytest.mark.parametrize("language", ["ko", "en"])
def test_low_reach_puts_every_answer_in_the_bottom_half_without_scrolling(lobby: Any, language: str):
    if language == "en":
        lobby.set_language("en")
    lobby.set_low_reach(True)
    problems: list[str] = []
    for needs, question in _questions(lobby):
        views = [False, True] if question.ranges else [needs._exact]
        for exact in views:
            if exact != needs._exact:
                needs.exact.click()
            what = f"{question.id}{' (keypad)' if exact and question.keypad else ''}"
            if far := _scrolls(lobby):
                problems.append(f"{what} scrolls {far}px")
            controls = [b for b in lobby.findChildren(QPushButton) if b.isVisibleTo(lobby) and b.isEnabled()]
            for button in controls:
                top = button.mapTo(lobby, QPoint(0, 0)).y()
                if top < lobby.height() // 2:
                    problems.append(f"{what}: {button.objectName()} at {top}px of {lobby.height()}")
    assert not problems, problems


def test_a_hidden_taller_screen_does_not_make_the_shown_one_scroll(lobby: Any, qtbot: QtBot):
    tall = QWidget()
    column = QVBoxLayout(tall)
    for n in range(60):  # wrapped text, as on the results: the page's height depends on its width
        line = QLabel(f"줄 {n}: 빚을 갚는 방법(기간·이자)을 조정해 주는 제도예요")
        line.setWordWrap(True)
        column.addWidget(line)
    lobby.stack_area.add(tall)  # a page much taller than the window, never shown
    lobby.go("welcome")
    assert _scrolls(lobby) == 0
    lobby.stack.setCurrentWidget(tall)  # shown, it does scroll: the area sizes to the shown page only
    qtbot.waitUntil(lambda: _scrolls(lobby) > 0, timeout=2000)
    lobby.go("welcome")
    qtbot.waitUntil(lambda: _scrolls(lobby) == 0, timeout=2000)
