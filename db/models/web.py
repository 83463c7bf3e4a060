"""Links the center hands a citizen (issue 19): a ticket's QR, later consent, documents and after-care.

A link is a random token (≥ 128 bits) the citizen's phone presents; only its SHA-256 is stored, so a
copy of the database opens no page. The token itself carries nothing: what it opens (``kind`` and
``subject_id``, e.g. a ticket) and until when live here. A link of one center never opens another
center's data (``center_id`` is checked with the subject).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Timestamps, UUIDPk


class WebLink(UUIDPk, Timestamps, Base):
    __tablename__ = "web_link"

    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # "ticket" (more kinds come with the links we send)
    center_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("center.id"))
    subject_id: Mapped[uuid.UUID] = mapped_column(index=True)  # the ticket's id for kind "ticket"
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
