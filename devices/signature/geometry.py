"""Mapping between the pad's raw counts and the signing area as the signer sees it.

The pad reports counts in its own frame. ``area_*`` picks the rectangle that is the signing area, and
``orientation`` says how the pad is turned: ``rotated_180`` is a pad turned round to face the citizen
across a desk, ``rotated_90``/``rotated_270`` a pad mounted upright (clockwise / counter-clockwise).
Signing-area units are the pad's counts, so the resolution (dpi) is unchanged; 90° turns swap width
and height.
"""

from __future__ import annotations

from config.sections.signature import SignatureSection
from devices.signature.record import Resolution


class PadGeometry:
    def __init__(self, settings: SignatureSection) -> None:
        self.x0, self.x1 = settings.area_x_min, settings.area_x_max
        self.y0, self.y1 = settings.area_y_min, settings.area_y_max
        self.orientation = settings.orientation
        self.dpi = float(settings.resolution_dpi)

    @property
    def pad_width(self) -> int:
        return self.x1 - self.x0

    @property
    def pad_height(self) -> int:
        return self.y1 - self.y0

    @property
    def resolution(self) -> Resolution:
        """Size of the signing area in the signer's frame."""
        if self.orientation in ("rotated_90", "rotated_270"):
            return Resolution(self.pad_height, self.pad_width, self.dpi, self.dpi)
        return Resolution(self.pad_width, self.pad_height, self.dpi, self.dpi)

    def to_area(self, x: int, y: int) -> tuple[int, int]:
        """Pad counts -> signing-area units (origin top-left as the signer sees it)."""
        u, v = x - self.x0, y - self.y0
        w, h = self.pad_width, self.pad_height
        if self.orientation == "rotated_180":
            return w - u, h - v
        if self.orientation == "rotated_90":  # pad turned clockwise: its left edge is the signer's top
            return h - v, u
        if self.orientation == "rotated_270":
            return v, w - u
        return u, v

    def to_pad(self, ax: int, ay: int) -> tuple[int, int]:
        """Signing-area units -> pad counts (what a pad emits when the pen is at that spot)."""
        w, h = self.pad_width, self.pad_height
        if self.orientation == "rotated_180":
            u, v = w - ax, h - ay
        elif self.orientation == "rotated_90":
            u, v = ay, h - ax
        elif self.orientation == "rotated_270":
            u, v = w - ay, ax
        else:
            u, v = ax, ay
        return u + self.x0, v + self.y0

    def contains_area(self, ax: int, ay: int) -> bool:
        res = self.resolution
        return 0 <= ax <= res.width and 0 <= ay <= res.height
