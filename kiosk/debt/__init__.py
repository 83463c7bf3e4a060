"""Debt adjustment worked out: the debtor's creditor list, the CCRS plan rules, the repayment estimate.

``validate_debtor`` checks the input, ``load_plan_rules`` the rules file, ``estimate`` is pure.
"""

from kiosk.debt.inputs import DebtorInput, DebtProblem, InvalidDebts, validate_debtor
from kiosk.debt.plan import DebtEstimate, ProgramPlan, estimate
from kiosk.debt.rules import PlanRules, load_plan_rules

__all__ = [
    "DebtEstimate",
    "DebtProblem",
    "DebtorInput",
    "InvalidDebts",
    "PlanRules",
    "ProgramPlan",
    "estimate",
    "load_plan_rules",
    "validate_debtor",
]
