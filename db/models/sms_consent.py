"""Consent by SMS code (issue 18): one challenge per code sent, the proof a consent by phone rests on.

An SMS code proves control of a phone number, not legal identity; what makes the consent hold is this
record: which text (version + SHA-256) and which items, to which number, when the code was sent and
confirmed, the outbox message (its gateway id and delivery report live on ``sms_message``).

The number only as ciphertext (``to_enc``, context "sms_consent_challenge.to", found by db.rotation by
its name) plus its blind index and the masked form for screens. The code only as a keyed hash (HMAC
under the ring's blind-index key, bound to the challenge id: kiosk.sms.consent_code) — a 6-digit code
hashed without a secret would be brute-forced in milliseconds. Expiry is not written by anyone: a
"sent" challenge past ``expires_at`` is expired.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Timestamps, UUIDPk
from db.models.enums import EnumString


class ChallengeStatus(StrEnum):
    SENT = "sent"  # the code is on its way or waiting to be typed (expired once past expires_at)
    CONFIRMED = "confirmed"  # the right code came back in time (used_at: bound to a consent since)
    LOCKED = "locked"  # too many wrong codes: it can never be confirmed


class ChallengePurpose(StrEnum):
    KIOSK = "kiosk"  # a walk-in at the lobby who cannot sign
    PHONE_COUNSELING = "phone_counseling"  # a caller, the counselor types the number


class SmsConsentChallenge(UUIDPk, Timestamps, Base):
    __tablename__ = "sms_consent_challenge"
    __table_args__ = (
        # The throttles count a number's and a requester's recent codes.
        Index("ix_sms_consent_challenge_number_issued", "to_blind_index", "issued_at"),
        Index("ix_sms_consent_challenge_device_issued", "device_id", "issued_at"),
        Index("ix_sms_consent_challenge_counselor_issued", "counselor_id", "issued_at"),
    )

    center_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("center.id"))
    device_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("device.id"))  # the lobby, or the desk
    counselor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("counselor.id"))  # phone counseling
    purpose: Mapped[ChallengePurpose] = mapped_column(EnumString(ChallengePurpose, 20))
    # The visit it is for, when known (a lobby submits its visit only at the end): no foreign key.
    visit_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    to_enc: Mapped[bytes] = mapped_column(LargeBinary)
    to_blind_index: Mapped[str] = mapped_column(String(64))
    to_masked: Mapped[str] = mapped_column(String(16))
    code_hash: Mapped[str] = mapped_column(String(64))
    text_version: Mapped[str] = mapped_column(String(40))
    text_sha256: Mapped[str] = mapped_column(String(64))
    items: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # {item_id: granted}
    issued_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]
    tries: Mapped[int] = mapped_column(default=0)  # wrong codes so far
    used_at: Mapped[datetime | None]  # bound to a consent record: never again
    message_id: Mapped[uuid.UUID] = mapped_column(Uuid)  # the outbox's sms_message.id
    status: Mapped[ChallengeStatus] = mapped_column(
        EnumString(ChallengeStatus, 12), default=ChallengeStatus.SENT
    )
