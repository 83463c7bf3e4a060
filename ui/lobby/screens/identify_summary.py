"""What the identify step hands on: the visitor's age and the workflow's IdentitySummary (Qt-free).

Built from the one document the screen holds, whether a reader made it or ``devices.id.manual`` made it
from typed fields: one path for both, so a typed entry is marked the same way wherever it goes.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from config import clock
from db.pii import full_age
from devices.id.model import DocumentKind, IdDocument

if TYPE_CHECKING:
    import numpy as np

    from kiosk.visit import IdentitySummary
    from ui.lobby.state import VisitDraft

# The reader's source → how the identify step read the person (kiosk.visit.IdentityMethod's values).
_METHODS = {"image": "image", "chip": "ic_chip", "qr": "mobile", "manual": "manual"}


def age_from_birth(draft: VisitDraft, today: date | None = None) -> int | None:
    """만 나이 from the document's birth date (read or typed); None when unknown or implausible."""
    document: IdDocument | None = draft.document
    birth = document.birth_date if document is not None else None
    if birth is None:
        return None
    age = full_age(birth, today or clock.today())
    return age if 14 <= age <= 120 else None


def identity_summary(document: IdDocument) -> IdentitySummary:
    """The workflow's IdentitySummary: the RRN (a read card's) in memory only, the phone (typed) too."""
    from kiosk.visit import IdentityMethod, IdentityResult, IdentitySummary

    if document.kind is DocumentKind.MANUAL:
        return IdentitySummary(
            method=IdentityMethod.MANUAL,
            document_kind=DocumentKind.MANUAL.value,
            result=IdentityResult.UNVERIFIED,  # checked against an ID at the counter
            name=document.name or None,
            phone=document.phone or None,
            birth_date=document.birth_date,
        )
    return IdentitySummary(
        method=IdentityMethod(_METHODS.get(document.source or "image", "image")),
        document_kind=document.kind.value,
        result=IdentityResult.VERIFIED if document.verified else IdentityResult.NOT_CHECKED,
        confidence={k: round(float(v), 3) for k, v in document.confidence.items()},
        name=document.name or None,
        rrn=document.rrn,
        birth_date=document.birth_date,
        masked_image_png=_png(document.masked_image),
    )


def _png(image: np.ndarray | None) -> bytes | None:
    """The card image with the RRN back digits already blacked out by the reader, as PNG."""
    if image is None:
        return None
    import cv2

    ok, buffer = cv2.imencode(".png", image)
    return bytes(buffer) if ok else None


def reader_message_en(code: str, fallback: str) -> str:
    """The reader's English text for its code; a code of the screen's own (e.g. "reading") keeps the
    screen's message, which `tr()` has already translated, rather than "Unexpected error"."""
    from devices.id.model import MESSAGES

    known = MESSAGES.get(code)
    return known[1] if known else fallback
