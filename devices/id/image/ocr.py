"""Tesseract (kor / eng) on text lines of the corrected card, never the whole card: one line at
24–40 px reads in ~0.05 s, the whole card takes ~1–2 s (DEVICES.md).

Lines are prepared in *variants* (a binarisation and a scale): Tesseract's misreads depend on the
glyph size and on how glare or blur was flattened, so two variants that agree are evidence, and a
variant often reads what another could not. Several prepared lines are stacked into one image and
read in one run (one process start and one model load), then mapped back by position.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import cv2
import numpy as np

from devices.id.image.layouts import Region
from devices.id.image.tesseract import PendingRun, Word, run_tesseract, start_tesseract

TARGET_TEXT_PX = 34  # glyph height where Tesseract reads Hangul and digits best
PAD = 6
GAP = 24  # white rows between stacked lines
Box = tuple[int, int, int, int]  # card pixels: x0, y0, x1, y1


@dataclass(frozen=True)
class OcrText:
    text: str
    confidence: float  # 0..1, mean of Tesseract's word confidences
    source: str = ""  # which variant / pass produced it


@dataclass(frozen=True)
class Variant:
    binarization: str  # "flat" (background-divided + Otsu), "grey", "adaptive", "clahe"
    scale: float = 1.0  # times the usual target glyph height

    @property
    def label(self) -> str:
        return f"{self.binarization}x{self.scale:g}"


FLAT = Variant("flat")
GREY = Variant("grey")


def normalise(grey: np.ndarray) -> np.ndarray:
    """Flatten lighting and glare: divide by a background estimate, then Otsu to black on white."""
    binary = _otsu(_flatten(grey))
    # a region with no ink at all (Otsu picks noise): keep it blank rather than speckled
    if (binary < 128).mean() < 0.003:
        return np.full_like(binary, 255)
    return binary


def _flatten(grey: np.ndarray) -> np.ndarray:
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (31, 31))
    background = cv2.morphologyEx(grey, cv2.MORPH_CLOSE, kernel)
    return cv2.divide(grey, background, scale=255)


def _otsu(grey: np.ndarray) -> np.ndarray:
    _, binary = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return binary


def binarize(grey: np.ndarray, how: str) -> np.ndarray:
    if how == "grey":
        # contrast-stretched grey: glare that Otsu would cut into blobs stays a faint stroke
        flat = _flatten(grey)
        low, high = np.percentile(flat, (1, 99))
        stretched = np.clip((flat.astype(np.float32) - low) * 255.0 / max(high - low, 1.0), 0, 255)
        return stretched.astype(np.uint8)
    if how == "adaptive":
        flat = _flatten(grey)
        block = max(15, (grey.shape[0] // 2) | 1)
        return cv2.adaptiveThreshold(flat, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 12)
    if how == "clahe":
        # local contrast first: a washed-out patch under glare keeps its strokes after the threshold
        clahe = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(2, 8))
        return normalise(clahe.apply(_flatten(grey)))
    return normalise(grey)


def crop_box(card: np.ndarray, box: Box, pad: int = PAD, pad_x: int | None = None) -> np.ndarray:
    height, width = card.shape[:2]
    x0, y0, x1, y1 = box
    px = pad if pad_x is None else pad_x
    return card[max(0, y0 - pad) : min(height, y1 + pad), max(0, x0 - px) : min(width, x1 + px)]


def crop_region(card: np.ndarray, region: Region) -> np.ndarray:
    height, width = card.shape[:2]
    return crop_box(card, region.pixels(width, height))


def _tight(image: np.ndarray) -> np.ndarray:
    """Trim blank columns: the LSTM's time grows with the line's width, not with its ink."""
    ink = np.where((image < 128).any(axis=0))[0]
    if ink.size == 0:
        return image
    return image[:, max(0, ink[0] - 4) : ink[-1] + 5]


def caption_columns(binary: np.ndarray) -> list[tuple[int, int]]:
    """Columns of small print before a field ("성명 홍길동", "주민번호 …"): some designs caption
    their fields in a smaller face, and a caption read into the name is a wrong name that validates."""
    ink = binary < 128
    columns = np.asarray(ink.any(axis=0), dtype=bool)
    rows = np.where(ink.any(axis=1))[0]
    if rows.size == 0:
        return []
    gap = max(6, int(0.45 * (rows[-1] - rows[0] + 1)))
    chunks: list[tuple[int, int]] = []
    start, blank = -1, 0
    for x, has_ink in enumerate(columns.tolist()):
        if has_ink:
            if start < 0:
                start = x
            elif blank >= gap:
                chunks.append((start, x - blank))
                start = x
            blank = 0
        elif start >= 0:
            blank += 1
    if start >= 0:
        chunks.append((start, int(columns.shape[0]) - blank))
    if len(chunks) < 2:
        return []
    heights = []
    for x0, x1 in chunks:
        ink_rows = np.where(ink[:, x0:x1].any(axis=1))[0]
        height = int(ink_rows[-1] - ink_rows[0] + 1) if ink_rows.size else 0
        solid = height > 0 and float(ink[ink_rows[0] : ink_rows[-1] + 1, x0:x1].mean()) > 0.6
        heights.append(0 if solid else height)  # a blacked-out box is not print
    tallest = max(heights)
    small: list[tuple[int, int]] = []
    for (x0, x1), height in zip(chunks, heights, strict=True):
        if height >= 0.72 * tallest or height == 0:
            break  # the field itself starts here
        small.append((x0, x1))
    ink_width = chunks[-1][1] - chunks[0][0]
    if not small or small[-1][1] - small[0][0] > 0.4 * ink_width:
        return []  # a caption is a short word before the field, never most of the line
    return small


def prepare(crop: np.ndarray, font_px: int, variant: Variant = FLAT) -> np.ndarray:
    grey = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
    scale = TARGET_TEXT_PX * variant.scale / max(font_px, 1)
    if abs(scale - 1) > 0.1 and grey.size:
        interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
        grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=interpolation)
    if grey.size == 0:
        return np.full((TARGET_TEXT_PX, TARGET_TEXT_PX), 255, np.uint8)
    binary = binarize(grey, variant.binarization)
    captions = caption_columns(binary if variant.binarization != "grey" else normalise(grey))
    if captions:
        binary = binary.copy()
        for x0, x1 in captions:
            binary[:, x0:x1] = 255
    binary = _tight(binary)
    return cv2.copyMakeBorder(binary, 10, 10, 10, 10, cv2.BORDER_CONSTANT, value=255)


def prepare_box(card: np.ndarray, box: Box, font_px: int, variant: Variant = FLAT) -> np.ndarray:
    """A field line with half a glyph of room each side: another face or a slightly shifted print
    puts the first digit just outside the layout's box (blank columns are trimmed again after).
    Print that still runs over the crop's edge is followed until a gap (``follow_print``)."""
    followed = follow_print(card, box, font_px)
    return prepare(crop_box(card, followed, PAD, max(PAD, font_px // 2)), font_px, variant)


def follow_print(card: np.ndarray, box: Box, font_px: int) -> Box:
    """The box widened left and right while the line's ink runs on past it: a card printed off its
    layout cuts the first syllable of the name or the first digit of the RRN at the box's edge, and
    the cut read still validates (a shorter name, another birth year). Stops at a blank gap of a
    third of a glyph, and at two and a half glyphs beyond the box (a portrait is not print)."""
    height, width = card.shape[:2]
    x0, y0, x1, y1 = box
    reach = round(2.5 * font_px)
    left, right = max(0, x0 - reach), min(width, x1 + reach)
    band = card[max(0, y0) : min(height, y1), left:right]
    if band.size == 0:
        return box
    grey = cv2.cvtColor(band, cv2.COLOR_BGR2GRAY) if band.ndim == 3 else band
    ink: np.ndarray = np.asarray((normalise(grey) < 128).any(axis=0), dtype=bool)
    gap = max(3, font_px // 3)
    start, end = x0 - left, x1 - left
    pad = max(PAD, font_px // 2)
    edge = max(0, start - pad)

    def runs_on(columns: np.ndarray) -> bool:
        return bool(columns.size and columns.any())

    # ink on both sides of the crop's left edge, no gap between: walk left to a gap
    if runs_on(ink[max(0, edge - gap) : edge]) and runs_on(ink[edge : edge + gap]):
        x = edge
        while x > 0 and runs_on(ink[max(0, x - gap) : x]):
            x -= gap
        if x > 0:
            x0 = left + x
    edge = min(len(ink), end + pad)
    if runs_on(ink[max(0, edge - gap) : edge]) and runs_on(ink[edge : edge + gap]):
        x = edge
        while x < len(ink) and runs_on(ink[x : x + gap]):
            x += gap
        if x < len(ink):
            x1 = left + x
    top, bottom = follow_rows(card, (x0, y0, x1, y1), font_px)
    return x0, top, x1, bottom


def follow_rows(card: np.ndarray, box: Box, font_px: int) -> tuple[int, int]:
    """The box's top and bottom moved out while the line's ink runs on past the crop's edge: a card
    located a few pixels off, or a design that prints its line at the top of where the layout has it,
    cuts a syllable's top stroke (ㅈ is ㅅ without it) and the cut read is another valid name. Stops
    at a blank gap of a sixth of a glyph and at half a glyph beyond the crop (the next line)."""
    height = card.shape[0]
    x0, y0, x1, y1 = box
    reach = max(PAD, font_px // 2)
    top, bottom = max(0, y0 - PAD - reach), min(height, y1 + PAD + reach)
    band = card[top:bottom, max(0, x0) : x1]
    if band.size == 0:
        return y0, y1
    grey = cv2.cvtColor(band, cv2.COLOR_BGR2GRAY) if band.ndim == 3 else band
    # a row holds ink when a few of its pixels are dark: one speck of the security pattern is not print
    rows = np.asarray((normalise(grey) < 128).sum(axis=1) >= 3, dtype=bool)
    gap = max(2, font_px // 6)

    def inked(start: int, end: int) -> bool:
        return bool(rows[max(0, start) : max(0, end)].any())

    edge = y0 - PAD - top  # the crop's top row, in band rows
    if inked(edge, edge + gap) and inked(edge - gap, edge):
        y = edge
        while y > 0 and inked(y - gap, y):
            y -= 1
        if y > 0:  # ink all the way up is the line above (or the card's edge), not this line
            y0 = top + y + PAD
    edge = y1 + PAD - top
    if inked(edge - gap, edge) and inked(edge, edge + gap):
        y = edge
        while y < len(rows) and inked(y, y + gap):
            y += 1
        if y < len(rows):
            y1 = top + y - PAD
    return y0, y1


def _text_of(words: list[Word], source: str) -> OcrText:
    found = sorted(words, key=lambda w: w.left)
    if not found:
        return OcrText("", 0.0, source)
    return OcrText(" ".join(w.text for w in found), float(np.mean([w.confidence for w in found])), source)


class StackedRead:
    """Prepared lines stacked into one column and read in one Tesseract run (started at once).

    A line the block's layout analysis cut in two is read again alone as one line (``split_line``)."""

    def __init__(self, images: list[np.ndarray], sources: list[str], lang: str, psm: int = 6,
                 whitelist: str = "") -> None:  # fmt: skip
        self.sources = sources
        self.images, self.lang, self.whitelist = images, lang, whitelist
        self.spans: list[tuple[int, int]] = []
        self.reread = 0  # lines read again alone
        self._run: PendingRun | None = None
        if not images:
            return
        width = max(image.shape[1] for image in images)
        rows, top = [], 0
        for image in images:
            right = width - image.shape[1]
            padded = cv2.copyMakeBorder(image, 0, GAP, 0, right, cv2.BORDER_CONSTANT, value=255)
            rows.append(padded)
            self.spans.append((top, top + image.shape[0]))
            top += padded.shape[0]
        self._run = start_tesseract(np.vstack(rows), lang, psm, whitelist)

    def result(self) -> list[OcrText]:
        if self._run is None:
            return []
        words: list[list[Word]] = [[] for _ in self.spans]
        for word in self._run.result():
            middle = word.top + word.height / 2
            for index, (start, end) in enumerate(self.spans):
                if start - GAP / 2 <= middle < end + GAP / 2:
                    words[index].append(word)
                    break
        split = [index for index, found in enumerate(words) if split_line(found)]
        alone = {i: start_tesseract(self.images[i], self.lang, PSM_LINE, self.whitelist) for i in split}
        for index, run in alone.items():
            words[index] = run.result()
        self.reread += len(alone)
        return [_text_of(found, source) for found, source in zip(words, self.sources, strict=True)]


PSM_LINE = 7  # Tesseract's "one text line": no line finding


def split_line(words: list[Word]) -> bool:
    """Did the block's line finding put one prepared line's words on two lines, one above the
    other? Hangul whose final consonant sits apart from the syllable's top (some faces, a two-syllable
    name spaced wide) gets cut at that gap: the tops read as other syllables that still make a valid
    name (김동 → 길동) and the bottoms as a stray "=" line."""
    lines: dict[tuple[int, int, int], tuple[int, int]] = {}
    for word in words:
        top, bottom = lines.get(word.line, (word.top, word.top + word.height))
        lines[word.line] = (min(top, word.top), max(bottom, word.top + word.height))
    if len(lines) < 2:
        return False
    ordered = sorted(lines.values())
    return any(below[0] >= above[1] - 2 for above, below in pairwise(ordered))


def read_lines(images: list[np.ndarray], lang: str, psm: int = 6, whitelist: str = "") -> list[OcrText]:
    return StackedRead(images, [""] * len(images), lang, psm, whitelist).result()


def read_region(card: np.ndarray, region: Region) -> OcrText:
    image = prepare(crop_region(card, region), region.font_px)
    return _text_of(run_tesseract(image, region.lang, region.psm, region.whitelist), "region")


def read_block(image: np.ndarray, lang: str = "kor+eng") -> str:
    """A block of text as lines (the MRZ band)."""
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    return _lines_text(run_tesseract(normalise(grey), lang, 6))


def _lines_text(words: list[Word]) -> str:
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    ordered = (sorted(ws, key=lambda w: w.left) for _, ws in sorted(lines.items()))
    return "\n".join(" ".join(w.text for w in ws) for ws in ordered)


MRZ_WHITELIST = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"


def read_mrz_band(card: np.ndarray, top: float = 0.70) -> str:
    """The two MRZ lines at the bottom of a passport data page, as OCR text."""
    height = card.shape[0]
    band = card[int(top * height) :, :]
    grey = cv2.cvtColor(band, cv2.COLOR_BGR2GRAY) if band.ndim == 3 else band
    binary = cv2.copyMakeBorder(normalise(grey), 10, 10, 10, 10, cv2.BORDER_CONSTANT, value=255)
    return _lines_text(run_tesseract(binary, "eng", 6, MRZ_WHITELIST))
