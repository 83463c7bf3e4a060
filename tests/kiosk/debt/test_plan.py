"""The repayment-plan estimate: which program, which figures, and the sentence behind each."""

from __future__ import annotations

import pytest

from kiosk.debt import estimate, validate_debtor
from kiosk.debt.plan import DebtEstimate
from kiosk.debt.rules import PlanRules
from tests.kiosk.debt.conftest import debt, debtor

WORKOUT, PRE, FAST = "ccrs.individual_workout", "ccrs.pre_workout", "ccrs.fast_track"
DISCLAIMER_KO = "예상치예요 — 최종 결정은 신용회복위원회 심사 후에 나요"
LIVING_1 = 1_435_208  # the catalogue's living cost for one person (config/products/_catalogue.toml)


def plan_for(rules: PlanRules, raw: dict, term_months: int | None = None) -> DebtEstimate:
    return estimate(validate_debtor(raw), rules, term_months=term_months)


def test_written_off_card_400_days_overdue_gets_a_workout_plan_within_the_rules(rules: PlanRules) -> None:
    # Tight income: the plan needs the longest term and a cut on the written-off card.
    result = plan_for(rules, debtor(debt(principal_krw=42_000_000), monthly_income_krw=1_800_000))
    workout = result.plan(WORKOUT)
    assert workout.eligible
    assert [p.program for p in result.plans if p.eligible] == [WORKOUT]
    assert workout.principal_before_krw == 42_000_000
    assert 42_000_000 * 0.30 <= workout.principal_after_krw <= 42_000_000  # cut ≤ 70%
    assert workout.principal_after_krw < 42_000_000
    assert workout.annual_rate == 0.0  # interest waived
    assert workout.term_months is not None and workout.term_months <= 96
    assert workout.monthly_payment_krw is not None
    assert workout.monthly_payment_krw <= result.available_income_monthly_krw == 1_800_000 - LIVING_1
    assert workout.total_repaid_krw == workout.monthly_payment_krw * workout.term_months
    text = " ".join(workout.reasons_ko)
    assert "신용회복위원회 채무조정 제도 안내 (개인워크아웃)" in text  # each figure cites its source
    assert "이자를 면제" in text and f"{workout.cut_pct}% 줄여" in text and "최대 70%" in text
    assert workout.reasons_ko[-1] == DISCLAIMER_KO
    assert workout.reasons_en[-1].startswith("This is an estimate")


def test_every_plan_eligible_or_not_carries_the_estimate_sentence(rules: PlanRules) -> None:
    for days in (0, 10, 45, 400):
        for plan in plan_for(rules, debtor(debt(overdue_days=days, written_off=False))).plans:
            assert plan.reasons_ko[-1] == DISCLAIMER_KO
            assert len(plan.reasons_ko) == len(plan.reasons_en)


def test_ample_income_needs_no_cut_and_takes_the_shortest_term(rules: PlanRules) -> None:
    workout = plan_for(rules, debtor(monthly_income_krw=4_000_000)).plan(WORKOUT)
    assert workout.eligible and workout.cut_pct == 0
    assert workout.principal_after_krw == 30_000_000
    capacity = 4_000_000 - LIVING_1
    assert workout.monthly_payment_krw <= capacity
    shorter = -(-30_000_000 // (workout.term_months - 1))  # one month less would not fit
    assert workout.term_months == 12 or shorter > capacity


def test_the_vulnerable_may_be_cut_up_to_90_percent(rules: PlanRules) -> None:
    # ₩100M written off, ₩200k a month for 120 months = ₩24M: a 76% cut, allowed only to the vulnerable.
    heavy = debt(principal_krw=100_000_000)
    ordinary = plan_for(rules, debtor(heavy, monthly_income_krw=LIVING_1 + 200_000)).plan(WORKOUT)
    assert not ordinary.eligible and ordinary.cut_pct == 70 and ordinary.term_months == 96
    assert any("개인회생" in r for r in ordinary.reasons_ko)
    for who in ({"age": 72}, {"hardship": ["disability"]}, {"livelihood_status": "basic"}):
        vulnerable = plan_for(rules, debtor(heavy, monthly_income_krw=LIVING_1 + 200_000, **who)).plan(
            WORKOUT
        )
        assert vulnerable.eligible, who
        assert 70 < vulnerable.cut_pct <= 90
        assert vulnerable.monthly_payment_krw <= 200_000


def test_near_poverty_gets_ten_years_in_the_workout(rules: PlanRules) -> None:
    raw = debtor(debt(principal_krw=60_000_000, written_off=False), monthly_income_krw=LIVING_1 + 520_000)
    ordinary = plan_for(rules, raw).plan(WORKOUT)
    near = plan_for(rules, {**raw, "livelihood_status": "near_poverty"}).plan(WORKOUT)
    assert not ordinary.eligible and ordinary.term_months == 96  # 60M / 96 = 625k > 520k
    assert near.eligible and 96 < near.term_months <= 120  # 60M / 120 = 500k fits
    assert "차상위" in " ".join(near.reasons_ko)


def test_no_cut_on_debt_that_is_not_written_off(rules: PlanRules) -> None:
    raw = debtor(debt(written_off=False, principal_krw=90_000_000), monthly_income_krw=LIVING_1 + 300_000)
    workout = plan_for(rules, raw).plan(WORKOUT)
    assert workout.principal_after_krw == 90_000_000 and workout.cut_pct == 0
    assert not workout.eligible  # 90M / 96 months is far above ₩300k a month
    assert "상각된 빚이 없어서" in " ".join(workout.reasons_ko)
    assert "법원 절차(개인회생)를 상담사와 이야기해 보세요" in " ".join(workout.reasons_ko)


@pytest.mark.parametrize(
    ("days", "program"), [(1, FAST), (30, FAST), (31, PRE), (89, PRE), (90, WORKOUT), (3000, WORKOUT)]
)
def test_overdue_windows_pick_one_program(rules: PlanRules, days: int, program: str) -> None:
    result = plan_for(rules, debtor(debt(overdue_days=days, written_off=False)))
    assert [p.program for p in result.plans if p.eligible] == [program]
    for plan in result.plans:
        if plan.program != program:
            assert plan.monthly_payment_krw is None
            assert "해당하지 않아요" in plan.reasons_ko[0]


def test_not_yet_overdue_needs_a_hardship_for_fast_track(rules: PlanRules) -> None:
    calm = plan_for(rules, debtor(debt(overdue_days=0, written_off=False))).plan(FAST)
    assert not calm.eligible and "사정도 없어서" in calm.reasons_ko[0]
    at_risk = plan_for(rules, debtor(debt(overdue_days=0, written_off=False), hardship=["job_loss"])).plan(
        FAST
    )
    assert at_risk.eligible and "실직" in at_risk.reasons_ko[0]


def test_pre_workout_cuts_the_rate_by_the_smallest_cut_and_never_the_principal(rules: PlanRules) -> None:
    raw = debtor(debt(overdue_days=45, annual_rate=0.20, written_off=True))
    pre = plan_for(rules, raw).plan(PRE)
    assert pre.eligible and pre.principal_after_krw == 30_000_000
    assert pre.annual_rate == pytest.approx(0.14)  # 20% less 30%
    assert "30~70%" in " ".join(pre.reasons_ko)
    fast = plan_for(rules, {**raw, "debts": [debt(overdue_days=10, annual_rate=0.20)]}).plan(FAST)
    assert fast.annual_rate == pytest.approx(0.20)  # the readings disagree: the smallest cut, none
    assert "30~50%" in " ".join(fast.reasons_ko)  # … and both readings are named


def test_over_the_stricter_cap_sends_to_the_court(rules: PlanRules) -> None:
    # Secured ₩700M: within the common reading (₩1.0B), over the CCRS English one (₩0.5B).
    raw = debtor(
        debt(kind="secured_loan", principal_krw=700_000_000, written_off=False), monthly_income_krw=50_000_000
    )
    for plan in plan_for(rules, raw).plans:
        assert not plan.eligible and plan.monthly_payment_krw is None
    workout = plan_for(rules, raw).plan(WORKOUT)
    text = " ".join(workout.reasons_ko)
    assert "한도를 넘어요" in text and "더 엄격한 쪽" in text
    assert "법원 절차(개인회생)를 상담사와 이야기해 보세요" in text
    huge = debtor(debt(principal_krw=2_000_000_000, written_off=False))
    assert "법원 절차(파산)" in " ".join(plan_for(rules, huge).plan(WORKOUT).reasons_ko)


def test_income_below_living_cost_fits_no_plan(rules: PlanRules) -> None:
    result = plan_for(rules, debtor(monthly_income_krw=1_000_000))
    assert result.available_income_monthly_krw == 0
    workout = result.plan(WORKOUT)
    assert not workout.eligible and workout.term_months == 96 and workout.cut_pct == 70
    assert "갚을 돈이 남지 않아요" in " ".join(workout.reasons_ko)


def test_larger_households_use_the_catalogues_table(rules: PlanRules) -> None:
    two = plan_for(rules, debtor(household_size=2, monthly_income_krw=3_000_000))
    assert two.available_income_monthly_krw == 3_000_000 - 2_359_595
    nine = plan_for(rules, debtor(household_size=9, monthly_income_krw=6_000_000))
    assert nine.available_income_monthly_krw == 6_000_000 - 4_838_883  # beyond 6: the last value


def test_a_counselor_term_is_clamped_and_moves_the_payment(rules: PlanRules) -> None:
    raw = debtor(monthly_income_krw=4_000_000)
    short = plan_for(rules, raw, term_months=24).plan(WORKOUT)
    long = plan_for(rules, raw, term_months=500).plan(WORKOUT)
    assert short.term_months == 24 and long.term_months == 96
    assert short.monthly_payment_krw > long.monthly_payment_krw
    assert "상담사가 고른 기간" in " ".join(short.reasons_ko)


def test_to_dict_is_exactly_the_issue_shape(rules: PlanRules) -> None:
    out = plan_for(rules, debtor()).to_dict()
    assert set(out) == {"plans", "available_income_monthly_krw"}
    for plan in out["plans"]:
        assert set(plan) == {
            "program", "eligible", "principal_before_krw", "principal_after_krw", "annual_rate",
            "term_months", "monthly_payment_krw", "total_repaid_krw", "reasons_ko", "reasons_en",
        }  # fmt: skip
