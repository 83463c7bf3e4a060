"""A credit report's figures for the kiosk's questionnaire, and its lines as one sealed text.

The questionnaire asks totals (총 빚, 담보 없이 / 담보로 빌린 돈) and the longest overdue; a report
answers them exactly. ``figures`` is all the kiosk is told; ``seal_lines`` / ``open_lines`` keep the
lines at the hub until the visit's submission attaches them.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from kiosk.debt.credit_port import CreditReport, Debt

LINES_CONTEXT = "credit_inquiry.lines"  # the key ring's context: a ciphertext of notes cannot pass as one


def figures(report: CreditReport) -> dict[str, int]:
    """Totals by kind, the longest overdue and the count of creditors (no creditor names)."""
    by_kind = dict.fromkeys(("card", "unsecured_loan", "secured_loan", "other"), 0)
    for debt in report.debts:
        by_kind[debt.kind if debt.kind in by_kind else "other"] += debt.principal_krw
    return {
        "creditors": len({(d.creditor.casefold(), d.kind) for d in report.debts}),
        "total_debt_krw": sum(by_kind.values()),
        "card_krw": by_kind["card"],
        "unsecured_loan_krw": by_kind["unsecured_loan"],
        "secured_loan_krw": by_kind["secured_loan"],
        "other_krw": by_kind["other"],
        "longest_overdue_days": max((d.overdue_days for d in report.debts), default=0),
    }


def _line(debt: Debt) -> dict[str, Any]:
    return {
        "creditor": debt.creditor,
        "kind": debt.kind,
        "principal_krw": debt.principal_krw,
        "annual_rate": debt.annual_rate,
        "overdue_days": debt.overdue_days,
        "written_off": debt.written_off,
        "since": debt.since.isoformat() if debt.since else None,
    }


def seal_lines(keys: Any, report: CreditReport) -> bytes:
    """The report's lines as one ciphertext (``keys``: a db.crypto.KeyRing)."""
    text = json.dumps([_line(d) for d in report.debts], ensure_ascii=False)
    encrypted: bytes = keys.encrypt_text(text, LINES_CONTEXT)
    return encrypted


def open_lines(keys: Any, blob: bytes) -> list[Debt]:
    rows = json.loads(keys.decrypt_text(bytes(blob), LINES_CONTEXT))
    return [
        Debt(
            creditor=r["creditor"],
            kind=r["kind"],
            principal_krw=r["principal_krw"],
            annual_rate=r["annual_rate"],
            overdue_days=r["overdue_days"],
            written_off=r["written_off"],
            since=date.fromisoformat(r["since"]) if r["since"] else None,
        )
        for r in rows
    ]
