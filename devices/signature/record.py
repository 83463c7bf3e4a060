"""The signature record: a time series bound to the exact bytes of the document that was signed.

A record is only worth something if it is tied to what the person saw, so it carries the SHA-256 of
the document bytes and the consent id, and ``record_sha256`` — a hash over the canonical form of the
time series, the device, the resolution and that binding (``canonical_bytes``).
The hash detects changes; it is not a secret-keyed seal — the signed PDF (pyHanko) or an audit-chain
entry holding ``record_sha256`` is what makes a swap of the whole record detectable.
``verify(record, document_bytes)`` is true only for the very document and an untampered record.

Acceptance rules (same for pad and screen): a dot, a short line or a mark made too quickly is refused
with SignatureRefused ("다시 서명해 주세요"); thresholds are in millimetres and milliseconds
(``SignatureSection``), so they mean the same on a 410 dpi pad and on a touchscreen.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from config.sections.signature import SignatureSection

# The sample types live in points.py (the renderer needs them too); callers may still name them from here.
from devices.signature.points import Resolution, SignaturePoint, strokes_of
from devices.signature.render import render_png

_HEX = set("0123456789abcdef")


class SignatureRefused(Exception):
    """The mark is not a usable signature; the person is asked to sign again."""

    MESSAGE_KO = "서명이 너무 짧거나 작아요. 다시 서명해 주세요."
    MESSAGE_EN = "The signature is too short or too small. Please sign again."

    def __init__(self, reason: str) -> None:
        self.reason = reason  # stable code: empty | dot | short | quick
        self.code = f"SIGNATURE_REFUSED_{reason.upper()}"
        self.message_ko = self.MESSAGE_KO
        super().__init__(f"{self.code}: {self.message_ko} ({self.MESSAGE_EN})")


class SignatureError(Exception):
    """A capture problem with a stable code and a Korean message for the person at the pad."""

    def __init__(self, code: str, message_ko: str) -> None:
        self.code, self.message_ko = code, message_ko
        super().__init__(f"{code}: {message_ko}")


@dataclass(frozen=True)
class InkMeasures:
    points: int
    extent_mm: float
    path_mm: float
    duration_ms: int


def measure(points: Sequence[SignaturePoint], resolution: Resolution) -> InkMeasures:
    """Size, length and duration of the pen-down part of a time series."""
    down = [p for p in points if p.pen_down]
    if not down:
        return InkMeasures(0, 0.0, 0.0, 0)
    xs = [p.x for p in down]
    ys = [p.y for p in down]
    extent = max((max(xs) - min(xs)) / resolution.x_dpi, (max(ys) - min(ys)) / resolution.y_dpi) * 25.4
    path = 0.0
    for stroke in strokes_of(points):
        for a, b in itertools.pairwise(stroke):
            path += resolution.mm(b.x - a.x, b.y - a.y)
    return InkMeasures(len(down), extent, path, down[-1].t_ms - down[0].t_ms)


def check_acceptable(
    points: Sequence[SignaturePoint], resolution: Resolution, rules: SignatureSection
) -> None:
    """Raise SignatureRefused for an empty mark, a dot, a short line or a too-quick mark."""
    m = measure(points, resolution)
    if m.points == 0:
        raise SignatureRefused("empty")
    if m.extent_mm < rules.min_extent_mm or m.points < rules.min_points:
        raise SignatureRefused("dot")
    if m.path_mm < rules.min_path_mm:
        raise SignatureRefused("short")
    if m.duration_ms < rules.min_duration_ms:
        raise SignatureRefused("quick")


def _point_dict(p: SignaturePoint) -> dict[str, Any]:
    return {"x": p.x, "y": p.y, "p": p.pressure, "t": p.t_ms, "pen": p.pen_down}


def point_from_dict(d: dict[str, Any]) -> SignaturePoint:
    """Inverse of the stored form ``{"x", "y", "p", "t", "pen"}``; raises ValueError on bad input."""
    try:
        pressure = d["p"]
        point = SignaturePoint(
            x=int(d["x"]),
            y=int(d["y"]),
            pressure=None if pressure is None else float(pressure),
            t_ms=int(d["t"]),
            pen_down=bool(d["pen"]),
        )
    except (KeyError, TypeError, ValueError, OverflowError) as exc:
        raise ValueError(f"not a signature point: {d!r}") from exc
    if point.pressure is not None and not 0.0 <= point.pressure <= 1.0:
        raise ValueError(f"pressure outside 0..1: {d!r}")
    return point


def canonical_bytes(
    points: Sequence[SignaturePoint],
    device: str,
    resolution: Resolution,
    document_sha256: str,
    consent_id: str | None,
) -> bytes:
    """The exact bytes ``record_sha256`` is computed over (sorted keys, no spaces, UTF-8).

    The capture time is deliberately not covered: records travel to the hub (kiosk.client.signatures)
    and are re-stored there with the hub's own row time, and must still verify afterwards.
    """
    body = {
        "v": 1,
        "device": device,
        "resolution": resolution.as_dict(),
        "document_sha256": document_sha256,
        "consent_id": consent_id,
        "points": [_point_dict(p) for p in points],
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def check_sha256_hex(value: str) -> str:
    if not isinstance(value, str):
        raise ValueError("document_sha256 must be 64 hex digits (SHA-256 of the document bytes)")
    value = value.lower()
    if len(value) != 64 or not set(value) <= _HEX:
        raise ValueError("document_sha256 must be 64 hex digits (SHA-256 of the document bytes)")
    return value


@dataclass(frozen=True)
class SignatureRecord:
    """A captured signature, bound to one document. Build it with ``make_record``."""

    points: tuple[SignaturePoint, ...]
    device: str  # pad model ("topaz-5byte") or "screen"
    resolution: Resolution
    png: bytes
    document_sha256: str
    consent_id: str | None
    record_sha256: str
    captured_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def stored_points(self) -> list[dict[str, Any]]:
        return [_point_dict(p) for p in self.points]

    def expected_sha256(self) -> str:
        data = canonical_bytes(
            self.points, self.device, self.resolution, self.document_sha256, self.consent_id
        )
        return hashlib.sha256(data).hexdigest()


def make_record(
    points: Sequence[SignaturePoint],
    device: str,
    resolution: Resolution,
    document_sha256: str,
    consent_id: str | None,
    rules: SignatureSection,
) -> SignatureRecord:
    """Check acceptance, render the PNG and seal the record; raises SignatureRefused."""
    document_sha256 = check_sha256_hex(document_sha256)
    check_acceptable(points, resolution, rules)
    pts = tuple(points)
    now = datetime.now(UTC)
    canonical = canonical_bytes(pts, device, resolution, document_sha256, consent_id)
    png = render_png(pts, resolution, rules)
    return SignatureRecord(
        pts, device, resolution, png, document_sha256, consent_id, hashlib.sha256(canonical).hexdigest(), now
    )


def verify(record: SignatureRecord, document_bytes: bytes) -> bool:
    """True only if the record is intact and was made for exactly these document bytes."""
    document_digest = hashlib.sha256(document_bytes).hexdigest()
    if not hmac.compare_digest(document_digest, record.document_sha256):
        return False
    return hmac.compare_digest(record.expected_sha256(), record.record_sha256)
