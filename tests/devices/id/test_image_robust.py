"""Issue 15, held-out cards: what a card printed off its layout, a card found askew and a misread
surname do to the read. Cards come from the TUNING split only (devices/id/emulators/split.py).
"""

from __future__ import annotations

from datetime import date

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.id.emulators.card_render import render_flat
from devices.id.emulators.samples import card_samples
from devices.id.image.candidates import name_ballot
from devices.id.image.card_read import CardRead, FieldLine
from devices.id.image.layouts import CARD_H, CARD_W
from devices.id.image.lines import level_print, skew_angle
from devices.id.image.ocr import OcrText, follow_print
from devices.id.image.pipeline import CardImagePipeline
from devices.id.image.validate import LICENSE_REGIONS, parse_license_number
from devices.id.model import DocumentKind

TODAY = date(2026, 11, 26)
HANDWRITING = ("UnPilgi", "UnGungseo")


def _flat(kind: DocumentKind) -> tuple[np.ndarray, object]:
    sample = next(s for s in card_samples("clean", 8, split="tuning", seed=3)
                  if s.kind is kind and s.font.name not in HANDWRITING and not s.design.captions)  # fmt: skip
    assert not sample.held_out
    return render_flat(sample.identity, sample.kind, 0, font=sample.font, design=sample.design), sample


# ---- validation: a misread surname is never an answer ----------------------------------------------


def test_a_name_without_a_known_surname_is_never_returned_however_many_variants_agree() -> None:
    ballot = name_ballot()
    for source in ("a", "b", "c", "d"):
        ballot.add(OcrText("항숙", 0.9, source))  # 황 read as 항 by every variant
    assert ballot.best() is None and not ballot.settled()  # refuse (ask again) rather than misname
    ballot.add(OcrText("황숙", 0.75, "e"))
    best = ballot.best()
    assert best is not None and best.value == "황숙"


def test_a_licence_number_with_a_dash_read_as_a_dot_is_still_the_licence_number() -> None:
    assert parse_license_number("20-06-509749.42") == "20-06-509749-42"
    assert parse_license_number("2006.06.08") is None  # a date is not a licence number
    assert parse_license_number("적성검사기간 2034.01.01 ~ 2034.12.31") is None


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(sorted(LICENSE_REGIONS)), st.integers(0, 99), st.integers(0, 999_999),
       st.integers(0, 99), st.lists(st.sampled_from(["-", ".", ""]), min_size=3, max_size=3))  # fmt: skip
def test_licence_number_separators_never_change_the_number(
    region: int, year: int, serial: int, check: int, seps: list[str]
) -> None:
    text = f"{region:02d}{seps[0]}{year:02d}{seps[1]}{serial:06d}{seps[2]}{check:02d}"
    assert parse_license_number(text) == f"{region:02d}-{year:02d}-{serial:06d}-{check:02d}"


# ---- a card printed off its layout ---------------------------------------------------------------


def test_an_rrn_found_in_the_name_box_is_an_rrn_read_and_is_carried_to_the_layout_free_read() -> None:
    card = np.full((CARD_H, CARD_W, 3), 255, np.uint8)
    lines = [FieldLine("hangul_name", (50, 140, 600, 200), 40), FieldLine("rrn", (50, 220, 600, 280), 40)]
    layout = CardRead(card, lines, "kor", TODAY)
    layout.add_reads("hangul_name", [OcrText("570531-1723613", 0.8, "p1k:flatx1"),
                                     OcrText("경기도 수원시", 0.9, "p1k:greyx0.8")])  # fmt: skip
    rrn = layout.best("rrn")
    assert rrn is not None and rrn.value == "570531-1723613"
    free = CardRead(card, lines, "kor", TODAY)
    free.carry(layout)
    carried = free.best("rrn")
    assert carried is not None and carried.value == "570531-1723613"
    assert carried.source.startswith("layout/")
    assert free.best("hangul_name") is None  # a layout box that missed its line holds the address


@pytest.mark.parametrize("kind", [DocumentKind.RESIDENT_CARD, DocumentKind.DRIVER_LICENSE])
def test_the_crop_follows_print_that_runs_past_the_layout_box(kind: DocumentKind) -> None:
    flat, sample = _flat(kind)
    spec = sample.design.fields["rrn"]  # type: ignore[attr-defined]
    y0, y1 = round(spec.box[1] * CARD_H), round(spec.box[3] * CARD_H)
    box_x0, box_x1 = round(spec.box[0] * CARD_W), round(spec.box[2] * CARD_W)
    band = cv2.cvtColor(flat[y0:y1, box_x0:box_x1], cv2.COLOR_BGR2GRAY)
    ink_x0 = box_x0 + int(np.argmax((band < 128).any(axis=0)))  # the first digit as printed
    # the layout believes the line starts a glyph and a half right of where it was printed: the
    # crop (half a glyph of room) would begin inside the second digit
    late = (ink_x0 + round(1.5 * spec.font_px), y0, box_x1, y1)
    x0, *_ = follow_print(flat, late, spec.font_px)
    assert x0 <= ink_x0 + 1  # back to the first digit
    # a box that holds its line whole stays as it is
    assert follow_print(flat, (box_x0, y0, box_x1, y1), spec.font_px)[:2] == (box_x0, y0)


@pytest.mark.parametrize("kind", [DocumentKind.RESIDENT_CARD, DocumentKind.DRIVER_LICENSE])
def test_the_crop_follows_print_that_runs_above_or_below_the_layout_box(kind: DocumentKind) -> None:
    flat, sample = _flat(kind)
    spec = sample.design.fields["name"]  # type: ignore[attr-defined]
    x0, y0 = round(spec.box[0] * CARD_W), round(spec.box[1] * CARD_H)
    x1, y1 = round(spec.box[2] * CARD_W), round(spec.box[3] * CARD_H)
    rows = np.where((cv2.cvtColor(flat[y0:y1, x0:x1], cv2.COLOR_BGR2GRAY) < 128).any(axis=1))[0]
    ink_top, ink_bottom = y0 + int(rows[0]), y0 + int(rows[-1])  # the name's print as drawn
    # the layout believes the line sits a fifth of a glyph lower / higher than printed: its crop (six
    # pixels of room) cuts the syllables' top strokes (ㅈ is ㅅ without its bar) / their bottoms
    shift = spec.font_px // 5
    _, top, _, _ = follow_print(flat, (x0, ink_top + shift, x1, ink_bottom + shift), spec.font_px)
    assert top - 6 <= ink_top  # the crop starts above the top stroke again
    _, _, _, bottom = follow_print(flat, (x0, ink_top - shift, x1, ink_bottom - shift), spec.font_px)
    assert bottom + 6 >= ink_bottom
    # a box holding its line whole keeps its height: the next line, a gap below, is not followed
    whole = (x0, ink_top - 3, x1, ink_bottom + 3)
    assert follow_print(flat, whole, spec.font_px)[1::2] == whole[1::2]


def test_a_name_printed_higher_than_the_layout_keeps_its_top_strokes() -> None:
    # the 2025 resident card prints its name at the top of where the layout has it: 장태주 was read
    # 상태수 (ㅈ with its bar cut off) by every variant on this tuning card
    sample = card_samples("moderate", 21, split="tuning", seed=7)[20]
    assert not sample.held_out and (sample.design.name, sample.identity.name) == ("rc-2025", "장태주")
    document = CardImagePipeline().read(sample.render())
    assert (document.name, document.rrn) == (sample.identity.name, sample.identity.rrn)


# ---- a card found askew ------------------------------------------------------------------------------


@pytest.mark.parametrize("turn", [-3.0, 2.5])
def test_print_found_askew_is_levelled(turn: float) -> None:
    flat, _ = _flat(DocumentKind.RESIDENT_CARD)
    matrix = cv2.getRotationMatrix2D((CARD_W / 2, CARD_H / 2), turn, 1.0)
    askew = cv2.warpAffine(flat, matrix, (CARD_W, CARD_H), borderMode=cv2.BORDER_REPLICATE)
    assert abs(skew_angle(askew) + turn) <= 0.5
    assert abs(skew_angle(level_print(askew))) <= 0.5
    assert level_print(flat) is flat  # a level card is left alone


def test_a_card_printed_off_its_layout_on_a_busy_desk_is_read() -> None:
    """A hand-held shot on a printed form under glare, the card found a little off: the RRN lands
    in the name's box. The read takes it from there and the name from the line above it."""
    sample = next(s for s in card_samples("hard", 24, split="tuning", seed=7)
                  if s.capture == "camera-papers-glare-readable" and s.font.name not in HANDWRITING
                  and s.kind is DocumentKind.DRIVER_LICENSE)  # fmt: skip
    doc = CardImagePipeline().read(sample.render())
    assert (doc.name, doc.rrn) == (sample.identity.name, sample.identity.rrn)
