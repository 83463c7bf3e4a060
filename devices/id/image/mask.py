"""Black out the RRN's back digits on the corrected card before the image goes anywhere.

The digits are located from the ink itself (connected components in the RRN region, grouped into
glyphs): 6 digits, a hyphen, then 7 digits. When the glyphs cannot be counted cleanly, the back part is
estimated from the ink's extent and the mask errs on the wide side (it also covers the gender digit
then). The unmasked card never leaves memory.
"""

from __future__ import annotations

import cv2
import numpy as np

from devices.id.image.layouts import Region
from devices.id.image.ocr import normalise

RRN_GLYPHS = 14  # YYMMDD - GNNNNNN


def _glyph_spans(binary_ink: np.ndarray) -> list[tuple[int, int, int, int]]:
    count, _, stats, _ = cv2.connectedComponentsWithStats(binary_ink, connectivity=8)
    height = binary_ink.shape[0]
    boxes = []
    for i in range(1, count):
        x, y, w, h, area = stats[i]
        if area < 6 or h > 0.95 * height:
            continue  # specks, or a frame edge
        boxes.append([int(x), int(y), int(x + w), int(y + h)])
    boxes.sort()
    merged: list[list[int]] = []
    for box in boxes:
        if merged and box[0] <= merged[-1][2] - 1:  # overlapping in x: same glyph
            last = merged[-1]
            merged[-1] = [
                min(last[0], box[0]),
                min(last[1], box[1]),
                max(last[2], box[2]),
                max(last[3], box[3]),
            ]
        else:
            merged.append(box)
    return [tuple(b) for b in merged]  # type: ignore[misc]


def rrn_back_box(card: np.ndarray, region: Region, keep_gender_digit: bool) -> tuple[int, int, int, int]:
    """Card-pixel rectangle covering the digits to hide."""
    height, width = card.shape[:2]
    x0, y0, x1, y1 = region.pixels(width, height)
    crop = card[y0:y1, x0:x1]
    grey = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
    ink = 255 - normalise(grey)
    glyphs = _glyph_spans(ink)
    # the main line: glyphs whose height is at least half the tallest (drops stray marks)
    if glyphs:
        tallest = max(g[3] - g[1] for g in glyphs)
        line = [g for g in glyphs if (g[3] - g[1]) >= 0.5 * tallest or (g[2] - g[0]) > 0.5 * tallest]
        hyphens = [g for g in glyphs if (g[3] - g[1]) < 0.35 * tallest and (g[2] - g[0]) >= 0.25 * tallest]
        digits = [g for g in line if g not in hyphens]
    else:
        digits, hyphens = [], []
    pad = 4
    if len(digits) == RRN_GLYPHS - 1:
        # start halfway between the last digit kept and the first hidden: a box touching the
        # gender digit makes it unreadable to people and OCR alike
        kept, first = (digits[6], digits[7]) if keep_gender_digit else (digits[5], digits[6])
        left = (kept[2] + first[0]) // 2
        top = min(g[1] for g in digits[6:]) - pad
        bottom = max(g[3] for g in digits[6:]) + pad
        right = digits[-1][2] + pad
    else:
        # fallback: proportion of the ink extent; mask from just after the hyphen's expected place
        cols = np.where(ink.max(axis=0) > 0)[0]
        rows = np.where(ink.max(axis=1) > 0)[0]
        if cols.size == 0:
            left, right, top, bottom = int(0.45 * (x1 - x0)), x1 - x0, 0, y1 - y0
        else:
            extent = cols[-1] - cols[0]
            fraction = 7 / RRN_GLYPHS  # also hides the gender digit: when unsure, hide more
            left = int(cols[0] + fraction * extent) - pad
            right = int(cols[-1]) + pad
            top, bottom = int(rows[0]) - pad, int(rows[-1]) + pad
    return (
        max(0, x0 + left),
        max(0, y0 + top),
        min(width, x0 + right),
        min(height, y0 + bottom),
    )


def mask_rrn_image(card: np.ndarray, region: Region, keep_gender_digit: bool = True) -> np.ndarray:
    """A copy of the card with the RRN back digits filled black."""
    masked = card.copy()
    left, top, right, bottom = rrn_back_box(card, region, keep_gender_digit)
    cv2.rectangle(masked, (left, top), (right, bottom), (0, 0, 0), thickness=-1)
    return masked
