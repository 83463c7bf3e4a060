"""The key figures of a 채무조정 신청서, taken from the fields its PDF was rendered from.

The document row keeps those fields (``Document.render_fields``, the same dict the template drew), so
the figures the counter receives are the very values printed on the page it signs, not a second
computation that could drift from it; the counter still checks them against the PDF's text once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from kiosk.api.documents import DebtApplicationFigures


def debt_application_figures(
    template: str, render_fields: Mapping[str, Any] | None
) -> DebtApplicationFigures | None:
    """The plan's figures for a 채무조정 신청서 whose plan has them all; None for any other document, or
    when the page shows a dash for one of them (the counter then shows no figures rather than a guess)."""
    if template != "debt_application" or not render_fields:
        return None
    plan = (render_fields.get("debt") or {}).get("plan")
    if not isinstance(plan, Mapping):
        return None
    try:
        return DebtApplicationFigures(
            program=plan.get("program"),
            principal_before_krw=plan.get("principal_before_krw"),
            principal_after_krw=plan.get("principal_after_krw"),
            term_months=plan.get("term_months"),
            monthly_krw=plan.get("monthly_payment_krw"),
        )
    except ValidationError:
        return None
