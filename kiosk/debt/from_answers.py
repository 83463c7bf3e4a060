"""The plan's debtor from what the kiosk asked, without a database: for the lobby's one-line estimate
and the desk's term slider, which work the plan out on the device.

The creditor lines of a visit with no list yet are the hub's kiosk totals
(``kiosk.debt.visit_list.kiosk_totals``: one line per kind the answers give, each range as its lower
bound, the assumed rate, nothing written off); the profile is read the same way:
- a range stands for its LOWER bound — the least the person told us, never a figure they did not give;
  the range cuts sit on the programs' own boundaries (31, 90 days), so the lower bound keeps the route;
- yearly income ÷ 12 is the monthly income; without an income or a household size there is no
  capacity to work out, so no debtor (the screens then show no figure rather than a made-up one);
- an unknown age is not counted as vulnerable by age (the hub uses the person's birth date);
- the matching's 근로·자녀장려금 status (``eitc``) is no livelihood status of the plan (``none``).
Pure: answers in, plain values out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kiosk.debt.assumptions import with_totals_assumptions
from kiosk.debt.inputs import HARDSHIP, DebtorInput, InvalidDebts, validate_debtor
from kiosk.debt.plan import DebtEstimate, estimate
from kiosk.debt.rules import PlanRules
from kiosk.debt.visit_list import UNKNOWN_AGE, kiosk_totals, low_high

_LIVELIHOOD = ("none", "near_poverty", "basic")


def point(value: object) -> int | None:
    """An exact whole answer as it is; a range as its lower bound; anything else unknown."""
    read = low_high(value)
    return read[0] if read else None


def profile_from_answers(answers: Mapping[str, Any]) -> dict[str, Any] | None:
    """Income, household, livelihood, age and hardship as the plan reads them; None without income or
    household size."""
    income = point(answers.get("annual_income_krw"))
    household = point(answers.get("household_size"))
    if income is None or household is None:
        return None
    livelihood = answers.get("livelihood_status")
    hardship = answers.get("hardship")
    age = point(answers.get("age"))
    return {
        "monthly_income_krw": income // 12,
        "household_size": household,
        "livelihood_status": livelihood if livelihood in _LIVELIHOOD else "none",
        "age": age if age is not None else UNKNOWN_AGE,
        "hardship": sorted({h for h in hardship if h in HARDSHIP}) if isinstance(hardship, list) else [],
    }


def totals_from_answers(answers: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The kiosk's totals as plan lines (the hub's own reading); [] when the answers give no debt."""
    return [line.plan_input() for line in kiosk_totals(answers)]


def estimate_from_answers(
    answers: Mapping[str, Any], rules: PlanRules, term_months: int | None = None
) -> DebtEstimate | None:
    """The plan from the kiosk's totals, its reasons saying what was assumed (kiosk.debt.assumptions);
    None when the answers give no debtor."""
    debtor = debtor_from_answers(answers)
    if debtor is None:
        return None
    known = low_high(answers.get("delinquency_days")) is not None
    result = estimate(debtor, rules, term_months=term_months)
    return with_totals_assumptions(result, rules, debtor, overdue_known=known)


def debtor_from_answers(
    answers: Mapping[str, Any], debts: list[dict[str, Any]] | None = None
) -> DebtorInput | None:
    """The checked plan input from the answers and ``debts`` (default: the answers' totals); None when
    they cannot give one (no income or household, no debt, or a figure the plan refuses)."""
    profile = profile_from_answers(answers)
    lines = totals_from_answers(answers) if debts is None else debts
    if profile is None or not lines:
        return None
    try:
        return validate_debtor({**profile, "debts": lines})
    except InvalidDebts:
        return None
