"""A visit's creditor list and its repayment-plan estimate (issue 21), as the desk and the counter read them.

The list has one source at a time: the credit-information port ("credit_port", ``emulated`` when the
port is the emulator), the counselor's typing ("counselor"), or — when nothing is stored — the kiosk's
totals, one line per kind the answers give ("kiosk_totals"). A counselor's list is checked exactly like
``kiosk debt plan``'s file (kiosk.debt.inputs): the body here only fixes the types, the hub answers
every range or duplicate problem in Korean naming the line. The plan is the calculator's JSON.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from kiosk.api.common import FiniteFloat, SafeInt, ShortText, Strict

DebtSource = Literal["credit_port", "counselor", "kiosk_totals"]
DEBT_KINDS = ("card", "unsecured_loan", "secured_loan", "other")


class DebtIn(Strict):
    """One line as the desk's table editor sends it; ``id`` names a line it edits (absent: a new line)."""

    id: uuid.UUID | None = None
    creditor: ShortText
    kind: ShortText = Field(description="card | unsecured_loan | secured_loan | other")
    principal_krw: SafeInt
    annual_rate: FiniteFloat = Field(description="a fraction: 0.159 = 15.9%")
    overdue_days: SafeInt
    written_off: bool
    since: date | None = None


class DebtListIn(Strict):
    # A generous bound on what is read at all; the hub refuses more than kiosk.debt's MAX_CREDITORS.
    debts: list[DebtIn] = Field(max_length=1000)


class DebtOut(BaseModel):
    id: uuid.UUID | None  # None for the kiosk's totals (nothing stored)
    creditor: str
    kind: str
    principal_krw: int
    annual_rate: float
    overdue_days: int
    written_off: bool
    since: date | None


class DebtListOut(BaseModel):
    source: DebtSource
    emulated: bool
    fetched_at: datetime | None
    debts: list[DebtOut]


class ProgramPlanOut(BaseModel):
    program: str
    eligible: bool
    principal_before_krw: int
    principal_after_krw: int | None
    annual_rate: float | None
    term_months: int | None
    monthly_payment_krw: int | None
    total_repaid_krw: int | None
    reasons_ko: list[str]
    reasons_en: list[str]


class DebtPlanOut(BaseModel):
    """Exactly `kiosk debt plan --json`'s shape."""

    plans: list[ProgramPlanOut]
    available_income_monthly_krw: int
