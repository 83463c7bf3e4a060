"""A second digit reader beside Tesseract: the number line cut into glyphs and each glyph matched
against digits drawn in the tuning typefaces, the cut chosen by the number's known shape.

Why: in handwriting-like faces Tesseract misreads one or two digits per read, a different one in each
variant, so its reads never agree and the card is refused although a person reads it at once. A
recogniser that errs differently gives the ballot an independent vote: where it agrees with one
Tesseract read, the number is settled.

How:
- The line's ink is split into connected components; a flat one in the middle of the band is the
  hyphen (or the licence number's dashes).
- Some faces draw a digit in two strokes that do not touch (UnPilgi's 0 is "()"), and an outline can
  break a thin stroke: consecutive components are grouped, and the grouping chosen is the one whose
  glyphs are nearest to the reference digits, under the constraint that each dash-separated part has
  the number of digits its format says (6 and 7 for an RRN). A part that cannot be cut that way gives
  no read: the Tesseract reads decide alone.
- Each glyph is a gradient-orientation histogram with a coarse thumbnail, matched to its nearest
  reference glyphs; the read's confidence is the weakest digit's share of neighbours agreeing.

The references are drawn at first use (about 0.5 s, then cached) from the TUNING typefaces only
(``devices.id.emulators.split``): the held-out faces stay unseen, so the bench's held-out rows still
measure cards this reader never learned from. Plain numpy and OpenCV's core; no model file.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from itertools import pairwise

import cv2
import numpy as np
from PIL import Image, ImageDraw

from devices.id.emulators.fonts import CardFont, face
from devices.id.emulators.split import tuning_fonts
from devices.id.image.ocr import OcrText

RRN_PARTS = (6, 7)
LICENSE_PARTS = (2, 2, 6, 2)  # NN-NN-NNNNNN-NN
GLYPH = 20  # side of the square a glyph is scaled into before its features are taken
CELLS, BINS = 4, 8  # the orientation histogram: 4 x 4 cells of 8 directions
NEIGHBOURS = 7
MAX_STROKES = 4  # components one digit may be drawn in
SMALL_PRINT = 0.75  # of the digits' height: print smaller than this at the line's ends is a caption
MAX_GLYPH_WIDTH = 1.1  # a digit is never wider than ~the line's height
WIDE_COMPONENT = 0.95  # of the line's height: wider than any one digit, so two that touch
# reference glyphs: each tuning face, regular and bold, at two sizes, leaning and upright, sharp and soft
_SIZES = (28, 36)
_SHEARS = (-0.1, 0.0, 0.1)
_BLURS = (0.0, 0.8)

Box = tuple[int, int, int, int]  # x, y, width, height


@dataclass(frozen=True)
class References:
    features: np.ndarray  # one row per reference glyph
    digits: np.ndarray  # the digit each row shows

    @property
    def size(self) -> int:
        return int(self.digits.size)


_lock = threading.Lock()
_references: list[References] = []


def references() -> References:
    """The reference digits, drawn once per process (both OCR workers may ask at once)."""
    with _lock:
        if not _references:
            _references.append(_draw_references(tuning_fonts()))
        return _references[0]


def read_number(line: np.ndarray, parts: tuple[int, ...] = RRN_PARTS,
                source: str = "glyph") -> OcrText | None:  # fmt: skip
    """The number on a prepared line (dark print on light, binary or grey), formatted with its dashes,
    or None when the line cannot be cut into ``parts`` digits. Never raises on a blank or odd-shaped
    image."""
    if line.ndim != 2 or line.size == 0:
        return None
    binary = _black_on_white(line)
    components = _components(binary)
    if not components:
        return None
    line_h = sorted(c[3] for c in components)[len(components) * 3 // 4]
    if line_h < 6:
        return None
    groups = _split_at_dashes(_trim_small_print(_in_band(components, line_h), line_h), line_h)
    counts: tuple[int, ...] = parts
    if len(groups) != len(parts):  # a dash missed or a speck taken for one: cut the whole run
        groups, counts = [[c for group in groups for c in group]], (sum(parts),)
    refs = references()
    digits, confidence = "", 1.0
    for group, count in zip(groups, counts, strict=True):
        read = _partition(binary, group, count, line_h, refs)
        if read is None:
            return None
        digits, confidence = digits + read[0], min(confidence, read[1])
    cuts = np.cumsum((0, *parts))
    return OcrText("-".join(digits[a:b] for a, b in pairwise(cuts.tolist())), confidence, source)


def _black_on_white(line: np.ndarray) -> np.ndarray:
    """Otsu's threshold: a grey variant (contrast-stretched only) becomes black and white, and an
    already binary line stays as it is."""
    _, binary = cv2.threshold(line.astype(np.uint8), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return np.asarray(binary, np.uint8)


# ---- cutting the line -------------------------------------------------------------------------------
def _components(binary: np.ndarray) -> list[Box]:
    """The line's connected components, a component wider than a digit cut in two where its ink is
    thinnest (blur and glare make neighbouring digits touch; the grouping joins pieces again)."""
    ink = binary < 128
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    boxes = [(int(s[0]), int(s[1]), int(s[2]), int(s[3])) for s in stats[1:count] if s[4] >= 4]
    if not boxes:
        return boxes
    line_h = sorted(b[3] for b in boxes)[len(boxes) * 3 // 4]
    out: list[Box] = []
    for box in boxes:
        out.extend(_cut_wide(ink, box, line_h))
    return out


def _cut_wide(ink: np.ndarray, box: Box, line_h: int) -> list[Box]:
    x, y, w, h = box
    if w <= WIDE_COMPONENT * line_h or w < 6:
        return [box]
    columns = ink[y : y + h, x : x + w].sum(axis=0)
    low, high = int(w * 0.3), int(w * 0.7)
    at = low + int(np.argmin(columns[low : high + 1]))
    pieces: list[Box] = []
    for x0, x1 in ((x, x + at), (x + at, x + w)):
        rows = np.where(ink[y : y + h, x0:x1].any(axis=1))[0]
        if rows.size and x1 - x0 >= 2:
            piece = (x0, y + int(rows[0]), x1 - x0, int(rows[-1] - rows[0] + 1))
            pieces.extend(_cut_wide(ink, piece, line_h))
    return pieces


def _in_band(components: list[Box], line_h: int) -> list[Box]:
    """The components on the digits' band, left to right (specks above or below it dropped)."""
    tall = [c for c in components if c[3] >= 0.5 * line_h]
    top = float(np.median([c[1] for c in tall]))
    bottom = float(np.median([c[1] + c[3] for c in tall]))
    keep = [c for c in components
            if c[1] < bottom and c[1] + c[3] > top and c[2] * c[3] >= 0.01 * line_h * line_h]  # fmt: skip
    return sorted(keep, key=lambda c: c[0])


def _trim_small_print(components: list[Box], line_h: int) -> list[Box]:
    """Without the smaller print at either end: a caption ("주민번호") the crop took in, a speck of the
    portrait's edge. Every digit of a number is printed at one height."""
    start, end = 0, len(components)
    while start < end and components[start][3] < SMALL_PRINT * line_h:
        start += 1
    while end > start and components[end - 1][3] < SMALL_PRINT * line_h:
        end -= 1
    return components[start:end]


def _split_at_dashes(components: list[Box], line_h: int) -> list[list[Box]]:
    if not components:
        return []
    tall = [c for c in components if c[3] >= 0.5 * line_h] or components
    middle = float(np.median([c[1] + c[3] / 2 for c in tall]))
    groups: list[list[Box]] = [[]]
    for c in components:
        _, y, w, h = c
        if h < 0.3 * line_h and w > 1.3 * h and abs(y + h / 2 - middle) < 0.3 * line_h:
            groups.append([])
        else:
            groups[-1].append(c)
    return [group for group in groups if group]


def _union(boxes: list[Box]) -> Box:
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[0] + b[2] for b in boxes), max(b[1] + b[3] for b in boxes)
    return x0, y0, x1 - x0, y1 - y0


def _partition(binary: np.ndarray, components: list[Box], count: int, line_h: int,
               refs: References) -> tuple[str, float] | None:  # fmt: skip
    """Group consecutive components into exactly ``count`` digits, nearest to the references overall
    (dynamic programming over the cut points)."""
    n = len(components)
    if n < count or n > count * MAX_STROKES:
        return None
    glyphs: dict[tuple[int, int], tuple[float, int, float] | None] = {}

    def glyph(i: int, j: int) -> tuple[float, int, float] | None:
        if (i, j) not in glyphs:
            box = _union(components[i:j])
            glyphs[i, j] = None if box[2] > MAX_GLYPH_WIDTH * line_h else _nearest(binary, box, refs)
        return glyphs[i, j]

    inf = float("inf")
    cost = [[inf] * (count + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, float] | None]] = [[None] * (count + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n):
        for made in range(count):
            if cost[i][made] == inf:
                continue
            for j in range(i + 1, min(n, i + MAX_STROKES) + 1):
                found = glyph(i, j)
                if found is not None and cost[i][made] + found[0] < cost[j][made + 1]:
                    cost[j][made + 1] = cost[i][made] + found[0]
                    back[j][made + 1] = (i, found[1], found[2])
    if cost[n][count] == inf:
        return None
    digits, shares, j = [], [], n
    for made in range(count, 0, -1):
        step = back[j][made]
        assert step is not None
        j, digit, share = step
        digits.append(str(digit))
        shares.append(share)
    return "".join(reversed(digits)), float(min(shares))


# ---- matching one glyph -----------------------------------------------------------------------------
def _nearest(binary: np.ndarray, box: Box, refs: References) -> tuple[float, int, float]:
    """(distance to the nearest reference, the neighbours' digit, the share of neighbours agreeing)."""
    distances = ((refs.features - _features(binary, box)) ** 2).sum(axis=1)
    order = np.argsort(distances)[:NEIGHBOURS]
    votes = refs.digits[order]
    digit = int(np.bincount(votes, minlength=10).argmax())
    return float(distances[order[0]]), digit, float((votes == digit).mean())


def _features(binary: np.ndarray, box: Box) -> np.ndarray:
    x, y, w, h = box
    ink = 255 - binary[y : y + h, x : x + w]
    side = max(w, h, 1)
    square = np.zeros((side, side), np.uint8)
    top, left = (side - h) // 2, (side - w) // 2
    square[top : top + h, left : left + w] = ink
    scaled = np.asarray(cv2.resize(square, (GLYPH, GLYPH), interpolation=cv2.INTER_AREA), np.uint8)
    thumb = cv2.resize(scaled, (8, 8), interpolation=cv2.INTER_AREA).astype(np.float32).ravel() / 255.0
    aspect = np.array([2.0 * w / max(h, 1)], np.float32)  # a 1 is narrow, a 0 is not
    return np.concatenate([_orientations(scaled), thumb / (np.linalg.norm(thumb) + 1e-6), aspect])


def _orientations(square: np.ndarray) -> np.ndarray:
    image = square.astype(np.float32) / 255.0
    gx = cv2.Sobel(image, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(image, cv2.CV_32F, 0, 1, ksize=3)
    magnitude = np.hypot(gx, gy)
    direction = np.minimum(((np.arctan2(gy, gx) % np.pi) / np.pi * BINS).astype(int), BINS - 1)
    step = GLYPH // CELLS
    out = np.zeros((CELLS, CELLS, BINS), np.float32)
    for row in range(CELLS):
        for col in range(CELLS):
            cell = (slice(row * step, (row + 1) * step), slice(col * step, (col + 1) * step))
            out[row, col] = np.bincount(direction[cell].ravel(), magnitude[cell].ravel(), BINS)
    flat = out.ravel()
    return flat / (np.linalg.norm(flat) + 1e-6)


# ---- the references ---------------------------------------------------------------------------------
def _draw_references(fonts: tuple[CardFont, ...]) -> References:
    rows, digits = [], []
    for font in fonts:
        for bold in (False, True):
            for px in _SIZES:
                for shear in _SHEARS:
                    for blur in _BLURS:
                        for digit in range(10):
                            binary = _draw(str(digit), font, bold, px, shear, blur)
                            components = _components(binary)
                            if components:
                                rows.append(_features(binary, _union(components)))
                                digits.append(digit)
    if not rows:
        raise RuntimeError("no typeface to draw reference digits (install fonts-nanum, fonts-unfonts-core)")
    return References(np.asarray(rows, np.float32), np.asarray(digits, np.int64))


def _draw(char: str, font: CardFont, bold: bool, px: int, shear: float, blur: float) -> np.ndarray:
    canvas = Image.new("L", (px * 3, px * 2), 255)
    ImageDraw.Draw(canvas).text((px // 2, px // 3), char, font=face(font, px, bold), fill=0)
    grey = np.asarray(canvas)
    if shear:
        height = grey.shape[0]
        matrix = np.array([[1, shear, -shear * height / 2], [0, 1, 0]], np.float32)
        grey = cv2.warpAffine(grey, matrix, (grey.shape[1], height), borderValue=255)
    if blur:
        grey = cv2.GaussianBlur(grey, (0, 0), blur)
    return _black_on_white(np.asarray(grey))
