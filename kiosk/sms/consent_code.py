"""Consent by SMS code: the rules of a code challenge (issue 18), on the caller's database session.

A code is 6 random digits (``secrets``), sent only by SMS (template ``consent_code``; for a phone
counseling an LMS ``consent_code_call`` that also sums up the items). It is good for 3 minutes on the
center clock, once; 5 wrong codes lock the challenge. A number gets at most 3 codes and a device (or a
counselor) 10 codes per 10 minutes: the counts are read from the challenges themselves, so a hub restart
does not reset them. The code is stored only as an HMAC under the ring's blind-index key, bound to the
challenge id (a 6-digit code hashed without a secret is brute-forced in milliseconds), and compared in
constant time.

A phone counseling's LMS also carries a link (kiosk.web.links, kind ``consent``) to a page where the
caller reads every item in full and chooses each one themselves, then types the code there
(``confirm_with_choices``): what they chose becomes the challenge's items. The link outlives the code
by a few minutes, so a late opener is told the code ran out rather than shown a dead page.

Nothing here writes the audit chain or commits: the hub's routes and the page do both
(kiosk.hub.routes_sms_consent, kiosk.web.consent_pages), and a wrong code's try is committed even though
the request is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from config.consent import consent_set
from db.models import ChallengePurpose, ChallengeStatus, SmsConsentChallenge, SmsMessage, SmsStatus
from db.models.web import WebLink
from db.pii import mask_pii_text
from kiosk.api import errors as codes
from kiosk.api.sms_consent import ChallengeState
from kiosk.sms.numbers import InvalidMobile, mask_phone, normalize_mobile, phone_blind_index
from kiosk.sms.templates import TemplateValueError
from kiosk.web import links as web_links

CODE_DIGITS = 6
CODE_TTL = timedelta(minutes=3)
MAX_WRONG = 5
PER_NUMBER = 3  # codes to one number per THROTTLE_WINDOW
PER_REQUESTER = 10  # codes from one lobby device or one counselor per THROTTLE_WINDOW
THROTTLE_WINDOW = timedelta(minutes=10)
LINK_KIND = "consent"
LINK_TTL = timedelta(minutes=10)  # past the code's 3 minutes: a late opener reads why, not "no such page"
LINK_WORDS = "항목마다 전문을 읽고 직접 고르기"
TO_CONTEXT = "sms_consent_challenge.to"
TEMPLATE = {ChallengePurpose.KIOSK: "consent_code", ChallengePurpose.PHONE_COUNSELING: "consent_code_call"}
_HASH_DOMAIN = b"sms.consent_code:"


class ConsentCodeRefused(Exception):
    """The request is refused: an HTTP status, a stable code and a message for the person."""

    def __init__(
        self, status: int, code: str, message_ko: str, message_en: str, retry_after_s: int | None = None
    ) -> None:
        super().__init__(f"{status} {code}: {message_en}")
        self.status, self.code, self.message_ko, self.message_en = status, code, message_ko, message_en
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class Requester:
    """Who asks for codes: a lobby device, or a counselor (at a desk device when logged in at one)."""

    center_id: uuid.UUID
    device_id: uuid.UUID | None
    counselor_id: uuid.UUID | None

    def owns(self, challenge: SmsConsentChallenge) -> bool:
        if challenge.center_id != self.center_id:
            return False
        if self.counselor_id is not None:
            return challenge.counselor_id == self.counselor_id
        return challenge.counselor_id is None and challenge.device_id == self.device_id


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def code_hash(keys: Any, challenge_id: uuid.UUID, code: str) -> str:
    message = _HASH_DOMAIN + challenge_id.bytes + code.encode("utf-8")
    return hmac.new(keys.blind_index_key, message, hashlib.sha256).hexdigest()


def state_of(challenge: SmsConsentChallenge, now: datetime) -> ChallengeState:
    """Where the challenge stands, as the API says it (expiry is read off the clock, never written)."""
    if challenge.status == ChallengeStatus.CONFIRMED:
        return "confirmed"
    if challenge.status == ChallengeStatus.LOCKED:
        return "locked"
    return "expired" if now >= challenge.expires_at else "sent"


def tries_left(challenge: SmsConsentChallenge) -> int:
    return max(0, MAX_WRONG - challenge.tries)


def delivery_status(session: Session, challenge: SmsConsentChallenge) -> str | None:
    """The carrier's word on the code's message ("DELIVRD"…), None while there is none."""
    return session.scalar(select(SmsMessage.delivery_status).where(SmsMessage.id == challenge.message_id))


def _wait_words(wait: timedelta) -> tuple[int, str]:
    seconds = max(1, math.ceil(wait.total_seconds()))
    return seconds, (f"{seconds}초" if seconds < 60 else f"{math.ceil(seconds / 60)}분")


def _throttled(what_ko: str, what_en: str, wait: timedelta) -> ConsentCodeRefused:
    seconds, words = _wait_words(wait)
    return ConsentCodeRefused(
        429,
        codes.SMS_CODE_THROTTLED,
        f"{what_ko} {words} 뒤에 다시 시도해 주세요.",
        f"{what_en}; try again in {seconds} s.",
        retry_after_s=seconds,
    )


def _check_throttle(session: Session, where: Any, limit: int, now: datetime) -> timedelta | None:
    since = now - THROTTLE_WINDOW
    count, oldest = session.execute(
        select(func.count(), func.min(SmsConsentChallenge.issued_at)).where(
            where, SmsConsentChallenge.issued_at > since
        )
    ).one()
    if count < limit or oldest is None:
        return None
    if oldest.tzinfo is None:  # an aggregate skips the column's type on SQLite: stored times are UTC
        oldest = oldest.replace(tzinfo=now.tzinfo)
    return max(oldest + THROTTLE_WINDOW - now, timedelta(seconds=1))


def _summary(items: Mapping[str, bool]) -> dict[str, str]:
    """The LMS's two lists of item titles (agreed / not agreed), from the center's consent texts."""
    titles = {item.id: item.title_ko for item in consent_set().items}
    unknown = [item for item in items if item not in titles]
    if unknown:
        raise ConsentCodeRefused(
            422,
            codes.INVALID_REQUEST,
            "알 수 없는 동의 항목이 있어요. 화면을 처음부터 다시 열어 주세요.",
            "Unknown consent item ids.",
        )

    def lines(granted: bool) -> str:
        chosen = [f"· {titles[item]}" for item, value in items.items() if value is granted]
        return "\n".join(chosen) or "· 없음"

    return {"agreed": lines(True), "refused": lines(False)}


def issue(
    session: Session,
    sms: Any,
    keys: Any,
    requester: Requester,
    *,
    phone: str,
    purpose: str,
    text_version: str,
    text_sha256: str,
    items: Mapping[str, bool],
    visit_id: uuid.UUID | None,
    now: datetime,
    link_base: str = "",
) -> SmsConsentChallenge:
    """A new challenge and its message, both added to ``session`` (the caller commits, then wakes the
    sender). ConsentCodeRefused for a number that is not a mobile, a throttle, an opted-out number.

    ``link_base``: the center's public web address; a phone counseling's LMS then carries the link to
    the consent page (none without an address, nor for the kiosk's own code)."""
    if mask_pii_text(text_version) != text_version:
        raise ConsentCodeRefused(
            422,
            codes.INVALID_REQUEST,
            "동의서 버전 이름이 올바르지 않아요.",
            "text_version looks like personal data",
        )
    try:
        digits = normalize_mobile(phone)
    except InvalidMobile as exc:
        raise ConsentCodeRefused(
            400, codes.SMS_NOT_MOBILE, exc.message_ko, f"not a mobile ({exc.code})"
        ) from None
    blind = phone_blind_index(keys, digits)
    wait = _check_throttle(session, SmsConsentChallenge.to_blind_index == blind, PER_NUMBER, now)
    if wait is not None:
        raise _throttled("이 번호로 인증번호를 여러 번 보냈어요.", "Too many codes to this number", wait)
    if requester.counselor_id is not None:
        mine = SmsConsentChallenge.counselor_id == requester.counselor_id
    else:
        mine = (SmsConsentChallenge.device_id == requester.device_id) & SmsConsentChallenge.counselor_id.is_(
            None
        )
    wait = _check_throttle(session, mine, PER_REQUESTER, now)
    if wait is not None:
        raise _throttled(
            "이 기기에서 인증번호를 너무 많이 보냈어요.", "Too many codes from this device", wait
        )
    kind = ChallengePurpose(purpose)
    challenge_id, code = uuid.uuid4(), new_code()
    values = {"code": code}
    if kind is ChallengePurpose.PHONE_COUNSELING:
        values |= _summary(items) | {"version": text_version}
        values["link"] = _page_link(session, link_base, requester.center_id, challenge_id, now)
    try:
        message_id = _enqueue(session, sms, TEMPLATE[kind], values, digits)
    except TemplateValueError:
        # Only the text version can be out of the template's bounds (the code and titles are ours).
        raise ConsentCodeRefused(
            422,
            codes.INVALID_REQUEST,
            "동의서 버전 이름이 문자에 맞지 않아요.",
            "text_version unusable in SMS",
        ) from None
    message = session.get(SmsMessage, uuid.UUID(message_id))
    if message is not None and message.status == SmsStatus.SKIPPED:
        raise ConsentCodeRefused(
            409,
            codes.SMS_OPTED_OUT,
            "이 번호는 문자 수신을 거부해 두었어요. 서명으로 동의해 주세요.",
            "The number opted out of SMS.",
        )
    challenge = SmsConsentChallenge(
        id=challenge_id,
        center_id=requester.center_id,
        device_id=requester.device_id,
        counselor_id=requester.counselor_id,
        purpose=kind,
        visit_id=visit_id,
        to_enc=keys.encrypt_text(digits, TO_CONTEXT),
        to_blind_index=blind,
        to_masked=mask_phone(digits),
        code_hash=code_hash(keys, challenge_id, code),
        text_version=text_version,
        text_sha256=text_sha256,
        items=dict(items),
        issued_at=now,
        expires_at=now + CODE_TTL,
        tries=0,
        message_id=uuid.UUID(message_id),
        status=ChallengeStatus.SENT,
        created_at=now,
    )
    session.add(challenge)
    return challenge


def _page_link(
    session: Session, link_base: str, center_id: uuid.UUID, challenge_id: uuid.UUID, now: datetime
) -> str:
    """The LMS's line with the consent page's link (ending in a line break), or "" without an address."""
    if not link_base:
        return ""
    token = web_links.mint(session, LINK_KIND, center_id, challenge_id, now + LINK_TTL)
    return f"{LINK_WORDS}: {link_base.rstrip('/')}/m/c/{token}\n"


def _enqueue(session: Session, sms: Any, template: str, values: dict[str, str], digits: str) -> str:
    """Send with the link; a public address longer than the template allows sends the code without it
    (the caller can still read the code back), and the link minted for it is dropped."""
    try:
        return str(sms.enqueue(template, values, digits, session=session))
    except TemplateValueError as exc:
        if exc.placeholder != "link" or not values.get("link"):
            raise
    for pending in [row for row in session.new if isinstance(row, WebLink) and row.kind == LINK_KIND]:
        session.expunge(pending)
    return str(sms.enqueue(template, {**values, "link": ""}, digits, session=session))


def _gone(code: str, ko: str, en: str) -> ConsentCodeRefused:
    return ConsentCodeRefused(410, code, ko, en)


def confirm(keys: Any, challenge: SmsConsentChallenge, code: str, now: datetime) -> None:
    """Mark ``challenge`` confirmed, or raise; a wrong code is counted on the row first (the caller
    commits in both cases), and the fifth locks it."""
    state = state_of(challenge, now)
    if state == "confirmed":
        raise _gone(codes.SMS_CODE_USED, "이미 확인한 인증번호예요.", "Code already confirmed.")
    if state == "locked":
        raise _gone(
            codes.SMS_CODE_LOCKED,
            "인증번호를 5번 틀려서 더 쓸 수 없어요. 새 인증번호를 받아 주세요.",
            "Locked after 5 wrong codes.",
        )
    if state == "expired":
        raise _gone(
            codes.SMS_CODE_EXPIRED,
            "인증번호의 3분이 지났어요. 새 인증번호를 받아 주세요.",
            "Code expired (3 minutes).",
        )
    given = code.strip()
    well_formed = given.isascii() and given.isdigit() and len(given) == CODE_DIGITS
    # Hashed and compared either way, so a malformed code takes as long as a wrong one.
    matches = hmac.compare_digest(code_hash(keys, challenge.id, given), challenge.code_hash)
    if not (matches and well_formed):
        challenge.tries += 1
        left = tries_left(challenge)
        if left == 0:
            challenge.status = ChallengeStatus.LOCKED
            raise _gone(
                codes.SMS_CODE_LOCKED,
                "인증번호를 5번 틀려서 더 쓸 수 없어요. 새 인증번호를 받아 주세요.",
                "Locked after 5 wrong codes.",
            )
        raise ConsentCodeRefused(
            400,
            codes.SMS_CODE_WRONG,
            f"인증번호가 맞지 않아요. {left}번 더 넣을 수 있어요.",
            f"Wrong code; {left} tries left.",
        )
    challenge.status = ChallengeStatus.CONFIRMED
    challenge.confirmed_at = now


def page_choices(fields: Mapping[str, str]) -> dict[str, bool] | None:
    """The caller's choice for every item of the center's texts from the page's form ("yes" / "no"),
    or None when an item is left unchosen or a value is anything else (nothing is assumed for them)."""
    chosen: dict[str, bool] = {}
    for item in consent_set().items:
        value = fields.get(item.id)
        if value not in ("yes", "no"):
            return None
        chosen[item.id] = value == "yes"
    return chosen


def confirm_with_choices(
    keys: Any, challenge: SmsConsentChallenge, code: str, chosen: Mapping[str, bool], now: datetime
) -> None:
    """The consent page's confirm: the same ``confirm`` (tries, lock, expiry, once), and then the
    caller's own choices replace the items the counselor sent the code for. Only a phone counseling's
    challenge, only for exactly the center's items, only while its texts are the ones the page shows."""
    texts = consent_set()
    if challenge.purpose is not ChallengePurpose.PHONE_COUNSELING:
        raise ConsentCodeRefused(
            403, codes.SMS_CONSENT_INVALID, "이 인증번호는 여기서 쓸 수 없어요.", "Not a phone consent."
        )
    if set(chosen) != {item.id for item in texts.items} or not all(
        isinstance(value, bool) for value in chosen.values()
    ):
        raise ConsentCodeRefused(
            422,
            codes.INVALID_REQUEST,
            "모든 항목에 '동의해요' 또는 '동의하지 않아요'를 골라 주세요.",
            "Choose for every item.",
        )
    if challenge.text_sha256 != texts.sha256 and state_of(challenge, now) == "sent":
        raise _gone(
            codes.SMS_CONSENT_INVALID,
            "동의 문구가 그 사이에 바뀌었어요. 상담사에게 새 인증번호를 받아 주세요.",
            "The consent texts changed since the code was sent.",
        )
    confirm(keys, challenge, code, now)
    challenge.items = dict(chosen)


def _agreed(items: Mapping[str, Any]) -> frozenset[str]:
    # An item refused and an item not mentioned are the same: no consent to it. The kiosk's record names
    # every item of its texts; the code may have been asked for with the granted ones only.
    return frozenset(item for item, granted in items.items() if granted is True)


def check_for_consent(
    challenge: SmsConsentChallenge | None,
    requester: Requester,
    *,
    text_sha256: str,
    granted: Mapping[str, bool],
    visit_id: uuid.UUID,
) -> ConsentCodeRefused | None:
    """Why ``challenge`` cannot back this consent (None: it can — then mark it used)."""

    def invalid(ko: str, en: str) -> ConsentCodeRefused:
        return ConsentCodeRefused(422, codes.SMS_CONSENT_INVALID, ko, en)

    if challenge is None or not requester.owns(challenge):
        return invalid("문자 인증 기록을 찾을 수 없어요. 다시 인증해 주세요.", "No such challenge here.")
    if challenge.status != ChallengeStatus.CONFIRMED:
        return invalid(
            "문자 인증이 끝나지 않았어요. 인증번호를 먼저 확인해 주세요.", "Challenge not confirmed."
        )
    if challenge.used_at is not None:
        return invalid("이미 다른 동의에 쓴 문자 인증이에요. 다시 인증해 주세요.", "Challenge already used.")
    if challenge.visit_id is not None and challenge.visit_id != visit_id:
        return invalid("다른 방문의 문자 인증이에요. 다시 인증해 주세요.", "Challenge of another visit.")
    if challenge.text_sha256 != text_sha256 or _agreed(challenge.items) != _agreed(granted):
        return invalid(
            "문자로 동의한 내용과 접수 내용이 달라요. 다시 인증해 주세요.",
            "Consent text or items differ from the confirmed challenge.",
        )
    return None
