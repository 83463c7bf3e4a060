"""Boundary tests for every rule of the seeded catalogue: just below, at and just above each threshold."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.matching import match, shipped_catalogue
from kiosk.matching.conditions import AllOf, Compare, Condition, NoneOf, Reason, materialize
from kiosk.matching.fields import NUMERIC_KINDS
from tests.kiosk.matching.conftest import base_answers

ONE_PERSON_LIVING_COST = 1_435_208 * 12  # 2025 기준중위소득 60%, household of one, per year


def verdict(program_id: str, **overrides: Any) -> str:
    return match(base_answers(**overrides)).verdict(program_id).verdict


def _leaves(node: Condition) -> list[Compare]:
    if isinstance(node, Compare):
        return [node]
    if isinstance(node, AllOf):
        return [leaf for child in node.children for leaf in _leaves(child)]
    if isinstance(node, NoneOf):
        return _leaves(node.child)
    return []


NUMERIC_LEAVES = [
    pytest.param(leaf, id=f"{program.id}:{leaf.field}{leaf.op}{leaf.value}")
    for program in shipped_catalogue().programs
    for leaf in _leaves(program.eligibility)
    if leaf.spec.kind in NUMERIC_KINDS and leaf.ratio_of is None
]
EXPECT = {
    "le": (True, True, False),
    "lt": (True, False, False),
    "ge": (False, True, True),
    "gt": (False, False, True),
}
HOLDS = {
    "le": lambda a, b: a <= b,
    "lt": lambda a, b: a < b,
    "ge": lambda a, b: a >= b,
    "gt": lambda a, b: a > b,
}


@pytest.mark.parametrize("leaf", NUMERIC_LEAVES)
def test_every_numeric_rule_below_at_above(leaf: Compare):
    """Each threshold in the data behaves as written, and its reason quotes the threshold."""
    expected = EXPECT.get(leaf.op)
    assert expected is not None, leaf.op
    for delta, want in zip((-1, 0, 1), expected, strict=True):
        value = leaf.value + delta
        if value < leaf.spec.minimum:
            continue
        status_wanted = "met" if want else "not_met"
        if leaf.alt_value is not None and HOLDS[leaf.op](value, leaf.alt_value) != want:
            status_wanted = "unknown"  # the two published readings disagree here: a counselor decides
        raw: list = []
        status = leaf.evaluate({leaf.field: value}, raw)
        reasons: list[Reason] = materialize(raw)
        assert status == status_wanted, (value, reasons)
        assert reasons[0].status == status
        if status != "unknown":
            assert leaf.target_ko in reasons[0].ko and leaf.target_en in reasons[0].en


@pytest.mark.parametrize(
    ("income", "credit", "expected"),
    [
        (34_999_999, 50, "eligible"),
        (35_000_000, 50, "eligible"),
        (35_000_001, 50, "ineligible"),
        (45_000_000, 20, "eligible"),
        (45_000_001, 20, "ineligible"),
        (40_000_000, 21, "ineligible"),
        (40_000_000, None, "maybe"),
    ],
)
def test_sunshine15_income_and_bottom_20(income, credit, expected):
    assert verdict("kinfa.sunshine15", annual_income_krw=income, credit_percentile=credit) == expected


@pytest.mark.parametrize(
    ("days", "hardship", "credit", "expected"),
    [
        (0, [], 50, "ineligible"),
        (0, ["illness"], 50, "eligible"),
        (0, ["job_loss"], 50, "eligible"),
        (0, ["repeated_short_delays"], 50, "eligible"),
        (0, [], 10, "eligible"),
        (0, [], 11, "ineligible"),
        (1, [], 50, "eligible"),
        (30, [], 50, "eligible"),
        (31, [], 50, "ineligible"),
    ],
)
def test_fast_track_delinquency_and_risk(days, hardship, credit, expected):
    assert (
        verdict("ccrs.fast_track", delinquency_days=days, hardship=hardship, credit_percentile=credit)
        == expected
    )


@pytest.mark.parametrize(
    ("days", "pre", "workout"),
    [
        (30, "ineligible", "ineligible"),
        (31, "eligible", "ineligible"),
        (89, "eligible", "ineligible"),
        (90, "ineligible", "eligible"),
    ],
)
def test_pre_workout_and_individual_workout_windows(days, pre, workout):
    report = match(base_answers(delinquency_days=days))
    assert report.verdict("ccrs.pre_workout").verdict == pre
    assert report.verdict("ccrs.individual_workout").verdict == workout


@pytest.mark.parametrize(
    ("income", "expected"),
    [
        (ONE_PERSON_LIVING_COST - 1, "ineligible"),
        (ONE_PERSON_LIVING_COST, "eligible"),
        (ONE_PERSON_LIVING_COST + 1, "eligible"),
    ],
)
def test_individual_workout_needs_income_at_least_minimum_living_cost(income, expected):
    assert (
        verdict("ccrs.individual_workout", delinquency_days=120, household_size=1, annual_income_krw=income)
        == expected
    )


def test_individual_workout_capacity_unknown_without_household_size():
    report = match(base_answers(delinquency_days=120, household_size=None))
    v = report.verdict("ccrs.individual_workout")
    assert v.verdict == "maybe"
    assert any(r.field == "annual_income_krw" and "확인" in r.ko for r in v.to_confirm)


@pytest.mark.parametrize(
    ("unsecured", "expected"),
    [
        (500_000_000, "eligible"),
        (500_000_001, "maybe"),
        (1_000_000_000, "maybe"),
        (1_000_000_001, "ineligible"),
    ],
)
def test_unsecured_cap_keeps_both_published_readings(unsecured, expected):
    v = match(
        base_answers(total_debt_krw=unsecured, unsecured_debt_krw=unsecured, debt_last_6m_krw=0)
    ).verdict("ccrs.pre_workout")
    assert v.verdict == expected
    if expected == "maybe":
        disputed = next(r for r in v.reasons if r.field == "unsecured_debt_krw")
        assert "자료마다 달라요" in disputed.ko and "CCRS English page" in disputed.en


@pytest.mark.parametrize(
    ("secured", "expected"),
    [
        (500_000_000, "eligible"),
        (500_000_001, "maybe"),
        (1_000_000_000, "maybe"),
        (1_000_000_001, "ineligible"),
    ],
)
def test_secured_cap_keeps_both_published_readings(secured, expected):
    answers = base_answers(
        total_debt_krw=secured + 10_000_000, secured_debt_krw=secured, unsecured_debt_krw=10_000_000
    )
    assert match(answers).verdict("ccrs.pre_workout").verdict == expected


@pytest.mark.parametrize(
    ("recent", "expected"), [(2_999_999, "eligible"), (3_000_000, "eligible"), (3_000_001, "ineligible")]
)
def test_recent_debt_at_most_30_percent_of_total(recent, expected):
    answers = base_answers(total_debt_krw=10_000_000, unsecured_debt_krw=10_000_000, debt_last_6m_krw=recent)
    v = match(answers).verdict("ccrs.pre_workout")
    assert v.verdict == expected
    ratio = next(r for r in v.reasons if r.field == "debt_last_6m_krw")
    assert "총채무의 30% (300만원)" in ratio.ko


def test_no_debt_no_adjustment():
    report = match(
        base_answers(total_debt_krw=0, unsecured_debt_krw=0, debt_last_6m_krw=0, delinquency_days=0)
    )
    for program_id in (
        "ccrs.fast_track",
        "ccrs.pre_workout",
        "ccrs.individual_workout",
        "court.rehabilitation",
    ):
        assert report.verdict(program_id).verdict == "ineligible"


@pytest.mark.parametrize(
    ("age", "expected"), [(18, "ineligible"), (19, "eligible"), (34, "eligible"), (35, "ineligible")]
)
def test_sunshine_youth_age(age, expected):
    assert verdict("kinfa.sunshine_youth", age=age, employment="job_seeker", annual_income_krw=0) == expected


@pytest.mark.parametrize(("months", "expected"), [(12, "eligible"), (13, "ineligible")])
def test_sunshine_youth_sme_first_year(months, expected):
    over = {"age": 25, "employment": "employed", "sme_employee": True, "employment_months": months}
    assert verdict("kinfa.sunshine_youth", **over) == expected


@pytest.mark.parametrize(("income", "expected"), [(35_000_000, "eligible"), (35_000_001, "ineligible")])
def test_sunshine_youth_income(income, expected):
    assert (
        verdict("kinfa.sunshine_youth", age=25, employment="job_seeker", annual_income_krw=income) == expected
    )


@pytest.mark.parametrize(("months", "expected"), [(2, "ineligible"), (3, "eligible"), (4, "eligible")])
def test_worker_sunshine_three_months_employed(months, expected):
    assert verdict("kinfa.worker_sunshine", employment_months=months) == expected


def test_worker_sunshine_needs_employee_status():
    assert verdict("kinfa.worker_sunshine", employment="self_employed") == "ineligible"


@pytest.mark.parametrize(
    ("income", "credit", "expected"),
    [(45_000_000, 20, "eligible"), (45_000_001, 20, "ineligible"), (40_000_000, 21, "ineligible")],
)
def test_worker_sunshine_income_band(income, credit, expected):
    assert verdict("kinfa.worker_sunshine", annual_income_krw=income, credit_percentile=credit) == expected


@pytest.mark.parametrize(("credit", "expected"), [(10, "maybe"), (11, "ineligible")])
def test_lowest_credit_guarantee_needs_bottom_10_and_a_declined_sunshine15(credit, expected):
    v = match(base_answers(credit_percentile=credit)).verdict("kinfa.lowest_credit_guarantee")
    assert v.verdict == expected
    if expected == "maybe":
        assert [r.confirm for r in v.to_confirm] == ["sunshine15_declined"]


def test_lowest_credit_guarantee_income_cap():
    assert (
        verdict("kinfa.lowest_credit_guarantee", credit_percentile=5, annual_income_krw=45_000_001)
        == "ineligible"
    )


@pytest.mark.parametrize(("months", "expected"), [(5, "maybe"), (6, "maybe"), (None, "maybe")])
def test_sunshine_bank_always_needs_proof_of_improvement(months, expected):
    v = match(base_answers(policy_loan_good_standing_months=months)).verdict("kinfa.sunshine_bank")
    assert v.verdict == expected
    assert "credit_or_debt_improved" in [r.confirm for r in v.to_confirm]


@pytest.mark.parametrize(
    ("credit", "status", "expected"),
    [
        (20, "none", "eligible"),
        (21, "none", "ineligible"),
        (80, "basic", "eligible"),
        (80, "near_poverty", "eligible"),
        (80, "eitc", "eligible"),
    ],
)
def test_miso_bottom_20_or_welfare(credit, status, expected):
    assert (
        verdict("kinfa.miso", purpose="living", credit_percentile=credit, livelihood_status=status)
        == expected
    )


def test_miso_excludes_court_rehabilitation_in_progress():
    assert verdict("kinfa.miso", purpose="business_start", court_rehabilitation="in_progress") == "ineligible"
    assert verdict("kinfa.miso", purpose="business_start", court_rehabilitation="completed") == "eligible"


@pytest.mark.parametrize(
    ("credit", "income", "expected"),
    [
        (20, 35_000_000, "eligible"),
        (21, 35_000_000, "ineligible"),
        (20, 35_000_001, "ineligible"),
        (20, 0, "eligible"),
    ],
)
def test_illegal_lending_prevention(credit, income, expected):
    assert (
        verdict("kinfa.illegal_lending_prevention", credit_percentile=credit, annual_income_krw=income)
        == expected
    )


@pytest.mark.parametrize(
    ("income", "credit", "expected"),
    [
        (40_000_000, 90, "eligible"),
        (40_000_001, 90, "ineligible"),
        (50_000_000, 20, "eligible"),
        (50_000_001, 20, "ineligible"),
    ],
)
def test_new_hope_holssi(income, credit, expected):
    assert verdict("bank.new_hope_holssi", annual_income_krw=income, credit_percentile=credit) == expected


@pytest.mark.parametrize(
    ("months", "expected", "limit"),
    [
        (5, "maybe", None),
        (6, "eligible", 2_000_000),
        (8, "eligible", 2_000_000),
        (9, "eligible", 3_000_000),
        (11, "eligible", 3_000_000),
        (12, "eligible", 10_000_000),
        (23, "eligible", 10_000_000),
        (24, "eligible", 15_000_000),
    ],
)
def test_ccrs_small_loan_months_and_limit(months, expected, limit):
    v = match(base_answers(ccrs_repayment_months=months)).verdict("ccrs.small_loan")
    assert (v.verdict, v.limit_krw) == (expected, limit)


@pytest.mark.parametrize(("months", "expected"), [(11, "ineligible"), (12, "eligible")])
def test_ccrs_small_loan_court_plan_twelve_months(months, expected):
    answers = base_answers(
        ccrs_repayment_months=0,
        ccrs_completed_within_3y=False,
        court_rehabilitation="in_progress",
        court_rehabilitation_months=months,
    )
    assert match(answers).verdict("ccrs.small_loan").verdict == expected


def test_ccrs_small_loan_finished_within_three_years():
    assert verdict("ccrs.small_loan", ccrs_repayment_months=0, ccrs_completed_within_3y=True) == "eligible"


@pytest.mark.parametrize(
    ("unsecured", "secured", "expected"),
    [
        (1_000_000_000, 0, "eligible"),
        (1_000_000_001, 0, "ineligible"),
        (0, 1_500_000_000, "eligible"),
        (0, 1_500_000_001, "ineligible"),
    ],
)
def test_court_rehabilitation_caps(unsecured, secured, expected):
    answers = base_answers(
        total_debt_krw=unsecured + secured,
        unsecured_debt_krw=unsecured,
        secured_debt_krw=secured,
        debt_last_6m_krw=0,
    )
    assert match(answers).verdict("court.rehabilitation").verdict == expected


def test_court_rehabilitation_needs_income():
    assert verdict("court.rehabilitation", annual_income_krw=0) == "ineligible"


def test_bankruptcy_eligible_below_living_cost_else_maybe():
    assert (
        verdict("court.bankruptcy", household_size=1, annual_income_krw=ONE_PERSON_LIVING_COST - 1)
        == "eligible"
    )
    assert verdict("court.bankruptcy", household_size=1, annual_income_krw=ONE_PERSON_LIVING_COST) == "maybe"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"employment": "job_seeker"}, "eligible"),
        ({"employment": "unemployed"}, "eligible"),
        ({"purpose": "job"}, "eligible"),
        ({"hardship": ["business_closure"]}, "eligible"),
        ({}, "ineligible"),
    ],
)
def test_employment_referral(overrides, expected):
    assert verdict("referral.employment", **overrides) == expected


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"livelihood_status": "basic"}, "eligible"),
        ({"household_size": 1, "annual_income_krw": ONE_PERSON_LIVING_COST - 1}, "eligible"),
        ({"household_size": 1, "annual_income_krw": ONE_PERSON_LIVING_COST}, "ineligible"),
        ({"hardship": ["illness"]}, "eligible"),
    ],
)
def test_welfare_referral(overrides, expected):
    assert verdict("referral.welfare", **overrides) == expected
