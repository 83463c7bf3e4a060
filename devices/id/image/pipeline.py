"""One frame in, one IdDocument out: detect → correct → classify → quality → OCR → validate → mask.

Runs on whatever thread calls it (the reader's worker, the CLI, the bench); never the GUI thread.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, UnidentifiedImageError

from db.pii import RRN
from devices.id.image import quality
from devices.id.image.detect import detect_card, warp_card
from devices.id.image.fallback import read_without_layout
from devices.id.image.layouts import CARD_H, CARD_W, CardLayout, load_layouts
from devices.id.image.mask import mask_rrn_image
from devices.id.image.mrz import MrzError, parse_ocr_td3
from devices.id.image.ocr import read_line_variant, read_mrz_band, read_stacked
from devices.id.image.validate import (
    has_known_surname,
    parse_date,
    parse_license_number,
    parse_name,
    parse_rrn_text,
    parse_serial,
)
from devices.id.model import DocumentKind, IdDocument, IdError

GUIDANCE_CODES = frozenset({"no_card", "too_small", "blurred", "glare", "cut_off"})
SECOND_LOOK_SCALES = (1.3, 1.0, 0.6)  # times the card's own pixel size
STACKED_KINDS = ("hangul_name", "rrn", "date", "license_number", "serial")


@dataclass(frozen=True)
class ImageReadOptions:
    keep_gender_digit: bool = True
    ocr_lang: str = ""  # empty: each layout's stack_lang
    read_license_serial: bool = True
    layouts_dir: str = ""
    max_image_bytes: int = 40_000_000
    max_image_pixels: int = 40_000_000


def decode_image(data: bytes, options: ImageReadOptions | None = None) -> np.ndarray:
    """Bytes of a PNG/JPEG/... → BGR array. Corrupt, truncated or huge input → IdError."""
    opts = options or ImageReadOptions()
    if len(data) > opts.max_image_bytes:
        raise IdError("image_too_large", f"{len(data)} bytes")
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > opts.max_image_pixels:
                raise IdError("image_too_large", f"{width}x{height}")
            image.load()  # raises on truncated data instead of returning a half-grey picture
            rgb = image.convert("RGB")
    except IdError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise IdError("bad_image", type(exc).__name__) from None
    return cv2.cvtColor(np.asarray(rgb), cv2.COLOR_RGB2BGR)


def load_image_file(path: str | Path, options: ImageReadOptions | None = None) -> np.ndarray:
    opts = options or ImageReadOptions()
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > opts.max_image_bytes:
            raise IdError("image_too_large", f"{size} bytes")
        data = file.read_bytes()
    except OSError as exc:
        raise IdError("bad_image", type(exc).__name__) from None
    return decode_image(data, opts)


def _photo_score(card: np.ndarray, box: tuple[float, float, float, float]) -> float:
    """How much a box looks like a portrait: large dark areas (hair, clothes) and strong variance."""
    grey = cv2.cvtColor(card, cv2.COLOR_BGR2GRAY)
    x0, y0, x1, y1 = (
        round(box[0] * CARD_W),
        round(box[1] * CARD_H),
        round(box[2] * CARD_W),
        round(box[3] * CARD_H),
    )
    patch = grey[y0:y1, x0:x1].astype(np.float32)
    return float((patch < 0.55 * np.median(grey)).mean() + patch.std() / 255.0)


class CardImagePipeline:
    def __init__(self, options: ImageReadOptions | None = None) -> None:
        self.options = options or ImageReadOptions()
        self.layouts = load_layouts(self.options.layouts_dir)

    # ---- stages -------------------------------------------------------------------------------
    def locate(self, frame: np.ndarray) -> np.ndarray:
        """The corrected card, or IdError with a guidance code."""
        if frame is None or frame.ndim not in (2, 3) or min(frame.shape[:2]) < 32:
            raise IdError("bad_image", "not an image")
        if frame.ndim == 2:
            frame = cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
        elif frame.shape[2] == 4:
            frame = cv2.cvtColor(frame, cv2.COLOR_BGRA2BGR)
        detection = detect_card(frame)
        code = quality.check_detection(detection)
        if code is not None:
            raise IdError(code)
        assert detection is not None
        return warp_card(frame, detection.corners)

    def classify(self, card: np.ndarray) -> CardLayout | None:
        scored = sorted(((_photo_score(card, layout.photo), layout) for layout in self.layouts.values()),
                        key=lambda pair: pair[0], reverse=True)  # fmt: skip
        if not scored:
            return None
        if len(scored) > 1 and scored[0][0] - scored[1][0] < 0.05:
            return None  # no side looks like a portrait: let the fallback decide
        return scored[0][1]

    def read(self, frame: np.ndarray, today: date | None = None) -> IdDocument:
        card = self.locate(frame)
        return self.read_card(card, today)

    def read_card(self, card: np.ndarray, today: date | None = None) -> IdDocument:
        attempts = [card, cv2.rotate(card, cv2.ROTATE_180)]  # upside-down on the scanner glass
        last_error = IdError("unreadable")
        report: quality.QualityReport | None = None
        for index, attempt in enumerate(attempts):
            if index == 1:
                try:  # before trying the card upside down: is it a passport page?
                    return self._read_mrz(card)
                except IdError:
                    pass
            layout = self.classify(attempt)
            if layout is not None:
                # glare and blur are judged only when a read fails: the normalised OCR often reads
                # through a reflection, and asking the person to move costs more than trying
                report = report or quality.check_card(attempt, layout)
                try:
                    return self._read_layout(attempt, layout, today)
                except IdError as exc:
                    last_error = exc
        try:
            return self._read_fallback(card, today, last_error)
        except IdError:
            if report is not None and report.code is not None:
                raise IdError(report.code) from None
            raise

    # ---- layout OCR ----------------------------------------------------------------------------
    def _read_layout(self, card: np.ndarray, layout: CardLayout, today: date | None) -> IdDocument:
        regions = [
            r
            for r in layout.ocr_regions()
            if r.kind in STACKED_KINDS and (r.kind != "serial" or self.options.read_license_serial)
        ]
        texts = read_stacked(card, regions, self.options.ocr_lang or layout.stack_lang)
        by_kind = {r.kind: texts[r.name] for r in regions}
        name_text, rrn_text = by_kind.get("hangul_name"), by_kind.get("rrn")
        rrn = parse_rrn_text(rrn_text.text, today) if rrn_text else None
        name = parse_name(name_text.text) if name_text else None
        if rrn is None:
            raise IdError("invalid_rrn")
        name_confidence = name_text.confidence if name_text else 0.0
        if name is None or not has_known_surname(name):
            # a second look at the name line alone, Korean model only: the stacked run with the
            # English model loaded now and then reads a Hangul name as Latin, or 홍 as 흥
            region = next(r for r in regions if r.kind == "hangul_name")
            for scale in SECOND_LOOK_SCALES:
                second = read_line_variant(card, region, scale)
                second_name = parse_name(second.text)
                if second_name and (name is None or has_known_surname(second_name)):
                    name, name_confidence = second_name, second.confidence
                    if has_known_surname(second_name):
                        break
        if name is None:
            raise IdError("unreadable", "name")
        doc = self._document(layout.kind, name, rrn, card, layout)
        doc.confidence = {"name": name_confidence, "rrn": rrn_text.confidence if rrn_text else 0.0}
        if "date" in by_kind:
            doc.issue_date = parse_date(by_kind["date"].text, rrn.birth_date, today)
            doc.confidence["issue_date"] = by_kind["date"].confidence if doc.issue_date else 0.0
        if layout.kind is DocumentKind.DRIVER_LICENSE:
            text = by_kind.get("license_number")
            doc.license_number = (parse_license_number(text.text) if text else None) or ""
            doc.confidence["license_number"] = text.confidence if text and doc.license_number else 0.0
            if "serial" in by_kind:
                doc.license_serial = parse_serial(by_kind["serial"].text) or ""
        return doc

    def _read_mrz(self, card: np.ndarray) -> IdDocument:
        """A passport data page: its TD3 MRZ, every check digit verified."""
        for attempt in (card, cv2.rotate(card, cv2.ROTATE_180)):
            try:
                td3 = parse_ocr_td3(read_mrz_band(attempt))
            except MrzError:
                continue
            return IdDocument.passport(
                td3,
                source="image",
                confidence={"name": 0.9, "document_number": 1.0, "birth_date": 1.0},
                extra={"method": "mrz"},
            )
        raise IdError("bad_mrz")

    def _read_fallback(self, card: np.ndarray, today: date | None, cause: IdError) -> IdDocument:
        fields = read_without_layout(card, None)
        if fields.rrn is None:
            raise cause if cause.code != "unreadable" else IdError("invalid_rrn")
        if not fields.name:
            raise IdError("unreadable", "name (layout-free)")
        kind = fields.kind or DocumentKind.RESIDENT_CARD
        # the layout did not match, so where the RRN sits is unknown: keep no image at all rather
        # than a "masked" one that might mask the wrong place
        doc = self._document(kind, fields.name, fields.rrn, card, None)
        doc.issue_date = fields.issue_date
        doc.license_number = fields.license_number or ""
        # pattern matches without a layout are less certain than a layout read
        doc.confidence = {"name": 0.5, "rrn": 0.7, "issue_date": 0.5 if fields.issue_date else 0.0}
        doc.extra["method"] = "layout_free"
        return doc

    def _document(
        self, kind: DocumentKind, name: str, rrn: RRN, card: np.ndarray, layout: CardLayout | None
    ) -> IdDocument:
        keep = self.options.keep_gender_digit
        if layout is not None and "rrn" in layout.regions:
            masked = mask_rrn_image(card, layout.regions["rrn"], keep)
            x0, y0, x1, y1 = (round(layout.photo[0] * CARD_W), round(layout.photo[1] * CARD_H),
                              round(layout.photo[2] * CARD_W), round(layout.photo[3] * CARD_H))  # fmt: skip
            face = card[y0:y1, x0:x1].copy()
        else:
            masked, face = None, None  # no layout: we cannot be sure where the RRN is, so store nothing
        return IdDocument(
            kind=kind,
            name=name,
            rrn=rrn.hyphenated,
            rrn_masked=rrn.masked(keep),
            birth_date=rrn.birth_date,
            masked_image=masked,
            face_image=face,
            source="image",
        )
