"""The kiosk's side of consent by SMS code, without Qt: ask the hub for a code, confirm the code typed.

Every call here blocks on the network, so the consent screen runs them on the lobby's worker thread
(``self.lobby.worker.submit``) and never on the GUI thread. The hub's answers and refusals become two
small types the screen can show: ``CodeSent`` / ``CodeConfirmed``, or an ``SmsConsentProblem`` with a
``kind`` the screen acts on and the hub's own words in both languages (the hub's Korean message for a
wrong code already says how many tries are left).

Whether the option is offered at all: the lobby needs a hub link, and the hub an SMS gateway that has
not refused our credentials (``GET /sms/status``). ``offered()`` asks and remembers the answer for a
minute; a refusal with 503 ``SMS_UNAVAILABLE`` on the way hides the option again at once.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from db.pii import mask_phone
from kiosk.client import HubClient, HubRefused, HubUnavailable
from kiosk.sms.numbers import InvalidMobile, normalize_mobile

log = logging.getLogger(__name__)

PURPOSE = "kiosk"
CODE_DIGITS = 6
OFFER_REMEMBERED_S = 60.0  # how long the answer "the hub sends SMS / does not" is believed
T = TypeVar("T")

# kind → what the screen does: stay on the number, stay on the code, ask for a new code, or leave SMS.
NUMBER_PROBLEMS = frozenset({"not_mobile", "throttled"})
CODE_PROBLEMS = frozenset({"wrong_code"})
NEW_CODE_PROBLEMS = frozenset({"expired", "used", "locked", "gone"})
LEAVE_PROBLEMS = frozenset({"unavailable", "unreachable"})

_HUB_CODES = {
    "SMS_NOT_MOBILE": "not_mobile",
    "SMS_CODE_THROTTLED": "throttled",
    "SMS_CODE_WRONG": "wrong_code",
    "SMS_CODE_EXPIRED": "expired",
    "SMS_CODE_USED": "used",
    "SMS_CODE_LOCKED": "locked",
}

NOT_MOBILE_EN = "That is not a mobile number: please enter a number starting with 010."
UNAVAILABLE = (
    "문자 인증을 지금은 쓸 수 없어요. 서명으로 동의해 주세요.",
    "Consent by text message is not available right now. Please sign instead.",
)
UNREACHABLE = (
    "센터 서버와 연결이 안 돼서 문자를 보낼 수 없어요. 서명으로 동의해 주세요.",
    "The center server cannot be reached, so no text can be sent. Please sign instead.",
)
GONE = (
    "이 인증번호는 더 쓸 수 없어요. '다시 보내기'를 눌러 새 번호를 받아 주세요.",
    "This code can no longer be used. Press 'Send again' for a new one.",
)
REFUSED = (
    "요청이 거절됐어요. 다시 해 보시고, 어려우면 '직원 호출'을 눌러 주세요.",
    "The request was refused. Please try again, or press 'Call staff'.",
)


@dataclass(frozen=True)
class CodeSent:
    challenge_id: uuid.UUID
    to_masked: str  # "010-****-5678": all the screen ever shows of the number
    expires_at: datetime
    tries_left: int
    message_id: str


@dataclass(frozen=True)
class CodeConfirmed:
    challenge_id: uuid.UUID
    confirmed_at: datetime
    to_masked: str
    delivery_status: str | None  # "DELIVRD" once the phone's delivery report came


class SmsConsentProblem(Exception):
    """A refusal the visitor can act on. ``kind``: see the *_PROBLEMS sets; ``code``: for the log only."""

    def __init__(self, kind: str, message_ko: str, message_en: str, code: str = "") -> None:
        super().__init__(f"{kind} {code}".strip())
        self.kind, self.message_ko, self.message_en, self.code = kind, message_ko, message_en, code

    def message(self, english: bool) -> str:
        return self.message_en if english else self.message_ko


def mobile_digits(text: str) -> str:
    """The digits of a Korean mobile number, or SmsConsentProblem("not_mobile") in both languages."""
    try:
        return normalize_mobile(text)
    except InvalidMobile as exc:
        raise SmsConsentProblem("not_mobile", exc.message_ko, NOT_MOBILE_EN, exc.code) from None


def typed_number(digits: str) -> str:
    """The number as it is typed, grouped 3-4-4 and masked like ``mask_phone`` beyond what the visitor
    needs to check: the prefix and the last four digits typed show, the middle is stars."""
    shown = "".join(d if i < 3 or i >= len(digits) - 4 else "*" for i, d in enumerate(digits))
    middle = 4 if digits.startswith("010") or len(digits) > 10 else 3  # 010-1234-5678, 011-123-4567
    groups = [shown[:3], shown[3 : 3 + middle], shown[3 + middle :]]
    return "-".join(group for group in groups if group)


class SmsConsentLink:
    """One per lobby window: the hub client of its HubLink, and what the hub last said about SMS."""

    def __init__(self, client: HubClient, *, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._offered: bool | None = None
        self._asked_at = 0.0

    # -- is the option offered --------------------------------------------------------------------------
    def offered(self) -> bool:
        """Whether the hub can send codes now (blocking: asks the hub at most once a minute)."""
        with self._lock:
            if self._offered is not None and self._monotonic() - self._asked_at < OFFER_REMEMBERED_S:
                return self._offered
        try:
            answer = self.client.sms_status().available
        except (HubRefused, HubUnavailable) as exc:  # no hub now, or one without SMS at all
            log.info("consent by SMS not offered: %s", exc.__class__.__name__)
            answer = False
        self._remember(answer)
        return answer

    def known_offered(self) -> bool | None:
        """The last answer without asking (GUI thread): None when never asked or too old."""
        with self._lock:
            if self._offered is None or self._monotonic() - self._asked_at >= OFFER_REMEMBERED_S:
                return None
            return self._offered

    def _remember(self, offered: bool) -> None:
        with self._lock:
            self._offered, self._asked_at = offered, self._monotonic()

    # -- the code ---------------------------------------------------------------------------------------
    def request_code(
        self,
        phone: str,
        text_version: str,
        text_sha256: str,
        items: Mapping[str, bool],
        visit_id: uuid.UUID | None = None,
    ) -> CodeSent:
        """Send a 6-digit code to ``phone`` for consent to these texts and items (blocking)."""
        digits = mobile_digits(phone)  # a typing slip is said at once, without the hub
        client = self.client
        out = self._ask(
            lambda: client.request_consent_code(
                digits, PURPOSE, text_version, text_sha256, dict(items), visit_id
            )
        )
        return CodeSent(
            challenge_id=out.challenge_id,
            to_masked=out.to_masked or mask_phone(digits),
            expires_at=out.expires_at,
            tries_left=out.tries_left,
            message_id=out.message_id,
        )

    def confirm(self, challenge_id: uuid.UUID, code: str) -> CodeConfirmed:
        """The code the visitor typed (blocking); SmsConsentProblem("wrong_code") says how many are left."""
        code = "".join(ch for ch in code if ch.isdigit())
        if len(code) != CODE_DIGITS:
            raise SmsConsentProblem(
                "wrong_code", "인증번호 6자리를 눌러 주세요.", "Please enter the 6-digit code.", "short"
            )
        client = self.client
        out = self._ask(lambda: client.confirm_consent_code(challenge_id, code))
        return CodeConfirmed(
            challenge_id=out.challenge_id,
            confirmed_at=out.confirmed_at,
            to_masked=out.to_masked,
            delivery_status=out.delivery_status,
        )

    # -- plumbing ---------------------------------------------------------------------------------------
    def _ask(self, call: Callable[[], T]) -> T:
        """One hub call; its refusals as SmsConsentProblem (a 503 also hides the option for a while)."""
        try:
            out = call()
        except HubRefused as exc:
            raise self._refused(exc) from None
        except HubUnavailable as exc:
            self._remember(False)
            if exc.status == 503:
                raise SmsConsentProblem("unavailable", *UNAVAILABLE, "SMS_UNAVAILABLE") from None
            raise SmsConsentProblem("unreachable", *UNREACHABLE, "HUB_UNAVAILABLE") from None
        self._remember(True)
        return out

    @staticmethod
    def _refused(exc: HubRefused) -> SmsConsentProblem:
        kind = _HUB_CODES.get(exc.code)
        if kind is not None:
            return SmsConsentProblem(kind, exc.message_ko, exc.message_en, exc.code)
        if exc.status in (403, 404):  # another device's challenge, or one the hub no longer has
            return SmsConsentProblem("gone", *GONE, exc.code)
        return SmsConsentProblem("refused", *REFUSED, exc.code)
