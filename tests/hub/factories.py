"""Synthetic visits for hub tests (no real person: the RRNs are made-up but checksum-valid)."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from db.pii import parse_rrn


def synthetic_rrn(seed: int) -> str:
    """A valid-looking synthetic RRN born 1960–1999 (the check digit is computed, not real)."""
    yy = 60 + seed % 40
    mm = 1 + seed % 12
    dd = 1 + seed % 28
    gender = 1 + seed % 2
    body = f"{yy:02d}{mm:02d}{dd:02d}{gender}{(seed * 7919) % 100000:05d}"
    weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
    check = (11 - sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11) % 10
    rrn = f"{body[:6]}-{body[6:]}{check}"
    parse_rrn(rrn)  # fails loudly if the rule above ever diverges from db.pii
    return rrn


def submission(seed: int = 1, *, visit_id: uuid.UUID | None = None, rrn: str | None = None) -> dict[str, Any]:
    doc_sha = hashlib.sha256(b"consent text v1").hexdigest()
    return {
        "visit_id": str(visit_id or uuid.uuid4()),
        "path": "consult",
        "language": "ko",
        "identity": {
            "method": "image",
            "document_kind": "resident_card",
            "result": "verified",
            "verifier": "emulated",
            "name": "홍길동",
            "rrn": rrn or synthetic_rrn(seed),
            "phone": "010-1234-5678",
        },
        "consent": {
            "items": {
                "collect_use": {"granted": True, "required": True},
                "marketing": {"granted": False, "required": False},
            },
            "text_version": "2025.1",
            "text_sha256": doc_sha,
            "method": "signature",
            "signature": {
                "points": [
                    {"x": 1, "y": 2, "t": 0},
                    {"x": 30, "y": 40, "t": 20},
                    {"x": 50, "y": 10, "t": 40},
                ],
                "device": "screen",
                "document_sha256": doc_sha,
                "record_sha256": hashlib.sha256(b"record").hexdigest(),
            },
        },
        "intake": {"questionnaire_version": "1", "answers": {"purpose": "debt", "annual_income": 24_000_000}},
        "match": {
            "catalogue_version": "test",
            "engine_version": "test",
            "verdicts": [
                {
                    "id": "ccrs.pre_workout",
                    "verdict": "eligible",
                    "reasons": [{"ko": "연체 45일", "en": "45 days overdue"}],
                }
            ],
        },
    }
