"""One frame in, one IdDocument out: detect → correct → read (layout, then layout-free) → validate →
mask. Read first, refuse last: the card's size, place, glare and blur are measured, but they only
name the cause when no candidate read validates.

Runs on whatever thread calls it (the reader's worker, the CLI, the bench); never the GUI thread.
"""

from __future__ import annotations

import resource
import time
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date

import cv2
import numpy as np

from db.pii import RRN
from devices.id.image import glyph_digits, hanja_name, quality, tess_api
from devices.id.image.card_read import CardRead, FieldLine
from devices.id.image.detect import Detection, detect_candidates, warp_card
from devices.id.image.fallback import survey_card
from devices.id.image.layouts import CARD_H, CARD_W, CardLayout, Region, load_layouts
from devices.id.image.lines import TextLine, find_lines, level_print
from devices.id.image.loader import ImageReadOptions, as_bgr, decode_image, load_image_file
from devices.id.image.mask import mask_rrn_image
from devices.id.image.mrz import MrzError, parse_ocr_td3
from devices.id.image.ocr import read_mrz_band
from devices.id.model import DocumentKind, IdDocument, IdError

__all__ = ["GUIDANCE_CODES", "CardImagePipeline", "ImageReadOptions", "Located", "decode_image",
           "load_image_file", "warm_up"]  # fmt: skip

GUIDANCE_CODES = frozenset({"no_card", "too_small", "blurred", "glare", "cut_off"})
STACKED_KINDS = ("hangul_name", "rrn", "date", "license_number", "serial")
# the glyph reader reads a card this wide in the frame or wider: on a smaller one its digits are a
# few blurred pixels scaled up, and it agreed with Tesseract on a misread (a 240 px card's 1 as 7)
GLYPH_MIN_CARD_PX = 400
MAX_RETRIES = 2  # outlines tried after the best one fails to validate (the runner-up, the whole frame)


class RrnReadRefusal(IdError):
    """A refusal after a validated RRN was read on this outline (the name, say, was not)."""


@dataclass(frozen=True)
class Located:
    card: np.ndarray  # CARD_W x CARD_H, BGR
    hint: str | None = None  # what the frame suggests if the read fails (too_small, cut_off)
    frame: np.ndarray | None = None  # the frame, for reading the other outlines
    retries: tuple[Detection, ...] = ()  # the next-best outlines, tried when the best one fails
    guessed: bool = False  # nothing card-shaped was found: a refusal says no_card
    width_px: float = float(CARD_W)  # the card's width in the frame (the warp scales it to CARD_W)


def _photo_score(card: np.ndarray, box: tuple[float, float, float, float]) -> float:
    """How much a box looks like a portrait: large dark areas (hair, clothes) and strong variance."""
    grey = cv2.cvtColor(card, cv2.COLOR_BGR2GRAY)
    x0, y0, x1, y1 = (round(box[0] * CARD_W), round(box[1] * CARD_H),
                      round(box[2] * CARD_W), round(box[3] * CARD_H))  # fmt: skip
    patch = grey[y0:y1, x0:x1].astype(np.float32)
    return float((patch < 0.55 * np.median(grey)).mean() + patch.std() / 255.0)


class CardImagePipeline:
    def __init__(self, options: ImageReadOptions | None = None) -> None:
        self.options = options or ImageReadOptions()
        self.layouts = load_layouts(self.options.layouts_dir)

    # ---- stages -------------------------------------------------------------------------------
    def locate(self, frame: np.ndarray, guesses: bool = False) -> Located:
        """The corrected card and what its place in the frame suggests; IdError only when there is
        no card at all (no_card) or no picture (bad_image). With ``guesses`` (a one-shot read, not
        the camera loop), a frame with nothing card-shaped still offers its large blobs to read."""
        frame = as_bgr(frame)
        ranked = detect_candidates(frame, 1 + MAX_RETRIES)
        if not ranked or (ranked[0].loose and not guesses):
            raise IdError("no_card")
        detection = ranked[0]
        card = warp_card(frame, detection.corners)
        if detection.fills_frame and len(survey_lines(card)) < 2:
            raise IdError("no_card")  # a card-shaped picture with no print on it
        return Located(
            card,
            quality.detection_hint(detection),
            frame,
            tuple(ranked[1:]),
            detection.loose,
            quality.card_width_px(detection),
        )

    def classify(self, card: np.ndarray) -> CardLayout | None:
        scored = sorted(((_photo_score(card, layout.photo), layout) for layout in self.layouts.values()),
                        key=lambda pair: pair[0], reverse=True)  # fmt: skip
        if not scored:
            return None
        if len(scored) > 1 and scored[0][0] - scored[1][0] < 0.05:
            return None  # no side looks like a portrait: let the layout-free read decide
        return scored[0][1]

    def read(self, frame: np.ndarray, today: date | None = None) -> IdDocument:
        return self.read_located(self.locate(frame, guesses=True), today)

    def read_located(self, located: Located, today: date | None = None) -> IdDocument:
        """Read the best outline; when nothing on it validates, the next-best ones (at most
        MAX_RETRIES more), stopping at the first that validates or when the read's budget is spent.
        A refusal keeps the best outline's cause (what the person is asked to fix) and counts every
        read weighed."""
        budget = Budget(self.options.read_budget_s)
        others = located.frame is not None and bool(located.retries)
        try:  # with other outlines to read, the card turned over gets its layout read, not a survey
            document = self.read_card(
                located.card, today, located.hint, budget, survey_turned=not others, width_px=located.width_px
            )
        except IdError as exc:
            first = IdError("no_card", exc.detail, exc.candidates_tried) if located.guessed else exc
            if located.frame is None or not located.retries or isinstance(exc, RrnReadRefusal):
                # a validated RRN on the best outline says the card is there: another outline holds
                # no other card (on tuning cards no retry ever won after one; they cost the slowest
                # refusals 1-4 s)
                raise first from None
            tried = first.candidates_tried
            for rank, detection in enumerate(located.retries[:MAX_RETRIES], start=2):
                if budget.spent():
                    break
                card = warp_card(located.frame, detection.corners)
                if len(survey_lines(card)) < 2:
                    continue  # nothing printed there: not worth a read
                try:
                    hint = quality.detection_hint(detection)
                    document = self.read_card(
                        card, today, hint, budget, retry=True, width_px=quality.card_width_px(detection)
                    )
                except IdError as retry_error:
                    tried += retry_error.candidates_tried
                    continue
                document.candidates_tried += tried
                return _won(document, rank, detection)
            raise IdError(first.code, first.detail, tried) from first
        return _won(document, 1, None)

    def read_card(self, card: np.ndarray, today: date | None = None, hint: str | None = None,
                  budget: Budget | None = None, survey_turned: bool = True,
                  retry: bool = False, width_px: float = CARD_W) -> IdDocument:  # fmt: skip
        """The card's fields, read the right way up and, when nothing legible was found, upside down
        (its layout read, then — ``survey_turned`` — the layout-free survey), within the budget. On
        a ``retry`` outline even the first survey is optional: it waits on the budget."""
        tried, rrn_seen = 0, False
        budget = budget or Budget(self.options.read_budget_s)
        glyphs = width_px >= GLYPH_MIN_CARD_PX
        for turn, attempt in enumerate((card, cv2.rotate(card, cv2.ROTATE_180))):
            layout = self.classify(attempt)
            found = False
            read = None
            if layout is not None:
                lang = self.options.ocr_lang or layout.stack_lang
                vote = self.options.vote_digits
                # only resident cards print hanja after the name: a licence's name line is not read for them
                hanja = self.options.read_hanja and layout.kind is DocumentKind.RESIDENT_CARD
                read = CardRead(attempt, self._layout_lines(layout), lang, today, vote=vote, hanja=hanja,
                                glyphs=glyphs)  # fmt: skip
                read.pass1()
                if not read.settled() and read.found_anything():
                    read.pass2()
                elif read.settled() and read.missing_numbers():
                    read.pass2(names=False)  # name and RRN agreed: only the licence number or date
                tried += read.candidates_tried
                if _complete(read):
                    return self._document(read, layout.kind, attempt, layout, "layout", tried)
                found = read.found_anything()
                rrn_seen = rrn_seen or read.best("rrn") is not None
            if turn and (budget.spent() or not survey_turned):
                break  # the card turned over, its layout read: no time (or other outlines) for a survey
            if retry and budget.spent():
                break  # a runner-up outline past the budget: its survey (up to 2 s on a glare blob) waits
            level = level_print(attempt)  # without the layout's boxes, slanted lines merge
            survey = survey_card(level)
            tried += len(survey.reads)
            if survey.legible():
                lines, kinds = survey.field_lines(today)
                free = CardRead(level, lines, "kor", today, vote=self.options.vote_digits,
                                hanja=self.options.read_hanja, glyphs=glyphs)  # fmt: skip
                for index, kind in kinds.items():
                    free.add_reads(kind, [survey.reads[index]])
                if read is not None:
                    free.carry(read)
                if free.wants("rrn"):
                    free.pass2()
                tried += free.candidates_tried
                rrn_seen = rrn_seen or free.best("rrn") is not None
                if _complete(free):
                    return self._document(free, survey.kind(), level, None, "layout_free", tried)
            out_of_time = budget.spent()
            if turn == 0 and (survey.looks_like_passport() or not (survey.legible() or out_of_time)):
                try:  # before trying the card upside down: is it a passport page?
                    return self._read_mrz(card)
                except IdError:
                    pass
            if found or survey.legible() or out_of_time:
                break  # legible the right way up (turning it over will not help), or no time left
        raise self._refusal(card, hint, tried, "unreadable" if rrn_seen else "invalid_rrn", rrn_seen)

    def _refusal(self, card: np.ndarray, hint: str | None, tried: int, fallback: str,
                 rrn_seen: bool = False) -> IdError:  # fmt: skip
        lines = survey_lines(card)
        report = quality.measure_card(card, [line.box for line in lines])
        cause = quality.likely_cause(hint, report)
        kind = RrnReadRefusal if rrn_seen else IdError
        return kind(cause or fallback, "no candidate read validated", tried)

    def _layout_lines(self, layout: CardLayout) -> list[FieldLine]:
        return [
            FieldLine(r.kind, r.pixels(), r.font_px)
            for r in layout.ocr_regions()
            if r.kind in STACKED_KINDS and (r.kind != "serial" or self.options.read_license_serial)
        ]

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

    def _document(self, read: CardRead, kind: DocumentKind, card: np.ndarray, layout: CardLayout | None,
                  method: str, tried: int) -> IdDocument:  # fmt: skip
        name, rrn_candidate = read.best("hangul_name"), read.best("rrn")
        assert name is not None and rrn_candidate is not None
        value = rrn_candidate.value
        rrn = RRN(value[:6], value[7:])
        keep = self.options.keep_gender_digit
        masked, face = None, None  # without a layout the RRN's place is a guess: store no image
        if layout is not None and "rrn" in layout.regions:
            masked = mask_rrn_image(card, layout.regions["rrn"], keep)
            x0, y0, x1, y1 = Region("photo", layout.photo).pixels()
            face = card[y0:y1, x0:x1].copy()
        doc = IdDocument(kind=kind, name=name.value, rrn=rrn.hyphenated, rrn_masked=rrn.masked(keep),
                         birth_date=rrn.birth_date, masked_image=masked, face_image=face,
                         source="image")  # fmt: skip
        doc.confidence = {"name": name.confidence, "rrn": rrn_candidate.confidence}
        doc.issue_date = read.issue_date()
        doc.confidence["issue_date"] = 0.8 if doc.issue_date else 0.0
        if kind is DocumentKind.DRIVER_LICENSE:
            number = read.best("license_number")
            doc.license_number = number.value if number else ""
            doc.confidence["license_number"] = number.confidence if number else 0.0
            doc.license_serial = read.serial
        doc.candidates_tried = tried
        doc.extra["method"] = method
        doc.extra["candidate"] = (
            f"name={name.source} ({name.votes}), rrn={rrn_candidate.source} ({rrn_candidate.votes})"
        )
        if rrn_candidate.notes:
            doc.extra["rrn_evidence"] = ",".join(rrn_candidate.notes)
        return doc


def warm_up() -> list[Future[None]]:
    """What a reader loads before its first card, so it is not the person's wait: the OCR models
    start loading on the OCR workers (the futures finish when they have), and the glyph reader's
    reference digits are drawn on the calling thread (~0.5 s; a reader's worker, never the GUI)."""
    langs: tuple[str, ...] = ("kor", "eng", "kor+eng")
    if tess_api.model_installed(hanja_name.HANJA_LANG):
        langs += (hanja_name.HANJA_LANG,)
    loading = tess_api.warm_up(langs)
    glyph_digits.references()
    hanja_name.readings("(金)")  # the reading table, parsed once
    return loading


def _spent_cpu() -> float:
    """CPU seconds of this process (the in-process OCR's threads included) and of the OCR processes
    it waited for (the CLI fallback). CPU, not wall time: the same card gets the same read however
    busy the machine is; on the kiosk's two idle cores a read's wall time is at most its CPU time,
    as the two OCR workers run side by side."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


class Budget:
    """What one read may spend before it starts no optional stage (``read_budget_s``)."""

    def __init__(self, seconds: float) -> None:
        self.deadline = _spent_cpu() + seconds

    def spent(self) -> bool:
        return _spent_cpu() >= self.deadline


def _won(document: IdDocument, rank: int, detection: Detection | None) -> IdDocument:
    """Note which outline the read came from (1: the best; 2+: a retry) in the candidate info."""
    where = "best" if detection is None else "whole_frame" if detection.fills_frame else "runner_up"
    document.extra["outline"] = f"{rank} ({where})"
    if "candidate" in document.extra:
        document.extra["candidate"] += f", outline={rank} ({where})"
    return document


def _complete(read: CardRead) -> bool:
    return read.best("hangul_name") is not None and read.best("rrn") is not None


def survey_lines(card: np.ndarray) -> list[TextLine]:
    return find_lines(card)
