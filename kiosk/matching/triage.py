"""Debt-adjustment triage: which CCRS or court route fits, by delinquency, risk, caps and capacity.

The rule (PRODUCT.md): ≤ 30 days overdue or at risk → 신속채무조정; 31–89 days → 사전채무조정;
≥ 90 days → 개인워크아웃; when the CCRS route is closed (over the caps, too much new debt, no repayment
capacity) → the court (개인회생 if its own caps and income allow, otherwise 파산).
The program verdicts decide eligibility; triage only picks the route and says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.matching.catalogue import Text

FAST, PRE, WORKOUT = "ccrs.fast_track", "ccrs.pre_workout", "ccrs.individual_workout"
REHAB, BANKRUPTCY = "court.rehabilitation", "court.bankruptcy"
AT_RISK_HARDSHIPS = frozenset({"job_loss", "business_closure", "illness", "repeated_short_delays"})


@dataclass(frozen=True)
class DebtTriage:
    route: str | None
    reasons: list[Text]

    def to_dict(self) -> dict[str, Any]:
        return {"route": self.route, "reasons": [r.to_dict() for r in self.reasons]}


def is_delinquent(answers: Mapping[str, Any]) -> bool:
    return bool(answers.get("delinquency_days")) or answers.get("purpose") == "debt"


def at_risk(answers: Mapping[str, Any]) -> bool:
    hardship = answers.get("hardship") or []
    credit = answers.get("credit_percentile")
    return bool(AT_RISK_HARDSHIPS.intersection(hardship)) or (credit is not None and credit <= 10)


def triage_needs(answers: Mapping[str, Any], unasked: frozenset[str]) -> list[str]:
    """Unasked fields the route choice still reads (``triage`` below), so the walk asks for them too."""
    total, days = answers.get("total_debt_krw"), answers.get("delinquency_days")
    debt_purpose = answers.get("purpose") in ("debt", "credit_recovery")
    if "total_debt_krw" not in unasked and not total and not debt_purpose:
        # owes nothing (or does not know) and did not come about debt: arrears need a debt, no route
        if total == 0 or ("delinquency_days" not in unasked and not days):
            return []
    needs: list[str] = [name for name in ("total_debt_krw", "purpose") if name in unasked]
    if "delinquency_days" in unasked:
        return [*needs, "delinquency_days"]
    if days == 0:  # no arrears: the fast track only when at risk
        needs += [name for name in ("hardship", "credit_percentile") if name in unasked]
    return needs


def triage(answers: Mapping[str, Any], verdicts: Mapping[str, str]) -> DebtTriage | None:
    """None when the person has no debt question at all."""
    days = answers.get("delinquency_days")
    total = answers.get("total_debt_krw")
    if not total and not days and answers.get("purpose") not in ("debt", "credit_recovery"):
        return None
    if days is None:
        return DebtTriage(
            None,
            [
                Text(
                    "연체 기간을 알려 주시면 맞는 채무조정 방법을 찾아 드려요",
                    "Tell us how long you are overdue to find the right route",
                )
            ],
        )
    if days <= 30:
        if days == 0 and not at_risk(answers):
            return DebtTriage(
                None,
                [
                    Text(
                        "연체가 없고 연체 위험 사유도 없어서 지금은 채무조정이 필요하지 않아요",
                        "No delinquency and no risk factor: no debt adjustment needed now",
                    )
                ],
            )
        route = FAST
        why = Text(
            f"연체 {days}일(30일 이하) 또는 연체 위험 → 신속채무조정",
            f"{days} days overdue (≤ 30) or at risk → fast-track adjustment",
        )
    elif days <= 89:
        route = PRE
        why = Text(f"연체 {days}일(31~89일) → 사전채무조정", f"{days} days overdue (31–89) → pre-workout")
    else:
        route = WORKOUT
        why = Text(
            f"연체 {days}일(90일 이상) → 개인워크아웃", f"{days} days overdue (≥ 90) → individual workout"
        )
    if verdicts.get(route) != "ineligible":
        return DebtTriage(route, [why])
    court = REHAB if verdicts.get(REHAB, "ineligible") != "ineligible" else BANKRUPTCY
    court_name = "개인회생" if court == REHAB else "파산"
    return DebtTriage(
        court,
        [
            why,
            Text(
                f"다만 채무 한도·최근 채무 비율·상환 능력 조건이 맞지 않아요 → 법원 절차({court_name}) 안내",
                f"but a CCRS rule (caps, recent-debt share, repayment capacity) is not met → court ({court})",
            ),
        ],
    )
