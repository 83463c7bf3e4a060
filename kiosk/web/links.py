"""The tokens a citizen's phone presents: random, ≥ 128 bits, stored only as SHA-256, expiring.

``mint`` makes one for a subject (a ticket); ``open`` gives the link back only while it is valid, for
the kind asked and never another center's. A token that is not even shaped like one is refused before
the database is asked, so a flood of junk costs nothing but the rate limit.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from config import clock
from db.models import Ticket, WebLink

TOKEN_BYTES = 18  # 144 bits of randomness; url-safe base64 without padding: 24 characters
_SHAPE = re.compile(r"[A-Za-z0-9_-]{24}")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def well_formed(token: str) -> bool:
    return bool(_SHAPE.fullmatch(token))


def mint(
    session: Session, kind: str, center_id: uuid.UUID, subject_id: uuid.UUID, expires_at: datetime
) -> str:
    """A new token for ``subject_id``; the row joins the caller's transaction (the caller commits)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        WebLink(
            token_sha256=token_hash(token),
            kind=kind,
            center_id=center_id,
            subject_id=subject_id,
            expires_at=expires_at,
        )
    )
    return token


def open_link(session: Session, token: str, kind: str, now: datetime | None = None) -> WebLink | None:
    """The valid link of ``kind`` for ``token``, or None (unknown, malformed, expired or revoked)."""
    if not well_formed(token):
        return None
    link = session.scalar(select(WebLink).where(WebLink.token_sha256 == token_hash(token)))
    moment = now or clock.now()
    if link is None or link.kind != kind or link.revoked_at is not None or link.expires_at <= moment:
        return None
    return link


def end_of_service_day(ticket: Ticket) -> datetime:
    """A ticket's link is good until the center's midnight after its service date."""
    return clock.start_of_day(ticket.service_date + timedelta(days=1))


def ticket_token(session: Session, ticket: Ticket) -> str:
    """A fresh token that opens ``ticket``'s "내 순서" page until the end of its service day."""
    return mint(session, "ticket", ticket.center_id, ticket.id, end_of_service_day(ticket))
