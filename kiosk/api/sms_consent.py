"""Consent by SMS code (issue 18): ask for a code, confirm it, read a challenge's state.

`POST /consent/sms/challenges` sends a 6-digit code to the person's phone (only there: the code is in
no answer, no log and, in clear, no row); `POST /consent/sms/challenges/{id}/confirm` takes it back;
`GET /consent/sms/challenges/{id}` says where it stands. A visit's consent names a confirmed challenge
(`kiosk.api.visits.ConsentIn.sms_challenge_id`, method "sms"). The number goes in once, as typed; every
answer shows it masked ("010-****-5678").
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from kiosk.api.common import Hex64, PlainText, Strict

ConsentPurpose = Literal["kiosk", "phone_counseling"]
ChallengeState = Literal["sent", "confirmed", "expired", "locked"]
ItemId = Annotated[PlainText, Field(min_length=1, max_length=60)]


class ConsentCodeIn(Strict):
    # As typed ("010-1234-5678" too); the hub normalises it (kiosk.sms.numbers) or answers SMS_NOT_MOBILE.
    phone: Annotated[PlainText, Field(min_length=1, max_length=20)]
    purpose: ConsentPurpose
    text_version: Annotated[PlainText, Field(min_length=1, max_length=40)]
    text_sha256: Hex64
    items: Annotated[dict[ItemId, bool], Field(min_length=1, max_length=20)]
    visit_id: uuid.UUID | None = None


class ConsentCodeOut(BaseModel):
    challenge_id: uuid.UUID
    to_masked: str
    expires_at: datetime
    tries_left: int
    message_id: str


class ConfirmCodeIn(Strict):
    # Not held to six digits here: a mistyped code is a wrong code (it costs a try, and the answer says
    # how many are left), not a malformed request.
    code: Annotated[PlainText, Field(min_length=1, max_length=12)]


class ConsentConfirmedOut(BaseModel):
    challenge_id: uuid.UUID
    confirmed_at: datetime
    to_masked: str
    message_id: str
    delivery_status: str | None  # "DELIVRD" once the carrier reported it; None: no report yet


class ConsentCodeStatusOut(BaseModel):
    challenge_id: uuid.UUID
    status: ChallengeState
    to_masked: str
    expires_at: datetime
    delivery_status: str | None
    tries_left: int
