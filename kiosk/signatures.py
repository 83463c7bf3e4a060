"""Keep a pad's SignatureRecord in the database (``db.models.Signature``) and read it back intact.

The row holds exactly what ``record_sha256`` covers (points, device, resolution, document hash, consent
id) plus the PNG, so ``verify(load_signature(...), document_bytes)`` works on a record read back.
It joins a device's record to a data-layer row, so it sits above both (devices import nothing of db
but db.pii; an import-linter contract holds that).
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from db.models import Signature
from devices.signature.record import Resolution, SignatureRecord, point_from_dict


def save_signature(session: Session, record: SignatureRecord, visit_id: uuid.UUID | None = None) -> uuid.UUID:
    """Add the record as a Signature row (the caller commits); returns its id."""
    row = Signature(
        visit_id=visit_id,
        points=record.stored_points(),
        device=record.device,
        resolution=record.resolution.as_dict(),
        png=record.png,
        document_sha256=record.document_sha256,
        consent_id=record.consent_id,
        record_sha256=record.record_sha256,
        created_at=record.captured_at,
    )
    session.add(row)
    session.flush()
    return row.id


def load_signature(session: Session, signature_id: uuid.UUID) -> SignatureRecord:
    """The record stored under ``signature_id``; LookupError if there is none, ValueError if malformed."""
    row = session.get(Signature, signature_id)
    if row is None:
        raise LookupError(f"no signature {signature_id}")
    res = row.resolution or {}
    try:
        resolution = Resolution(
            int(res["width"]), int(res["height"]), float(res["x_dpi"]), float(res["y_dpi"])
        )
    except (KeyError, TypeError, ValueError, OverflowError) as exc:
        raise ValueError(f"signature {signature_id}: malformed resolution") from exc
    return SignatureRecord(
        points=tuple(point_from_dict(d) for d in row.points),
        device=row.device,
        resolution=resolution,
        png=row.png or b"",
        document_sha256=row.document_sha256,
        consent_id=row.consent_id,
        record_sha256=row.record_sha256,
        captured_at=row.created_at,
    )
