"""The naive baseline: how anyone would read a Korean ID card with open-source parts and no tuning.

Find the card (the largest four-cornered contour; if there is none, take the whole image), straighten
it (a perspective warp), run Tesseract ``kor+eng`` once over the whole card, and pick the fields out
with two regexes: the RRN ``\\d{6}-?\\d{7}``, the name as 2–5 Hangul syllables after "성명" or on the
line above the RRN (or the one above that). Nothing here was fitted to our cards — that is the point:
the bench shows it next to the project's pipeline, and the pipeline has to beat it on every row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import cv2
import numpy as np
import pytesseract

RRN_PATTERN = re.compile(r"(\d{6})-?(\d{7})")
LABELLED_NAME = re.compile(r"성\s*명\s*[:：]?\s*([가-힣]{2,5})(?![가-힣])")
HANGUL_WORD = re.compile(r"(?<![가-힣])([가-힣]{2,5})(?![가-힣])")
NOT_NAMES = ("주민등록증", "자동차운전면허증", "운전면허증", "성명", "주민번호", "주민등록번호")
MIN_CARD_FRACTION = 0.20  # smaller than this share of the image: the photo or a field box, not the card


@dataclass(frozen=True)
class NaiveRead:
    name: str | None
    # YYMMDD-NNNNNNN as the regex found it (no date or check-digit validation); never in a repr or log
    rrn: str | None = field(repr=False)
    error: str | None = None  # None, or no_rrn / no_name / bad_image
    found_card: bool = False  # a quadrilateral was found (False: the whole image was read)


def find_card(image: np.ndarray) -> np.ndarray | None:
    """The textbook document scanner: Canny edges, the largest contour that approximates to four points."""
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    edges = cv2.Canny(cv2.GaussianBlur(grey, (5, 5), 0), 75, 200)
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    min_area = MIN_CARD_FRACTION * grey.shape[0] * grey.shape[1]
    for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:10]:
        approx = cv2.approxPolyDP(contour, 0.02 * cv2.arcLength(contour, True), True)
        if len(approx) == 4 and cv2.contourArea(approx) >= min_area:
            return approx.reshape(4, 2).astype(np.float32)
    return None


def _order(points: np.ndarray) -> np.ndarray:
    sums, diffs = points.sum(axis=1), np.diff(points, axis=1).ravel()
    return np.array(
        [
            points[np.argmin(sums)],
            points[np.argmin(diffs)],
            points[np.argmax(sums)],
            points[np.argmax(diffs)],
        ],
        np.float32,
    )


def straighten(image: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """Warp the quadrilateral to a rectangle of its own size (the four-point transform)."""
    tl, tr, br, bl = _order(quad)
    width = int(max(np.linalg.norm(br - bl), np.linalg.norm(tr - tl)))
    height = int(max(np.linalg.norm(tr - br), np.linalg.norm(tl - bl)))
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
    matrix = cv2.getPerspectiveTransform(np.array([tl, tr, br, bl]), target)
    return cv2.warpPerspective(image, matrix, (max(width, 1), max(height, 1)))


def parse_fields(text: str) -> tuple[str | None, str | None]:
    """(name, rrn) from Tesseract's text of the whole card, or None where the regex finds nothing."""
    lines = [re.sub(r"\s*-\s*", "-", line).strip() for line in text.splitlines()]
    rrn, rrn_line = None, -1
    for index, line in enumerate(lines):
        match = RRN_PATTERN.search(line.replace(" ", ""))
        if match:
            rrn, rrn_line = f"{match.group(1)}-{match.group(2)}", index
            break
    labelled = LABELLED_NAME.search(text)
    if labelled:
        return labelled.group(1), rrn
    above = [line for line in lines[:rrn_line] if line] if rrn_line > 0 else []
    for line in reversed(above[-2:]):  # the name line is right above the RRN, or one more up
        for word in HANGUL_WORD.findall(line):
            if word not in NOT_NAMES:
                return word, rrn
    return None, rrn


def read_naive(image: np.ndarray) -> NaiveRead:
    if image is None or image.ndim not in (2, 3) or min(image.shape[:2]) < 16:
        return NaiveRead(None, None, "bad_image", False)
    quad = find_card(image)
    card = straighten(image, quad) if quad is not None else image
    grey = cv2.cvtColor(card, cv2.COLOR_BGR2GRAY) if card.ndim == 3 else card
    text = str(pytesseract.image_to_string(grey, lang="kor+eng"))
    name, rrn = parse_fields(text)
    error = "no_rrn" if rrn is None else "no_name" if name is None else None
    return NaiveRead(name, rrn, error, quad is not None)
