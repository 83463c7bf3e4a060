"""Korean mobile numbers: what a person types (``010-1234-5678``, ``010 1234 5678``, ``+82 10-1234-5678``)
becomes the digits a gateway takes (``01012345678``), or a clear Korean error.

Mobile prefixes are 010 (11 digits) and the older 011/016/017/018/019 (10 or 11 digits). The error never
repeats the number (it is personal data); masking for display and logs is ``db.pii.mask_phone``, the
project's one rule. The blind index of a number (opt-outs, reply matching) is the key ring's blind index
in the "sms.phone" domain (db.crypto.KeyRing.blind_index), apart from the RRN's.
"""

from __future__ import annotations

import re

from db.crypto import KeyRing
from db.pii import mask_phone

__all__ = ["InvalidMobile", "mask_phone", "normalize_mobile", "phone_blind_index"]

MESSAGE_KO = "휴대전화 번호가 아니에요: 010으로 시작하는 번호를 넣어 주세요"

_SEPARATORS = re.compile(r"[\s\-.()]")
_MOBILE = re.compile(r"010[1-9]\d{7}|01[16789][1-9]\d{6,7}")
# The bytes hashed stay "sms.phone:" + digits under the same key: indexes stored before stay valid.
PHONE_DOMAIN = "sms.phone"


class InvalidMobile(ValueError):
    """Not a Korean mobile number. ``message_ko`` is for the person; ``code`` for logs (no digits)."""

    def __init__(self, code: str) -> None:
        super().__init__(f"{MESSAGE_KO} ({code})")
        self.code = code
        self.message_ko = MESSAGE_KO


def normalize_mobile(text: str) -> str:
    """The digits of a Korean mobile number (``01012345678``); InvalidMobile otherwise."""
    raw = _SEPARATORS.sub("", text or "")
    if not raw:
        raise InvalidMobile("empty")
    if raw.startswith("+"):
        if not raw.startswith("+82"):
            raise InvalidMobile("foreign_country_code")
        raw = raw[3:]
        raw = raw if raw.startswith("0") else "0" + raw  # +82 10… and +82 010… both seen on forms
    if not raw.isascii() or not raw.isdigit():
        raise InvalidMobile("not_digits")
    if not raw.startswith("01"):
        raise InvalidMobile("not_mobile_prefix")
    if not _MOBILE.fullmatch(raw):
        raise InvalidMobile("wrong_length")
    return raw


def phone_blind_index(keys: KeyRing, digits: str) -> str:
    """The ring's blind index of the normalised number in the phone domain (never equal to an RRN's)."""
    return keys.blind_index(normalize_mobile(digits), PHONE_DOMAIN)
