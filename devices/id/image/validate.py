"""Field parsing and validation of OCR text: names, RRNs (birth date and century digit agree), dates,
licence numbers. OCR digit look-alikes are repaired only inside fields that must be numeric."""

from __future__ import annotations

import re
from datetime import date

from db.pii import RRN, InvalidRRN, parse_rrn

_DIGIT_FIXES = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "|": "1",
                              "i": "1", "Z": "2", "S": "5", "s": "5", "B": "8", "G": "6", "g": "9",
                              "—": "-", "–": "-", "_": "-", "~": "-", "ㅡ": "-"})  # fmt: skip
_HANGUL_RUN = re.compile(r"[가-힣]{2,5}")
_LICENSE = re.compile(r"(?<!\d)(\d{2})-?(\d{2})-?(\d{6})-?(\d{2})(?!\d)")
_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[.\-/년]\s*(\d{1,2})\s*[.\-/월]\s*(\d{1,2})(?!\d)")
_DATE_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)")
_RRN_SHAPE = re.compile(r"(?<!\d)(\d{6})\s*-?\s*(\d{7})(?!\d)")


def digits_only(text: str) -> str:
    return text.translate(_DIGIT_FIXES)


def parse_name(text: str) -> str | None:
    """The Hangul name: the first run of 2–5 syllables before any hanja in parentheses."""
    head = text.split("(")[0]
    compact = re.sub(r"\s+", "", head)
    match = _HANGUL_RUN.search(compact)
    if match is None:
        compact = re.sub(r"\s+", "", text)
        match = _HANGUL_RUN.search(compact)
    return match.group(0) if match else None


def parse_rrn_text(text: str, today: date | None = None) -> RRN | None:
    """An RRN from noisy OCR: look-alikes fixed, spacing ignored; None unless it validates
    (13 digits, gender/century digit 1–8, a real birth date not in the future)."""
    fixed = digits_only(text)
    for match in _RRN_SHAPE.finditer(fixed.replace(" ", "")):
        try:
            return parse_rrn(match.group(1) + match.group(2), today)
        except InvalidRRN:
            continue
    return None


def plausible_date(value: date, born: date | None = None, today: date | None = None) -> bool:
    today = today or date.today()
    if not date(1950, 1, 1) <= value <= today:
        return False
    return born is None or value > born


def parse_date(text: str, born: date | None = None, today: date | None = None) -> date | None:
    fixed = digits_only(text)
    for pattern in (_DATE, _DATE_COMPACT):
        for match in pattern.finditer(fixed):
            try:
                value = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                continue
            if plausible_date(value, born, today):
                return value
    return None


def parse_license_number(text: str) -> str | None:
    """``NN-NN-NNNNNN-NN``: region code 11–28 and a two-digit year."""
    fixed = digits_only(text).replace(" ", "")
    for match in _LICENSE.finditer(fixed):
        region = int(match.group(1))
        if 11 <= region <= 28:
            return "-".join(match.groups())
    return None


def parse_serial(text: str) -> str | None:
    match = re.search(r"[A-Z0-9]{6}", text.replace(" ", "").upper())
    return match.group(0) if match else None
