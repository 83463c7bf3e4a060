"""One visit's creditor list and the debtor it makes, for the hub's debt routes and its 채무조정 신청서.

The list is what is stored (the port's or the counselor's lines), or else the kiosk's totals read from
the visit's latest answers: one line per kind of debt the answers give (secured, unsecured, and the rest
of the total as "other"). The kiosk never asks rates, so a totals line carries the rate assumed in
config/debt/plan_rules.toml ``[kiosk_totals]``, and a totals plan's reasons say that, and that no
principal cut is counted (kiosk.debt.assumptions); the desk should fetch or type the real list before
anyone signs. The debtor (income, household, welfare status, age, hardship) always comes from the answers and
the person's birth date.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from config import clock
from db.models import DebtLine, DebtList, Intake, Person, Visit
from kiosk.debt.assumptions import with_totals_assumptions
from kiosk.debt.credit_port import Debt
from kiosk.debt.inputs import HARDSHIP, DebtorInput, validate_debtor
from kiosk.debt.plan import DebtEstimate, ProgramPlan, estimate
from kiosk.debt.rules import PlanRules, load_plan_rules

UNKNOWN_AGE = 40  # no birth date and no answer: an age that makes nobody "elderly" for the rules


@dataclass(frozen=True)
class LineView:
    id: uuid.UUID | None
    creditor: str
    kind: str
    principal_krw: int
    annual_rate: float
    overdue_days: int
    written_off: bool
    since: date | None

    def plan_input(self) -> dict[str, Any]:
        return {
            "creditor": self.creditor,
            "kind": self.kind,
            "principal_krw": self.principal_krw,
            "annual_rate": self.annual_rate,
            "overdue_days": self.overdue_days,
            "written_off": self.written_off,
        }


@dataclass(frozen=True)
class VisitDebts:
    source: str  # "credit_port" | "counselor" | "kiosk_totals"
    emulated: bool
    fetched_at: datetime | None
    lines: tuple[LineView, ...]
    plan_term_months: int | None


def latest_answers(session: Session, visit_id: uuid.UUID) -> dict[str, Any]:
    intake = session.scalars(
        select(Intake).where(Intake.visit_id == visit_id).order_by(Intake.version.desc())
    ).first()
    return dict(intake.answers) if intake else {}


def low_high(value: Any) -> tuple[int, int | None] | None:
    """An answer as a range of whole numbers: a number is its own range, ``{"from", "to"}`` as given."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return (value, value) if value >= 0 else None
    if isinstance(value, Mapping) and isinstance(value.get("from"), int):
        high = value.get("to")
        return value["from"], high if isinstance(high, int) else None
    return None


def _low(answers: Mapping[str, Any], name: str) -> int:
    read = low_high(answers.get(name))
    return read[0] if read else 0


def kiosk_totals(answers: Mapping[str, Any]) -> tuple[LineView, ...]:
    """One line per kind the answers give; the longest delinquency (its lower bound) on each, and the
    rules' assumed rate (the kiosk does not ask rates)."""
    rate = plan_rules().assumed_rate
    overdue = _low(answers, "delinquency_days")
    secured = _low(answers, "secured_debt_krw")
    unsecured = _low(answers, "unsecured_debt_krw")
    rest = _low(answers, "total_debt_krw") - secured - unsecured
    lines = []
    for kind, amount, creditor in (
        ("secured_loan", secured, "담보대출 합계 (키오스크 답)"),
        ("unsecured_loan", unsecured, "신용대출 합계 (키오스크 답)"),
        ("other", rest, "그 밖의 빚 합계 (키오스크 답)"),
    ):
        if amount > 0:
            # Written off is unknown at the kiosk: counted as not, so no principal cut is promised.
            lines.append(LineView(None, creditor, kind, amount, rate, overdue, False, None))
    return tuple(lines)


def port_lines(visit_id: uuid.UUID, debts: Iterable[Debt]) -> list[DebtLine]:
    """The rows of a list the credit-information port gave (at the desk, or the kiosk's inquiry), in order."""
    return [
        DebtLine(
            visit_id=visit_id,
            position=position,
            creditor=debt.creditor,
            kind=debt.kind,
            principal_krw=debt.principal_krw,
            annual_rate=debt.annual_rate,
            overdue_days=debt.overdue_days,
            written_off=debt.written_off,
            since=debt.since,
            source="credit_port",
        )
        for position, debt in enumerate(debts)
    ]


def stored_lines(session: Session, visit_id: uuid.UUID) -> list[DebtLine]:
    return list(
        session.scalars(select(DebtLine).where(DebtLine.visit_id == visit_id).order_by(DebtLine.position))
    )


def line_view(row: DebtLine) -> LineView:
    return LineView(
        row.id,
        row.creditor,
        row.kind,
        row.principal_krw,
        row.annual_rate,
        row.overdue_days,
        row.written_off,
        row.since,
    )


def visit_debts(session: Session, visit: Visit) -> VisitDebts:
    meta = session.get(DebtList, visit.id)
    if meta is not None and meta.source != "kiosk_totals":
        lines = tuple(line_view(r) for r in stored_lines(session, visit.id))
        return VisitDebts(meta.source, meta.emulated, meta.fetched_at, lines, meta.plan_term_months)
    return VisitDebts(
        "kiosk_totals",
        False,
        None,
        kiosk_totals(latest_answers(session, visit.id)),
        meta.plan_term_months if meta else None,
    )


def _age(person: Person | None, answers: Mapping[str, Any]) -> int:
    if person is not None and person.birth_date is not None:
        today, born = clock.today(), person.birth_date
        return max(0, today.year - born.year - ((today.month, today.day) < (born.month, born.day)))
    read = low_high(answers.get("age"))
    return read[0] if read else UNKNOWN_AGE


def debtor_input(session: Session, visit: Visit, lines: tuple[LineView, ...]) -> DebtorInput:
    """The plan's input (raises kiosk.debt.InvalidDebts, e.g. when there is no debt at all)."""
    answers = latest_answers(session, visit.id)
    person = session.get(Person, visit.person_id) if visit.person_id else None
    household = low_high(answers.get("household_size"))
    status = answers.get("livelihood_status")
    hardship = answers.get("hardship")
    return validate_debtor(
        {
            "monthly_income_krw": min(_low(answers, "annual_income_krw") // 12, 1_000_000_000),
            "household_size": min(max(household[0], 1), 20) if household else 1,
            "livelihood_status": status if status in ("basic", "near_poverty") else "none",
            "age": min(_age(person, answers), 120),
            "hardship": sorted({h for h in hardship if h in HARDSHIP}) if isinstance(hardship, list) else [],
            "debts": [line.plan_input() for line in lines],
        }
    )


_RULES: list[PlanRules] = []


def plan_rules() -> PlanRules:
    """The packaged rules, read once per process (they change with a release, not per request)."""
    if not _RULES:
        _RULES.append(load_plan_rules())
    return _RULES[0]


def visit_estimate(
    session: Session, visit: Visit, debts: VisitDebts, term_months: int | None
) -> DebtEstimate:
    """The plan for the visit's list; built from the kiosk's totals, its reasons say what was assumed."""
    debtor = debtor_input(session, visit, debts.lines)
    result = estimate(debtor, plan_rules(), term_months=term_months)
    if debts.source != "kiosk_totals":
        return result
    known = low_high(latest_answers(session, visit.id).get("delinquency_days")) is not None
    return with_totals_assumptions(result, plan_rules(), debtor, overdue_known=known)


def chosen_plan(result: DebtEstimate) -> ProgramPlan | None:
    """The program the application is for: the first that fits, else the one whose window the debts are in."""
    fitting = [p for p in result.plans if p.eligible]
    if fitting:
        return fitting[0]
    return next((p for p in result.plans if p.monthly_payment_krw is not None), None)
