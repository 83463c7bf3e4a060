"""A handwritten signature as it crosses the wire: the pen's points, bound to the signed text's SHA-256.

The lobby sends one with a consent; the counter sends one for a document. The hub recomputes
`record_sha256` from the points (kiosk.hub.signature_check) before it stores anything.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from kiosk.api.common import Hex64, PlainText, Strict


class SignaturePointIn(Strict):
    x: float
    y: float
    p: float | None = None
    t: Annotated[float, Field(ge=0)]
    pen: bool = True


class SignatureIn(Strict):
    points: Annotated[list[SignaturePointIn], Field(min_length=2, max_length=20000)]
    device: Annotated[PlainText, Field(max_length=40)]
    # A pydantic field (Strict's base is BaseModel, which ruff cannot see from here): copied per instance.
    resolution: Annotated[dict[Annotated[PlainText, Field(max_length=40)], float], Field(max_length=10)] = {}  # noqa: RUF012
    png_b64: Annotated[str | None, Field(max_length=600_000, pattern="^[A-Za-z0-9+/=]*$")] = None
    document_sha256: Hex64
    consent_id: Annotated[PlainText | None, Field(max_length=64)] = None
    record_sha256: Hex64
