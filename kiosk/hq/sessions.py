"""HQ staff sessions: a random token in an HttpOnly cookie, only its SHA-256 in the database.

Eight hours from sign-in, not sliding: a dashboard left open on a shared office PC ends by itself the
same working day. Signing out deletes the row, so the cookie is worthless even if it was copied.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from config import clock
from kiosk.hq.models import HqAccount, HqLoginSession

COOKIE = "hq_session"
LIFETIME = timedelta(hours=8)
TOKEN_BYTES = 32
MAX_TOKEN_CHARS = 100  # a token is 43 characters; anything longer is not one of ours


@dataclass(frozen=True)
class Staff:
    """Who is signed in, as the pages need it (no password hash carried around)."""

    account_id: str
    username: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", errors="replace")).hexdigest()


def start_session(session: Session, account: HqAccount) -> str:
    """A new token for this account (the caller sets it as the cookie); expired rows are swept here."""
    now = clock.now()
    session.execute(delete(HqLoginSession).where(HqLoginSession.expires_at <= now))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        HqLoginSession(
            token_hash=token_hash(token), account_id=account.id, created_at=now, expires_at=now + LIFETIME
        )
    )
    session.flush()
    return token


def staff_for(session: Session, token: str | None) -> Staff | None:
    """The signed-in staff member this cookie belongs to, or None (absent, unknown, expired, inactive)."""
    if not token or len(token) > MAX_TOKEN_CHARS:
        return None
    row = session.execute(
        select(HqLoginSession, HqAccount)
        .join(HqAccount, HqAccount.id == HqLoginSession.account_id)
        .where(HqLoginSession.token_hash == token_hash(token))
    ).first()
    if row is None:
        return None
    login, account = row
    if login.expires_at <= clock.now() or not account.active:
        return None
    return Staff(account_id=str(account.id), username=account.username, role=account.role)


def end_session(session: Session, token: str | None) -> None:
    if token and len(token) <= MAX_TOKEN_CHARS:
        session.execute(delete(HqLoginSession).where(HqLoginSession.token_hash == token_hash(token)))
