"""Links the center hands a citizen (issue 19): a ticket's QR, later consent, documents and after-care.

A link is a random token (≥ 128 bits) the citizen's phone presents; only its SHA-256 is stored, so a
copy of the database opens no page. The token itself carries nothing: what it opens (``kind`` and
``subject_id``, e.g. a ticket) and until when live here. A link of one center never opens another
center's data (``center_id`` is checked with the subject).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Timestamps, UUIDPk


class WebLink(UUIDPk, Timestamps, Base):
    __tablename__ = "web_link"

    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    # "ticket", "aftercare", "documents" (내 서류), "documents_open" (its unlock cookie; subject = that link)
    kind: Mapped[str] = mapped_column(String(20))
    center_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("center.id"))
    subject_id: Mapped[uuid.UUID] = mapped_column(index=True)  # the ticket's id for kind "ticket"
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    # A link unlocked by a code sent apart from it (kind "documents"): the code only as an HMAC under the
    # ring's blind-index key, bound to this row's id (kiosk.web.document_codes), and the wrong tries.
    code_hash: Mapped[str | None] = mapped_column(String(64))
    tries: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
