"""Phone counseling (issue 18): a counselor at a desk opens a visit for a caller, who consents by SMS code.

The caller's number travels once, in `PhoneConsultationIn`; every answer carries it masked only. The
visit has no ID card behind it: its identity check says so (`PHONE_DOCUMENT_KIND`, result
"not_checked"), and the desk and the documents word it as `PHONE_IDENTITY_KO`.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import BaseModel, Field

from kiosk.api.common import PlainText, Strict

# The identity check of a phone visit: nobody looked at a card, the SMS code proves only the number.
PHONE_DOCUMENT_KIND = "phone_call"
PHONE_IDENTITY_KO = "전화(본인 확인 안 됨)"
PHONE_IDENTITY_EN = "by phone (identity not checked by card)"
NAME_PATTERN = r"^[^\x00-\x1f\x7f0-9０-９]*$"


class PhoneConsultationIn(Strict):
    # What the counselor typed; the hub reads it as a Korean mobile number (400 otherwise).
    phone: Annotated[PlainText, Field(min_length=1, max_length=20)]
    # For the record only ("김민준"), optional: the caller's own word, not checked against anything. No
    # digits: the name is kept in clear, so an RRN or a number typed into it must not get in.
    display_name: Annotated[str, Field(max_length=100, pattern=NAME_PATTERN)] = ""


class PhoneConsultationOut(BaseModel):
    visit_id: uuid.UUID
    case_id: uuid.UUID
    to_masked: str  # "010-****-5678"
    identity_ko: str = PHONE_IDENTITY_KO


class PhoneConsentIn(Strict):
    """The confirmed consent-by-code challenge (kiosk.api.sms_consent) that this phone visit's consent
    rests on."""

    challenge_id: uuid.UUID


class PhoneConsentOut(BaseModel):
    visit_id: uuid.UUID
    consent_id: uuid.UUID
    method: str  # "sms"
    to_masked: str
