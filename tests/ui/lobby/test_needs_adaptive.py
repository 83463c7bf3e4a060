"""Issue 16: the needs screen asks only what can change a verdict, and its counter never jumps up."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.matching.answers import validate_answers
from kiosk.visit.questionnaire import questionnaire

# A 47-year-old, 45 days overdue (amounts in won, as the screen's keypad hands them over).
PERSON: dict[str, Any] = {
    "purpose": "debt",
    "annual_income_krw": 32_000_000,
    "total_debt_krw": 48_000_000,
    "credit_percentile": 20,
    "delinquency_days": 45,
    "employment": "employed",
    "employment_months": 40,
    "hardship": [],
    "household_size": 2,
    "livelihood_status": "none",
    "debt_last_6m_krw": 3_000_000,
    "court_rehabilitation": "none",
    "secured_debt_krw": 0,
    "unsecured_debt_krw": 48_000_000,
}


def _chosen(question: Any) -> Any:
    """What the same person chooses on a screen of several fields: the options that say its values."""
    shipped = questionnaire().question(question.id)
    picked = shipped.chosen(shipped.visitor_answer(validate_answers(PERSON)))
    return picked if question.compound else (picked[0] if picked else None)


SHOTS = os.environ.get("NEEDS_SHOTS")  # set to a folder to keep the renders for a look


def _walk(lobby: Any, qtbot: QtBot, shoot: str = "") -> list[tuple[str, int, int]]:
    lobby.draft.answers["age"] = 47  # what the ID card told us
    lobby.go("needs")
    needs = lobby.screens["needs"]
    seen: list[tuple[str, int, int]] = []
    while lobby.current == "needs" and needs.question is not None:
        question = needs.question
        shown, total = map(int, re.findall(r"\d+", needs.counter.text())[:2])
        seen.append((question.id, shown, total))
        if shoot and (len(seen) in (1, 3) or question.compound):
            QApplication.processEvents()  # let the layout settle before the picture
            lobby.grab().save(str(Path(shoot) / f"needs-{len(seen)}.png"))
        if question.several:
            needs.answer(_chosen(question))
            continue
        if question.compound:
            for value in _chosen(question):
                needs.choice_buttons[[c[0] for c in question.choices].index(value)].click()
            if shoot and _chosen(question):  # the chosen buttons must look chosen
                QApplication.processEvents()
                lobby.grab().save(str(Path(shoot) / f"needs-{len(seen)}-chosen.png"))
            needs.on_primary()
            continue
        value = PERSON.get(question.field)
        needs.answer(value if question.allow_unknown or value is not None else 0)
    return seen


def test_the_counter_counts_what_will_be_asked_and_never_grows(lobby: Any, qtbot: QtBot):
    seen = _walk(lobby, qtbot)
    ids = [qid for qid, _, _ in seen]
    assert ids[0] == "purpose" and "age" not in ids
    assert [shown for _, shown, _ in seen] == list(range(1, len(seen) + 1))
    totals = [total for _, _, total in seen]
    assert totals == sorted(totals, reverse=True)  # "1 / 7" → "3 / 15" can no longer happen
    assert totals[-1] == len(seen)  # the last question reads "n / n"
    assert "sme_employee" not in ids and "secured_debt" not in ids  # could not change any verdict


def test_the_title_does_not_promise_few_questions(lobby: Any):
    lobby.go("needs")
    assert "몇 가지만" not in lobby.screens["needs"].title()


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("size", ["normal", "large", "extra_large"])
def test_needs_renders_in_both_languages_and_every_size(lobby: Any, qtbot: QtBot, size: str, language: str):
    lobby.set_text_size(size)
    if language == "en":
        lobby.set_language("en")
    folder = ""
    if SHOTS:
        folder = str(Path(SHOTS) / f"{language}-{size}")
        Path(folder).mkdir(parents=True, exist_ok=True)
    needs = lobby.screens["needs"]
    lobby.draft.answers["age"] = 47
    lobby.go("needs")
    text = needs.question_label.text()
    assert text == (needs.question.text_en if language == "en" else needs.question.text_ko)
    if language == "en":
        assert not re.search(r"[가-힣]", text + needs.help.text() + needs.counter.text())
    if folder:
        _walk(lobby, qtbot, folder)


def test_a_part_larger_than_the_whole_debt_is_explained_on_the_spot(lobby: Any):
    lobby.draft.answers.update({"age": 47, "purpose": "debt", "total_debt_krw": None})
    lobby.go("needs")
    needs = lobby.screens["needs"]
    while needs.question is not None and needs.question.id != "secured_debt":
        if needs.question.compound or needs.question.several:
            needs.answer(_chosen(needs.question))
            continue
        said = {**PERSON, "unsecured_debt_krw": 10_000_000, "total_debt_krw": None}  # "잘 모르겠어요"
        value = said.get(needs.question.field)
        needs.answer(value if needs.question.allow_unknown or value is not None else 0)
    assert needs.question is not None and needs.question.id == "secured_debt"
    lobby.draft.answers["total_debt_krw"] = 20_000_000  # e.g. said before going back
    needs.answer(30_000_000)
    assert needs.problem.isVisibleTo(needs) and "총채무" in needs.problem.text()
    assert needs.question.id == "secured_debt"  # still here, to fix it
