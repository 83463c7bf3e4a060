"""Machine-readable zone of passports (ICAO 9303 TD3: two lines of 44) with check digits."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from config import clock

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
    today = today or clock.today()
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


def ocr_candidates(text: str) -> list[str]:
    """88-character candidates from OCR'd MRZ text, most likely first.

    Tesseract miscounts runs of '<' and now and then inserts or drops a character; the fixed field
    positions and the check digits let us repair that instead of asking the person to rescan."""
    lines = [
        re.sub(r"[^A-Z0-9<]", "", line.upper().replace(" ", "").replace("«", "<<"))
        for line in (text or "").splitlines()
    ]
    lines = [line for line in lines if len(line) >= 20]
    if len(lines) < 2:
        return []
    line1, line2 = lines[-2], lines[-1]
    line1 = (line1[:44] if len(line1) >= 44 else line1.rstrip("<").ljust(44, "<"))[:44]
    if len(line2) < 30:
        return []
    tail = line2[-2:]  # optional-data check digit (or '<') and the composite check digit
    body = line2[:-2].rstrip("<")
    bodies = [body]
    # one inserted or dropped character in the fixed fields (first 28) is the usual OCR slip
    for i in range(min(len(body), 29)):
        bodies.append(body[:i] + body[i + 1 :])
    out = []
    for candidate in bodies:
        if len(candidate) < 28 or len(candidate) > 42:
            continue
        out.append(line1 + _numeric_fix(candidate.ljust(42, "<") + tail))
    return out


_NUMERIC_POSITIONS = (9, *range(13, 20), *range(21, 28), 42, 43)  # check digits and dates in line 2
_TO_DIGIT = str.maketrans({"O": "0", "D": "0", "Q": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "B": "8"})


def _numeric_fix(line2: str) -> str:
    chars = list(line2)
    for i in _NUMERIC_POSITIONS:
        if i < len(chars) and not (i == 42 and chars[i] == "<"):
            chars[i] = chars[i].translate(_TO_DIGIT)
    return "".join(chars)


def parse_ocr_td3(text: str) -> Td3:
    """The first repaired candidate whose every check digit verifies."""
    for candidate in ocr_candidates(text):
        try:
            td3 = parse_td3(candidate)
        except MrzError:
            continue
        # state codes are letters; a repair that leaves a digit there fixed the wrong character
        if re.fullmatch(r"[A-Z<]{1,3}", td3.nationality) and re.fullmatch(r"[A-Z<]{1,3}", td3.issuing_state):
            return td3
    raise MrzError("no TD3 in the OCR text verifies")
