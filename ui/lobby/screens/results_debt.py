"""The one line under a CCRS recommendation: roughly what the person would pay a month, and how long.

Worked out with ``kiosk.debt`` from the visit's answers (the kiosk's totals, each range as its lower
bound — ``kiosk.debt.from_answers``, the hub's own reading) on the worker thread; worded here without
widgets so it can be tested alone. Money is rounded to 만원 and said with "약". Honest about ranges:
- a debt answered as a wide range (its top more than twice its bottom, or no top — the one-tap
  ranges often are: "667만~5억원") gives only a floor, so the line says "약 9만원부터" ("from about"):
  the lower bound is the least the person owes, and the longest term the least they would pay;
- "more than your income allows" is said only when the income is known closely enough (exact, or a
  range no wider than twice its bottom) and the plan does not fit it even over the longest term.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kiosk.debt import PlanRules, ProgramPlan, load_plan_rules
from kiosk.debt.from_answers import estimate_from_answers
from kiosk.debt.rules import PROGRAM_IDS
from kiosk.debt.visit_list import low_high
from kiosk.debt.wording import ESTIMATE_ONLY

_MAN = 10_000
DEBT_FIELDS = ("total_debt_krw", "secured_debt_krw", "unsecured_debt_krw")


@dataclass(frozen=True)
class LeadEstimate:
    plan: ProgramPlan
    floor_only: bool  # the debt was a wide range: the payment is "from about"
    income_known: bool  # exact or a narrow range: "more than your income allows" may be said


@lru_cache(maxsize=1)
def _rules() -> PlanRules:
    return load_plan_rules()


def close_enough(value: object) -> bool:
    """An exact figure, or a range whose top is at most twice its bottom (its lower bound then says
    roughly what the person meant)."""
    read = low_high(value)
    if read is None:
        return False
    low, high = read
    return high is not None and high <= 2 * max(low, 1)


def lead_plan(answers: Mapping[str, Any], program_id: str) -> LeadEstimate | None:
    """Worker job: the estimate for ``program_id`` (a CCRS route) from the answers; None when the
    answers cannot give one or the program is not a CCRS route."""
    if program_id not in PROGRAM_IDS:
        return None
    result = estimate_from_answers(answers, _rules())
    if result is None:
        return None
    plan = result.plan(program_id)
    if not plan.monthly_payment_krw or not plan.term_months:
        return None
    given = [answers[name] for name in DEBT_FIELDS if answers.get(name) is not None]
    return LeadEstimate(
        plan,
        floor_only=not all(close_enough(value) for value in given),
        income_known=close_enough(answers.get("annual_income_krw")),
    )


def money(amount: int, english: bool) -> str:
    """약 36만원 / about ₩360,000 (to the nearest 만원; below 1만원, to the won)."""
    if amount < _MAN:
        return f"about ₩{amount:,}" if english else f"약 {amount:,}원"
    man = round(amount / _MAN)
    return f"about ₩{man * _MAN:,}" if english else f"약 {man:,}만원"


def term(months: int, english: bool) -> str:
    """8년 · 1년 6개월 · 10개월 / 8 years · 1 year 6 months · 10 months."""
    years, rest = divmod(months, 12)
    if english:
        parts = [f"{years} year{'s' if years != 1 else ''}"] if years else []
        parts += [f"{rest} month{'s' if rest != 1 else ''}"] if rest else []
        return " ".join(parts)
    return " ".join(([f"{years}년"] if years else []) + ([f"{rest}개월"] if rest else []))


def estimate_line(lead: LeadEstimate, english: bool) -> str:
    plan = lead.plan
    monthly, months = plan.monthly_payment_krw or 0, plan.term_months or 0
    tight = not plan.fits_capacity and lead.income_known
    pick = 1 if english else 0
    if english:
        amount = (
            money(monthly, True).replace("about", "from about") if lead.floor_only else money(monthly, True)
        )
        head = f"Estimated monthly payment {amount} · {term(months, True)}"
        tail = " — more than your income allows; a counselor looks at it with you" if tight else ""
        assumed = f"assuming {rate_words(_rules())} a year interest"
    else:
        amount = money(monthly, False) + ("부터" if lead.floor_only else "")
        head = f"예상 월 납입액 {amount} · {term(months, False)}"
        tail = " — 소득에 비해 많아서 상담사가 함께 살펴봐요" if tight else ""
        assumed = f"금리는 연 {rate_words(_rules())}로 가정"
    # The kiosk asks no rates: the line says the rate it assumed (the rules' [kiosk_totals]), short.
    return f"{head} · {assumed}{tail} ({ESTIMATE_ONLY[pick]})"


def rate_words(rules: PlanRules) -> str:
    """15% (the rate a kiosk-totals plan assumes, as the rules file says it)."""
    return f"{rules.assumed_rate * 100:g}%"
