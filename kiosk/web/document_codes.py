"""내 서류: the rules of a documents link's code and of the cookie that a right code gives (issue 19).

The link (kind "documents", subject = the visit) travels in one SMS and its 6-digit code in another, so
a forwarded or glanced-at message alone opens nothing. The code is stored only as an HMAC under the
ring's blind-index key, bound to the link's id (six digits hashed without a secret are tried in
milliseconds), and compared in constant time. Five wrong codes revoke the link: the center sends a new
one. A right code gives a random cookie (kind "documents_open", subject = the documents link, 15
minutes), stored as SHA-256 like every token.

Nothing here commits: the caller does (a wrong try is committed although the code is refused).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Document, DocumentStatus, WebLink
from kiosk.web.links import TOKEN_BYTES, token_hash, well_formed

CODE_DIGITS = 6
MAX_WRONG = 5
LINK_DAYS = timedelta(days=7)
OPEN_FOR = timedelta(minutes=15)
KIND, OPEN_KIND = "documents", "documents_open"
_HASH_DOMAIN = b"web.documents_code:"
SIGNED = (DocumentStatus.SIGNED, DocumentStatus.ARCHIVED)


def signed_documents(session: Session, visit_id: uuid.UUID) -> list[Document]:
    """What a documents link opens: the visit's signed (or archived) documents, oldest first."""
    return list(
        session.scalars(
            select(Document)
            .where(Document.visit_id == visit_id, Document.status.in_(SIGNED))
            .order_by(Document.signed_at, Document.created_at)
        )
    )


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def code_hash(keys: Any, link_id: uuid.UUID, code: str) -> str:
    message = _HASH_DOMAIN + link_id.bytes + code.encode("utf-8")
    return hmac.new(keys.blind_index_key, message, hashlib.sha256).hexdigest()


def code_shaped(code: str) -> bool:
    return code.isascii() and code.isdigit() and len(code) == CODE_DIGITS


def tries_left(link: WebLink) -> int:
    return max(0, MAX_WRONG - (link.tries or 0))


@dataclass(frozen=True)
class Found:
    """A documents link as its token finds it: open, or locked by wrong codes (then ``link`` is set
    but may open nothing)."""

    link: WebLink
    locked: bool


def find(session: Session, token: str, now: datetime, *, for_update: bool = False) -> Found | None:
    """The documents link of ``token``: None when unknown, malformed, expired, or revoked by a newer
    link; ``locked`` when five wrong codes revoked it (the page then says to ask the center)."""
    if not well_formed(token):
        return None
    query = select(WebLink).where(WebLink.token_sha256 == token_hash(token))
    if for_update:
        query = query.with_for_update()
    link = session.scalar(query)
    if link is None or link.kind != KIND or link.expires_at <= now:
        return None
    if link.revoked_at is not None:
        return Found(link, True) if tries_left(link) == 0 else None
    return Found(link, False)


def check(keys: Any, link: WebLink, code: str, now: datetime) -> bool:
    """True for the right code; a wrong one is counted on the row, and the fifth revokes the link."""
    given = code.strip()
    matches = hmac.compare_digest(code_hash(keys, link.id, given), link.code_hash or "")
    if matches and code_shaped(given):
        return True
    link.tries = (link.tries or 0) + 1
    if tries_left(link) == 0:
        link.revoked_at = now
    return False


def open_cookie(session: Session, link: WebLink, now: datetime) -> str:
    """A new unlock cookie for ``link`` (random, stored as SHA-256), good for ``OPEN_FOR``."""
    cookie = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        WebLink(
            token_sha256=token_hash(cookie),
            kind=OPEN_KIND,
            center_id=link.center_id,
            subject_id=link.id,
            expires_at=min(now + OPEN_FOR, link.expires_at),
        )
    )
    return cookie


def cookie_opens(session: Session, link: WebLink, cookie: str | None, now: datetime) -> bool:
    """Whether ``cookie`` is a live unlock cookie of this very link."""
    if not cookie or not well_formed(cookie):
        return False
    row = session.scalar(select(WebLink).where(WebLink.token_sha256 == token_hash(cookie)))
    return (
        row is not None
        and row.kind == OPEN_KIND
        and row.subject_id == link.id
        and row.revoked_at is None
        and row.expires_at > now
    )
