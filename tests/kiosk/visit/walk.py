"""A scripted synthetic walk-in used by the visit tests and by the crash child process."""

from __future__ import annotations

from datetime import date

from config.consent import consent_set, consent_text_sha256
from kiosk.visit import IdentitySummary, VisitFlow

# What the synthetic person answers, per question id (amounts in 만원 as typed on the keypad).
SCRIPT = {
    "purpose": "debt",
    "age": 46,
    "employment": "employed_over_1y",  # the work screen says how long too
    "employment_months": 40,
    "sme_employee": False,
    "annual_income": 3200,
    "household_size": 2,
    "credit_band": 20,
    "total_debt": 4800,
    "unsecured_debt": 4800,
    "secured_debt": 0,
    "debt_last_6m": 300,
    "delinquency": 45,
    # the compound screens: what is going on with the debts, and what happened lately / support
    "debt_now": ["owes", "overdue_89", "new_borrowing"],
    "life": [],
    "court_rehabilitation_months": 0,
    "ccrs_repayment_months": 0,
    "policy_loan_months": 0,
}
BIRTH_DATE = date(1979, 5, 2)


def identity() -> IdentitySummary:
    return IdentitySummary(
        method="manual", document_kind="manual", result="not_checked", birth_date=BIRTH_DATE
    )


def grant_all() -> dict[str, bool]:
    return {item.id: True for item in consent_set().items}


def answer_all(flow: VisitFlow) -> list[str]:
    asked = []
    question = flow.next_question()
    while question is not None:
        asked.append(question.id)
        question = flow.answer(question.id, SCRIPT.get(question.id))  # unscripted: "잘 모르겠어요"
    return asked


def advance(flow: VisitFlow) -> None:
    """Complete whatever step the flow is at, the way a person at the kiosk would."""
    step = flow.step
    if step == "identify":
        flow.complete_identify(identity())
    elif step == "consent":
        flow.complete_consent(grant_all(), consent_set().version, consent_text_sha256())
    elif step == "needs":
        answer_all(flow)
        flow.complete_needs()
    elif step == "results":
        flow.results()
        flow.complete_results()
    elif step == "ticket":
        flow.take_ticket()
    else:
        raise AssertionError(f"nothing to do at {step}")
