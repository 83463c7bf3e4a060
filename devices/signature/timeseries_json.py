"""Export and import of a signature's time series as JSON modelled on ISO/IEC 19794-7.

ISO/IEC 19794-7 (signature/sign time series data) describes a signature as samples of *channels*; we
use its channel names and its channel descriptions (scaling, min/max), written as JSON instead of the
binary record::

    {
      "format": "paperless-kiosk/signature-time-series",
      "format_version": 1,
      "modelled_on": "ISO/IEC 19794-7:2014 full format (channels X, Y, T, F, S)",
      "capture_device": {"technology": "serial-pad" | "screen", "model": "<device>",
                         "area": {"width": W, "height": H},          # device units
                         "units_per_mm": {"x": ..., "y": ...},
                         "units_per_inch": {"x": ..., "y": ...}},   # exact; read back from here
      "channels": {                     # per 19794-7 channel description
        "X": {"unit": "device", "scale_units_per_mm": sx, "min": 0, "max": W},
        "Y": {"unit": "device", "scale_units_per_mm": sy, "min": 0, "max": H},
        "T": {"unit": "ms", "min": 0},  # time since the first sample
        "F": {"unit": "relative", "min": 0.0, "max": 1.0, "present": true|false},   # tip force
        "S": {"unit": "switch", "values": {"0": "pen up", "1": "pen down"}}           # tip switch
      },
      "samples": [{"X": 12, "Y": 40, "T": 0, "F": 0.5 | null, "S": 1}, ...],
      "binding": {"document_sha256": "<64 hex>", "consent_id": "..." | null,
                  "record_sha256": "<64 hex>"},
      "captured_at": "2026-11-26T04:20:00+00:00"
    }

X grows right and Y grows down in the signing area as the person sees it (pad orientation already
applied). ``record_from_json`` rebuilds the record (the PNG is re-rendered) and raises ValueError for
anything that does not follow this layout.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from config.sections.signature import SignatureSection
from devices.signature.record import (
    Resolution,
    SignaturePoint,
    SignatureRecord,
    check_sha256_hex,
)

FORMAT = "paperless-kiosk/signature-time-series"
FORMAT_VERSION = 1


def record_to_json(record: SignatureRecord) -> dict[str, Any]:
    """The documented JSON form of a record (a dict ready for ``json.dumps``)."""
    res = record.resolution
    has_pressure = any(p.pressure is not None for p in record.points)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "modelled_on": "ISO/IEC 19794-7:2014 full format (channels X, Y, T, F, S)",
        "capture_device": {
            "technology": "screen" if record.device == "screen" else "serial-pad",
            "model": record.device,
            "area": {"width": res.width, "height": res.height},
            "units_per_mm": {"x": res.x_dpi / 25.4, "y": res.y_dpi / 25.4},
            "units_per_inch": {"x": res.x_dpi, "y": res.y_dpi},
        },
        "channels": {
            "X": {"unit": "device", "scale_units_per_mm": res.x_dpi / 25.4, "min": 0, "max": res.width},
            "Y": {"unit": "device", "scale_units_per_mm": res.y_dpi / 25.4, "min": 0, "max": res.height},
            "T": {"unit": "ms", "min": 0},
            "F": {"unit": "relative", "min": 0.0, "max": 1.0, "present": has_pressure},
            "S": {"unit": "switch", "values": {"0": "pen up", "1": "pen down"}},
        },
        "samples": [
            {"X": p.x, "Y": p.y, "T": p.t_ms, "F": p.pressure, "S": 1 if p.pen_down else 0}
            for p in record.points
        ],
        "binding": {
            "document_sha256": record.document_sha256,
            "consent_id": record.consent_id,
            "record_sha256": record.record_sha256,
        },
        "captured_at": record.captured_at.isoformat(),
    }


def dumps(record: SignatureRecord) -> str:
    """Readable JSON text: indented, but one line per sample."""
    body = record_to_json(record)
    samples = body.pop("samples")
    text = json.dumps({**body, "samples": "@SAMPLES@"}, ensure_ascii=False, indent=1)
    lines = ",\n  ".join(json.dumps(s, separators=(",", ":")) for s in samples)
    return text.replace('"@SAMPLES@"', "[\n  " + lines + "\n ]")


def _sample(raw: Any, res: Resolution) -> SignaturePoint:
    if not isinstance(raw, dict):
        raise ValueError(f"sample is not an object: {raw!r}")
    x, y, t, f, s = (raw.get(k) for k in ("X", "Y", "T", "F", "S"))
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (x, y, t)):
        raise ValueError(f"X, Y and T must be integers: {raw!r}")
    assert isinstance(x, int) and isinstance(y, int) and isinstance(t, int)  # for mypy
    if not (0 <= x <= res.width and 0 <= y <= res.height and t >= 0):
        raise ValueError(f"sample outside the signing area or before T=0: {raw!r}")
    if s not in (0, 1):
        raise ValueError(f"S must be 0 or 1: {raw!r}")
    if f is not None and (
        isinstance(f, bool) or not isinstance(f, int | float) or not 0.0 <= float(f) <= 1.0
    ):
        raise ValueError(f"F must be null or 0..1: {raw!r}")
    return SignaturePoint(x, y, None if f is None else float(f), t, s == 1)


def record_from_json(data: Any, style: SignatureSection | None = None) -> SignatureRecord:
    """Rebuild a record from its JSON form; ValueError when the layout is not followed."""
    from devices.signature.render import render_png

    try:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a paperless-kiosk signature time series")
        if data.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"unsupported format_version {data.get('format_version')!r}")
        device = data["capture_device"]
        area, dpi = device["area"], device["units_per_inch"]
        res = Resolution(int(area["width"]), int(area["height"]), float(dpi["x"]), float(dpi["y"]))
        if not (res.width > 0 and res.height > 0 and 0 < res.x_dpi < 1e6 and 0 < res.y_dpi < 1e6):
            raise ValueError("signing area and scale must be positive")
        samples = data["samples"]
        if not isinstance(samples, list) or not samples:
            raise ValueError("samples must be a non-empty list")
        points = tuple(_sample(raw, res) for raw in samples)
        binding = data["binding"]
        consent = binding["consent_id"]
        if consent is not None and not isinstance(consent, str):
            raise ValueError("consent_id must be text or null")
        record_sha = check_sha256_hex(str(binding["record_sha256"]))
        model = str(device["model"])
        png = render_png(points, res, style or SignatureSection())
        return SignatureRecord(
            points=points,
            device=model,
            resolution=res,
            png=png,
            document_sha256=check_sha256_hex(str(binding["document_sha256"])),
            consent_id=consent,
            record_sha256=record_sha,
            captured_at=datetime.fromisoformat(str(data["captured_at"])),
        )
    except (KeyError, TypeError, OverflowError) as exc:
        raise ValueError(f"signature JSON is missing or mistypes a field: {exc}") from exc
