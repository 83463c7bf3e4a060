"""A captured SignatureRecord (devices.signature) as the body the hub's SignatureIn expects."""

from __future__ import annotations

import base64
from typing import Any

from devices.signature.record import SignatureRecord


def signature_payload(record: SignatureRecord) -> dict[str, Any]:
    return {
        "points": record.stored_points(),
        "device": record.device,
        "resolution": {k: float(v) for k, v in record.resolution.as_dict().items()},
        "png_b64": base64.b64encode(record.png).decode(),
        "document_sha256": record.document_sha256,
        "consent_id": record.consent_id,
        "record_sha256": record.record_sha256,
    }
