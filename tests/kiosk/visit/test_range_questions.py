"""Issue 16: number questions offer one-tap ranges cut at the lines that still matter; one screen can say
the work and how long, or the debts and how long overdue — each answer kept as the range it says."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.matching import InvalidAnswers, match, shipped_catalogue, validate_answers
from kiosk.matching.ranges import AnswerRange
from kiosk.visit import questionnaire

R = AnswerRange
# The tour's scripted debt visitor (issue 16): amounts in won.
SCRIPTED = {
    "age": 46,
    "purpose": "debt",
    "annual_income_krw": 24_000_000,
    "employment": "employed",
    "employment_months": 14,
    "household_size": 2,
    "total_debt_krw": 32_000_000,
    "debt_last_6m_krw": 2_000_000,
    "delinquency_days": 45,
    "hardship": [],
    "livelihood_status": "none",
    "court_rehabilitation": "none",
}


def verdicts(answers: dict[str, Any]) -> dict[str, str]:
    return {v.id: v.verdict for v in match(answers).programs}


def test_delinquency_ranges_are_the_catalogue_lines():
    options = questionnaire().ranges("delinquency", {"purpose": "debt"}, shipped_catalogue())
    assert [o.value for o in options] == [R(0, 0), R(1, 30), R(31, 89), R(90, None)]
    assert [o.ko for o in options] == ["0일", "1~30일", "31~89일", "90일 이상"]
    assert [o.en for o in options][1:] == ["1–30 days", "31–89 days", "90 days or more"]


def test_the_income_waits_for_the_household_and_then_each_range_decides():
    q, cat = questionnaire(), shipped_catalogue()
    known = {"age": 47, "purpose": "debt"}
    assert q.ranges("annual_income", known, cat) == ()  # its line is the household's: keypad only so far
    todo = [x.id for x in q.remaining(known, cat)]
    assert todo.index("household_size") < todo.index("annual_income")  # so the household comes first
    known["household_size"] = 2
    options = q.ranges("annual_income", known, cat)
    assert 2 <= len(options) <= 7 and options[0].value == R(0, 0)
    assert all(isinstance(o.value, AnswerRange) and o.ko and o.en for o in options)
    # every exact income inside a range gives the verdicts the range gives, for a whole person
    person = validate_answers(SCRIPTED)
    for option in options:
        r = option.value
        ranged = verdicts({**person, "annual_income_krw": r})
        for exact in {r.low, r.high if r.high is not None else r.low + 10**9}:
            assert verdicts({**person, "annual_income_krw": exact}) == ranged, option.ko


def test_accept_and_fill_take_a_range_as_is():
    q = questionnaire()
    assert q.accept("total_debt", R(1, 9_999_999)) == R(1, 9_999_999)  # already in won: no 만원 scaling
    assert q.fill("delinquency", {"from": 31, "to": 89}) == {"delinquency_days": R(31, 89)}
    assert q.accept("total_debt", 3200) == 32_000_000  # the keypad still types 만원
    for bad in ({"from": 9, "to": 1}, {"from": 1}, {"from": 1.0, "to": 2}, {"from": 0, "to": 10**14}):
        with pytest.raises(InvalidAnswers):
            q.accept("delinquency", bad)


def test_household_is_one_tap_and_six_or_more_is_a_range():
    q = questionnaire()
    question = q.question("household_size")
    assert question.type == "choice" and [c.ko for c in question.choices][-1] == "6명 이상"
    assert q.fill("household_size", 3) == {"household_size": 3}
    assert q.fill("household_size", {"from": 6, "to": None}) == {"household_size": R(6, None)}
    assert question.to_dict()["choices"][-1]["value"] == {"from": 6, "to": None}
    # 6 or more all share the table's last line: the same verdicts as any exact size from 6
    person = validate_answers({**SCRIPTED, "annual_income_krw": 50_000_000})
    assert verdicts({**person, "household_size": R(6, None)}) == verdicts({**person, "household_size": 9})


def test_the_work_screen_says_how_long_in_one_tap():
    q = questionnaire()
    assert q.fill("employment", "employed_over_1y") == {
        "employment": "employed",
        "employment_months": R(13, None),
    }
    assert q.fill("employment", "employed") == {"employment": "employed", "employment_months": None}
    assert q.fill("employment", "self_employed") == {"employment": "self_employed"}
    with pytest.raises(InvalidAnswers):
        q.fill("employment", "astronaut")
    question = q.question("employment")
    assert question.several and not question.compound  # a single choice, no "없어요"
    assert question.chosen({"employment": "employed", "employment_months": {"from": 3, "to": 12}}) == [
        "employed_3m_1y"
    ]  # 이전 finds the option again from the stored JSON form


def test_the_debts_screen_says_how_long_overdue():
    q = questionnaire()
    got = q.fill("debt_now", ["owes", "overdue_89"])
    assert got["delinquency_days"] == R(31, 89) and "total_debt_krw" not in got  # the amount is asked next
    court = q.fill("debt_now", ["court_12_months"])
    assert court["court_rehabilitation"] == "in_progress" and court["court_rehabilitation_months"] == R(
        12, None
    )


def test_the_scripted_debt_visitor_answers_in_ranges_and_keeps_every_verdict():
    q = questionnaire()
    asked, kept = q.walk(SCRIPTED)
    assert "delinquency" not in asked and "employment_months" not in asked
    assert kept["delinquency_days"] == R(31, 89) and kept["employment_months"] == R(13, None)
    assert isinstance(kept["annual_income_krw"], AnswerRange)  # one tap, not 2-4-0-0-다음
    assert verdicts(kept) == verdicts(SCRIPTED)
    full, walked = match(SCRIPTED), match(kept)
    assert (
        (walked.triage and walked.triage.route) == (full.triage and full.triage.route) == "ccrs.pre_workout"
    )
    assert len(asked) <= 9


def test_with_new_borrowing_the_part_is_typed_and_the_whole_debt_is_one_tap():
    """The new borrowing may be at most 30% of all the debt: that line needs one exact figure. It is the
    recent borrowing (asked after the other questions, which may settle the rule), and then the whole
    debt is a range cut at that line — never the whole typed on the keypad."""
    q = questionnaire()
    asked, kept = q.walk(SCRIPTED)
    assert asked.index("debt_last_6m") == asked.index("total_debt") - 1
    assert kept["debt_last_6m_krw"] == 2_000_000  # typed: no range can hold the 30% line
    assert kept["total_debt_krw"] == R(6_666_667, 500_000_000)  # one tap: 30% of it is over 200만원
    before = {k: v for k, v in kept.items() if k != "total_debt_krw"}
    options = q.ranges("total_debt", before, shipped_catalogue())
    words = ["200만~666만원", "666만~5억원", "5억~10억원", "10억~15억원", "15억원 넘게"]
    assert [o.ko for o in options] == words
    assert options[0].value.low == 2_000_000  # no button below the new borrowing just told
    assert verdicts(kept) == verdicts(SCRIPTED)


def test_the_new_borrowing_is_not_asked_when_other_answers_settle_its_rule():
    # 0 days overdue, no hardship, an ordinary credit score: no CCRS route is open, so the 30% rule
    # cannot change a verdict, and the whole debt is one tap without asking what was borrowed lately
    person = {**SCRIPTED, "delinquency_days": 0, "credit_percentile": 50}
    asked, kept = questionnaire().walk(person)
    assert "debt_last_6m" not in asked and isinstance(kept["total_debt_krw"], AnswerRange)
    assert verdicts(kept) == verdicts(person)
