"""Manual entry for people without an ID (name, birth date, phone): always marked unverified."""

from __future__ import annotations

import re
from datetime import date

from config import clock
from db.pii import mask_phone
from devices.id.model import DocumentKind, IdDocument, IdError

_NAME = re.compile(r"[가-힣]{2,5}|[A-Za-z][A-Za-z .'-]{1,48}")
_PHONE = re.compile(r"01[016789]\d{7,8}")


def manual_document(name: str, birth_date: date | str, phone: str, today: date | None = None) -> IdDocument:
    """Validate typed input; IdError('manual_invalid', which field) when something is off."""
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
    if not _PHONE.fullmatch(digits):
        raise IdError("manual_invalid", "phone")
    return IdDocument(
        kind=DocumentKind.MANUAL,
        name=name,
        birth_date=birth_date,
        phone=digits,
        verified=False,
        source="manual",
        confidence={"name": 1.0, "birth_date": 1.0},
        extra={"verification": "unverified", "phone_masked": mask_phone(digits)},
    )
