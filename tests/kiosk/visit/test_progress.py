"""The needs counter's "at most N to go" (``kiosk.visit.progress``): a promise that is kept and only
shrinks, whatever the visitor answers — and 0 exactly when no answer to this question leads further."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings

from kiosk.matching import shipped_catalogue, validate_answers
from kiosk.visit import questionnaire
from kiosk.visit.progress import at_most_after, possible_answers, still_to_ask
from kiosk.visit.range_options import containing
from tests.kiosk.matching.test_walk import APPLICANTS, applicants


def _on_screen(question: Any, full: dict[str, Any], known: dict[str, Any]) -> dict[str, Any]:
    """What a visitor with the true answers ``full`` gives on the screen: the options that say it (a
    screen of options can only give what its options fill), or the range or choice holding a figure."""
    if question.compound:
        return dict(question.fill(question.chosen(question.visitor_answer(full))))
    if question.several:
        picked = question.chosen(question.visitor_answer(full))
        return question.choose(picked[0] if picked else None)
    value = full.get(question.field)
    offered = questionnaire().ranges(question.id, known) or question.choices
    held = containing(offered, value) if value is not None else None
    if held is None and isinstance(value, int) and question.choices:  # "아래쪽 20명 안" for 15
        above = sorted(c.value for c in question.choices if isinstance(c.value, int) and c.value >= value)
        return {question.field: above[0] if above else question.choices[-1].value}
    return {question.field: held.value if held is not None else value}


def _walk_with_promises(raw: dict[str, Any]) -> list[tuple[str, int]]:
    """A visitor answering screen by screen, with the counter's promise on each screen."""
    q, full = questionnaire(), validate_answers(raw)
    known: dict[str, Any] = {"age": full["age"]} if full["age"] is not None else {}
    seen: list[tuple[str, int]] = []
    question = q.next_question(known)
    while question is not None:
        seen.append((question.id, at_most_after(q, question, known)))
        known.update(_on_screen(question, full, known))
        question = q.next_question(known)
    return seen


def _kept(seen: list[tuple[str, int]]) -> None:
    for n, (qid, most) in enumerate(seen):
        assert len(seen) - n - 1 <= most, (qid, seen)  # never more questions than promised
    totals = [n + most for n, (_qid, most) in enumerate(seen)]
    assert totals == sorted(totals, reverse=True), seen  # the promise never grows


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(applicants())
def test_the_promise_is_kept_and_never_grows_for_anyone(raw: dict[str, Any]):
    _kept(_walk_with_promises(raw))


def test_the_promise_is_kept_for_the_applicant_set_and_most_end_on_a_last_question():
    walks = [_walk_with_promises(p["answers"]) for p in APPLICANTS[::4]]
    for seen in walks:
        _kept(seen)
    assert sum(seen[-1][1] == 0 for seen in walks) >= len(walks) // 2


def test_every_answer_to_a_last_question_ends_the_questionnaire():
    q, cat = questionnaire(), shipped_catalogue()
    person = next(p["answers"] for p in APPLICANTS if p["name"] == "living_pensioner")
    known = {"age": person["age"]}
    question = q.next_question(known)
    while question is not None and at_most_after(q, question, known) > 0:
        known.update(_on_screen(question, validate_answers(person), known))
        question = q.next_question(known)
    assert question is not None  # a screen that says "마지막 질문이에요"
    for given_now in possible_answers(q, question, known, cat):
        assert q.next_question({**known, **given_now}) is None
        assert still_to_ask(q, {**known, **given_now}, cat) == 0


def test_a_compound_screen_tries_every_combination_once():
    q, cat = questionnaire(), shipped_catalogue()
    debts = q.question("debt_now")
    tried = possible_answers(q, debts, {"purpose": "debt"}, cat)
    # owes · 4 overdue states · new borrowing · 4 court states · CCRS plan · CCRS done · policy loan,
    # and "잘 모르겠어요"
    assert len(tried) == 2 * 4 * 2 * 4 * 2 * 2 * 2 + 1
    assert {name: None for name in debts.filled} in tried
