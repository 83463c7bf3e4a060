"""A plan from the kiosk's totals says what it assumed (issue 21): the rate (from the rules file, with its
reason and source), that written-off status is unknown so no principal cut is counted, and where an
assumption can change the program."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import ConfigError
from kiosk.debt.from_answers import estimate_from_answers
from kiosk.debt.rules import PlanRules, default_path, load_plan_rules
from kiosk.debt.visit_list import kiosk_totals

ANSWERS = {
    "annual_income_krw": 36_000_000,
    "household_size": 1,
    "total_debt_krw": 30_000_000,
    "unsecured_debt_krw": 30_000_000,
    "secured_debt_krw": 0,
}


def test_the_assumed_rate_is_data_with_its_reason_and_source(rules: PlanRules) -> None:
    totals = rules.file.kiosk_totals
    assert rules.assumed_rate == totals.assumed_annual_rate == 0.15
    assert totals.why_ko and totals.source.url.startswith("https://")
    assert all(line.annual_rate == rules.assumed_rate for line in kiosk_totals(ANSWERS))


def test_every_plan_from_totals_says_the_rate_and_that_no_cut_is_counted(rules: PlanRules) -> None:
    result = estimate_from_answers({**ANSWERS, "delinquency_days": 45}, rules)
    assert result is not None
    for plan in result.plans:
        why = rules.file.kiosk_totals.why_ko
        assert any("연 15%로 가정했어요" in r and why in r for r in plan.reasons_ko)
        assert any("출처: " + rules.file.kiosk_totals.source.title in r for r in plan.reasons_ko)
        assert any("상각 여부를 알 수 없어서 원금 감면은 계산에 넣지 않았어요" in r for r in plan.reasons_ko)
        assert any("15% a year was assumed" in r for r in plan.reasons_en)
        assert len(plan.reasons_ko) == len(plan.reasons_en)
        assert plan.cut_pct == 0 and plan.principal_after_krw in (None, plan.principal_before_krw)


def test_at_90_days_the_possible_cut_is_said_and_unknown_days_are_said(rules: PlanRules) -> None:
    late = estimate_from_answers({**ANSWERS, "delinquency_days": {"from": 90, "to": None}}, rules)
    assert late is not None
    workout = late.plan("ccrs.individual_workout")
    assert workout.eligible
    cut = "90일 이상 밀려서 개인워크아웃 대상이에요"
    assert any(cut in r and "최대 70%" in r for r in workout.reasons_ko)
    unknown = estimate_from_answers({**ANSWERS, "delinquency_days": None}, rules)
    assert unknown is not None
    said = [r for r in unknown.plan("ccrs.fast_track").reasons_ko if "밀린 날을 몰라서 0일로 계산했어요" in r]
    assert len(said) == 1 and "개인워크아웃" in said[0]


def test_a_rate_above_the_legal_maximum_is_refused(tmp_path: Path) -> None:
    text = default_path().read_text(encoding="utf-8").replace(
        "assumed_annual_rate = 0.15", "assumed_annual_rate = 0.35"
    )
    path = tmp_path / "plan_rules.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_plan_rules(path)
    assert "kiosk_totals" in str(refused.value)
