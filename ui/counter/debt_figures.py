"""The key figures of a 채무조정 신청서, read from the words of the very PDF the citizen is about to sign.

The counter has the document and its bytes (checked against the hash the hub announced), nothing else
of the case: reading the figures from that text means the large type above the pages can never say
something other than what is signed. The labels are the template's own (printers.documents.templates
``debt_application``: "제도 Programme", "조정 전 원금 Principal before", …). A text that lacks any figure
gives None, and the counter shows no figures rather than a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiosk.debt.rules import PROGRAM_IDS

_PROGRAM = re.compile(r"제도\s*Programme\s*[^()\n]*\((ccrs\.[a-z_]+)\)")
_BEFORE = re.compile(r"조정\s*전\s*원금\s*Principal\s*before\s*([\d,]+)\s*원")
_AFTER = re.compile(r"조정\s*후\s*원금\s*Principal\s*after\s*([\d,]+)\s*원")
_TERM = re.compile(r"기간\s*Term\s*(\d+)\s*개월")
_MONTHLY = re.compile(r"매달\s*갚을\s*돈\s*Monthly\s*([\d,]+)\s*원")


@dataclass(frozen=True)
class DebtFigures:
    program: str
    principal_before_krw: int
    principal_after_krw: int
    term_months: int
    monthly_krw: int

    @property
    def cut_krw(self) -> int:
        return max(0, self.principal_before_krw - self.principal_after_krw)


def _amount(pattern: re.Pattern[str], text: str) -> int | None:
    found = pattern.search(text)
    if found is None:
        return None
    digits = found.group(1).replace(",", "")
    return int(digits) if digits.isdigit() and len(digits) <= 15 else None


def figures_from_text(text: str) -> DebtFigures | None:
    program = _PROGRAM.search(text)
    if program is None or program.group(1) not in PROGRAM_IDS:
        return None
    values = [_amount(p, text) for p in (_BEFORE, _AFTER, _TERM, _MONTHLY)]
    before, after, term, monthly = values
    if before is None or after is None or term is None or monthly is None or not term:
        return None
    return DebtFigures(program.group(1), before, after, term, monthly)
