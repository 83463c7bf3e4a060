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
from kiosk.matching.fields import FIELDS
from kiosk.matching.ranges import high_of, low_of
from kiosk.matching.wording import value_en, value_ko

FAST, PRE, WORKOUT = "ccrs.fast_track", "ccrs.pre_workout", "ccrs.individual_workout"
REHAB, BANKRUPTCY = "court.rehabilitation", "court.bankruptcy"
AT_RISK_HARDSHIPS = frozenset({"job_loss", "business_closure", "illness", "repeated_short_delays"})


@dataclass(frozen=True)
class DebtTriage:
    route: str | None
    reasons: list[Text]

    def to_dict(self) -> dict[str, Any]:
        return {"route": self.route, "reasons": [r.to_dict() for r in self.reasons]}


def _nothing(value: Any) -> bool:
    """No answer, or an amount/number that is zero (a range: one that can only be zero)."""
    return value is None or high_of(value) == 0


def _bucket(days: Any, risk: bool) -> str | None:
    """Which route the delinquency days point to; None when a range answer spans two of them."""
    low, high = low_of(days), high_of(days)
    if high <= 30:
        if high == 0 and not risk:
            return "none"
        return FAST if low > 0 or risk else None
    if low >= 31 and high <= 89:
        return PRE
    return WORKOUT if low >= 90 else None


def is_delinquent(answers: Mapping[str, Any]) -> bool:
    return not _nothing(answers.get("delinquency_days")) or answers.get("purpose") == "debt"


def at_risk(answers: Mapping[str, Any]) -> bool:
    hardship = answers.get("hardship") or []
    credit = answers.get("credit_percentile")
    return bool(AT_RISK_HARDSHIPS.intersection(hardship)) or (credit is not None and high_of(credit) <= 10)


def triage_needs(answers: Mapping[str, Any], unasked: frozenset[str]) -> list[str]:
    """Unasked fields the route choice still reads (``triage`` below), so the walk asks for them too."""
    total, days = answers.get("total_debt_krw"), answers.get("delinquency_days")
    debt_purpose = answers.get("purpose") in ("debt", "credit_recovery")
    if "total_debt_krw" not in unasked and _nothing(total) and not debt_purpose:
        # owes nothing (or does not know) and did not come about debt: arrears need a debt, no route
        if (total is not None and high_of(total) == 0) or (
            "delinquency_days" not in unasked and _nothing(days)
        ):
            return []
    needs: list[str] = [name for name in ("total_debt_krw", "purpose") if name in unasked]
    if "delinquency_days" in unasked:
        return [*needs, "delinquency_days"]
    if days is not None and low_of(days) == 0:  # no arrears (or maybe none): the fast track only when at risk
        needs += [name for name in ("hardship", "credit_percentile") if name in unasked]
    return needs


def triage(answers: Mapping[str, Any], verdicts: Mapping[str, str]) -> DebtTriage | None:
    """None when the person has no debt question at all."""
    days = answers.get("delinquency_days")
    total = answers.get("total_debt_krw")
    if _nothing(total) and _nothing(days) and answers.get("purpose") not in ("debt", "credit_recovery"):
        return None
    bucket = None if days is None else _bucket(days, at_risk(answers))
    if bucket is None:
        return DebtTriage(
            None,
            [
                Text(
                    "연체 기간을 알려 주시면 맞는 채무조정 방법을 찾아 드려요",
                    "Tell us how long you are overdue to find the right route",
                )
            ],
        )
    spec = FIELDS["delinquency_days"]
    days_ko, days_en = value_ko(spec, days), value_en(spec, days)
    if bucket in ("none", FAST):
        if bucket == "none":
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
            f"연체 {days_ko}(30일 이하) 또는 연체 위험 → 신속채무조정",
            f"{days_en} overdue (≤ 30) or at risk → fast-track adjustment",
        )
    elif bucket == PRE:
        route = PRE
        why = Text(f"연체 {days_ko}(31~89일) → 사전채무조정", f"{days_en} overdue (31–89) → pre-workout")
    else:
        route = WORKOUT
        why = Text(
            f"연체 {days_ko}(90일 이상) → 개인워크아웃", f"{days_en} overdue (≥ 90) → individual workout"
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
