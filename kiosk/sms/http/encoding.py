"""SMS or LMS by EUC-KR byte length, checked before anything is sent.

The byte budgets and the EUC-KR rule are the templates' (`kiosk.sms.templates`: SMS 90 bytes, LMS 2,000
bytes, subject 40 bytes). A message asked for as SMS whose text is longer than 90 bytes goes as LMS (a text
is never cut); one longer than 2,000 bytes, a subject over 40 bytes, or any character outside EUC-KR (most
emoji) is `GatewayError(REJECTED)` — the error names the position and code point, never the text.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.sms.gateway import GatewayError, GatewayErrorKind, MessageKind
from kiosk.sms.templates import ENCODING, LMS_BYTES, SMS_BYTES, SUBJECT_BYTES

LIMITS = {MessageKind.SMS: SMS_BYTES, MessageKind.LMS: LMS_BYTES}


@dataclass(frozen=True)
class Sized:
    kind: MessageKind
    text_bytes: int
    subject_bytes: int


def euc_kr_length(text: str, what: str = "text") -> int:
    """EUC-KR byte length of ``text``; GatewayError(REJECTED) naming the first character that has none."""
    try:
        return len(text.encode(ENCODING))
    except UnicodeEncodeError as exc:
        char = text[exc.start]
        raise GatewayError(
            GatewayErrorKind.REJECTED,
            f"{what}: character U+{ord(char):04X} at position {exc.start} has no EUC-KR form (emoji?)",
        ) from exc


def size_message(text: str, kind: MessageKind = MessageKind.SMS, subject: str = "") -> Sized:
    """The kind the provider is asked for and the byte counts; GatewayError(REJECTED) when it cannot go."""
    text_bytes = euc_kr_length(text)
    subject_bytes = euc_kr_length(subject, "subject")
    if not text.strip():
        raise GatewayError(GatewayErrorKind.REJECTED, "empty text")
    if kind is MessageKind.SMS and (text_bytes > SMS_BYTES or subject):
        kind = MessageKind.LMS
    if text_bytes > LMS_BYTES:
        raise GatewayError(
            GatewayErrorKind.REJECTED, f"text is {text_bytes} EUC-KR bytes; LMS takes {LMS_BYTES}"
        )
    if subject_bytes > SUBJECT_BYTES:
        raise GatewayError(
            GatewayErrorKind.REJECTED, f"subject is {subject_bytes} EUC-KR bytes; LMS takes {SUBJECT_BYTES}"
        )
    return Sized(kind, text_bytes, subject_bytes)
