"""The consent code's rules on their own (kiosk.sms.consent_code): random 6 digits, a keyed hash bound
to its challenge, 3 minutes, 5 wrong tries; any typed text is a clear refusal, never a crash."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db.crypto import KeyRing
from db.models import ChallengePurpose, ChallengeStatus, SmsConsentChallenge
from kiosk.api import errors as codes
from kiosk.sms.consent_code import (
    CODE_TTL,
    ConsentCodeRefused,
    Requester,
    check_for_consent,
    code_hash,
    confirm,
    new_code,
    state_of,
    tries_left,
)

KEYS = KeyRing.generate()
T0 = datetime(2026, 12, 2, 7, 0, tzinfo=UTC)
CENTER, DEVICE = uuid.uuid4(), uuid.uuid4()


def challenge(code: str = "123456", **changes: object) -> SmsConsentChallenge:
    cid = uuid.uuid4()
    values: dict[str, object] = {
        "id": cid,
        "center_id": CENTER,
        "device_id": DEVICE,
        "counselor_id": None,
        "purpose": ChallengePurpose.KIOSK,
        "visit_id": None,
        "to_masked": "010-****-5678",
        "code_hash": code_hash(KEYS, cid, code),
        "text_version": "2026.1",
        "text_sha256": "a" * 64,
        "items": {"collect": True, "marketing": False},
        "issued_at": T0,
        "expires_at": T0 + CODE_TTL,
        "tries": 0,
        "status": ChallengeStatus.SENT,
        "message_id": uuid.uuid4(),
        **changes,
    }
    return SmsConsentChallenge(**values)


def test_codes_are_six_digits_and_vary() -> None:
    drawn = {new_code() for _ in range(200)}
    assert all(len(c) == 6 and c.isdigit() for c in drawn)
    assert len(drawn) > 190


def test_the_hash_needs_the_key_and_is_bound_to_its_challenge() -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    assert code_hash(KEYS, a, "123456") != code_hash(KEYS, b, "123456")
    assert code_hash(KEYS, a, "123456") != code_hash(KeyRing.generate(), a, "123456")
    assert "123456" not in code_hash(KEYS, a, "123456")


def test_right_code_confirms_within_three_minutes() -> None:
    row = challenge()
    confirm(KEYS, row, " 123456 ", T0 + CODE_TTL - timedelta(seconds=1))
    assert row.status == ChallengeStatus.CONFIRMED and state_of(row, T0 + timedelta(hours=1)) == "confirmed"


def test_expiry_is_read_off_the_clock() -> None:
    row = challenge()
    assert state_of(row, T0 + CODE_TTL - timedelta(microseconds=1)) == "sent"
    assert state_of(row, T0 + CODE_TTL) == "expired"
    with pytest.raises(ConsentCodeRefused) as refused:
        confirm(KEYS, row, "123456", T0 + CODE_TTL)
    assert refused.value.status == 410 and refused.value.code == codes.SMS_CODE_EXPIRED
    assert row.tries == 0  # an expired code costs no try


def test_five_wrong_codes_lock() -> None:
    row = challenge()
    for left in (4, 3, 2, 1):
        with pytest.raises(ConsentCodeRefused) as refused:
            confirm(KEYS, row, "000000", T0)
        assert refused.value.code == codes.SMS_CODE_WRONG and f"{left}번" in refused.value.message_ko
        assert tries_left(row) == left
    with pytest.raises(ConsentCodeRefused) as refused:
        confirm(KEYS, row, "000000", T0)
    assert refused.value.code == codes.SMS_CODE_LOCKED and row.status == ChallengeStatus.LOCKED
    with pytest.raises(ConsentCodeRefused):
        confirm(KEYS, row, "123456", T0)
    assert state_of(row, T0) == "locked"


@settings(max_examples=200, deadline=None)
@given(typed=st.text(max_size=12))
def test_any_typed_text_is_a_wrong_code_or_the_right_one(typed: str) -> None:
    row = challenge()
    try:
        confirm(KEYS, row, typed, T0)
    except ConsentCodeRefused as refused:
        assert refused.code == codes.SMS_CODE_WRONG and row.tries == 1
        assert typed.strip() != "123456"
    else:
        assert typed.strip() == "123456"


def test_a_consent_needs_the_owners_confirmed_unused_challenge_for_the_same_items() -> None:
    me = Requester(CENTER, DEVICE, None)
    visit = uuid.uuid4()
    row = challenge(status=ChallengeStatus.CONFIRMED, confirmed_at=T0)

    def problem(row: SmsConsentChallenge | None, who: Requester = me, **claim: object) -> str | None:
        args: dict[str, object] = {"text_sha256": "a" * 64, "granted": {"collect": True}, **claim}
        found = check_for_consent(row, who, visit_id=visit, **args)  # type: ignore[arg-type]
        return None if found is None else found.message_en

    assert problem(row) is None  # "marketing": False and not mentioned are the same
    assert problem(row, granted={"collect": True, "marketing": False}) is None
    assert problem(row, granted={"collect": True, "marketing": True}) is not None
    assert problem(row, text_sha256="b" * 64) is not None
    assert problem(None) is not None
    assert problem(row, Requester(CENTER, uuid.uuid4(), None)) is not None
    assert problem(row, Requester(uuid.uuid4(), DEVICE, None)) is not None
    assert problem(row, Requester(CENTER, DEVICE, uuid.uuid4())) is not None  # a counselor's is not a lobby's
    assert problem(challenge()) is not None  # not confirmed
    assert problem(challenge(status=ChallengeStatus.CONFIRMED, used_at=T0)) is not None
    assert problem(challenge(status=ChallengeStatus.CONFIRMED, visit_id=uuid.uuid4())) is not None
