"""Issue 16: the needs screen asks only what can change a verdict, and its counter never jumps up."""

from __future__ import annotations

import json
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


def _counted(needs: Any, qtbot: QtBot) -> tuple[int, int | None]:
    """The counter as a visitor reads it, once the worker has said how many can follow at most:
    (this question's number, at most how many more; 0 for "마지막 질문이에요")."""
    qtbot.waitUntil(lambda: "·" in needs.counter.text(), timeout=10_000)
    text = needs.counter.text()
    shown = int(re.findall(r"\d+", text)[0])
    if "마지막 질문이에요" in text or "last one" in text:
        return shown, 0
    more = re.findall(r"\d+", text)
    return shown, int(more[1]) if len(more) > 1 else None


def _walk(lobby: Any, qtbot: QtBot, shoot: str = "") -> list[tuple[str, int, int]]:
    """PERSON answers every screen; (question id, its number, at most how many more) per screen."""
    lobby.draft.answers["age"] = 47  # what the ID card told us
    lobby.go("needs")
    needs = lobby.screens["needs"]
    seen: list[tuple[str, int, int]] = []
    while lobby.current == "needs" and needs.question is not None:
        question = needs.question
        shown, more = _counted(needs, qtbot)
        assert more is not None
        seen.append((question.id, shown, more))
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


def _visitor_walk(lobby: Any, qtbot: QtBot, person: dict[str, Any]) -> list[tuple[str, int, int]]:
    """A visitor with ``person``'s true answers taps through the needs screens the quickest way (the
    option that says it, the range holding a figure, else the figure); the counter read on each."""
    from kiosk.matching.ranges import AnswerRange

    full = validate_answers(person)
    lobby.draft.answers["age"] = full["age"]
    lobby.go("needs")
    needs = lobby.screens["needs"]
    seen: list[tuple[str, int, int]] = []
    while lobby.current == "needs" and needs.question is not None:
        question = needs.question
        shown, more = _counted(needs, qtbot)
        assert more is not None
        seen.append((question.id, shown, more))
        shipped = questionnaire().question(question.id)
        if question.compound or question.several:
            picked = shipped.chosen(shipped.visitor_answer(full))
            needs.answer(picked if question.compound else (picked[0] if picked else None))
            assert lobby.current != "needs" or needs.question is not question, needs.problem.text()
            continue
        value = full.get(question.field)
        offered = [option for option, _ko, _en in (question.ranges or question.choices)]
        held = [o for o in offered if o == value or (isinstance(o, AnswerRange) and o.holds(value))]
        if not held and isinstance(value, int) and question.choices:  # "100명 중 아래쪽 20명 안" for 15
            held = sorted(o for o in offered if isinstance(o, int) and o >= value)[:1]
        needs.answer(held[0] if held and value is not None else value)
        refused = needs.problem.text()  # said on the screen when an answer is refused
        assert lobby.current != "needs" or needs.question is not question, refused
    return seen


def _assert_an_honest_counter(seen: list[tuple[str, int, int]]) -> None:
    assert [shown for _, shown, _ in seen] == list(range(1, len(seen) + 1))
    totals = [shown + more for _, shown, more in seen]  # this question's number + at most how many more
    assert totals == sorted(totals, reverse=True), totals  # the promise never grows
    assert all(more > 0 for _, _, more in seen[:-1])  # no earlier screen says it is the last
    assert totals[-1] >= len(seen)  # the promise was kept
    last, _, more = seen[-1]
    # The last question says it is the last — unless another answer to it would lead further: all the
    # debt over 5억원 brings the two debt-part questions (the caps), so that screen says "많아야 2개".
    assert more == 0 or (last == "total_debt" and more == 2), seen
    if more == 0:
        assert totals[-1] == len(seen)  # and the number there is the questions actually asked


def test_the_counter_promises_at_most_what_can_follow_and_the_last_says_so(lobby: Any, qtbot: QtBot):
    seen = _walk(lobby, qtbot)
    ids = [qid for qid, _, _ in seen]
    assert ids[0] == "purpose" and "age" not in ids
    _assert_an_honest_counter(seen)
    assert "sme_employee" not in ids and "secured_debt" not in ids  # could not change any verdict


APPLICANTS = json.loads(
    (Path(__file__).parents[2] / "kiosk" / "matching" / "data" / "applicants.json").read_text(
        encoding="utf-8"
    )
)
# the tour's debt visitor, someone over the debt caps, a youth, one without debt, one unsure of a lot
SOME = [
    "debt_45_days_employed",
    "debt_over_caps",
    "youth_first_job_sme",
    "living_pensioner",
    "says_dont_know_a_lot",
]


@pytest.mark.parametrize("name", SOME)
def test_the_counter_is_honest_for_applicants_of_the_matching_set(lobby: Any, qtbot: QtBot, name: str):
    person = next(p["answers"] for p in APPLICANTS if p["name"] == name)
    seen = _visitor_walk(lobby, qtbot, person)
    _assert_an_honest_counter(seen)


def test_the_counter_reads_plainly_in_both_languages(lobby: Any, qtbot: QtBot):
    from ui.lobby.tour import SCRIPTED_ANSWERS

    lobby.draft.answers["age"] = 52
    lobby.go("needs")
    needs = lobby.screens["needs"]
    _counted(needs, qtbot)
    assert re.fullmatch(r"질문 1 · 남은 질문은 많아야 \d+개예요", needs.counter.text())
    lobby.set_language("en")
    assert re.fullmatch(r"Question 1 · at most \d+ to go", needs.counter.text())
    seen = _visitor_walk(lobby, qtbot, SCRIPTED_ANSWERS)
    assert seen  # walked in English: the last one read "this is the last one"


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
