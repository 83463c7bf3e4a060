"""Properties of the plan calculator over any valid input (hypothesis)."""

from __future__ import annotations

import math
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.debt import estimate, validate_debtor
from kiosk.debt.amortise import exact_payment, rate_after_cut
from kiosk.debt.plan import is_vulnerable
from kiosk.debt.rules import PlanRules, load_plan_rules

RULES: PlanRules = load_plan_rules()

debts = st.lists(
    st.fixed_dictionaries(
        {
            "creditor": st.sampled_from(["가나카드", "다라은행", "마바저축은행", "사아캐피탈", "자차대부"]),
            "kind": st.sampled_from(["card", "unsecured_loan", "secured_loan", "other"]),
            "principal_krw": st.integers(1, 300_000_000),
            "annual_rate": st.floats(0, 1, allow_nan=False),
            "overdue_days": st.integers(0, 3000),
            "written_off": st.booleans(),
        }
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda d: (d["creditor"], d["kind"]),
)
people = st.fixed_dictionaries(
    {
        "monthly_income_krw": st.integers(0, 20_000_000),
        "household_size": st.integers(1, 20),
        "livelihood_status": st.sampled_from(["none", "near_poverty", "basic"]),
        "age": st.integers(0, 120),
        "hardship": st.lists(
            st.sampled_from(["job_loss", "illness", "disability", "business_closure"]), max_size=3
        ),
        "debts": debts,
    }
)
terms = st.none() | st.integers(1, 600)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people, terms)
def test_figures_add_up_and_no_cut_outside_the_rules(raw: dict, term: int | None) -> None:
    debtor = validate_debtor(raw)
    result = estimate(debtor, RULES, term_months=term)
    assert 0 <= result.available_income_monthly_krw <= debtor.monthly_income_krw
    written_off = sum(d.principal_krw for d in debtor.debts if d.written_off)
    for plan in result.plans:
        prog = RULES.program(plan.program)
        assert plan.principal_before_krw == debtor.total_krw
        assert plan.reasons_ko[-1].startswith("예상치예요")
        if plan.monthly_payment_krw is None:
            assert not plan.eligible
            continue
        assert plan.term_months is not None and plan.total_repaid_krw is not None
        assert plan.principal_after_krw is not None and plan.annual_rate is not None
        # monthly × term = total, and the total is the exact level schedule rounded up by < 1 won a month.
        assert plan.total_repaid_krw == plan.monthly_payment_krw * plan.term_months
        assert plan.total_repaid_krw >= plan.principal_after_krw
        by_rate: dict[Decimal, int] = {}
        cut = plan.cut_pct
        for d in debtor.debts:
            rate = rate_after_cut(d.annual_rate, prog.interest.estimate_cut_pct)
            left = d.principal_krw - (d.principal_krw * cut // 100 if d.written_off else 0)
            by_rate[rate] = by_rate.get(rate, 0) + left
        exact = exact_payment(by_rate, plan.term_months)
        assert plan.monthly_payment_krw == math.ceil(exact)
        assert 0 <= plan.total_repaid_krw - exact * plan.term_months < plan.term_months
        # Principal never grows; a cut only where a rule allows it, only on written-off debt, within the cap.
        assert plan.principal_after_krw <= plan.principal_before_krw
        removed = plan.principal_before_krw - plan.principal_after_krw
        if prog.principal_cut is None:
            assert removed == 0 and cut == 0
        else:
            cap = (
                prog.principal_cut.vulnerable_max_pct
                if is_vulnerable(debtor, RULES)
                else prog.principal_cut.max_pct
            )
            assert 0 <= cut <= cap
            assert removed <= written_off * cap / 100
            assert removed == 0 or written_off > 0
        # Term within the program's limits; an eligible plan fits the capacity.
        assert prog.term_months_min <= plan.term_months <= prog.term_cap(debtor.livelihood_status)
        if plan.eligible:
            assert plan.monthly_payment_krw <= result.available_income_monthly_krw
        if prog.interest.waived:
            assert plan.annual_rate == 0


@settings(max_examples=60, deadline=None)
@given(people)
def test_only_the_workout_ever_cuts_principal_in_the_shipped_rules(raw: dict) -> None:
    for plan in estimate(validate_debtor(raw), RULES).plans:
        if plan.program != "ccrs.individual_workout" and plan.principal_after_krw is not None:
            assert plan.principal_after_krw == plan.principal_before_krw
