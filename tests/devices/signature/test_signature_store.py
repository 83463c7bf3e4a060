"""Signature rows on SQLite and PostgreSQL: a stored record still verifies against its document."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from config.sections.signature import SignatureSection
from db.models import Signature
from devices.signature.record import make_record, verify
from kiosk.signatures import load_signature, save_signature

from .conftest import CROSS, DOCUMENT, OTHER_DOCUMENT, pad_resolution, points_from


def test_saved_signature_reads_back_and_verifies(engine: Engine, document_sha256: str) -> None:
    record = make_record(
        points_from(CROSS), "serial-pad", pad_resolution(), document_sha256, "consent-9", SignatureSection()
    )
    with Session(engine) as session:
        signature_id = save_signature(session, record)
        session.commit()
    with Session(engine) as session:
        loaded = load_signature(session, signature_id)
    assert loaded.points == record.points and loaded.png == record.png
    assert loaded.consent_id == "consent-9" and loaded.captured_at == record.captured_at
    assert verify(loaded, DOCUMENT) and not verify(loaded, OTHER_DOCUMENT)


def test_a_row_changed_in_the_database_no_longer_verifies(engine: Engine, document_sha256: str) -> None:
    record = make_record(
        points_from(CROSS), "screen", pad_resolution(), document_sha256, None, SignatureSection()
    )
    with Session(engine) as session:
        signature_id = save_signature(session, record)
        session.commit()
        moved = [dict(p, x=p["x"] + 5) for p in record.stored_points()]
        session.execute(update(Signature).where(Signature.id == signature_id).values(points=moved))
        session.commit()
    with Session(engine) as session:
        assert not verify(load_signature(session, signature_id), DOCUMENT)


def test_missing_and_malformed_rows_are_clear_errors(sqlite_engine: Engine) -> None:
    with Session(sqlite_engine) as session:
        with pytest.raises(LookupError):
            load_signature(session, uuid.uuid4())
        row = Signature(points=[{"x": 1}], device="screen", resolution={}, document_sha256="0" * 64)
        session.add(row)
        session.commit()
        with pytest.raises(ValueError):
            load_signature(session, row.id)
