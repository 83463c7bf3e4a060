"""The virtual scanner renders cards that vary like real ones: every Korean face, several designs per
kind, flatbed crops and camera shots, and two kinds of glare. These tests check the drawing and draw
every face and design, held-out ones included; none of them reads a card (reader tests use TUNING)."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from devices.id.emulators.capture import DARK_LID, LIGHT_LID, Perturbation
from devices.id.emulators.card_print import CARD_H, CARD_W, px
from devices.id.emulators.card_render import render_card, render_flat
from devices.id.emulators.designs import ALL_DESIGNS, DEFAULT_DESIGNS, CardDesign, design_named
from devices.id.emulators.fonts import (
    ALL_FONTS,
    DEFAULT_FONT,
    CardFont,
    font_named,
    has_glyph,
    installed_fonts,
    runs,
)
from devices.id.emulators.identities import SyntheticIdentity, generate_identity
from devices.id.emulators.samples import LEVELS, canonical_level, capture_for, card_samples
from devices.id.emulators.split import (
    HELD_OUT_DESIGNS,
    HELD_OUT_FONTS,
    TUNING,
    design_split,
    designs,
    font_split,
    fonts,
    tuning_designs,
    tuning_fonts,
)
from devices.id.model import DocumentKind

RC, DL = DocumentKind.RESIDENT_CARD, DocumentKind.DRIVER_LICENSE
WHO: SyntheticIdentity = generate_identity(random.Random(404))


def grey(image: np.ndarray) -> np.ndarray:
    return np.asarray(image, np.float32).mean(axis=2)


def field_patch(card: np.ndarray, design: CardDesign, name: str) -> np.ndarray:
    x0, y0, x1, y1 = px(design.fields[name].box)
    return grey(card[y0:y1, x0:x1])


# ---- faces -------------------------------------------------------------------------------------------


def test_every_korean_family_debian_ships_is_installed_and_known() -> None:
    missing = [f.name for f in ALL_FONTS if not f.installed]
    assert not missing, f"install fonts-nanum fonts-unfonts-core fonts-baekmuk fonts-noto-cjk: {missing}"
    assert {f.family for f in installed_fonts()} == {"nanum", "unfonts", "baekmuk", "noto"}
    with pytest.raises(ValueError, match="unknown card font"):
        font_named("Comic Sans")


@pytest.mark.parametrize("font", installed_fonts(), ids=lambda f: f.name)
def test_each_face_prints_the_name_line_in_its_own_glyphs(font: CardFont) -> None:
    card = render_flat(WHO, RC, 1, font=font)
    reference = render_flat(WHO, RC, 1, font=DEFAULT_FONT)
    design = DEFAULT_DESIGNS[RC]
    name = field_patch(card, design, "name")
    assert card.shape == (CARD_H, CARD_W, 3)
    assert (name < 110).mean() > 0.01  # dark ink is on the name line
    if font != DEFAULT_FONT:
        assert not np.array_equal(name, field_patch(reference, design, "name"))


def test_faces_without_hanja_borrow_glyphs_instead_of_printing_boxes() -> None:
    coding = font_named("NanumGothicCoding")  # has Hangul, no hanja
    assert has_glyph(coding, "홍") and not has_glyph(coding, "洪")
    parts = runs(coding, "홍길동(洪吉童)")
    assert [f.name for f, _ in parts] == ["NanumGothicCoding", "NanumGothic", "NanumGothicCoding"]
    assert "".join(text for _, text in parts) == "홍길동(洪吉童)"


# ---- designs -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("design", ALL_DESIGNS, ids=lambda d: d.name)
def test_each_design_puts_its_photo_and_stock_where_it_says(design: CardDesign) -> None:
    card = render_flat(WHO, design.kind, 3, design=design)
    x0, y0, x1, y1 = px(design.photo)
    photo = grey(card[y0:y1, x0:x1])
    # the portrait has dark hair and clothes; the card stock around it is pale, in the design's colour
    assert (photo < 80).mean() > 0.08
    corner = card[5:40, CARD_W // 2 - 40 : CARD_W // 2 + 40].reshape(-1, 3)[:, ::-1].mean(axis=0)  # to RGB
    assert np.abs(corner - np.array(design.paper)).max() < 20
    assert corner.mean() > 200
    if design.ghost is not None:  # the faded second portrait: visible, but far paler than the photo
        gx0, gy0, gx1, gy1 = px(design.ghost)
        ghost = grey(card[gy0:gy1, gx0:gx1])
        assert ghost.std() > 8 and ghost.min() > 120


def test_designs_differ_in_layout_and_the_defaults_match_the_old_cards() -> None:
    for kind in (RC, DL):
        boxes = {d.fields["rrn"].box for d in ALL_DESIGNS if d.kind is kind}
        photos = {d.photo for d in ALL_DESIGNS if d.kind is kind}
        assert len(boxes) >= 3 and len(photos) >= 3
    # render_card without a design draws what it always drew
    assert np.array_equal(render_flat(WHO, RC, 2), render_flat(WHO, RC, 2, design=design_named("rc-1999")))
    with pytest.raises(ValueError, match="is a driver_license"):
        render_flat(WHO, RC, design=design_named("dl-2017"))


def test_a_captioned_design_prints_the_caption_before_the_value() -> None:
    design = design_named("dl-1999")

    def first_dark_column(d: CardDesign) -> int:
        patch = field_patch(render_flat(WHO, DL, 5, design=d), d, "name")
        return int(np.argmax((patch < 60).any(axis=0)))  # the value's ink; the grey caption is lighter

    captioned, plain = first_dark_column(design), first_dark_column(replace(design, captions={}))
    assert plain < 10
    assert captioned > plain + 25  # "성명" sits where the name would start


# ---- captures ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("background", ["light", "black"])
def test_a_tight_flatbed_crop_is_all_card(background: str) -> None:
    p = Perturbation(capture="flatbed", background=background, card_width_px=1100, seed=9)
    frame = render_card(WHO, RC, p)
    assert frame.shape[:2] == (round(1100 * CARD_H / CARD_W), 1100)
    g = grey(frame)
    # the edges are card stock (pale) along their middles; only the rounded corners show the lid
    edges = np.concatenate([g[0, 100:-100], g[-1, 100:-100], g[100:-100, 0], g[100:-100, -1]])
    assert edges.mean() > 200
    corner = g[:4, :4].mean()
    assert abs(corner - (LIGHT_LID if background == "light" else DARK_LID)) < 12


def test_a_flatbed_crop_with_a_dark_margin_shows_the_lid_around_the_card() -> None:
    p = Perturbation(capture="flatbed", background="black", margin=0.05, card_width_px=1000, seed=3)
    frame = render_card(WHO, DL, p)
    assert frame.shape[:2] == (round(1000 * CARD_H / CARD_W + 100), 1100)
    g = grey(frame)
    assert g[:30].mean() < 40 and g[:, :30].mean() < 40  # the black lid
    card_fraction = (g > 150).mean()
    assert 0.6 < card_fraction < 0.9  # most of the image is card


def test_a_camera_shot_is_the_frame_with_the_card_in_it() -> None:
    p = Perturbation.level("moderate", 12)
    frame = render_card(WHO, RC, p)
    assert frame.shape == (p.frame_size[1], p.frame_size[0], 3)
    g = grey(frame)
    assert g[:20, :20].mean() < 150  # desk or cloth in the corner, not card
    assert g[450:550, 650:750].mean() > 150  # the card near the middle


def test_a_card_on_a_printed_form_has_text_lines_around_it() -> None:
    frame = render_card(WHO, RC, Perturbation(background="papers", card_width_px=700, seed=2))
    around = grey(frame)[:150]  # above the card: the form
    rows = around.mean(axis=1)
    assert around.mean() > 150 and rows.max() - rows.min() > 30  # pale paper, dark printed rows


def test_hard_is_the_old_heavy_and_levels_are_named() -> None:
    assert Perturbation.level("heavy", 5) == Perturbation.level("hard", 5)
    assert canonical_level("heavy") == "hard"
    with pytest.raises(ValueError, match="unknown level"):
        canonical_level("extreme")


# ---- glare -------------------------------------------------------------------------------------------


def flat_capture(**glare: object) -> Perturbation:
    """A flatbed crop at the card's own size: card pixels map one to one."""
    return replace(Perturbation(capture="flatbed", background="light", card_width_px=CARD_W), **glare)


def test_readable_glare_brightens_the_field_but_leaves_its_text_apart_from_the_paper() -> None:
    design = DEFAULT_DESIGNS[RC]
    box = design.fields["rrn"].box
    at = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
    plain = field_patch(render_card(WHO, RC, flat_capture()), design, "rrn")
    glared = field_patch(
        render_card(WHO, RC, flat_capture(glare=0.6, glare_kind="readable", glare_at=at, glare_size=0.2)),
        design,
        "rrn",
    )
    assert glared.mean() > plain.mean() + 10  # a person sees the highlight
    ink, paper = np.percentile(glared, 2), np.percentile(glared, 90)
    assert paper - ink > 60  # …and can still read the digits


def test_washout_glare_burns_the_field_to_white() -> None:
    design = DEFAULT_DESIGNS[RC]
    frame = render_card(WHO, RC, flat_capture(glare=1.0, glare_kind="washout", glare_field="name"))
    name = field_patch(frame, design, "name")
    assert np.percentile(name, 2) > 225  # no ink left on the name line
    issuer = field_patch(frame, design, "issuer")
    assert np.percentile(issuer, 2) < 100  # the rest of the card is untouched


# ---- split and sample sets ---------------------------------------------------------------------------


def test_the_split_is_disjoint_and_holds_out_a_family_and_a_design_per_kind() -> None:
    tuning, held = {f.name for f in fonts("tuning")}, {f.name for f in fonts("held_out")}
    assert tuning and held and not tuning & held
    assert held == set(HELD_OUT_FONTS) and not HELD_OUT_FONTS & {f.name for f in tuning_fonts()}
    assert tuning | held == {f.name for f in installed_fonts()}
    # a whole family no tuning face comes from
    assert {font_named(n).family for n in held} - {font_named(n).family for n in tuning}
    for kind in (RC, DL):
        assert designs("held_out", kind) and tuning_designs(kind)
        assert not {d.name for d in tuning_designs(kind)} & HELD_OUT_DESIGNS
        assert design_split(DEFAULT_DESIGNS[kind]) == TUNING
    assert font_split(DEFAULT_FONT) == TUNING
    with pytest.raises(ValueError, match="unknown split"):
        fonts("everything")


@pytest.mark.parametrize("level", [*LEVELS, "washout"])
def test_tuning_samples_never_touch_held_out_cards_and_are_deterministic(level: str) -> None:
    samples = card_samples(level, 12, TUNING, seed=4)
    assert not any(s.held_out for s in samples)
    assert {s.kind for s in samples} == {RC, DL}
    again = card_samples(level, 2, TUNING, seed=4)
    assert np.array_equal(samples[0].render(), again[0].render())
    assert not np.array_equal(samples[0].render(), card_samples(level, 1, TUNING, seed=5)[0].render())


def test_the_bench_mix_crosses_held_out_faces_and_designs_within_four_cards() -> None:
    samples = card_samples("clean", 8, "mixed", seed=1)
    crossings = {(s.font_split, s.design_split) for s in samples}
    assert crossings == {("tuning", "tuning"), ("held_out", "held_out"), ("tuning", "held_out"),
                         ("held_out", "tuning")}  # fmt: skip
    assert any(s.held_out for s in samples[:4]) and not all(s.held_out for s in samples[:4])


def test_clean_cards_are_flatbed_crops_and_cards_on_the_glass() -> None:
    captures = {capture_for("clean", seed).capture for seed in range(8)}
    backgrounds = {capture_for("clean", seed).background for seed in range(8)}
    margins = {capture_for("clean", seed).margin > 0 for seed in range(8)}
    assert captures == {"flatbed", "camera"}
    assert {"light", "black"} <= backgrounds and margins == {True, False}
    hard = [capture_for("hard", seed) for seed in range(6)]
    assert all(p.glare_kind == "readable" and p.glare >= 0.45 for p in hard)


def test_the_virtual_scanner_lays_down_any_face_and_design(tmp_path: Path) -> None:
    import cv2

    from devices.id.emulators.scanner import VirtualScanner

    p = Perturbation(capture="flatbed", background="black", margin=0.03, card_width_px=900, seed=1)
    font, design = font_named("UnDotum"), design_named("rc-2013")
    scanner = VirtualScanner()
    placed = scanner.place(WHO, RC, p, font=font, design=design)
    assert np.array_equal(placed, render_card(WHO, RC, p, font=font, design=design))
    assert scanner() is not None and scanner().shape == placed.shape  # the flatbed crop, not the glass
    saved = VirtualScanner.save_to(tmp_path, WHO, RC, p, font=font, design=design)
    assert np.array_equal(cv2.imread(str(saved)), placed)
