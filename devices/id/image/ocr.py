"""Tesseract (kor+eng via pytesseract) on single layout regions, never the whole card: one text line
at 24–40 px reads in ~0.15 s, the whole card takes ~2 s (DEVICES.md)."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import pytesseract

from devices.id.image.layouts import Region

TARGET_TEXT_PX = 34  # x-height band where Tesseract reads NanumGothic exactly
PAD = 6


@dataclass(frozen=True)
class OcrText:
    text: str
    confidence: float  # 0..1, mean of Tesseract's word confidences


def normalise(grey: np.ndarray) -> np.ndarray:
    """Flatten lighting and glare: divide by a background estimate, then Otsu to black on white."""
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (31, 31))
    background = cv2.morphologyEx(grey, cv2.MORPH_CLOSE, kernel)
    flat = cv2.divide(grey, background, scale=255)
    _, binary = cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # a region with no ink at all (Otsu picks noise): keep it blank rather than speckled
    if (binary < 128).mean() < 0.003:
        return np.full_like(binary, 255)
    return binary


def crop_region(card: np.ndarray, region: Region) -> np.ndarray:
    height, width = card.shape[:2]
    x0, y0, x1, y1 = region.pixels(width, height)
    x0, y0 = max(0, x0 - PAD), max(0, y0 - PAD)
    x1, y1 = min(width, x1 + PAD), min(height, y1 + PAD)
    return card[y0:y1, x0:x1]


def prepare(crop: np.ndarray, font_px: int) -> np.ndarray:
    grey = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
    scale = TARGET_TEXT_PX / max(font_px, 1)
    if abs(scale - 1) > 0.15:
        grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    binary = normalise(grey)
    return cv2.copyMakeBorder(binary, 10, 10, 10, 10, cv2.BORDER_CONSTANT, value=255)


def tesseract_config(region: Region) -> str:
    config = f"--oem 1 --psm {region.psm}"
    if region.whitelist:
        config += f" -c tessedit_char_whitelist={region.whitelist.replace(' ', '')}"
        if " " in region.whitelist:
            config += " -c preserve_interword_spaces=1"
    return config


def read_region(card: np.ndarray, region: Region) -> OcrText:
    image = prepare(crop_region(card, region), region.font_px)
    return read_prepared(image, region.lang, tesseract_config(region))


def read_prepared(image: np.ndarray, lang: str, config: str) -> OcrText:
    data = pytesseract.image_to_data(image, lang=lang, config=config, output_type=pytesseract.Output.DICT)
    words, confs = [], []
    for word, conf in zip(data["text"], data["conf"], strict=False):
        if str(word).strip():
            words.append(str(word).strip())
            confs.append(max(0.0, float(conf)) / 100.0)
    return OcrText(" ".join(words), float(np.mean(confs)) if confs else 0.0)


def read_block(image: np.ndarray, lang: str = "kor+eng") -> str:
    """Layout-free: a block of text (used by the fallback on the card's text side)."""
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    return str(pytesseract.image_to_string(normalise(grey), lang=lang, config="--oem 1 --psm 6"))


GAP = 24  # white rows between stacked lines


def read_stacked(card: np.ndarray, regions: list[Region], lang: str = "kor") -> dict[str, OcrText]:
    """Read several one-line regions in ONE Tesseract run: the crops are stacked into a column and
    each recognised line is mapped back to its region by its vertical position. One process start
    and one model load instead of one per field is what keeps a card under ~0.5 s."""
    if not regions:
        return {}
    images = [prepare(crop_region(card, region), region.font_px) for region in regions]
    width = max(image.shape[1] for image in images)
    rows, spans, top = [], [], 0
    for image in images:
        padded = cv2.copyMakeBorder(image, 0, GAP, 0, width - image.shape[1], cv2.BORDER_CONSTANT, value=255)
        rows.append(padded)
        spans.append((top, top + image.shape[0]))
        top += padded.shape[0]
    column = np.vstack(rows)
    data = pytesseract.image_to_data(
        column, lang=lang, config="--oem 1 --psm 6", output_type=pytesseract.Output.DICT
    )
    words: dict[int, list[tuple[int, str, float]]] = {i: [] for i in range(len(regions))}
    for text, conf, y, h, x in zip(
        data["text"], data["conf"], data["top"], data["height"], data["left"], strict=False
    ):
        if not str(text).strip():
            continue
        middle = y + h / 2
        for index, (start, end) in enumerate(spans):
            if start - GAP / 2 <= middle < end + GAP / 2:
                words[index].append((x, str(text).strip(), max(0.0, float(conf)) / 100.0))
                break
    out: dict[str, OcrText] = {}
    for index, region in enumerate(regions):
        found = sorted(words[index])
        out[region.name] = OcrText(
            " ".join(w for _, w, _ in found), float(np.mean([c for _, _, c in found])) if found else 0.0
        )
    return out


MRZ_WHITELIST = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"


def read_mrz_band(card: np.ndarray, top: float = 0.70) -> str:
    """The two MRZ lines at the bottom of a passport data page, as OCR text."""
    height = card.shape[0]
    band = card[int(top * height) :, :]
    grey = cv2.cvtColor(band, cv2.COLOR_BGR2GRAY) if band.ndim == 3 else band
    binary = cv2.copyMakeBorder(normalise(grey), 10, 10, 10, 10, cv2.BORDER_CONSTANT, value=255)
    config = f"--oem 1 --psm 6 -c tessedit_char_whitelist={MRZ_WHITELIST}"
    return str(pytesseract.image_to_string(binary, lang="eng", config=config))


def read_line_variant(card: np.ndarray, region: Region, scale: float, lang: str = "kor") -> OcrText:
    """One line at another scale, grey rather than binarised: a second opinion whose errors are
    not the same as the first run's (Tesseract's misreads depend on the glyph size)."""
    grey = cv2.cvtColor(crop_region(card, region), cv2.COLOR_BGR2GRAY)
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=interpolation)
    image = cv2.copyMakeBorder(grey, 10, 10, 10, 10, cv2.BORDER_CONSTANT, value=255)
    return read_prepared(image, lang, "--oem 1 --psm 7")
