"""Shared answer sets for the matching tests (synthetic people only)."""

from __future__ import annotations

from typing import Any

import pytest


def base_answers(**overrides: Any) -> dict[str, Any]:
    """A 47-year-old employed person with manageable debt, 45 days overdue (the acceptance case)."""
    answers: dict[str, Any] = {
        "age": 47,
        "purpose": "debt",
        "annual_income_krw": 32_000_000,
        "employment": "employed",
        "employment_months": 40,
        "sme_employee": False,
        "household_size": 2,
        "total_debt_krw": 48_000_000,
        "secured_debt_krw": 0,
        "unsecured_debt_krw": 48_000_000,
        "debt_last_6m_krw": 3_000_000,
        "delinquency_days": 45,
        "credit_percentile": 15,
        "livelihood_status": "none",
        "hardship": [],
        "court_rehabilitation": "none",
    }
    answers.update(overrides)
    return answers


@pytest.fixture
def answers() -> dict[str, Any]:
    return base_answers()
