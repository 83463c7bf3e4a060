"""Layout-free reading: when the layout's regions do not hold what it promised (another design, a
shifted print, an unknown card), find the text lines from the ink, read them all in one stacked run,
and tell the fields apart by their patterns; then the name and RRN lines get the candidate passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np

from db.pii import RRN
from devices.id.image.card_read import FieldLine
from devices.id.image.lines import TextLine, find_lines
from devices.id.image.ocr import FLAT, OcrText, StackedRead, prepare_box
from devices.id.image.validate import (
    digits_only,
    parse_date,
    parse_license_number,
    parse_name,
    parse_rrn_text,
)
from devices.id.model import DocumentKind

# Words printed on every card that look like names to a pattern
_LABELS = ("주민등록증", "주민등록", "자동차운전면허증", "운전면허", "적성검사", "기간", "경찰청장", "청장",
           "특별시", "광역시", "보통", "대형", "조건", "암호", "일련번호", "특별자치", "구청장", "시장",
           "군수", "면허", "도지사")  # fmt: skip
_PERIOD = re.compile(r"~|적성|기간")


@dataclass(frozen=True)
class FallbackFields:
    kind: DocumentKind | None
    name: str | None
    rrn: RRN | None
    issue_date: date | None
    license_number: str | None


@dataclass
class Survey:
    """Every text line of the card and what one Korean read of it said."""

    lines: list[TextLine]
    reads: list[OcrText]

    @property
    def text(self) -> str:
        return "\n".join(read.text for read in self.reads)

    def kind(self) -> DocumentKind:
        compact = re.sub(r"\s", "", self.text)
        if "운전" in compact or "면허" in compact or any(parse_license_number(r.text) for r in self.reads):
            return DocumentKind.DRIVER_LICENSE
        return DocumentKind.RESIDENT_CARD

    def legible(self) -> bool:
        """Did the read find card-like text (else the card may be upside down: Tesseract reads
        turned print as confident-looking garbage, so only patterns and card words count)?"""
        compact = re.sub(r"\s", "", self.text)
        if any(word in compact for word in ("주민등록", "운전면허", "면허증", "등록증", "경찰청", "청장")):
            return True
        return any(parse_rrn_text(r.text) or parse_date(r.text) or parse_license_number(r.text)
                   for r in self.reads)  # fmt: skip

    def looks_like_passport(self) -> bool:
        return "<" in self.text or "여권" in self.text or "PASS" in self.text.upper()

    def field_lines(self, today: date | None) -> tuple[list[FieldLine], dict[int, str]]:
        """The lines that hold fields, with the kind each one holds (index → kind)."""
        kinds: dict[int, str] = {}
        for index, read in enumerate(self.reads):
            text = read.text
            digit_count = len(re.findall(r"\d", digits_only(text)))
            if parse_license_number(text):
                kinds[index] = "license_number"
            elif parse_rrn_text(text, today) or (digit_count >= 11 and not _PERIOD.search(text)
                                                 and parse_date(text, None, today) is None):  # fmt: skip
                kinds[index] = "rrn"
            elif parse_date(text, None, today) and not _PERIOD.search(text):
                kinds[index] = "date"
        name_index = self._name_line(kinds)
        if name_index is not None:
            kinds[name_index] = "hangul_name"
        lines = [
            FieldLine(kind, self.lines[index].padded(), self.lines[index].font_px)
            for index, kind in sorted(kinds.items())
        ]
        return lines, kinds

    def _name_line(self, kinds: dict[int, str]) -> int | None:
        rrn_rows = [self.lines[i].box for i, kind in kinds.items() if kind == "rrn"]
        best: tuple[float, int] | None = None
        for index, read in enumerate(self.reads):
            if index in kinds or not _name_like(read.text):
                continue
            box = self.lines[index].box
            score = read.confidence
            if "(" in read.text:
                score += 0.5  # the hanja after the name on resident cards
            for x0, y0, _x1, _y1 in rrn_rows:
                gap = y0 - box[3]
                if 0 <= gap <= 3 * self.lines[index].height and abs(box[0] - x0) < 120:
                    score += 1.0  # the name is printed just above the RRN on every design seen
            if best is None or score > best[0]:
                best = (score, index)
        return best[1] if best else None


def _name_like(text: str) -> bool:
    compact = text.split("(")[0].replace(" ", "")  # hanja in parentheses are often read as digits
    if any(label in compact for label in _LABELS) or re.search(r"\d{3,}", compact):
        return False
    return parse_name(text) is not None


def survey_card(card: np.ndarray) -> Survey:
    lines = find_lines(card)
    images = [prepare_box(card, line.padded(), line.font_px, FLAT) for line in lines]
    reads = StackedRead(images, ["survey"] * len(lines), "kor", 6).result()
    return Survey(lines, reads)


def find_fields(text: str, today: date | None = None) -> FallbackFields:
    """Fields by pattern from block text (one line per printed line)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    joined = "\n".join(lines)
    compact = re.sub(r"\s", "", joined)
    kind: DocumentKind | None = None
    if "운전" in compact or "면허" in compact:
        kind = DocumentKind.DRIVER_LICENSE
    elif "주민" in compact or "등록증" in compact:
        kind = DocumentKind.RESIDENT_CARD
    rrn = None
    rrn_line = None
    for index, line in enumerate(lines):
        rrn = parse_rrn_text(line, today)
        if rrn is not None:
            rrn_line = index
            break
    name = None
    # the name is printed just above the RRN on both current designs; otherwise the first non-label
    candidates = ([lines[rrn_line - 1]] if rrn_line else []) + lines
    for line in candidates:
        if _name_like(line):
            name = parse_name(line)
            break
    license_number = parse_license_number(joined)
    if license_number and kind is None:
        kind = DocumentKind.DRIVER_LICENSE
    born = rrn.birth_date if rrn else None
    issue = None
    for line in reversed(lines):  # the issue date is near the bottom; skip the aptitude period
        if _PERIOD.search(line):
            continue
        issue = parse_date(line, born, today)
        if issue:
            break
    return FallbackFields(kind, name, rrn, issue, license_number)
