"""Who is calling: counselor sessions (argon2 passwords, roles) and enrolled devices (token hashes).

Tokens are random 256-bit strings; the database keeps only their SHA-256, so a copied database
cannot be used to log in. Passwords are argon2id (argon2-cffi). Pairing codes are short, one-time,
expire in minutes and are stored hashed too; guessing them, and guessing passwords, is limited by
kiosk.hub.throttle and by the per-account delay in `login`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from config import clock
from db.audit import append_event
from db.models import Counselor, CounselorRole, Device, DeviceKind, HubSession
from kiosk.hub.errors import HubError
from kiosk.hub.throttle import (
    FORGET_FAILURES_AFTER,
    LOGIN_BASE_DELAY_PER_ACCOUNT,
    Guards,
    audit_address,
    delay_after,
    login_throttled,
)

ROLES = tuple(CounselorRole)  # least to most rights: the rank is the order
ROLE_RANK: dict[str, int] = {role: rank for rank, role in enumerate(ROLES)}
DEVICE_KINDS = tuple(DeviceKind)
_hasher = PasswordHasher()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(prefix: str) -> str:
    """`c_…` for counselor sessions, `d_…` for devices: the prefix picks the table to look in."""
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def new_pairing_code() -> str:
    """Eight digits, easy to type on a counter's keypad; one-time and short-lived.

    10^8 codes against at most ``throttle.CODE_MAX_WRONG`` (5) guesses per code before it dies: a
    guesser wins a given code with a chance of at most 5 in 10^8, however many addresses it uses.
    """
    return f"{secrets.randbelow(10**8):08d}"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of one request."""

    kind: str  # counselor | device
    id: uuid.UUID
    center_id: uuid.UUID
    role: str  # counselor role, or the device kind
    desk_device_id: uuid.UUID | None = None
    paired_device_id: uuid.UUID | None = None

    @property
    def actor(self) -> str:
        return f"{self.kind}:{self.id}"

    def is_counselor(self, min_role: str = "counselor") -> bool:
        return self.kind == "counselor" and ROLE_RANK[self.role] >= ROLE_RANK[min_role]

    def is_device(self, *kinds: str) -> bool:
        return self.kind == "device" and (not kinds or self.role in kinds)

    def may_see_center(self, center_id: uuid.UUID | None) -> bool:
        return center_id == self.center_id or (self.kind == "counselor" and self.role == "admin")


UNAUTHENTICATED = HubError(
    401, "unauthenticated", "로그인이 필요해요. 다시 로그인해 주세요.", "Missing or invalid credentials."
)


class TokenCache:
    """A few seconds of memory for device token lookups, so busy lobbies don't cost a query per request.

    Device revocation clears it (routes_devices). Counselor sessions are never cached: a password reset
    from the console (another process) must end them at once, and counselors send few requests.
    """

    def __init__(self, ttl_s: float = 10.0) -> None:
        self.ttl_s = ttl_s
        self._entries: dict[str, tuple[float, Principal]] = {}
        self._lock = threading.Lock()

    def get(self, token_hash: str) -> Principal | None:
        with self._lock:
            entry = self._entries.get(token_hash)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def put(self, token_hash: str, principal: Principal) -> None:
        with self._lock:
            self._entries[token_hash] = (time.monotonic() + self.ttl_s, principal)

    def drop(self, token_hash: str) -> None:
        with self._lock:
            self._entries.pop(token_hash, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def resolve_token(session: Session, token: str, cache: TokenCache) -> Principal:
    token_hash = hash_token(token)
    cached = cache.get(token_hash)
    if cached is not None:
        return cached
    now = clock.now()
    principal: Principal | None = None
    if token.startswith("c_"):
        row = session.execute(
            select(HubSession, Counselor)
            .join(Counselor, Counselor.id == HubSession.counselor_id)
            .where(HubSession.token_hash == token_hash)
        ).first()
        if row is not None:
            hub_session, counselor = row
            if not hub_session.revoked and hub_session.expires_at > now and counselor.active:
                principal = Principal(
                    "counselor", counselor.id, counselor.center_id, counselor.role, hub_session.desk_device_id
                )
    elif token.startswith("d_"):
        device = session.scalars(select(Device).where(Device.token_hash == token_hash)).first()
        if device is not None and not device.revoked:
            principal = Principal(
                "device", device.id, device.center_id, device.kind, paired_device_id=device.paired_device_id
            )
    if principal is None:
        raise UNAUTHENTICATED
    if principal.kind == "device":
        cache.put(token_hash, principal)
    return principal


@dataclass(frozen=True)
class LoginPolicy:
    """Per-account delay: ``free_failures`` in a row cost nothing, then 10 s, 20 s, … up to ``cap``."""

    free_failures: int
    cap: timedelta
    session_lifetime: timedelta
    base: timedelta = LOGIN_BASE_DELAY_PER_ACCOUNT


def username_digest(username: str, keys: Any) -> str:
    """What the audit chain records for a typed username that matches no account.

    People type their name, their phone number or their password into the username field; none of
    that may be stored in clear, nor as a plain hash a dictionary reverses. So: an HMAC under a key
    derived from the hub's blind-index key (plain SHA-256 only where the hub has no key ring).
    """
    typed = username.encode("utf-8", "surrogatepass")
    secret = getattr(keys, "blind_index_key", None)
    if isinstance(secret, bytes):
        derived = hmac.new(secret, b"audit username", hashlib.sha256).digest()
        return hmac.new(derived, typed, hashlib.sha256).hexdigest()
    return hashlib.sha256(typed).hexdigest()


def _audit_failed_login(
    session: Session, target: str, reason: str, address: str, failures: int, wait: timedelta
) -> None:
    append_event(
        session,
        "anonymous",
        "auth.login_failed",
        target,
        {
            "reason": reason,
            "address": audit_address(address),
            "failures_in_a_row": failures,
            "delay_s": int(wait.total_seconds()),
        },
    )


def audit_failed_desk(session: Session, address: str) -> None:
    """A login with a desk token the hub does not know (or has revoked)."""
    append_event(
        session,
        "anonymous",
        "auth.login_failed",
        "desk",
        {"reason": "unknown_desk", "address": audit_address(address)},
    )


def login(
    session: Session,
    username: str,
    password: str,
    *,
    policy: LoginPolicy,
    guards: Guards,
    address: str,
    keys: Any,
    desk_device_id: uuid.UUID | None,
) -> tuple[str, HubSession, Counselor]:
    """Check the password and return a new session token, or refuse: 401 wrong, 429 wait.

    No hard lock. Each account counts its failures in a row on its own row (``failed_logins``) and
    keeps ``locked_until``, the instant before which it answers 429 without looking at the password;
    both are in the database, so a restart does not reset them. After the free failures each further
    one doubles the wait up to ``policy.cap``, so an account is never closed for longer than the cap
    at a time, and the right password works as soon as the wait is over. Failures are forgotten an
    hour after the last wait ended; a success forgets them at once. Attempts during a wait are not
    checked and not counted, so hammering cannot push the wait further.

    The per-address delay (the caller checks it first, ``Guards.login_addresses``) has a longer cap
    than the account, so one guessing address can renew an account's wait at most once per address
    cap: a counselor at another address is held up by that address for at most ``policy.cap`` at a
    time. Usernames with no active account get the same delay, kept in memory, so the answers do not
    tell a guesser which usernames exist. Every checked failure goes to the audit chain.
    """
    now = clock.now()
    # FOR UPDATE: concurrent guesses at one account (PostgreSQL) take turns, so each sees the
    # failures before it and none slips past a delay. SQLite requests take turns already.
    counselor = session.scalars(
        select(Counselor).where(Counselor.username == username).with_for_update()
    ).first()
    bad = HubError(401, "login_failed", "아이디 또는 비밀번호가 맞지 않아요.", "Wrong username or password.")
    if counselor is None or not counselor.active:
        digest = username_digest(username, keys)
        unknown = guards.unknown_usernames(policy.free_failures, policy.cap)
        wait = unknown.wait(digest)
        if wait is not None:
            raise login_throttled(wait)
        verify_password(_DUMMY_HASH, password)  # same cost as a real check: no username probing by timing
        failures = unknown.failed(digest)
        if counselor is None:
            target, reason = f"username:{digest}", "unknown_username"
        else:
            target, reason = f"counselor:{counselor.id}", "inactive_account"
        wait = delay_after(failures, policy.free_failures, policy.base, policy.cap)
        _audit_failed_login(session, target, reason, address, failures, wait)
        session.commit()
        raise bad
    if counselor.locked_until is not None and counselor.locked_until > now:
        raise login_throttled(counselor.locked_until - now)
    if not verify_password(counselor.password_hash, password):
        if counselor.locked_until is not None and now - counselor.locked_until > FORGET_FAILURES_AFTER:
            counselor.failed_logins = 0
        counselor.failed_logins += 1
        wait = delay_after(counselor.failed_logins, policy.free_failures, policy.base, policy.cap)
        # Also set with no wait: then it marks the last failure, from which the count is forgotten.
        counselor.locked_until = now + wait
        _audit_failed_login(
            session, f"counselor:{counselor.id}", "wrong_password", address, counselor.failed_logins, wait
        )
        session.commit()
        raise bad
    counselor.failed_logins = 0
    counselor.locked_until = None
    token = new_token("c")
    hub_session = HubSession(
        token_hash=hash_token(token),
        counselor_id=counselor.id,
        desk_device_id=desk_device_id,
        expires_at=now + policy.session_lifetime,
    )
    session.add(hub_session)
    session.commit()
    return token, hub_session, counselor


def end_sessions(session: Session, counselor_id: uuid.UUID) -> int:
    """Delete every session of a counselor (after a password change); returns how many there were.

    Takes effect at once, even from another process (`kiosk hub adduser`): counselor tokens are
    looked up in the database on every request, never served from the token cache.
    """
    result = session.execute(delete(HubSession).where(HubSession.counselor_id == counselor_id))
    return int(getattr(result, "rowcount", 0) or 0)


_DUMMY_HASH = _hasher.hash(secrets.token_hex(8))
