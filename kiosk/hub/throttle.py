"""Guessing limits for the hub's two doors that need no token: counselor login and device pairing codes.

Two kinds of limit, both answering 429 with ``Retry-After`` in the project's bilingual error shape:

- a **progressive delay** (logins): a few failures are free, then each further failure doubles the
  wait up to a cap, and the count is forgotten after a quiet hour. It never becomes a hard lock, so
  nobody can be locked out indefinitely, only slowed to one guess per cap;
- a **sliding window** (pairing codes): at most N wrong codes per window, per client address and for
  the whole hub. Together with the rule that a pending code dies after a few wrong guesses
  (``CodeAttempts``), that bounds what guessing can win.

This module keeps the per-address and hub-wide state **in memory**: it resets when the hub restarts.
That is acceptable because a restart needs the operator (a guesser cannot cause one), the hub is one
process, and the limits only need to hold over minutes. What must survive a restart, the per-account
login delay, is kept on the counselor row (``kiosk.hub.auth.login``). Times come from the center
clock (``config.clock``), so tests pin them with time-machine; a wall-clock jump can at worst lengthen
or shorten one window.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from fastapi import Request

from config import clock
from db.pii import mask_pii_text
from kiosk.hub.errors import HubError

# Limits. Logins from one address: shared desk PCs see honest typos, so ten are free; the cap is
# longer than the per-account cap on purpose, so one address can renew an account's delay at most
# once per address cap (see kiosk.hub.auth.login).
LOGIN_FREE_PER_ADDRESS = 10
LOGIN_BASE_DELAY_PER_ADDRESS = timedelta(seconds=5)
LOGIN_CAP_PER_ADDRESS = timedelta(minutes=15)
# Per account (and per unknown username): the free failures and the cap come from the settings.
LOGIN_BASE_DELAY_PER_ACCOUNT = timedelta(seconds=10)
FORGET_FAILURES_AFTER = timedelta(hours=1)
# Pairing codes: 8 digits (10^8). Every wrong guess counts against every pending code, and a code
# dies after CODE_MAX_WRONG of them, so each code can be guessed at most 5 times: a chance of at most
# 5 in 10^8 per code, whatever the number of addresses. The windows keep the noise (and the audit
# chain) small: 10 wrong codes per address and 30 for the whole hub per 15 minutes.
CODE_MAX_WRONG = 5
CODE_GUESSES_PER_ADDRESS = 10
CODE_GUESSES_HUB_WIDE = 30
CODE_GUESS_WINDOW = timedelta(minutes=15)
_MAX_KEYS = 10_000  # bound memory if someone walks through many addresses or usernames


def delay_after(failures: int, free: int, base: timedelta, cap: timedelta) -> timedelta:
    """The wait after the ``failures``-th failure in a row: none before ``free``, then base, 2·base… ≤ cap."""
    if failures < free:
        return timedelta(0)
    doublings = min(failures - free, 32)  # 2**32 · base is past any sensible cap
    return min(base * (2**doublings), cap)


def retry_after_s(wait: timedelta) -> int:
    """Whole seconds for a Retry-After header, never 0 (0 invites an immediate retry loop)."""
    return max(1, math.ceil(wait.total_seconds()))


def too_many(code: str, what_ko: str, what_en: str, wait: timedelta) -> HubError:
    seconds = retry_after_s(wait)
    error = HubError(
        429,
        code,
        f"{what_ko} {seconds}초 뒤에 다시 시도해 주세요.",
        f"{what_en}; try again in {seconds} s.",
    )
    error.headers = {"Retry-After": str(seconds)}
    return error


def login_throttled(wait: timedelta) -> HubError:
    return too_many("login_throttled", "로그인 실패가 많아요.", "Too many failed logins", wait)


def pairing_throttled(wait: timedelta) -> HubError:
    return too_many(
        "pairing_throttled", "연결 번호를 너무 많이 틀렸어요.", "Too many wrong pairing codes", wait
    )


def audit_address(address: str) -> str:
    """The client address for an audit event: as is (it names a device on the center's LAN), or its
    hash in the odd case that it is shaped like personal data the audit chain refuses."""
    if mask_pii_text(address) == address and len(address) <= 64:
        return address
    return "sha256:" + hashlib.sha256(address.encode()).hexdigest()


@dataclass
class _Failures:
    count: int
    last: datetime
    not_before: datetime


class ProgressiveDelay:
    """Failures in a row per key (an address, an unknown username), with a doubling wait. In memory."""

    def __init__(self, free: int, base: timedelta, cap: timedelta) -> None:
        self.free, self.base, self.cap = free, base, cap
        self._keys: dict[str, _Failures] = {}
        self._lock = threading.Lock()

    def wait(self, key: str) -> timedelta | None:
        """How long ``key`` must still wait, or None if it may try now."""
        now = clock.now()
        with self._lock:
            entry = self._keys.get(key)
            if entry is None or entry.not_before <= now:
                return None
            return entry.not_before - now

    def failed(self, key: str) -> int:
        """Count one failure; returns the number in a row (after forgetting a quiet hour)."""
        now = clock.now()
        with self._lock:
            entry = self._keys.get(key)
            if entry is None or now - entry.last > FORGET_FAILURES_AFTER:
                entry = _Failures(0, now, now)
            entry.count += 1
            entry.last = now
            entry.not_before = now + delay_after(entry.count, self.free, self.base, self.cap)
            self._keys[key] = entry
            if len(self._keys) > _MAX_KEYS:
                self._prune(now)
            return entry.count

    def _prune(self, now: datetime) -> None:
        for key in [k for k, e in self._keys.items() if now - e.last > FORGET_FAILURES_AFTER]:
            del self._keys[key]
        while len(self._keys) > _MAX_KEYS:  # still too many: drop the oldest
            del self._keys[min(self._keys, key=lambda k: self._keys[k].last)]


class FailureWindow:
    """At most ``limit`` failures per key in a sliding ``window``. In memory."""

    def __init__(self, limit: int, window: timedelta) -> None:
        self.limit, self.window = limit, window
        self._keys: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: datetime) -> deque[datetime]:
        failures = self._keys.setdefault(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def wait(self, key: str) -> timedelta | None:
        now = clock.now()
        with self._lock:
            failures = self._recent(key, now)
            if len(failures) < self.limit:
                return None
            # Allowed again when the oldest counted failure leaves the window.
            return failures[-self.limit] + self.window - now

    def failed(self, key: str) -> None:
        now = clock.now()
        with self._lock:
            self._recent(key, now).append(now)
            if len(self._keys) > _MAX_KEYS:
                for stale in [k for k, f in self._keys.items() if not f or f[-1] <= now - self.window]:
                    del self._keys[stale]


class CodeAttempts:
    """Wrong guesses each pending pairing code has seen, by the code's hash. In memory.

    A wrong code does not say which device it was meant for, so it counts against every code that
    could have been meant: all pending enrollment codes of the hub (``/devices/enroll`` carries no
    center), or all pending desk codes of the caller's center (``/devices/pair``). After
    ``max_wrong`` a code is spent and its device row forgets it; the manager issues a new one. The
    price is that a few junk guesses spend the codes waiting to be typed, which someone on the LAN
    could do anyway by keeping the hub-wide window full; in exchange no code can be guessed more than
    ``max_wrong`` times however many addresses the guesser has. A restart forgets the counts, so each
    restart could give a code ``max_wrong`` more guesses; codes expire in minutes anyway.
    """

    def __init__(self, max_wrong: int) -> None:
        self.max_wrong = max_wrong
        self._wrong: dict[str, int] = {}
        self._lock = threading.Lock()

    def wrong_guess(self, pending_code_hashes: Iterable[str]) -> list[str]:
        """Count one wrong guess against each pending code; return the hashes of codes now spent."""
        pending = set(pending_code_hashes)
        spent = []
        with self._lock:
            # Codes no longer pending (used, expired, spent) need no counter any more.
            for gone in [h for h in self._wrong if h not in pending]:
                del self._wrong[gone]
            for code_hash in pending:
                self._wrong[code_hash] = self._wrong.get(code_hash, 0) + 1
                if self._wrong[code_hash] >= self.max_wrong:
                    spent.append(code_hash)
                    del self._wrong[code_hash]
        return spent


@dataclass
class Guards:
    """The hub's guessing limits (one set per hub process; see the module docstring)."""

    login_addresses: ProgressiveDelay = field(
        default_factory=lambda: ProgressiveDelay(
            LOGIN_FREE_PER_ADDRESS, LOGIN_BASE_DELAY_PER_ADDRESS, LOGIN_CAP_PER_ADDRESS
        )
    )
    # Usernames with no (active) account get the same delay as real accounts, so a 429 does not tell
    # a guesser which usernames exist. Built on first use, from the account settings.
    _unknown_usernames: ProgressiveDelay | None = None
    code_addresses: FailureWindow = field(
        default_factory=lambda: FailureWindow(CODE_GUESSES_PER_ADDRESS, CODE_GUESS_WINDOW)
    )
    code_hub_wide: FailureWindow = field(
        default_factory=lambda: FailureWindow(CODE_GUESSES_HUB_WIDE, CODE_GUESS_WINDOW)
    )
    codes: CodeAttempts = field(default_factory=lambda: CodeAttempts(CODE_MAX_WRONG))

    def unknown_usernames(self, free: int, cap: timedelta) -> ProgressiveDelay:
        if self._unknown_usernames is None:
            self._unknown_usernames = ProgressiveDelay(free, LOGIN_BASE_DELAY_PER_ACCOUNT, cap)
        return self._unknown_usernames

    def check_code_guess(self, address: str) -> None:
        """Refuse (429) before any code is looked at while this address or the whole hub guessed too much."""
        waits = [w for w in (self.code_addresses.wait(address), self.code_hub_wide.wait("")) if w]
        if waits:
            raise pairing_throttled(max(waits))

    def wrong_code(self, address: str) -> None:
        self.code_addresses.failed(address)
        self.code_hub_wide.failed("")


def client_address(request: Request) -> str:
    """The peer address the limits are counted by (the hub listens directly, behind no proxy)."""
    return request.client.host if request.client else "unknown"
