"""What a plan built from the kiosk's totals assumed, said in every plan's reasons (issue 21).

The kiosk asks totals, never rates or whether a debt was written off, so a totals plan rests on three
assumptions that a person must be told, not left to guess:
- the rate: every line carries ``[kiosk_totals] assumed_annual_rate`` of config/debt/plan_rules.toml,
  with the file's reason for that figure and its source;
- written off: unknown, so counted as not — no principal cut, although at 90 days and more (the
  workout) a written-off debt could be cut, and the payment could then be smaller;
- the days overdue: "잘 모르겠어요" is read as 0 days, which can change the program, so the reasons say
  so (a range is read as its lower bound; the ranges are cut at the programs' own 31 and 90 days, so
  the lower bound keeps the program).
Pure: the estimate in, the same estimate with these reasons appended out.
"""

from __future__ import annotations

from dataclasses import replace

from kiosk.debt.inputs import DebtorInput
from kiosk.debt.plan import DebtEstimate, ProgramPlan
from kiosk.debt.rules import PlanRules


def _pct(rate: float) -> str:
    return f"{rate * 100:g}%"


def totals_reasons(
    rules: PlanRules, debtor: DebtorInput, plan: ProgramPlan, *, overdue_known: bool = True
) -> tuple[list[str], list[str]]:
    """The sentences (ko, en) a plan from the kiosk's totals adds to its own reasons."""
    totals = rules.file.kiosk_totals
    rate = _pct(totals.assumed_annual_rate)
    ko = [
        f"키오스크 답(합계)에는 금리가 없어서 연 {rate}로 가정했어요: {totals.why_ko} "
        f"(출처: {totals.source.title}). 실제 금리를 알면 금액이 달라져요.",
        "상각 여부를 알 수 없어서 원금 감면은 계산에 넣지 않았어요 (원금 감면은 상각된 빚에만 해당해요).",
    ]
    en = [
        f"The kiosk's totals carry no rate, so {rate} a year was assumed: {totals.why_en} "
        f"(source: {totals.source.title}). The real rates change the figures.",
        "Whether any debt was written off is unknown, so no principal cut is counted "
        "(cuts apply to written-off debt only).",
    ]
    workout = rules.program("ccrs.individual_workout")
    cut = workout.principal_cut
    if debtor.longest_overdue_days >= workout.overdue_days_min and cut is not None:
        ko.append(
            f"{workout.overdue_days_min}일 이상 밀려서 {workout.name_ko} 대상이에요. 상각된 빚이라면 원금을 "
            f"최대 {cut.max_pct}%(취약계층 {cut.vulnerable_max_pct}%)까지 줄일 수 있어서, 실제 월 납입액은 "
            "이보다 적을 수 있어요."
        )
        en.append(
            f"{workout.overdue_days_min}+ days overdue leads to the {workout.name_en}: if some debt is "
            f"written off its principal may be cut by up to {cut.max_pct}% ({cut.vulnerable_max_pct}% for "
            "the vulnerable), so the real payment may be smaller."
        )
    if not overdue_known:
        ko.append(
            "밀린 날을 몰라서 0일로 계산했어요. 31일 이상 밀렸다면 맞는 제도가 달라져요 "
            "(31~89일 사전채무조정, 90일 이상 개인워크아웃)."
        )
        en.append(
            "Days overdue are unknown and were counted as 0; at 31 days or more another program fits "
            "(31–89 days pre-workout, 90+ days individual workout)."
        )
    return ko, en


def with_totals_assumptions(
    result: DebtEstimate, rules: PlanRules, debtor: DebtorInput, *, overdue_known: bool = True
) -> DebtEstimate:
    """``result`` with every plan's reasons saying what the kiosk's totals assumed."""
    plans = []
    for plan in result.plans:
        ko, en = totals_reasons(rules, debtor, plan, overdue_known=overdue_known)
        plans.append(replace(plan, reasons_ko=(*plan.reasons_ko, *ko), reasons_en=(*plan.reasons_en, *en)))
    return replace(result, plans=tuple(plans))
