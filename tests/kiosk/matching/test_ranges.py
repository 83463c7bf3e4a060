"""Issue 16: a number answered as a range ("31~89일") is kept as a range and decides what it can."""

from __future__ import annotations

import json
import pickle
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.matching import InvalidAnswers, match, validate_answers
from kiosk.matching.fields import FIELDS
from kiosk.matching.ranges import RANGE_MAX, AnswerRange, RangeInvalid, as_range, dump_answers
from kiosk.matching.wording import value_en, value_ko
from tests.kiosk.matching.conftest import base_answers

R = AnswerRange


def verdict(answers: dict[str, Any], program: str) -> str:
    return match(answers).verdict(program).verdict


# --- the value and its JSON form ---------------------------------------------------------------------
@settings(max_examples=80, deadline=None)
@given(st.integers(0, RANGE_MAX), st.one_of(st.none(), st.integers(0, RANGE_MAX)))
def test_a_range_goes_to_json_and_back_unchanged(low: int, high: int | None):
    if high is not None and high < low:
        low, high = high, low
    r = AnswerRange(low, high)
    text = json.dumps(dump_answers({"d": r}))
    back = AnswerRange.parse(json.loads(text)["d"])
    assert back == r and back.low == low and back.high == high
    assert json.loads(text)["d"] == {"from": low, "to": high}
    assert pickle.loads(pickle.dumps(r)) == r and hash(back) == hash(r)


@pytest.mark.parametrize(
    "raw",
    [
        {"from": 5, "to": 2},  # backwards
        {"from": 1},  # no "to"
        {"to": 3},
        {"from": 1, "to": 2, "x": 0},  # an extra key
        {"from": True, "to": 3},  # a bool is not a number
        {"from": 1.5, "to": 3},
        {"from": "1", "to": 3},
        {"from": -1, "to": 3},
        {"from": 0, "to": RANGE_MAX + 1},
        [1, 2],
        "31~89",
    ],
)
def test_a_bad_range_shape_is_refused_with_a_clear_message(raw: Any):
    with pytest.raises(RangeInvalid) as info:
        AnswerRange.parse(raw)
    assert str(info.value)  # says what is allowed


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(st.sampled_from(["from", "to", "x"]), st.one_of(st.integers(), st.none(), st.text())))
def test_any_object_is_a_range_or_a_clear_refusal(raw: dict[str, Any]):
    try:
        r = AnswerRange.parse(raw)
    except RangeInvalid:
        return
    assert set(raw) == {"from", "to"} and r.low <= (r.high if r.high is not None else r.low)


def test_validation_reads_a_range_for_a_number_field_and_checks_its_bounds():
    got = validate_answers({"delinquency_days": {"from": 31, "to": 89}})
    assert got["delinquency_days"] == R(31, 89) and isinstance(got["delinquency_days"], AnswerRange)
    with pytest.raises(InvalidAnswers) as info:
        validate_answers({"credit_percentile": {"from": 0, "to": 20}})  # the percentile starts at 1
    assert info.value.problems[0].field == "credit_percentile"
    with pytest.raises(InvalidAnswers):
        validate_answers({"household_size": {"from": 2, "to": 30}})  # over the field's maximum
    with pytest.raises(InvalidAnswers):
        validate_answers({"delinquency_days": {"from": 9, "to": 3}})
    with pytest.raises(InvalidAnswers):  # a range is for numbers only
        validate_answers({"purpose": {"from": 1, "to": 2}})
    # the parts may not exceed the whole — for ranges, only when no values in them could fit
    validate_answers({"total_debt_krw": R(10_000_000, 50_000_000), "secured_debt_krw": 40_000_000})
    with pytest.raises(InvalidAnswers):
        validate_answers({"total_debt_krw": R(0, 10_000_000), "secured_debt_krw": R(20_000_000, None)})


# --- three-valued evaluation over a range ------------------------------------------------------------
@pytest.mark.parametrize(
    ("days", "fast", "pre", "workout"),
    [
        (R(1, 30), "eligible", "ineligible", "ineligible"),
        (R(31, 89), "ineligible", "eligible", "ineligible"),
        (R(90, None), "ineligible", "ineligible", "eligible"),
        (R(20, 60), "maybe", "maybe", "ineligible"),  # straddles 30/31: not settled, never guessed
    ],
)
def test_delinquency_as_a_range_decides_the_routes_it_can(
    days: AnswerRange, fast: str, pre: str, workout: str
):
    answers = base_answers(delinquency_days=days)
    assert verdict(answers, "ccrs.fast_track") == fast
    assert verdict(answers, "ccrs.pre_workout") == pre
    assert verdict(answers, "ccrs.individual_workout") == workout


def test_the_route_and_its_reason_name_the_range():
    report = match(base_answers(delinquency_days={"from": 31, "to": 89}))
    assert report.triage is not None and report.triage.route == "ccrs.pre_workout"
    assert "31~89일" in report.triage.reasons[0].ko and "31–89 days" in report.triage.reasons[0].en
    unsettled = match(base_answers(delinquency_days=R(20, 60)))
    assert unsettled.triage is not None and unsettled.triage.route is None  # tell us more, no guess


def test_a_range_of_income_against_the_household_line_uses_interval_arithmetic():
    # 2 people: the yearly minimum cost of living is 28,315,140 won
    above = base_answers(annual_income_krw=R(28_315_140, 35_000_000))
    below = base_answers(annual_income_krw=R(1, 28_315_139))
    across = base_answers(annual_income_krw=R(20_000_000, 35_000_000))
    assert verdict(above, "referral.welfare") == "ineligible"
    assert verdict(below, "referral.welfare") != "ineligible"
    assert verdict(across, "referral.welfare") == "maybe"
    # a range of household sizes gives a range of lines: 1 or 2 people, 17.2M–28.3M
    assert verdict(
        base_answers(household_size=R(1, 2), annual_income_krw=40_000_000), "referral.welfare"
    ) == ("ineligible")


def test_the_recent_debt_share_with_a_range_of_total_debt():
    # ≤ 30 % of the whole: 3M of at least 20M is settled; 3M of 5M–20M is not
    settled = base_answers(
        total_debt_krw=R(20_000_000, 60_000_000), secured_debt_krw=None, unsecured_debt_krw=None
    )
    open_ = base_answers(
        total_debt_krw=R(5_000_000, 20_000_000), secured_debt_krw=None, unsecured_debt_krw=None
    )
    assert verdict(settled, "ccrs.pre_workout") == "eligible"
    assert verdict(open_, "ccrs.pre_workout") == "maybe"


def test_the_caps_on_the_debt_parts_are_settled_by_a_range_of_the_whole():
    parts = {"secured_debt_krw": None, "unsecured_debt_krw": None, "debt_last_6m_krw": 0}
    answers = base_answers(total_debt_krw=R(1, 500_000_000), **parts)
    assert verdict(answers, "ccrs.pre_workout") == "eligible"  # no part can exceed 5억
    big = base_answers(total_debt_krw=R(500_000_001, None), **parts)
    assert verdict(big, "ccrs.pre_workout") == "maybe"


def test_the_loan_limit_needs_the_whole_range_in_one_bracket():
    person = base_answers(delinquency_days=0, ccrs_repayment_months=R(12, 23))
    inside = match(person).verdict("ccrs.small_loan").limit_krw
    assert (
        inside
        == match(base_answers(delinquency_days=0, ccrs_repayment_months=15))
        .verdict("ccrs.small_loan")
        .limit_krw
    )
    across = match(base_answers(delinquency_days=0, ccrs_repayment_months=R(6, 30))).verdict(
        "ccrs.small_loan"
    )
    assert across.limit_krw is None


# --- wording -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("field", "value", "ko", "en"),
    [
        ("delinquency_days", R(0, 30), "30일까지", "up to 30 days"),
        ("delinquency_days", R(31, 89), "31~89일", "31–89 days"),
        ("delinquency_days", R(90, None), "90일 이상", "90 days or more"),
        ("annual_income_krw", R(20_000_001, 35_000_000), "2,000만~3,500만원", "₩20M–₩35M"),
        ("annual_income_krw", R(0, 35_000_000), "3,500만원까지", "up to ₩35M"),
        ("annual_income_krw", R(50_000_001, None), "5,000만원 넘게", "over ₩50M"),
        (
            "annual_income_krw",
            R(1, 28_315_139),
            "2,831만원까지",  # the line is 2,831만 5,139원; the words are in whole 만원
            "up to ₩28.31M",
        ),
        ("annual_income_krw", R(28_315_140, 35_000_000), "2,831만~3,500만원", "₩28.31M–₩35M"),
        ("employment_months", R(13, None), "13개월 이상", "13 months or more"),
        ("household_size", R(6, None), "6명 이상", "6 or more"),
        ("delinquency_days", R(45, 45), "45일", "45 days"),
    ],
)
def test_a_range_reads_in_the_units_of_each_language(field: str, value: AnswerRange, ko: str, en: str):
    assert value_ko(FIELDS[field], value) == ko
    assert value_en(FIELDS[field], value) == en


def test_the_plain_reason_for_a_range_is_a_sentence():
    report = match(base_answers(delinquency_days=R(31, 89), annual_income_krw=R(20_000_001, 35_000_000)))
    sentences = [r.plain() for v in report.programs for r in v.reasons if r.plain()]
    kos = {s[0] for s in sentences if s}
    ens = {s[1] for s in sentences if s}
    assert any(s.startswith("연체가 31~89일이라") for s in kos), kos
    assert any("2,000만~3,500만원이라" in s for s in kos), kos
    assert any("31–89 days" in s for s in ens), ens
    assert not any("이라이라" in s or "{value}" in s for s in kos)


def test_a_stored_range_reads_back_as_a_range():
    assert as_range({"from": 1, "to": None}) == R(1, None) and isinstance(
        as_range({"from": 1, "to": None}), R
    )
    assert as_range({"from": 3, "to": 1}) == {"from": 3, "to": 1}  # not a range: left to validation
    assert as_range(5) == 5
