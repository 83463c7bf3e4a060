"""Keep personal data out of chat transcripts: RRNs, phone numbers (db.pii) and account/card numbers.

People type their account number or RRN into a chat box "to be helpful"; the transcript that goes with a
hand-off to the desk must not carry them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from db.pii import is_rrn_or_phone, mask_pii_text

# Bank account and card numbers: 10–16 digits, in one run or in hyphen/space groups
# (110-123-456789, 1002 123 456789, 3333-01-2345678, 1234-5678-9012-3456).
_ACCOUNT = re.compile(r"(?<![\d*])\d{2,6}(?:[ -]\d{2,8}){1,4}(?![\d*])|(?<![\d*])\d{10,16}(?![\d*])")


def _mask_account(match: re.Match[str]) -> str:
    text = match.group(0)
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


def _mask_number(match: re.Match[str]) -> str:
    if is_rrn_or_phone(match.group(0)):
        return match.group(0)  # masked next by mask_pii_text, in its own familiar form
    return _mask_account(match)


def mask_chat_text(text: str) -> str:
    """RRN → ``900101-1******``, phone → ``010-****-5678``, account → ``***-***-**6789``.

    Account-shaped numbers first: a phone-shaped run inside a longer number (``00-010000-0000``)
    must not be masked as a phone and leave the rest of the account number readable.
    """
    return mask_pii_text(_ACCOUNT.sub(_mask_number, text))


@dataclass
class Transcript:
    """The masked conversation a hand-off carries to the desk; nothing unmasked is ever stored."""

    lines: list[tuple[str, str]] = field(default_factory=list)
    max_lines: int = 40

    def add(self, speaker: str, text: str) -> None:
        self.lines.append((speaker, mask_chat_text(text)))
        del self.lines[: -self.max_lines]

    def text(self) -> str:
        return "\n".join(f"{speaker}: {text}" for speaker, text in self.lines)

    def clear(self) -> None:
        self.lines.clear()
