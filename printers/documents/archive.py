"""Keep a generated or signed PDF in the database with its template version and SHA-256."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from db.models.documents import Document
from printers.documents.render import RenderedDocument


def archive_document(
    sessions: sessionmaker[Session],
    rendered: RenderedDocument,
    *,
    pdf: bytes | None = None,
    visit_id: uuid.UUID | None = None,
    signature_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """Store ``pdf`` (default: the rendered bytes, e.g. after PAdES signing) under the document's id.

    The recorded SHA-256 is of exactly the bytes stored, so a later check of the archive is one hash.
    """
    data = rendered.pdf if pdf is None else pdf
    try:
        doc_uuid = uuid.UUID(rendered.doc_id)
    except ValueError:
        doc_uuid = uuid.uuid4()
    row = Document(
        id=doc_uuid,
        visit_id=visit_id,
        template=rendered.template,
        template_version=rendered.version,
        sha256=hashlib.sha256(data).hexdigest(),
        pdf=data,
        status="signed" if signature_id is not None else "generated",
        signature_id=signature_id,
        signed_at=datetime.now(UTC) if signature_id is not None else None,
    )
    with sessions.begin() as session:
        session.add(row)
    return doc_uuid
