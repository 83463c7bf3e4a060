"""Measurements of a frame and of the corrected card, used as *guidance*, never as a gate.

The pipeline reads first and refuses last: a card that is small in the frame, touches its edge, or
shines under a lamp is still read, because Tesseract often reads through all three and asking the
person to move costs more than trying. Only when no candidate read validates do these measurements
name the likely cause (glare, blurred, cut_off, too_small) for the message the kiosk shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from devices.id.image.detect import Detection

MIN_AREA_FRACTION = 0.12  # below this (in a camera frame) the text is small for OCR
MIN_CARD_PX = 600  # a card narrower than this in the frame has glyphs under ~20 px
BLUR_MIN = 40.0  # variance of the Laplacian over the card's text lines
GLARE_MAX = 0.02  # fraction of the card burnt out by a reflection


@dataclass(frozen=True)
class QualityReport:
    code: str | None  # the likely cause if the read fails; None: nothing looked wrong
    sharpness: float = 0.0
    glare_fraction: float = 0.0


def card_width_px(detection: Detection) -> float:
    """How wide the card is in the frame: what every glyph on it was drawn with."""
    tl, tr, br, bl = detection.corners
    return float(np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2


def detection_hint(detection: Detection) -> str | None:
    """What the card's place in the frame suggests, before anything is read."""
    if detection.touches_border and not detection.fills_frame:
        return "cut_off"
    width = card_width_px(detection)
    if width < MIN_CARD_PX and (detection.fills_frame or detection.area_fraction < MIN_AREA_FRACTION):
        return "too_small"  # far from the camera, or a scan at too low a resolution
    return None


def measure_card(card: np.ndarray, boxes: list[tuple[int, int, int, int]]) -> QualityReport:
    """Blur where the text is (the given line boxes), glare over the whole card (a reflection can
    burn a line out so completely that no line is found there)."""
    grey = cv2.cvtColor(card, cv2.COLOR_BGR2GRAY) if card.ndim == 3 else card
    height, width = grey.shape[:2]
    areas = [grey[max(0, y0) : min(height, y1), max(0, x0) : min(width, x1)] for x0, y0, x1, y1 in boxes]
    areas = [a for a in areas if a.size >= 64] or [grey]
    sharpness = float(np.median([cv2.Laplacian(a, cv2.CV_64F).var() for a in areas]))
    glare = glare_fraction(grey)
    if glare > GLARE_MAX:
        return QualityReport("glare", sharpness, glare)
    if sharpness < BLUR_MIN:
        return QualityReport("blurred", sharpness, glare)
    return QualityReport(None, sharpness, glare)


def glare_fraction(grey: np.ndarray) -> float:
    """Burnt-out area of the card: saturated *and* brighter than the card's own stock (pale stock
    on a bright scanner is not glare), specks removed (a lamp's reflection is a patch)."""
    stock = float(np.median(grey))
    saturated = ((grey >= 250) & (grey > stock + 6)).astype(np.uint8)
    burnt = cv2.morphologyEx(saturated, cv2.MORPH_OPEN, np.ones((7, 7), np.uint8))
    return float(burnt.mean())


def likely_cause(hint: str | None, report: QualityReport | None) -> str | None:
    """The one thing to ask of the person when nothing validated: the frame hint first (a card half
    off the glass or far away cannot be read however it shines), then glare, then blur."""
    if hint is not None:
        return hint
    if report is not None and report.code is not None:
        return report.code
    return hint
