"""Text lines on the corrected card, found from the ink alone (no layout): what the layout-free read
OCRs, and where blur and glare are measured.

Ink is the background-divided image thresholded by Otsu; blobs far taller than any printed line (the
portrait, a hologram) are dropped; the rest is closed horizontally so the glyphs of a line join, and
each joined component is one line.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from devices.id.image.layouts import CARD_H, CARD_W
from devices.id.image.ocr import normalise

MIN_LINE_PX, MAX_LINE_PX = 12, 90  # ink height of one printed line on the 1012 x 638 card
MAX_LINES = 16


@dataclass(frozen=True)
class TextLine:
    box: tuple[int, int, int, int]  # card pixels x0, y0, x1, y1 (ink extent)

    @property
    def height(self) -> int:
        return self.box[3] - self.box[1]

    @property
    def font_px(self) -> int:
        """The font size whose glyphs are this tall (Hangul ink is ~0.85 of the em)."""
        return max(8, round(self.height / 0.85))

    def padded(self, pad: int = 4) -> tuple[int, int, int, int]:
        x0, y0, x1, y1 = self.box
        return max(0, x0 - pad), max(0, y0 - pad), min(CARD_W, x1 + pad), min(CARD_H, y1 + pad)


def ink_mask(card: np.ndarray) -> np.ndarray:
    grey = cv2.cvtColor(card, cv2.COLOR_BGR2GRAY) if card.ndim == 3 else card
    return 255 - normalise(grey)


def find_lines(card: np.ndarray) -> list[TextLine]:
    ink = ink_mask(card)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    keep = np.zeros(count, bool)
    for i in range(1, count):
        x, y, w, h, area = stats[i]
        # specks, and blobs taller than a line (the portrait, a seal's frame, the card's edge)
        keep[i] = area >= 4 and h <= MAX_LINE_PX and w <= 0.7 * card.shape[1]
    text = np.where(keep[labels], 255, 0).astype(np.uint8)
    joined = cv2.morphologyEx(text, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (23, 1)))
    joined = cv2.morphologyEx(joined, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 5)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    lines = []
    for i in range(1, count):
        x, y, w, h, area = stats[i]
        if not MIN_LINE_PX <= h <= MAX_LINE_PX or w < 1.4 * h:
            continue
        fill = float((text[y : y + h, x : x + w] > 0).mean())
        if not 0.08 <= fill <= 0.75:
            continue  # a solid bar or an empty frame, not print
        lines.append(TextLine((int(x), int(y), int(x + w), int(y + h))))
    lines.sort(key=lambda line: (line.box[2] - line.box[0]) * line.height, reverse=True)
    return sorted(lines[:MAX_LINES], key=lambda line: (line.box[1], line.box[0]))


SKEW_LIMIT_DEG, SKEW_STEP_DEG, SKEW_MIN_DEG = 6.0, 0.5, 1.0


def skew_angle(card: np.ndarray) -> float:
    """The angle (degrees, counter-clockwise) that levels the print: a card found a little askew (a
    corner lost on a busy surface) leaves its lines slanted after correction, and slanted lines
    merge into each other's boxes. The angle whose row profile of ink is sharpest."""
    small = cv2.resize(ink_mask(card), (CARD_W // 2, CARD_H // 2), interpolation=cv2.INTER_AREA)
    height, width = small.shape[:2]
    best_angle, best_score = 0.0, -1.0
    for angle in np.arange(-SKEW_LIMIT_DEG, SKEW_LIMIT_DEG + SKEW_STEP_DEG / 2, SKEW_STEP_DEG):
        matrix = cv2.getRotationMatrix2D((width / 2, height / 2), float(angle), 1.0)
        turned = cv2.warpAffine(small, matrix, (width, height), flags=cv2.INTER_NEAREST, borderValue=0)
        score = float(np.var(np.diff(turned.sum(axis=1).astype(np.float64))))
        if score > best_score:
            best_angle, best_score = float(angle), score
    return best_angle


def level_print(card: np.ndarray) -> np.ndarray:
    """The card turned so its print runs level (unchanged when it already nearly does)."""
    angle = skew_angle(card)
    if abs(angle) < SKEW_MIN_DEG:
        return card
    height, width = card.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(
        card, matrix, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )
