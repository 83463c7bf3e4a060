"""Quality checks on a frame and on the corrected card, each mapped to a guidance code the kiosk
speaks and shows (no_card, too_small, blurred, glare, cut_off)."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from devices.id.image.detect import Detection
from devices.id.image.layouts import CardLayout

MIN_AREA_FRACTION = 0.12  # below this the text is too small for OCR
BLUR_MIN = 40.0  # variance of the Laplacian over the text regions of the corrected card
GLARE_MAX = 0.12  # fraction of a text region's pixels saturated


@dataclass(frozen=True)
class QualityReport:
    code: str | None  # None: good enough to read
    sharpness: float = 0.0
    glare_fraction: float = 0.0


def check_detection(detection: Detection | None) -> str | None:
    if detection is None:
        return "no_card"
    if detection.touches_border:
        return "cut_off"
    if detection.area_fraction < MIN_AREA_FRACTION:
        return "too_small"
    return None


def check_card(card: np.ndarray, layout: CardLayout | None) -> QualityReport:
    """Blur and glare are judged where the text is, not over the photo or the card's blank areas."""
    grey = cv2.cvtColor(card, cv2.COLOR_BGR2GRAY)
    regions = layout.ocr_regions() if layout else []
    boxes = [r.pixels() for r in regions if r.kind in ("rrn", "hangul_name")] or [
        (0, 0, grey.shape[1], grey.shape[0])
    ]
    sharpness = min(float(cv2.Laplacian(grey[y0:y1, x0:x1], cv2.CV_64F).var()) for x0, y0, x1, y1 in boxes)
    glare = max(float((grey[y0:y1, x0:x1] >= 250).mean()) for x0, y0, x1, y1 in boxes)
    if glare > GLARE_MAX:
        return QualityReport("glare", sharpness, glare)
    if sharpness < BLUR_MIN:
        return QualityReport("blurred", sharpness, glare)
    return QualityReport(None, sharpness, glare)
