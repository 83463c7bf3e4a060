"""Who is calling: counselor sessions (argon2 passwords, roles) and enrolled devices (token hashes).

Tokens are random 256-bit strings; the database keeps only their SHA-256, so a copied database
cannot be used to log in. Passwords are argon2id (argon2-cffi). Pairing codes are short, one-time,
expire in minutes and are stored hashed too.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Counselor, Device, HubSession
from kiosk.hub.errors import HubError

ROLES = ("counselor", "center_manager", "admin")
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}
DEVICE_KINDS = ("lobby", "counter", "desk", "display")
_hasher = PasswordHasher()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(prefix: str) -> str:
    """`c_…` for counselor sessions, `d_…` for devices: the prefix picks the table to look in."""
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def new_pairing_code() -> str:
    """Eight digits, easy to type on a counter's keypad; one-time and short-lived."""
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
    """A few seconds of memory for token lookups, so busy lobbies don't cost a query per request.

    Revocation therefore takes effect within `ttl_s`; logout drops the entry at once.
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
    now = datetime.now(UTC)
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
    cache.put(token_hash, principal)
    return principal


class LoginThrottle:
    """Per-client-address limit on failed logins, on top of the per-account lockout in the database."""

    def __init__(self, max_failures: int, window_s: float) -> None:
        self.max_failures, self.window_s = max_failures, window_s
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str) -> deque[float]:
        now = time.monotonic()
        failures = self._failures.setdefault(client, deque())
        while failures and failures[0] < now - self.window_s:
            failures.popleft()
        return failures

    def check(self, client: str) -> None:
        with self._lock:
            if len(self._recent(client)) >= self.max_failures:
                raise HubError(
                    429,
                    "login_throttled",
                    "로그인 시도가 너무 많아요. 잠시 후 다시 시도해 주세요.",
                    "Too many failed logins; try again later.",
                )

    def failed(self, client: str) -> None:
        with self._lock:
            self._recent(client).append(time.monotonic())


def login(
    session: Session,
    username: str,
    password: str,
    *,
    max_failures: int,
    lockout: timedelta,
    session_lifetime: timedelta,
    desk_device_id: uuid.UUID | None,
) -> tuple[str, HubSession, Counselor]:
    """Check the password, count failures, lock after `max_failures`; return a new session token."""
    now = datetime.now(UTC)
    counselor = session.scalars(select(Counselor).where(Counselor.username == username)).first()
    bad = HubError(401, "login_failed", "아이디 또는 비밀번호가 맞지 않아요.", "Wrong username or password.")
    if counselor is None or not counselor.active:
        verify_password(_DUMMY_HASH, password)  # same cost as a real check: no username probing by timing
        raise bad
    if counselor.locked_until is not None and counselor.locked_until > now:
        raise HubError(
            423,
            "account_locked",
            "로그인 실패가 많아 잠시 잠겼어요. 몇 분 뒤 다시 시도해 주세요.",
            "Account temporarily locked after failed logins.",
        )
    if not verify_password(counselor.password_hash, password):
        counselor.failed_logins += 1
        if counselor.failed_logins >= max_failures:
            counselor.locked_until = now + lockout
            counselor.failed_logins = 0
        session.commit()
        raise bad
    counselor.failed_logins = 0
    counselor.locked_until = None
    token = new_token("c")
    hub_session = HubSession(
        token_hash=hash_token(token),
        counselor_id=counselor.id,
        desk_device_id=desk_device_id,
        expires_at=now + session_lifetime,
    )
    session.add(hub_session)
    session.commit()
    return token, hub_session, counselor


_DUMMY_HASH = _hasher.hash(secrets.token_hex(8))
