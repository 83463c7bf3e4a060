"""The key figures of a 채무조정 신청서 on the counter: the hub sends them with the document
(``DocumentOut.figures``, the values the template was rendered with), and the counter shows them only
when the words of the very PDF about to be signed say the same.

The check is what keeps the large type above the pages from ever saying something other than what is
signed: the PDF's hash is checked against the hub's announcement, and its text against the figures.
The labels read are the template's own (printers.documents.templates ``debt_application``: "제도
Programme", "조정 전 원금 Principal before", …). A mismatch shows no figures rather than either side's.
"""

from __future__ import annotations

import logging
import re

from kiosk.api.documents import DebtApplicationFigures
from kiosk.debt.rules import PROGRAM_IDS

log = logging.getLogger(__name__)

_PROGRAM = re.compile(r"제도\s*Programme\s*[^()\n]*\((ccrs\.[a-z_]+)\)")
_BEFORE = re.compile(r"조정\s*전\s*원금\s*Principal\s*before\s*([\d,]+)\s*원")
_AFTER = re.compile(r"조정\s*후\s*원금\s*Principal\s*after\s*([\d,]+)\s*원")
_TERM = re.compile(r"기간\s*Term\s*(\d+)\s*개월")
_MONTHLY = re.compile(r"매달\s*갚을\s*돈\s*Monthly\s*([\d,]+)\s*원")


def _amount(pattern: re.Pattern[str], text: str) -> int | None:
    found = pattern.search(text)
    if found is None:
        return None
    digits = found.group(1).replace(",", "")
    return int(digits) if digits.isdigit() and len(digits) <= 15 else None


def figures_from_text(text: str) -> DebtApplicationFigures | None:
    """The figures as the PDF's words give them; None when any is missing (a dash, another document)."""
    program = _PROGRAM.search(text)
    if program is None or program.group(1) not in PROGRAM_IDS:
        return None
    before, after, term, monthly = (_amount(p, text) for p in (_BEFORE, _AFTER, _TERM, _MONTHLY))
    if before is None or after is None or term is None or monthly is None or not term:
        return None
    return DebtApplicationFigures(
        program=program.group(1),
        principal_before_krw=before,
        principal_after_krw=after,
        term_months=term,
        monthly_krw=monthly,
    )


def checked_figures(
    announced: DebtApplicationFigures | None, text: str, code: str
) -> DebtApplicationFigures | None:
    """The hub's figures if the document's text says the same, else None (and a warning naming the
    document by its short code: the figures are not personal, but the log needs none of them)."""
    if announced is None:
        return None
    if figures_from_text(text) != announced:
        log.warning("document %s: the figures sent with it differ from its text; showing none", code)
        return None
    return announced
