"""Check a signature record before the hub stores it: `record_sha256` must be the record's own hash.

The counter seals each record with `devices.signature.record.canonical_bytes` (points, device,
resolution, document hash, consent id). Recomputing that hash here means a record whose strokes,
device or binding were changed on the way — or a made-up hash — is refused before anything is stored,
instead of being archived as if it were the person's signature.
"""

from __future__ import annotations

import hashlib
import hmac

from devices.signature.record import Resolution, SignaturePoint, canonical_bytes
from kiosk.api import SignatureIn
from kiosk.hub.errors import HubError

RECORD_MISMATCH = HubError(
    422,
    "signature_record_mismatch",
    "서명 기록이 손상되었거나 이 문서의 서명이 아니에요. 다시 서명해 주세요.",
    "The signature record does not match its record_sha256.",
)


def _whole(value: float) -> int:
    """Device units and milliseconds are whole numbers in a sealed record; anything else was altered."""
    if not float(value).is_integer():
        raise RECORD_MISMATCH
    return int(value)


def expected_record_sha256(sig: SignatureIn) -> str:
    """The SHA-256 the capture device would have computed for exactly this record."""
    res = sig.resolution
    try:
        resolution = Resolution(
            _whole(res["width"]), _whole(res["height"]), float(res["x_dpi"]), float(res["y_dpi"])
        )
    except (KeyError, OverflowError, ValueError):
        raise RECORD_MISMATCH from None
    points = [
        SignaturePoint(x=_whole(p.x), y=_whole(p.y), pressure=p.p, t_ms=_whole(p.t), pen_down=p.pen)
        for p in sig.points
    ]
    data = canonical_bytes(points, sig.device, resolution, sig.document_sha256, sig.consent_id)
    return hashlib.sha256(data).hexdigest()


def verify_signature_record(sig: SignatureIn) -> None:
    """Raise a 422 (ko+en) unless `record_sha256` is the hash of the record as received."""
    if not hmac.compare_digest(expected_record_sha256(sig), sig.record_sha256.lower()):
        raise RECORD_MISMATCH
