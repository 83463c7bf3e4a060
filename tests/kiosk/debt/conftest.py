"""Shared material for the debt-plan tests (synthetic people and creditors only)."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.debt.rules import PlanRules, load_plan_rules


def debt(**overrides: Any) -> dict[str, Any]:
    """One written-off card debt, 400 days overdue (the issue's acceptance case)."""
    line: dict[str, Any] = {
        "creditor": "가나카드",
        "kind": "card",
        "principal_krw": 30_000_000,
        "annual_rate": 0.18,
        "overdue_days": 400,
        "written_off": True,
    }
    line.update(overrides)
    return line


def debtor(*debts: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """A 45-year-old living alone, ₩2.5M a month, no welfare status, no hardship."""
    raw: dict[str, Any] = {
        "monthly_income_krw": 2_500_000,
        "household_size": 1,
        "livelihood_status": "none",
        "age": 45,
        "hardship": [],
        "debts": list(debts) or [debt()],
    }
    raw.update(overrides)
    return raw


@pytest.fixture(scope="session")
def rules() -> PlanRules:
    return load_plan_rules()
