"""Keep a generated or signed PDF in the database with its template version and SHA-256, and in the
archive folder (one file per document, readable by the hub's user only)."""

from __future__ import annotations

import hashlib
import os
import secrets
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from db.models.documents import Document
from db.models.enums import DocumentStatus
from db.session import PRIVATE_FILE, private_dir
from printers.documents.render import RenderedDocument


def write_archive_pdf(root: Path, target: Path, data: bytes) -> Path:
    """Write ``target`` (a path under ``root``) as a 0600 file in 0700 folders, on disk when this returns.

    A signed PDF names a person: no folder from the archive root down lets another local user in, and
    the file is never visible half-written (temporary file, fsync, rename, fsync of the folder).
    """
    target_dir = private_dir(root)
    for part in target.parent.relative_to(root).parts:
        target_dir = private_dir(target_dir / part)
    temporary = target_dir / f".{target.name}.{secrets.token_hex(4)}.tmp"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    dir_fd = os.open(target_dir, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return target


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
        status=DocumentStatus.SIGNED if signature_id is not None else DocumentStatus.GENERATED,
        signature_id=signature_id,
        signed_at=datetime.now(UTC) if signature_id is not None else None,
    )
    with sessions.begin() as session:
        session.add(row)
    return doc_uuid
