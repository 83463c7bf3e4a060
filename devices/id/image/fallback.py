"""Layout-free reading: when the regions do not hold what the layout promised (a different card
design, a shifted print), read the card's text as one block and find the fields by pattern."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np

from db.pii import RRN
from devices.id.image.ocr import read_block
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
           "특별시", "광역시", "보통", "대형", "조건", "암호", "일련번호")  # fmt: skip


@dataclass(frozen=True)
class FallbackFields:
    kind: DocumentKind | None
    name: str | None
    rrn: RRN | None
    issue_date: date | None
    license_number: str | None


def find_fields(text: str, today: date | None = None) -> FallbackFields:
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
        if any(label in line.replace(" ", "") for label in _LABELS):
            continue
        if re.search(r"\d{3,}", line):
            continue  # addresses and numbers
        name = parse_name(line)
        if name:
            break
    license_number = parse_license_number(joined)
    if license_number and kind is None:
        kind = DocumentKind.DRIVER_LICENSE
    born = rrn.birth_date if rrn else None
    issue = None
    for line in reversed(lines):  # the issue date is near the bottom; skip the aptitude period
        if "~" in line or "적성" in line:
            continue
        issue = parse_date(digits_only(line) if re.search(r"\d", line) else line, born, today)
        if issue:
            break
    return FallbackFields(kind, name, rrn, issue, license_number)


def read_without_layout(card: np.ndarray, photo_box: tuple[int, int, int, int] | None) -> FallbackFields:
    image = card.copy()
    if photo_box is not None:
        x0, y0, x1, y1 = photo_box
        image[y0:y1, x0:x1] = 255  # the portrait only adds noise to a text block
    return find_fields(read_block(image, lang="kor"))
