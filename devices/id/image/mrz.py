"""Machine-readable zone of passports (ICAO 9303 TD3: two lines of 44) with check digits."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_WEIGHTS = (7, 3, 1)
_TD3_LINE = 44


class MrzError(ValueError):
    """Not a TD3 MRZ, or a check digit fails (the message names which field)."""


def _char_value(ch: str) -> int:
    if ch.isdigit():
        return int(ch)
    if "A" <= ch <= "Z":
        return ord(ch) - ord("A") + 10
    if ch == "<":
        return 0
    raise MrzError(f"character {ch!r} is not allowed in an MRZ")


def check_digit(text: str) -> int:
    return sum(_char_value(ch) * _WEIGHTS[i % 3] for i, ch in enumerate(text)) % 10


def _verify(field: str, digit: str, what: str) -> None:
    if not digit.isdigit() and not (digit == "<" and set(field) <= {"<"}):
        raise MrzError(f"{what}: check digit {digit!r} is not a digit")
    expected = check_digit(field)
    if digit != "<" and int(digit) != expected:
        raise MrzError(f"{what}: check digit does not match")


def parse_yymmdd(text: str, future_ok: bool, today: date | None = None) -> date:
    """A 2-digit year: birth dates are in the past, expiry dates up to 30 years ahead (ICAO's hint)."""
    if not re.fullmatch(r"\d{6}", text):
        raise MrzError("date is not YYMMDD")
    today = today or date.today()
    yy, mm, dd = int(text[:2]), int(text[2:4]), int(text[4:])
    year = 2000 + yy
    if future_ok:
        if year > today.year + 30:
            year -= 100
    elif year > today.year:
        year -= 100
    try:
        return date(year, mm, dd)
    except ValueError:
        raise MrzError("date is not a calendar date") from None


@dataclass(frozen=True)
class Td3:
    document_code: str
    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth: str  # YYMMDD as printed
    sex: str
    expiry: str  # YYMMDD as printed
    optional_data: str

    @property
    def name(self) -> str:
        return f"{self.surname} {self.given_names}".strip()

    @property
    def birth_date(self) -> date:
        return parse_yymmdd(self.birth, future_ok=False)

    @property
    def expiry_date(self) -> date:
        return parse_yymmdd(self.expiry, future_ok=True)

    @property
    def bac_document_number(self) -> str:
        return self.document_number


def normalize_lines(text: str) -> list[str]:
    """OCR output → candidate MRZ lines (spaces dropped, common confusions fixed for '<')."""
    lines = []
    for raw in text.splitlines():
        line = raw.strip().replace(" ", "").replace("«", "<<").upper()
        if len(line) >= 30:
            lines.append(line)
    return lines


def parse_td3(text: str) -> Td3:
    """Parse 88 characters (two 44-char lines, newline optional) and verify every check digit."""
    compact = re.sub(r"\s", "", text or "")
    if len(compact) != 2 * _TD3_LINE:
        raise MrzError(f"TD3 needs 88 characters, got {len(compact)}")
    if not re.fullmatch(r"[A-Z0-9<]{88}", compact):
        raise MrzError("characters outside A-Z 0-9 <")
    line1, line2 = compact[:_TD3_LINE], compact[_TD3_LINE:]
    if line1[0] != "P":
        raise MrzError("TD3 line 1 must start with P")
    names = line1[5:].rstrip("<")
    surname, _, given = names.partition("<<")
    number, number_cd = line2[0:9], line2[9]
    birth, birth_cd = line2[13:19], line2[19]
    expiry, expiry_cd = line2[21:27], line2[27]
    optional, optional_cd = line2[28:42], line2[42]
    _verify(number, number_cd, "document number")
    _verify(birth, birth_cd, "birth date")
    _verify(expiry, expiry_cd, "expiry date")
    _verify(optional, optional_cd, "optional data")
    composite = line2[0:10] + line2[13:20] + line2[21:43]
    _verify(composite, line2[43], "composite")
    sex = line2[20]
    if sex not in "MFX<":
        raise MrzError("sex must be M, F, X or <")
    td3 = Td3(
        document_code=line1[0:2].rstrip("<"),
        issuing_state=line1[2:5].rstrip("<"),
        surname=surname.replace("<", " ").strip(),
        given_names=given.replace("<", " ").strip(),
        document_number=number.rstrip("<"),
        nationality=line2[10:13].rstrip("<"),
        birth=birth,
        sex=sex,
        expiry=expiry,
        optional_data=optional.rstrip("<"),
    )
    td3.birth_date  # noqa: B018 - raises MrzError when not a date
    td3.expiry_date  # noqa: B018
    return td3


def build_td3(
    surname: str,
    given_names: str,
    document_number: str,
    nationality: str,
    birth: str,
    sex: str,
    expiry: str,
    issuing_state: str = "KOR",
    optional_data: str = "",
    document_code: str = "PM",
) -> str:
    """The two lines (joined by a newline) for a passport; used by the emulators and tests."""
    name_field = (surname.upper().replace(" ", "<") + "<<" + given_names.upper().replace(" ", "<"))[:39]
    line1 = (document_code.ljust(2, "<") + issuing_state.ljust(3, "<") + name_field).ljust(44, "<")
    number = document_number.upper().ljust(9, "<")
    optional = optional_data.upper().ljust(14, "<")
    part = number + str(check_digit(number)) + nationality.ljust(3, "<") + birth + str(check_digit(birth))
    part += sex + expiry + str(check_digit(expiry)) + optional + str(check_digit(optional))
    composite = part[0:10] + part[13:20] + part[21:43]
    line2 = part + str(check_digit(composite))
    return line1 + "\n" + line2
