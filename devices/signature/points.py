"""The samples a signature is made of, and the signing area they were taken on.

Its own small module because both the record (which hashes and checks the samples) and the renderer
(which draws them) need these types, and neither should import the other to get them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class SignaturePoint:
    """One sample in capture-device units (origin top-left, y down); t in ms since the first sample."""

    x: int
    y: int
    pressure: float | None  # 0..1, None when the device has no pressure sensor
    t_ms: int
    pen_down: bool


@dataclass(frozen=True, slots=True)
class Resolution:
    """Size of the signing area in device units and how many units make an inch."""

    width: int
    height: int
    x_dpi: float
    y_dpi: float

    def mm(self, dx: float, dy: float) -> float:
        """Length in millimetres of a device-unit displacement."""
        return math.hypot(dx / self.x_dpi * 25.4, dy / self.y_dpi * 25.4)

    def as_dict(self) -> dict[str, Any]:
        return {"width": self.width, "height": self.height, "x_dpi": self.x_dpi, "y_dpi": self.y_dpi}


def strokes_of(points: Sequence[SignaturePoint]) -> list[list[SignaturePoint]]:
    """The pen-down runs of a time series."""
    strokes: list[list[SignaturePoint]] = []
    current: list[SignaturePoint] = []
    for point in points:
        if point.pen_down:
            current.append(point)
        elif current:
            strokes.append(current)
            current = []
    if current:
        strokes.append(current)
    return strokes
