"""Personal data rules, in one place every layer may import: parse, validate, format and mask resident
registration numbers, mask names, phone and account numbers, compute age, and keep them out of logs.

RRN format: YYMMDD-GNNNNNN. G (the 7th digit) gives sex and century: 1,2,5,6 → 1900s; 3,4,7,8 → 2000s
(5–8 are foreign residents' registration numbers). Numbers issued since October 2020 are random after
G and carry no valid checksum, so no checksum is enforced.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date

from config import clock

_RRN_TEXT = re.compile(r"(?<!\d)(\d{6})\s?[-‐–]?\s?([1-8])(\d{6})(?!\d)")
# Any 13-digit run shaped like an RRN, with or without the hyphen, for log masking (no date check:
# when in doubt, mask).
_RRN_LOG = re.compile(r"(?<!\d)(\d{6})[\s-]?([0-9])\d{6}(?!\d)")
_PHONE_LOG = re.compile(r"(?<!\d)(01[016789])[\s.-]?(\d{3,4})[\s.-]?(\d{4})(?!\d)")
# Bank account and card numbers: 10–16 digits, in one run or in hyphen/space groups
# (110-123-456789, 1002 123 456789, 3333-01-2345678, 1234-5678-9012-3456).
_ACCOUNT = re.compile(r"(?<![\d*])\d{2,6}(?:[ -]\d{2,8}){1,4}(?![\d*])|(?<![\d*])\d{10,16}(?![\d*])")
# Identifiers that are not personal data but can contain RRN- or phone-shaped digit runs by chance:
# canonical UUIDs (row ids) and long hex digests with at least one letter (sha256 of documents).
_HEX_TOKEN = re.compile(
    r"(?<![0-9A-Za-z])(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    r"|(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{32,})(?![0-9A-Za-z])"
)
_CENTURY = {"1": 1900, "2": 1900, "5": 1900, "6": 1900, "3": 2000, "4": 2000, "7": 2000, "8": 2000}


class InvalidRRN(ValueError):
    """The text is not a resident registration number; the message says why, without echoing it."""


@dataclass(frozen=True)
class RRN:
    front: str  # YYMMDD
    back: str  # GNNNNNN

    @property
    def digits(self) -> str:
        return self.front + self.back

    @property
    def gender_digit(self) -> str:
        return self.back[0]

    @property
    def birth_date(self) -> date:
        century = _CENTURY[self.gender_digit]
        return date(century + int(self.front[:2]), int(self.front[2:4]), int(self.front[4:6]))

    @property
    def hyphenated(self) -> str:
        """``YYMMDD-GNNNNNN`` in clear: the one written form, for encryption and the in-memory ID only."""
        return f"{self.front}-{self.back}"

    def masked(self, keep_gender_digit: bool = True) -> str:
        return mask_rrn(self.digits, keep_gender_digit)

    def __str__(self) -> str:  # never let a full RRN slip into an f-string by accident
        return self.masked()

    def __repr__(self) -> str:
        return f"RRN({self.masked()!r})"


def parse_rrn(text: str, today: date | None = None) -> RRN:
    """Parse ``YYMMDD-GNNNNNN`` (hyphen optional); check the digit G and that the birth date is real."""
    cleaned = re.sub(r"[\s‐–-]", "", text or "")
    if not re.fullmatch(r"\d{13}", cleaned):
        raise InvalidRRN("주민등록번호는 숫자 13자리예요 (RRN must be 13 digits)")
    rrn = RRN(cleaned[:6], cleaned[6:])
    if rrn.gender_digit not in _CENTURY:
        raise InvalidRRN("뒷자리 첫 숫자는 1~8이어야 해요 (7th digit must be 1-8)")
    try:
        born = rrn.birth_date
    except ValueError:
        raise InvalidRRN("앞자리가 실제 생년월일이 아니에요 (front part is not a real birth date)") from None
    if born > (today or clock.today()):
        raise InvalidRRN("생년월일이 미래예요 (birth date is in the future)")
    return rrn


def full_age(born: date, on: date) -> int:
    """만 나이 (international age) on ``on``: the age every eligibility rule and form uses."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def normalize_rrn(text: str) -> str:
    """The 13 digits of a valid RRN (the form hashed for the blind index)."""
    return parse_rrn(text).digits


def mask_rrn(text: str, keep_gender_digit: bool = True) -> str:
    """``900101-1234567`` → ``900101-1******`` (or ``900101-*******``)."""
    cleaned = re.sub(r"\D", "", text or "")
    if len(cleaned) != 13:
        return "******-*******"
    return f"{cleaned[:6]}-{cleaned[6] if keep_gender_digit else '*'}******"


def mask_name(name: str | None) -> str:
    """홍길동 → 홍*동, 김수 → 김*, 김 → 김*: enough for the visitor to recognise, not for a passer-by.

    A one-character name is shown like a two-character one (김*): shown whole it would be the only
    name masking hides nothing of, and shown as "*" it would tell that the name is one character.
    """
    name = (name or "").strip()
    if not name:
        return ""
    if len(name) <= 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(text: str) -> str:
    """``010-1234-5678`` → ``010-****-5678``; the international forms (``+82 10-1234-5678``,
    ``+82 010…``, ``0082 10…``) are masked as the domestic number they are."""
    digits = re.sub(r"\D", "", text or "")
    # No Korean number starts with 82 at home (they start with 0): a leading 82 or 0082 is the
    # country code, and the trunk 0 it replaced comes back.
    for country in ("0082", "82"):
        if digits.startswith(country) and len(digits) - len(country) >= 8:
            rest = digits[len(country) :]
            digits = rest if rest.startswith("0") else "0" + rest
            break
    if len(digits) < 8:
        return "***"
    return f"{digits[:3]}-****-{digits[-4:]}"


def _mask_plain(text: str) -> str:
    text = _RRN_LOG.sub(lambda m: f"{m.group(1)}-{m.group(2)}******", text)
    return _PHONE_LOG.sub(lambda m: f"{m.group(1)}-****-{m.group(3)}", text)


def is_rrn_or_phone(text: str) -> bool:
    """Whether the whole text is one RRN- or mobile-number-shaped run (as mask_pii_text finds them)."""
    return bool(_RRN_LOG.fullmatch(text) or _PHONE_LOG.fullmatch(text))


def mask_pii_text(text: str) -> str:
    """Mask everything shaped like an RRN or a Korean mobile number in free text.

    UUIDs and hex digests are left whole: a row id such as ``…-0101-2345-…`` is not a phone number.
    """
    parts: list[str] = []
    last = 0
    for token in _HEX_TOKEN.finditer(text):
        parts.append(_mask_plain(text[last : token.start()]))
        parts.append(token.group())
        last = token.end()
    parts.append(_mask_plain(text[last:]))
    return "".join(parts)


def _mask_account(match: re.Match[str]) -> str:
    text = match.group(0)
    if is_rrn_or_phone(text):
        return text  # masked next by mask_pii_text, in its own familiar form
    digits = sum(ch.isdigit() for ch in text)
    if not 10 <= digits <= 16:
        return text
    keep_from = digits - 4  # the last four digits stay, as on a bank statement
    out, seen = [], 0
    for ch in text:
        if ch.isdigit():
            out.append(ch if seen >= keep_from else "*")
            seen += 1
        else:
            out.append(ch)
    return "".join(out)


def mask_free_text(text: str) -> str:
    """What people type (chat, counselor notes): RRN → ``900101-1******``, phone → ``010-****-5678``,
    account or card number → ``***-***-**6789``.

    Account-shaped numbers first: a phone-shaped run inside a longer number (``00-010000-0000``)
    must not be masked as a phone and leave the rest of the account number readable.
    """
    return mask_pii_text(_ACCOUNT.sub(_mask_account, text))


class PiiMaskingFilter(logging.Filter):
    """Rewrites every record so that no RRN- or phone-shaped text reaches any handler.

    The traceback is rendered here, masked, and the exception object dropped: a formatter that called
    formatException itself would otherwise print the exception's message (which may quote a request
    body) in clear. Installed on handlers and, for uvicorn, on its loggers too, so that records are
    masked before any handler sees them (pytest's, logging.lastResort).

    Exception texts that quote their input are cut where the input starts: pydantic's
    ``input_value=…`` (a request body, truncated so that a phone number loses the prefix the pattern
    needs, with names and birth dates beside it) and SQLAlchemy's ``[parameters: …]`` (names,
    ciphertext, blind indexes).
    """

    _QUOTED_INPUT = (
        (re.compile(r"input_value=.*?(?=, input_type=|$)", re.MULTILINE), "input_value=<withheld>"),
        (re.compile(r"\[parameters: .*?\](?=\n|$)", re.DOTALL), "[parameters: <withheld>]"),
    )

    @classmethod
    def _clean(cls, text: str) -> str:
        for pattern, replacement in cls._QUOTED_INPUT:
            text = pattern.sub(replacement, text)
        return mask_pii_text(text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = self._clean(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.exc_info = None
        if record.exc_text:
            record.exc_text = self._clean(record.exc_text)
        if record.stack_info:
            record.stack_info = self._clean(record.stack_info)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        return True


def find_rrn(text: str) -> RRN | None:
    """The first valid RRN in free text (OCR output), or None."""
    for match in _RRN_TEXT.finditer(text or ""):
        try:
            return parse_rrn(match.group(1) + match.group(2) + match.group(3))
        except InvalidRRN:
            continue
    return None
