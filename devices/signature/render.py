"""Render a signature to a PNG: anti-aliased ink on a transparent background, cropped to the ink.

The ink is drawn as a coverage mask at 4x the output size and downsampled with a Lanczos filter (that
is what makes the edges smooth), then used as the alpha channel of a single ink colour. Pressure, when
the device gives it, varies the stroke width between 60 % and 140 % of ``ink_width_mm``.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence

from PIL import Image, ImageDraw

from config.sections.signature import SignatureSection
from devices.signature.points import Resolution, SignaturePoint, strokes_of

SUPERSAMPLE = 4
MARGIN_MM = 2.0
MAX_SIDE_PX = 4000  # a runaway resolution setting must not allocate gigabytes


def _hex_rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def render_png(points: Sequence[SignaturePoint], resolution: Resolution, style: SignatureSection) -> bytes:
    """PNG bytes of the pen-down strokes; raises ValueError when there is no ink."""
    strokes = strokes_of(points)
    if not strokes:
        raise ValueError("no pen-down samples to render")
    px_per_mm = style.png_px_per_mm
    sx = 25.4 / resolution.x_dpi * px_per_mm  # output pixels per device unit
    sy = 25.4 / resolution.y_dpi * px_per_mm
    xs = [p.x for s in strokes for p in s]
    ys = [p.y for s in strokes for p in s]
    pad = (MARGIN_MM + style.ink_width_mm) * px_per_mm
    left, top = min(xs) * sx - pad, min(ys) * sy - pad
    width = max(1, round(max(xs) * sx + pad - left))
    height = max(1, round(max(ys) * sy + pad - top))
    shrink = max(1.0, max(width, height) / MAX_SIDE_PX)
    width, height = max(1, round(width / shrink)), max(1, round(height / shrink))
    scale = SUPERSAMPLE / shrink

    mask = Image.new("L", (width * SUPERSAMPLE, height * SUPERSAMPLE), 0)
    draw = ImageDraw.Draw(mask)
    base_width = style.ink_width_mm * px_per_mm * scale

    def at(p: SignaturePoint) -> tuple[float, float]:
        return ((p.x * sx - left) * scale, (p.y * sy - top) * scale)

    def width_of(p: SignaturePoint) -> float:
        factor = 1.0 if p.pressure is None else 0.6 + 0.8 * p.pressure
        return max(1.0, base_width * factor)

    for stroke in strokes:
        for a, b in itertools.pairwise(stroke):
            w = (width_of(a) + width_of(b)) / 2
            draw.line([at(a), at(b)], fill=255, width=max(1, round(w)))
        for p in stroke:  # round caps and joins
            (cx, cy), r = at(p), width_of(p) / 2
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=255)

    alpha = mask.resize((width, height), Image.Resampling.LANCZOS)
    image = Image.new("RGBA", (width, height), (*_hex_rgb(style.ink_color), 0))
    image.putalpha(alpha)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
