"""Issue 16: one tap per answer on the needs screen — a choice or a range button is the whole answer.

The tap shows as selected, then the next question comes by itself after a short pause; a second tap in
the pause is the one that counts; the keypad stays one tap away ("정확히 누를게요"); 이전 brings the
answer back selected; low reach keeps every control in the bottom half.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from kiosk.matching.ranges import AnswerRange
from ui.lobby.tour import answer_for


def _start(lobby: Any) -> Any:
    lobby.draft.answers["age"] = 52  # what the ID card told us
    lobby.go("needs")
    return lobby.screens["needs"]


def _to_range_question(lobby: Any) -> Any:
    """Answer (directly, not by taps) until a number question offers range buttons."""
    needs = _start(lobby)
    for _ in range(20):
        question = needs.question
        if lobby.current != "needs" or question is None or question.ranges:
            break
        needs.answer(answer_for(question))  # the tour's debt visitor, answered directly
        assert needs.question is not question, needs.problem.text()  # accepted, moved on
    assert needs.question is not None and needs.question.ranges, "no number question offered ranges"
    return needs


def _moved_on(lobby: Any, needs: Any, question: Any) -> Any:
    return lambda: lobby.current != "needs" or needs.question is not question


def test_a_choice_tap_selects_and_a_second_tap_in_the_pause_wins(lobby: Any, qtbot: QtBot):
    needs = _start(lobby)
    question = needs.question
    assert question.id == "purpose" and needs.one_tap
    assert not lobby.primary.isVisibleTo(lobby)  # no 다음 to look for: the tap is the answer
    first, second = needs.choice_buttons[0], needs.choice_buttons[1]
    first.click()
    assert first.isChecked() and needs.question is question  # seen as selected, still here
    second.click()  # changed their mind during the pause
    assert second.isChecked() and not first.isChecked()
    qtbot.waitUntil(_moved_on(lobby, needs, question), timeout=3000)
    assert lobby.draft.answers["purpose"] == question.choices[1][0]
    lobby.back_button.click()  # 이전: the answer comes back selected
    assert needs.question.id == "purpose" and needs.choice_buttons[1].isChecked()
    assert not needs.choice_buttons[0].isChecked()


def test_a_range_tap_selects_moves_on_and_comes_back_selected_with_back(lobby: Any, qtbot: QtBot):
    needs = _to_range_question(lobby)
    question = needs.question
    assert not needs.keypad_amount.isVisibleTo(needs) and not needs.keypad_count.isVisibleTo(needs)
    assert needs.exact.isVisibleTo(needs) and not lobby.primary.isVisibleTo(lobby)
    labels = [button.accessibleName() for button in needs.choice_buttons]
    assert labels == [ko for _value, ko, _en in question.ranges] and len(labels) <= 7
    pick = len(needs.choice_buttons) - 1
    needs.choice_buttons[pick].click()
    assert needs.choice_buttons[pick].isChecked()
    qtbot.waitUntil(_moved_on(lobby, needs, question), timeout=3000)
    stored = lobby.draft.answers[question.field]
    assert isinstance(stored, AnswerRange)  # a range stays a range, never a made-up number
    if lobby.current == "needs":
        lobby.back_button.click()
    else:  # that was the last question: 이전 on the results comes back to it
        lobby.back_button.click()
        qtbot.waitUntil(lambda: lobby.current == "needs", timeout=3000)
    assert needs.question.id == question.id
    checked = [button.isChecked() for button in needs.choice_buttons]
    assert checked == [index == pick for index in range(len(checked))]


def test_the_exact_keypad_is_one_tap_away_and_still_answers(lobby: Any, qtbot: QtBot):
    needs = _to_range_question(lobby)
    question = needs.question
    pad = needs.keypad_amount if question.keypad == "amount" else needs.keypad_count
    needs.exact.click()  # "정확히 누를게요"
    assert pad.isVisibleTo(needs) and not needs.choice_box.isVisibleTo(needs)
    assert lobby.primary.isVisibleTo(lobby) and not lobby.primary.isEnabled()  # 다음, once typed
    assert needs.exact.text() == "보기에서 고를게요"
    for digit in "45":
        pad.keys[digit].click()
    assert lobby.primary.isEnabled()
    lobby.primary.click()
    assert needs.question is not question or lobby.current != "needs"
    expected = 45 * 10_000 if question.keypad == "amount" else 45
    assert lobby.draft.answers[question.field] == expected


def test_low_reach_keeps_range_buttons_and_keypad_whole_in_the_bottom_half(lobby: Any, qtbot: QtBot):
    lobby.set_low_reach(True)
    needs = _to_range_question(lobby)
    for exact in (False, True):
        if exact:
            needs.exact.click()
        QApplication.processEvents()  # the layout places the new widgets
        controls = [b for b in lobby.findChildren(QPushButton) if b.isVisibleTo(lobby) and b.isEnabled()]
        assert needs.exact in controls
        for button in controls:
            top = button.mapTo(lobby, QPoint(0, 0)).y()
            assert top >= lobby.height() // 2, f"{button.objectName()} at {top}px of {lobby.height()}"
        if not exact:  # the range buttons fit the half they are given: nothing to scroll to
            assert needs.heightForWidth(needs.width()) <= lobby.stack_area.viewport().height()
