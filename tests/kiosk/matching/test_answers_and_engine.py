"""Answer validation (bad input), hypothesis over any valid answers, triage, ranking, wording."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.matching import InvalidAnswers, match, shipped_catalogue, validate_answers
from kiosk.matching.fields import ANSWER_FIELDS, FIELDS, NUMERIC_KINDS
from kiosk.matching.wording import won_en, won_ko
from tests.kiosk.matching.conftest import base_answers


@pytest.mark.parametrize(
    ("field", "value", "ko_part"),
    [
        ("annual_income_krw", -1, "0 이상"),
        ("annual_income_krw", "3200만원", "숫자로"),
        ("annual_income_krw", 3.5, "숫자로"),
        ("delinquency_days", True, "숫자로"),
        ("purpose", "gambling", "보기에 없는 답"),
        ("employment", 3, "보기에 없는 답"),
        ("credit_percentile", 0, "1 이상"),
        ("credit_percentile", 101, "너무 커요"),
        ("sme_employee", "yes", "예/아니요"),
        ("hardship", "illness", "보기에 있는 항목만"),
        ("hardship", ["flood"], "보기에 있는 항목만"),
        ("favourite_colour", "blue", "알 수 없는 항목"),
    ],
)
def test_invalid_answers_get_clear_messages(field: str, value: Any, ko_part: str):
    with pytest.raises(InvalidAnswers) as caught:
        validate_answers(base_answers(**{field: value}))
    problems = [p for p in caught.value.problems if p.field == field]
    assert problems, caught.value.problems
    assert ko_part in problems[0].ko
    assert problems[0].en
    assert caught.value.code == "VISIT_ANSWERS_INVALID"


def test_inconsistent_debt_amounts_are_rejected():
    with pytest.raises(InvalidAnswers) as caught:
        validate_answers(base_answers(total_debt_krw=10, secured_debt_krw=6, unsecured_debt_krw=6))
    assert caught.value.problems[0].field == "total_debt_krw"
    with pytest.raises(InvalidAnswers):
        validate_answers(
            base_answers(total_debt_krw=10, secured_debt_krw=0, unsecured_debt_krw=10, debt_last_6m_krw=11)
        )


def test_not_an_object_is_rejected():
    with pytest.raises(InvalidAnswers):
        validate_answers(["age", 30])  # type: ignore[arg-type]


def test_unknown_stays_unknown_and_total_is_derived_from_parts():
    answers = validate_answers({"secured_debt_krw": 5, "unsecured_debt_krw": 7})
    assert answers["total_debt_krw"] == 12
    assert answers["age"] is None and set(answers) == set(ANSWER_FIELDS)


def _value(name: str) -> st.SearchStrategy[Any]:
    spec = FIELDS[name]
    if spec.kind in NUMERIC_KINDS:
        return st.integers(spec.minimum, spec.maximum or 10**12)
    if spec.kind == "bool":
        return st.booleans()
    choices = [c.value for c in spec.choices]
    if spec.kind == "enum":
        return st.sampled_from(choices)
    return st.lists(st.sampled_from(choices), unique=True)


@st.composite
def valid_answers(draw: st.DrawFn) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for name in ANSWER_FIELDS:
        if name in ("secured_debt_krw", "unsecured_debt_krw", "debt_last_6m_krw", "total_debt_krw"):
            continue
        if draw(st.booleans()):
            raw[name] = draw(st.one_of(st.none(), _value(name)))
    if draw(st.booleans()):
        secured = draw(st.integers(0, 3 * 10**9))
        unsecured = draw(st.integers(0, 3 * 10**9))
        raw.update(secured_debt_krw=secured, unsecured_debt_krw=unsecured, total_debt_krw=secured + unsecured)
        raw["debt_last_6m_krw"] = draw(st.integers(0, secured + unsecured))
    return raw


@settings(max_examples=150, deadline=None)
@given(valid_answers())
def test_any_valid_answers_get_a_verdict_and_reasons_for_every_program(raw: dict[str, Any]):
    report = match(raw)
    data = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert sorted(p["id"] for p in data["programs"]) == sorted(shipped_catalogue().ids)
    for program in data["programs"]:
        assert program["verdict"] in ("eligible", "maybe", "ineligible")
        assert program["reasons"] and all(r["ko"] and r["en"] for r in program["reasons"])
        if program["verdict"] == "maybe":
            assert program["to_confirm"], program["id"]  # a maybe always says what is missing
    order = {"eligible": 0, "maybe": 1, "ineligible": 2}
    ranks = [order[p["verdict"]] for p in data["programs"]]
    assert ranks == sorted(ranks)
    assert [p["rank"] for p in data["programs"]] == list(range(1, len(ranks) + 1))


@pytest.mark.parametrize(
    ("overrides", "route"),
    [
        ({"delinquency_days": 0, "hardship": ["job_loss"]}, "ccrs.fast_track"),
        ({"delinquency_days": 30}, "ccrs.fast_track"),
        ({"delinquency_days": 31}, "ccrs.pre_workout"),
        ({"delinquency_days": 89}, "ccrs.pre_workout"),
        ({"delinquency_days": 90}, "ccrs.individual_workout"),
        ({"delinquency_days": 0, "hardship": []}, None),
        ({"delinquency_days": None}, None),
    ],
)
def test_triage_by_delinquency(overrides, route):
    report = match(base_answers(**overrides))
    assert report.triage is not None
    assert report.triage.route == route
    assert report.triage.reasons and report.triage.reasons[0].ko


def test_triage_over_caps_goes_to_court():
    over = base_answers(total_debt_krw=1_200_000_000, unsecured_debt_krw=1_200_000_000, debt_last_6m_krw=0)
    report = match(over)
    assert (
        report.triage and report.triage.route == "court.bankruptcy"
    )  # also over 개인회생's ₩1.0B unsecured cap
    within_court = base_answers(
        total_debt_krw=1_100_000_000, secured_debt_krw=1_100_000_000, unsecured_debt_krw=0, debt_last_6m_krw=0
    )
    assert match(within_court).triage.route == "court.rehabilitation"  # type: ignore[union-attr]


def test_triage_no_capacity_goes_to_court():
    report = match(base_answers(delinquency_days=200, household_size=3, annual_income_krw=10_000_000))
    assert report.verdict("ccrs.individual_workout").verdict == "ineligible"
    assert report.triage and report.triage.route == "court.rehabilitation"
    assert "법원" in report.triage.reasons[-1].ko


def test_no_debt_questions_no_triage():
    report = match({"purpose": "job", "employment": "job_seeker"})
    assert report.triage is None


def test_delinquent_person_sees_debt_relief_before_new_loans():
    report = match(base_answers(delinquency_days=45))
    eligible = [v for v in report.programs if v.verdict == "eligible"]
    helps = [v.program.helps for v in eligible]
    assert helps.index("debt_relief") < helps.index("new_credit")
    assert eligible[0].recommended and eligible[0].id == "ccrs.pre_workout"


def test_person_without_arrears_sees_loans_first():
    report = match(
        base_answers(
            purpose="living", delinquency_days=0, total_debt_krw=0, unsecured_debt_krw=0, debt_last_6m_krw=0
        )
    )
    eligible = [v for v in report.programs if v.verdict == "eligible"]
    assert eligible[0].program.helps == "new_credit"


@pytest.mark.parametrize(
    ("amount", "ko", "en"),
    [
        (32_000_000, "3,200만원", "₩32M"),
        (500_000, "50만원", "₩500k"),
        (1_000_000_000, "10억원", "₩1B"),
        (150_000_000, "1억 5,000만원", "₩150M"),
        (0, "0원", "₩0"),
        (28_315_000, "약 2,832만원", "₩28.32M"),
    ],
)
def test_money_wording(amount, ko, en):
    assert won_ko(amount) == ko and won_en(amount) == en


def test_reason_wording_matches_style_example():
    report = match(base_answers(annual_income_krw=32_000_000))
    texts = [r.ko for r in report.verdict("kinfa.sunshine15").reasons]
    assert "연소득 3,200만원 ≤ 3,500만원 충족" in texts
