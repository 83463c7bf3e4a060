"""Manual entry for people without an ID (name, birth date, phone): always marked unverified.

The lobby's typed form builds its document here, so the rules for a typed name, birth date and phone
number, and what to tell a person whose entry breaks one, have one home.
"""

from __future__ import annotations

import re
from datetime import date

from config import clock
from db.pii import mask_phone
from devices.id.model import DocumentKind, IdDocument, IdError

_NAME = re.compile(r"[가-힣]{2,5}|[A-Za-z][A-Za-z .'-]{1,48}")
_PHONE = re.compile(r"01[016789]\d{7,8}")

# IdError("manual_invalid", field).detail -> what to say (Korean, English): what is off and how to fix it.
FIELD_PROBLEMS: dict[str, tuple[str, str]] = {
    "name": (
        "이름을 다시 확인해 주세요. 한글 2~5자나 영문으로 써 주세요.",
        "Please check your name: 2 to 5 Hangul letters, or Latin letters.",
    ),
    "birth_date": (
        "생년월일을 다시 확인해 주세요. 예: 1960-03-15",
        "Please check your date of birth, e.g. 1960-03-15.",
    ),
    "phone": (
        "휴대전화 번호를 다시 확인해 주세요. 비워 두셔도 돼요.",
        "Please check your mobile number. You may also leave it empty.",
    ),
}


def manual_document(
    name: str, birth_date: date | str, phone: str = "", today: date | None = None
) -> IdDocument:
    """Validate typed input; IdError('manual_invalid', which field) when something is off.

    The phone is optional (empty: none given); a number that is given must be a Korean mobile number.
    """
    name = (name or "").strip()
    if not _NAME.fullmatch(name):
        raise IdError("manual_invalid", "name")
    if isinstance(birth_date, str):
        try:
            birth_date = date.fromisoformat(birth_date.strip().replace(".", "-").replace("/", "-"))
        except ValueError:
            raise IdError("manual_invalid", "birth_date") from None
    today = today or clock.today()
    if not date(1900, 1, 1) <= birth_date <= today:
        raise IdError("manual_invalid", "birth_date")
    digits = re.sub(r"\D", "", phone or "")
    if digits and not _PHONE.fullmatch(digits):
        raise IdError("manual_invalid", "phone")
    extra = {"verification": "unverified"}
    if digits:
        extra["phone_masked"] = mask_phone(digits)
    return IdDocument(
        kind=DocumentKind.MANUAL,
        name=name,
        birth_date=birth_date,
        phone=digits or None,
        verified=False,
        source="manual",
        confidence={"name": 1.0, "birth_date": 1.0},
        extra=extra,
    )


def field_problem(field: str, language: str) -> str:
    """What to tell the person about the field ``manual_document`` refused, in ``language``."""
    ko, en = FIELD_PROBLEMS.get(field, FIELD_PROBLEMS["name"])
    return en if language == "en" else ko
