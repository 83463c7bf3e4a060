"""The provider's checks of a send request's body (pure: the emulator calls it after the signature).

Each problem is one `ProviderError` with the HTTP status and the provider-style ``errorCode`` the backend
maps (`wire.error_kind`); messages never repeat the number or the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiosk.sms.numbers import InvalidMobile, normalize_mobile
from kiosk.sms.templates import ENCODING, LMS_BYTES, SMS_BYTES, SUBJECT_BYTES

LIMITS = {"SMS": SMS_BYTES, "LMS": LMS_BYTES}


class ProviderError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message

    def body(self) -> dict[str, str]:
        return {"errorCode": self.code, "errorMessage": self.message}


@dataclass(frozen=True)
class SendRequest:
    to: str
    sender: str
    text: str
    type: str
    subject: str = ""
    custom_fields: dict[str, str] = field(default_factory=dict)


def _string(message: dict[str, Any], key: str, *, required: bool = True) -> str:
    value = message.get(key, "" if not required else None)
    if not isinstance(value, str) or (required and not value):
        raise ProviderError(400, "ValidationError", f"message.{key} must be a non-empty string")
    return value


def _euc_kr(value: str, what: str) -> int:
    try:
        return len(value.encode(ENCODING))
    except UnicodeEncodeError as exc:
        raise ProviderError(
            400, "InvalidCharacter", f"{what}: U+{ord(value[exc.start]):04X} at {exc.start} is not EUC-KR"
        ) from exc


def _custom_fields(message: dict[str, Any]) -> dict[str, str]:
    custom = message.get("customFields", {})
    if not isinstance(custom, dict) or len(custom) > 10:
        raise ProviderError(400, "ValidationError", "message.customFields must be an object of ≤ 10 strings")
    for key, value in custom.items():
        if not isinstance(value, str) or len(key) > 30 or len(value) > 100:
            raise ProviderError(400, "ValidationError", "customFields: keys ≤ 30 and values ≤ 100 characters")
    return dict(custom)


def check_send(body: Any, senders: frozenset[str] | set[str]) -> SendRequest:
    """The request as the provider takes it; ProviderError for the first problem found."""
    if not isinstance(body, dict) or not isinstance(body.get("message"), dict):
        raise ProviderError(400, "ValidationError", 'body must be {"message": {...}}')
    message: dict[str, Any] = body["message"]
    to, sender, text = (_string(message, key) for key in ("to", "from", "text"))
    kind = _string(message, "type")
    subject = _string(message, "subject", required=False)
    custom = _custom_fields(message)
    try:
        if normalize_mobile(to) != to:
            raise InvalidMobile("not_digits")
    except InvalidMobile as exc:
        raise ProviderError(
            400, "InvalidPhoneNumber", f"to is not a Korean mobile number ({exc.code})"
        ) from exc
    if sender not in senders:
        raise ProviderError(
            403, "SenderNotRegistered", "from is not a pre-registered sender number (발신번호 사전등록제)"
        )
    if kind not in LIMITS:
        raise ProviderError(400, "InvalidType", "type must be SMS or LMS")
    text_bytes = _euc_kr(text, "text")
    subject_bytes = _euc_kr(subject, "subject")
    if text_bytes > LIMITS[kind]:
        raise ProviderError(400, "TooLongText", f"{kind} text is {text_bytes} bytes; at most {LIMITS[kind]}")
    if subject and kind != "LMS":
        raise ProviderError(400, "ValidationError", "only LMS carries a subject")
    if subject_bytes > SUBJECT_BYTES:
        raise ProviderError(
            400, "TooLongSubject", f"subject is {subject_bytes} bytes; at most {SUBJECT_BYTES}"
        )
    return SendRequest(to, sender, text, kind, subject, custom)
