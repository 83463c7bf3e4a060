"""The image path end to end on a handful of rendered cards (the full set is `kiosk bench id`)."""

from __future__ import annotations

import random
from datetime import date

import cv2
import numpy as np
import pytest

from devices.id.emulators.card_render import Perturbation, render_card, render_flat
from devices.id.emulators.identities import SyntheticIdentity, generate_identity
from devices.id.image.layouts import Region, layout_for
from devices.id.image.ocr import read_region
from devices.id.image.pipeline import CardImagePipeline, ImageReadOptions
from devices.id.model import DocumentKind, IdError


def person(seed: int) -> SyntheticIdentity:
    return generate_identity(random.Random(seed))


@pytest.fixture(scope="module")
def pipeline() -> CardImagePipeline:
    return CardImagePipeline()


@pytest.mark.parametrize(
    ("seed", "kind", "level"),
    [
        (11, DocumentKind.RESIDENT_CARD, "clean"),
        (12, DocumentKind.DRIVER_LICENSE, "clean"),
        (13, DocumentKind.RESIDENT_CARD, "moderate"),
        (14, DocumentKind.DRIVER_LICENSE, "moderate"),
    ],
)
def test_reads_name_rrn_and_dates(
    pipeline: CardImagePipeline, seed: int, kind: DocumentKind, level: str
) -> None:
    who = person(seed)
    doc = pipeline.read(render_card(who, kind, Perturbation.level(level, seed)))
    assert doc.kind is kind
    assert doc.name == who.name
    assert doc.rrn == who.rrn
    assert doc.rrn_masked == who.rrn[:8] + "******"
    assert doc.birth_date == who.birth_date
    assert doc.issue_date == who.issue_date
    if kind is DocumentKind.DRIVER_LICENSE:
        assert doc.license_number == who.license_number
    assert doc.verified is False
    assert 0 < doc.confidence["rrn"] <= 1
    assert who.rrn not in repr(doc) and who.rrn[7:] not in str(doc.public_fields())


@pytest.mark.parametrize(
    ("kind", "level"), [(DocumentKind.RESIDENT_CARD, "clean"), (DocumentKind.DRIVER_LICENSE, "moderate")]
)
def test_stored_image_has_the_rrn_back_digits_blacked_out(
    pipeline: CardImagePipeline, kind: DocumentKind, level: str
) -> None:
    who = person(21)
    doc = pipeline.read(render_card(who, kind, Perturbation.level(level, 21)))
    assert doc.masked_image is not None and doc.face_image is not None
    region = layout_for(kind).regions["rrn"]
    text = read_region(doc.masked_image, region).text.replace(" ", "")
    assert who.rrn[8:] not in text  # the six back digits are gone
    x0, y0, x1, y1 = region.pixels()
    assert (doc.masked_image[y0:y1, x0:x1] == 0).all(axis=2).mean() > 0.15
    # what a person sees left of the black box: the front part and the gender digit
    black_columns = np.where((doc.masked_image[y0:y1, x0:x1] == 0).all(axis=2).mean(axis=0) > 0.5)[0]
    left = Region("front", (region.box[0], region.box[1], (x0 + black_columns[0] - 3) / 1012, region.box[3]),
                  region.font_px, lang="eng", psm=7, whitelist="0123456789-")  # fmt: skip
    assert who.rrn[:8] in read_region(doc.masked_image, left).text.replace(" ", "")


def test_gender_digit_can_be_masked_too() -> None:
    who = person(22)
    pipeline = CardImagePipeline(ImageReadOptions(keep_gender_digit=False))
    doc = pipeline.read(render_card(who, DocumentKind.RESIDENT_CARD, Perturbation.level("clean", 22)))
    assert doc.rrn_masked == who.rrn[:7] + "*******"
    region = layout_for(DocumentKind.RESIDENT_CARD).regions["rrn"]
    assert doc.masked_image is not None
    text = read_region(doc.masked_image, region).text.replace(" ", "")
    assert who.rrn[7:] not in text and who.rrn[:6] in text


def test_upside_down_card(pipeline: CardImagePipeline) -> None:
    who = person(23)
    frame = render_card(who, DocumentKind.RESIDENT_CARD, Perturbation(rotation_deg=179, background="scanner"))
    doc = pipeline.read(frame)
    assert (doc.name, doc.rrn) == (who.name, who.rrn)


def test_layout_free_fallback_reads_a_card_whose_layout_does_not_match(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A design where every region sits elsewhere: the layout read fails, the pattern read works."""
    who = person(24)
    flat = render_flat(who, DocumentKind.RESIDENT_CARD)
    moved = np.full_like(flat, 245)
    moved[60:, :] = flat[:-60, :]  # the whole print shifted down by a tenth of the card
    pipeline = CardImagePipeline()
    doc = pipeline.read_card(moved)
    assert doc.extra.get("method") == "layout_free"
    assert doc.masked_image is None and doc.face_image is None  # RRN position unknown: keep no image
    assert (doc.name, doc.rrn) == (who.name, who.rrn)


@pytest.mark.parametrize(
    ("perturbation", "code"),
    [
        (Perturbation(card_width_px=160, background="desk"), "too_small"),
        (Perturbation(offset=(0.65, 0.0), background="desk"), "cut_off"),
    ],
)
def test_guidance_codes(pipeline: CardImagePipeline, perturbation: Perturbation, code: str) -> None:
    """Read first, refuse last: only a card that cannot be read gets the guidance, and the guidance
    names what the frame shows (a card far away, a card half out of the picture)."""
    with pytest.raises(IdError) as info:
        pipeline.read(render_card(person(30), DocumentKind.RESIDENT_CARD, perturbation))
    assert info.value.code == code
    assert info.value.message_ko


def test_a_card_partly_out_of_the_frame_is_read_right_or_named_cut_off(pipeline: CardImagePipeline) -> None:
    """42% of the card outside the picture: the crop follows the print, so it may still read — but never
    wrongly; when it can't, the person is told the card is cut off."""
    who = person(30)
    card = render_card(who, DocumentKind.RESIDENT_CARD, Perturbation(offset=(0.42, 0.0), background="desk"))
    try:
        doc = pipeline.read(card)
    except IdError as exc:
        assert exc.code == "cut_off"
    else:
        assert (doc.name, doc.rrn) == (who.name, who.rrn)


def test_a_small_but_legible_card_is_read_not_refused(pipeline: CardImagePipeline) -> None:
    """420 px wide in a 1400 px frame used to be refused as too_small before any OCR."""
    who = person(30)
    doc = pipeline.read(render_card(who, DocumentKind.RESIDENT_CARD, Perturbation(card_width_px=420)))
    assert (doc.name, doc.rrn) == (who.name, who.rrn)


def test_a_tiny_card_is_read_right_or_asked_closer_never_misread(pipeline: CardImagePipeline) -> None:
    who = person(30)
    try:
        doc = pipeline.read(render_card(who, DocumentKind.RESIDENT_CARD, Perturbation(card_width_px=240)))
    except IdError as exc:
        assert exc.code == "too_small"
    else:
        assert (doc.name, doc.rrn) == (who.name, who.rrn)


def test_no_card_in_a_photo_of_a_desk(pipeline: CardImagePipeline) -> None:
    rng = np.random.default_rng(1)
    desk = np.clip(rng.normal(110, 8, (900, 1200, 3)), 0, 255).astype(np.uint8)
    for frame in (desk, np.zeros((600, 800, 3), np.uint8)):
        with pytest.raises(IdError) as info:
            pipeline.read(frame)
        assert info.value.code == "no_card"
        assert info.value.message_ko == "카드를 올려 주세요"


def test_glare_over_the_rrn_asks_to_tilt_the_card(pipeline: CardImagePipeline) -> None:
    frame = render_card(
        person(31),
        DocumentKind.RESIDENT_CARD,
        Perturbation(glare=1.0, glare_at=(0.42, 0.40), background="desk", card_width_px=1100),
    )
    with pytest.raises(IdError) as info:
        pipeline.read(frame)
    assert info.value.code == "glare"
    assert "빛 반사" in info.value.message_ko


def test_heavy_blur_is_reported_as_blurred(pipeline: CardImagePipeline) -> None:
    frame = render_card(person(32), DocumentKind.RESIDENT_CARD, Perturbation(background="desk"))
    frame = cv2.GaussianBlur(frame, (0, 0), 6)
    with pytest.raises(IdError) as info:
        pipeline.read(frame)
    assert info.value.code == "blurred"


def test_renderer_is_deterministic_and_honours_the_frame_size() -> None:
    who = person(40)
    p = Perturbation.level("moderate", 40)
    a = render_card(who, DocumentKind.DRIVER_LICENSE, p)
    b = render_card(who, DocumentKind.DRIVER_LICENSE, p)
    assert a.shape == (p.frame_size[1], p.frame_size[0], 3)
    assert np.array_equal(a, b)
    with pytest.raises(ValueError, match="unknown perturbation level"):
        Perturbation.level("extreme")
    with pytest.raises(ValueError, match="renders"):
        render_flat(who, DocumentKind.PASSPORT)


def test_synthetic_identities_are_valid(identity: SyntheticIdentity) -> None:
    from db.pii import parse_rrn

    assert parse_rrn(identity.rrn).birth_date == identity.birth_date
    assert identity.issue_date > identity.birth_date
    assert identity.issue_date <= date(2025, 12, 31)


def test_passport_page_mrz_gives_the_bac_key() -> None:
    from devices.id.emulators.card_render import photograph, render_passport_page
    from devices.id.emulators.vicc import PassportHolder
    from devices.id.pcsc.emrtd import bac_key_from_document

    holder = PassportHolder(surname="LEE", given_names="SOOJIN", document_number="M98765432", birth="751130",
                            sex="F", expiry="291231")  # fmt: skip
    frame = photograph(render_passport_page(holder.mrz, "이수진", 1), Perturbation.level("clean", 5))
    doc = CardImagePipeline().read(frame)
    assert doc.kind is DocumentKind.PASSPORT
    assert (doc.name, doc.document_number) == ("LEE SOOJIN", "M98765432")
    key = bac_key_from_document(doc)
    assert (key.document_number, key.birth_yymmdd, key.expiry_yymmdd) == ("M98765432", "751130", "291231")
