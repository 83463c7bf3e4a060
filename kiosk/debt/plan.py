"""The repayment-plan estimate for each CCRS program: pure, no I/O (rules and input come in checked).

For every program the person is measured against its overdue window and the debt caps (the stricter
reading of the two sources); then the rate (waived, or cut by the smallest cut the sources give), then
the term and, in the workout only, the principal cut on written-off debt:
- the term is the shortest one (from the program's minimum) whose payment fits the repayment capacity
  (monthly income − the household's living cost); nobody is told to pay longer than needed;
- when even the longest term allowed does not fit, the workout cuts written-off principal by the
  smallest whole percent that makes it fit, up to 70% (90% for the vulnerable);
- when nothing fits, the plan shows the longest term (with the largest cut) and says it does not fit:
  the person should talk about the court routes with a counselor.
A counselor may ask for a given term (``term_months``, clamped to what the program allows); the cut is
then sized for that term.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import kiosk.debt.wording as w
from kiosk.debt.amortise import after_cut_krw, monthly_payment_krw, rate_after_cut
from kiosk.debt.inputs import DebtorInput
from kiosk.debt.rules import PlanRules, ProgramRules


@dataclass(frozen=True)
class ProgramPlan:
    program: str
    eligible: bool
    principal_before_krw: int
    principal_after_krw: int | None
    annual_rate: float | None
    term_months: int | None
    monthly_payment_krw: int | None
    total_repaid_krw: int | None
    reasons_ko: tuple[str, ...]
    reasons_en: tuple[str, ...]
    name_ko: str = ""
    name_en: str = ""
    cut_pct: int = 0
    fits_capacity: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Exactly the issue's JSON shape for one plan."""
        return {
            "program": self.program,
            "eligible": self.eligible,
            "principal_before_krw": self.principal_before_krw,
            "principal_after_krw": self.principal_after_krw,
            "annual_rate": self.annual_rate,
            "term_months": self.term_months,
            "monthly_payment_krw": self.monthly_payment_krw,
            "total_repaid_krw": self.total_repaid_krw,
            "reasons_ko": list(self.reasons_ko),
            "reasons_en": list(self.reasons_en),
        }


@dataclass(frozen=True)
class DebtEstimate:
    plans: tuple[ProgramPlan, ...]
    available_income_monthly_krw: int
    living_cost_monthly_krw: int
    rules_version: str

    def plan(self, program_id: str) -> ProgramPlan:
        return next(p for p in self.plans if p.program == program_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "plans": [p.to_dict() for p in self.plans],
            "available_income_monthly_krw": self.available_income_monthly_krw,
        }


class _Reasons:
    def __init__(self) -> None:
        self.ko: list[str] = []
        self.en: list[str] = []

    def add(self, pair: tuple[str, str]) -> None:
        self.ko.append(pair[0])
        self.en.append(pair[1])


def is_vulnerable(debtor: DebtorInput, rules: PlanRules) -> bool:
    v = rules.file.vulnerable
    return (
        debtor.livelihood_status in v.livelihood_status
        or debtor.age >= v.min_age
        or any(h in v.hardship_any for h in debtor.hardship)
    )


def available_income_krw(debtor: DebtorInput, rules: PlanRules) -> int:
    """Income − living cost, never below zero (a shortfall means nothing is left to repay with)."""
    return max(0, debtor.monthly_income_krw - rules.living_cost.monthly_krw(debtor.household_size))


def estimate(debtor: DebtorInput, rules: PlanRules, *, term_months: int | None = None) -> DebtEstimate:
    capacity = available_income_krw(debtor, rules)
    plans = tuple(
        _program_plan(pid, prog, debtor, rules, capacity, term_months)
        for pid, prog in rules.file.programs.items()
    )
    return DebtEstimate(
        plans=plans,
        available_income_monthly_krw=capacity,
        living_cost_monthly_krw=rules.living_cost.monthly_krw(debtor.household_size),
        rules_version=rules.version,
    )


def _in_window(prog: ProgramRules, debtor: DebtorInput) -> bool:
    longest = debtor.longest_overdue_days
    top = prog.overdue_days_max if prog.overdue_days_max is not None else longest
    if not prog.overdue_days_min <= longest <= top:
        return False
    # "At risk": not yet overdue counts only with one of the program's hardship flags.
    return not (
        prog.at_risk_hardship and longest == 0 and not set(debtor.hardship) & set(prog.at_risk_hardship)
    )


def _plan(
    pid: str,
    prog: ProgramRules,
    debtor: DebtorInput,
    why: _Reasons,
    *,
    after_krw: int | None = None,
    annual_rate: float | None = None,
    term: int | None = None,
    monthly: int | None = None,
    cut_pct: int = 0,
    fits: bool = False,
) -> ProgramPlan:
    """One program's plan with its reasons; a refused one stops at the principal it was measured on."""
    return ProgramPlan(
        program=pid,
        eligible=fits,
        principal_before_krw=debtor.total_krw,
        principal_after_krw=after_krw,
        annual_rate=annual_rate,
        term_months=term,
        monthly_payment_krw=monthly,
        total_repaid_krw=None if monthly is None or term is None else monthly * term,
        reasons_ko=tuple(why.ko),
        reasons_en=tuple(why.en),
        name_ko=prog.name_ko,
        name_en=prog.name_en,
        cut_pct=cut_pct,
        fits_capacity=fits,
    )


def _refused(pid: str, prog: ProgramRules, debtor: DebtorInput, why: _Reasons) -> ProgramPlan:
    why.add(w.ESTIMATE_ONLY)
    return _plan(pid, prog, debtor, why)


def _smallest(low: int, high: int, fits: Callable[[int], bool]) -> int | None:
    """The smallest value in [low, high] that fits, for a test that stays true once true; None if none."""
    if low > high or not fits(high):
        return None
    while low < high:
        middle = (low + high) // 2
        if fits(middle):
            high = middle
        else:
            low = middle + 1
    return low


def _program_plan(
    pid: str,
    prog: ProgramRules,
    debtor: DebtorInput,
    rules: PlanRules,
    capacity: int,
    term_override: int | None,
) -> ProgramPlan:
    why = _Reasons()
    if not _in_window(prog, debtor):
        why.add(w.outside_window(prog, debtor))
        return _refused(pid, prog, debtor, why)
    why.add(w.inside_window(prog, debtor))
    caps = rules.file.caps
    if debtor.secured_krw > caps.secured_krw or debtor.unsecured_krw > caps.unsecured_krw:
        why.add(w.over_caps(caps, debtor))
        why.add(w.court_route(rules.file.court, debtor))
        return _refused(pid, prog, debtor, why)
    why.add(w.within_caps(caps, debtor))

    rate_cut = prog.interest.estimate_cut_pct
    cut_rule = prog.principal_cut
    vulnerable = is_vulnerable(debtor, rules)
    written_off = any(d.written_off for d in debtor.debts)
    cut_cap = (
        (cut_rule.vulnerable_max_pct if vulnerable else cut_rule.max_pct) if cut_rule and written_off else 0
    )
    rates = [rate_after_cut(d.annual_rate, rate_cut) for d in debtor.debts]

    def by_rate(cut_pct: int) -> dict[Decimal, int]:
        grouped: dict[Decimal, int] = defaultdict(int)
        for debt, rate in zip(debtor.debts, rates, strict=True):
            grouped[rate] += (
                after_cut_krw(debt.principal_krw, cut_pct) if debt.written_off else debt.principal_krw
            )
        return grouped

    def pay(months: int, cut_pct: int) -> int:
        return monthly_payment_krw(by_rate(cut_pct), months)

    term_cap = prog.term_cap(debtor.livelihood_status)
    if term_override is not None:
        how = "chosen"
        term = min(max(term_override, prog.term_months_min), term_cap)
        cut = _smallest(0, cut_cap, lambda c: pay(term, c) <= capacity)
    else:
        found_term = _smallest(prog.term_months_min, term_cap, lambda m: pay(m, 0) <= capacity)
        how = "shortest" if found_term is not None else "longest"
        term = found_term if found_term is not None else term_cap
        cut = 0 if found_term is not None else _smallest(0, cut_cap, lambda c: pay(term_cap, c) <= capacity)
    fits = cut is not None
    cut = cut if cut is not None else cut_cap

    principal = by_rate(cut)
    after = sum(principal.values())
    monthly = monthly_payment_krw(principal, term)
    weighted_rate = sum((rate * amount for rate, amount in principal.items()), Decimal(0)) / after
    annual_rate = float(round(weighted_rate, 4))

    if cut_rule is None:
        why.add(w.no_principal_cut(prog))
    else:
        why.add(w.principal_cut(prog, cut_rule, debtor, cut, cut_cap, vulnerable, after))
    why.add(w.interest(prog, annual_rate, len(set(rates)) > 1))
    why.add(w.term(prog, term, term_cap, how))
    why.add(w.payment(monthly, term))
    why.add(w.capacity(debtor, rules, capacity))
    if not fits:
        why.add(w.does_not_fit(monthly, capacity, term_override is not None))
        why.add(w.court_route(rules.file.court, debtor))
    why.add(w.ESTIMATE_ONLY)
    return _plan(
        pid, prog, debtor, why,
        after_krw=after, annual_rate=annual_rate, term=term, monthly=monthly, cut_pct=cut, fits=fits,
    )  # fmt: skip
