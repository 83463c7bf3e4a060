"""Bad image input: corrupt, truncated, huge, not an image; and the layout files as config."""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from config import ConfigError
from devices.id.image.layouts import load_layouts, parse_layout
from devices.id.image.pipeline import CardImagePipeline, ImageReadOptions, decode_image, load_image_file
from devices.id.model import DocumentKind, IdError


def _png(width: int = 64, height: int = 48) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 100, 50)).save(buffer, "PNG")
    return buffer.getvalue()


def _jpeg(width: int = 320, height: int = 200) -> bytes:
    buffer = io.BytesIO()
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 255, (height, width, 3), dtype=np.uint8)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_good_png_decodes_to_bgr() -> None:
    image = decode_image(_png())
    assert image.shape == (48, 64, 3)
    assert tuple(image[0, 0]) == (50, 100, 200)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not an image at all",
        _png()[:40],
        _jpeg()[: len(_jpeg()) // 2],
        b"\x89PNG\r\n\x1a\n" + bytes(100),
    ],
)
def test_corrupt_or_truncated_files_are_bad_image(data: bytes) -> None:
    with pytest.raises(IdError) as info:
        decode_image(data)
    assert info.value.code == "bad_image"


def test_huge_images_are_refused_before_decoding() -> None:
    options = ImageReadOptions(max_image_pixels=100_000)
    with pytest.raises(IdError) as info:
        decode_image(_png(1000, 1000), options)
    assert info.value.code == "image_too_large"
    with pytest.raises(IdError) as info:
        decode_image(bytes(2_000_000), ImageReadOptions(max_image_bytes=1_000_000))
    assert info.value.code == "image_too_large"


def test_missing_file_is_bad_image(tmp_path: Path) -> None:
    with pytest.raises(IdError) as info:
        load_image_file(tmp_path / "absent.png")
    assert info.value.code == "bad_image"


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash_the_decoder(data: bytes) -> None:
    try:
        decode_image(data)
    except IdError as exc:
        assert exc.code in ("bad_image", "image_too_large")


@pytest.mark.parametrize("shape", [(10, 10, 3), (0, 0), (5,)])
def test_frames_that_are_not_pictures(shape: tuple[int, ...]) -> None:
    with pytest.raises(IdError) as info:
        CardImagePipeline().read(np.zeros(shape, np.uint8))
    assert info.value.code == "bad_image"


def test_packaged_layouts_load() -> None:
    layouts = load_layouts()
    assert set(layouts) == {DocumentKind.RESIDENT_CARD, DocumentKind.DRIVER_LICENSE}
    assert layouts[DocumentKind.DRIVER_LICENSE].regions["license_number"].whitelist == "0123456789-"


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"kind": "passport_card", "photo": [0, 0, 1, 1], "fields": {}}, "kind"),
        ({"kind": "resident_card", "photo": [0, 0, 1, 1]}, "fields"),
        (
            {"kind": "resident_card", "photo": [0.5, 0, 0.2, 1], "fields": {"a": {"box": [0, 0, 1, 1]}}},
            "photo",
        ),
        (
            {"kind": "resident_card", "photo": [0, 0, 1, 1], "fields": {"a": {"box": [0, 0, 2, 1]}}},
            "fields.a.box",
        ),
        (
            {
                "kind": "resident_card",
                "photo": [0, 0, 1, 1],
                "fields": {"a": {"box": [0, 0, 1, 1], "colour": 1}},
            },
            "fields.a.colour",
        ),
    ],
)
def test_bad_layout_files_name_the_key(data: dict[str, object], key: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_layout(data, "site.toml")
    assert info.value.key == key


def test_a_layout_file_with_broken_toml(tmp_path: Path) -> None:
    (tmp_path / "broken.toml").write_text("kind = [", encoding="utf-8")
    load_layouts.cache_clear()
    try:
        with pytest.raises(ConfigError):
            load_layouts(str(tmp_path))
    finally:
        load_layouts.cache_clear()


# ---- every kind of picture people and scanners produce (issue 15) ----------------------------------


def _encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def test_grayscale_cmyk_and_sixteen_bit_images_decode_to_bgr() -> None:
    grey = decode_image(_encode(Image.new("L", (80, 50), 90), "PNG"))
    assert grey.shape == (50, 80, 3) and grey.dtype == np.uint8 and tuple(grey[0, 0]) == (90, 90, 90)
    cmyk = decode_image(_encode(Image.new("CMYK", (80, 50), (0, 255, 255, 0)), "JPEG"))
    blue, green, red = (int(v) for v in cmyk[25, 40])
    assert red > 200 and green < 60 and blue < 60  # CMYK (0, 100%, 100%, 0) is red
    ramp = np.tile(np.linspace(0, 65535, 80, dtype=np.uint16), (50, 1))
    deep = decode_image(_encode(Image.fromarray(ramp), "PNG"))
    assert deep[0, 0, 0] == 0 and deep[0, -1, 0] == 255  # scaled by its range, not clipped at 255


def test_transparent_pixels_become_white_paper_not_a_black_desk() -> None:
    rgba = Image.new("RGBA", (80, 50), (0, 0, 0, 0))
    rgba.paste((200, 30, 30, 255), (20, 10, 60, 40))
    image = decode_image(_encode(rgba, "PNG"))
    assert tuple(image[0, 0]) == (255, 255, 255)
    assert tuple(image[25, 40]) == (30, 30, 200)
    palette = Image.new("P", (40, 30), 0)
    palette.putpalette([0, 0, 0, 10, 200, 10] + [0] * 762)
    palette.paste(1, (10, 10, 30, 20))
    palette.info["transparency"] = 0
    decoded = decode_image(_encode(palette, "PNG", transparency=0))
    assert tuple(decoded[0, 0]) == (255, 255, 255) and tuple(decoded[15, 20]) == (10, 200, 10)


def test_a_phone_photo_is_turned_by_its_exif_orientation() -> None:
    image = Image.new("RGB", (120, 60), (250, 250, 250))
    exif = image.getexif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    decoded = decode_image(_encode(image, "JPEG", exif=exif.tobytes()))
    assert decoded.shape[:2] == (120, 60)


def test_a_fifty_megapixel_photo_is_reduced_while_decoding() -> None:
    from devices.id.image.loader import WORK_PIXELS

    data = _encode(Image.new("RGB", (8660, 5774), (180, 170, 160)), "JPEG", quality=70)
    image = decode_image(data)
    assert image.shape[0] * image.shape[1] <= WORK_PIXELS
    assert abs(image.shape[1] / image.shape[0] - 8660 / 5774) < 0.01  # same picture, fewer pixels


def test_a_large_png_is_reduced_after_decoding() -> None:
    from devices.id.image.loader import WORK_PIXELS

    image = decode_image(_encode(Image.new("RGB", (5000, 3000), (10, 20, 30)), "PNG"))
    assert image.shape[0] * image.shape[1] <= WORK_PIXELS and tuple(image[0, 0]) == (30, 20, 10)


@pytest.mark.parametrize(
    "frame",
    [
        np.full((638, 1012, 3), 235, np.uint8),  # card-shaped, but only the scanner lid
        np.full((638, 1012), 20, np.uint8),  # a dark lid, grey-scale
        np.zeros((400, 640, 1), np.uint8),
        np.full((638, 1012, 3), 0.5, np.float32),
    ],
)
def test_frames_with_no_card_in_them(frame: np.ndarray) -> None:
    with pytest.raises(IdError) as info:
        CardImagePipeline().read(frame)
    assert info.value.code == "no_card"


def test_frames_of_the_wrong_shape_are_bad_images() -> None:
    for frame in (np.zeros((64, 64, 5), np.uint8), np.full((64, 64, 3), np.nan, np.float32)):
        with pytest.raises(IdError) as info:
            CardImagePipeline().read(frame)
        assert info.value.code == "bad_image"


def test_a_tiny_card_image_is_refused_with_a_code_not_a_crash() -> None:
    import random

    from devices.id.emulators.card_render import render_flat
    from devices.id.emulators.identities import generate_identity

    card = render_flat(generate_identity(random.Random(3)), DocumentKind.RESIDENT_CARD)
    tiny = cv2.resize(card, (76, 48), interpolation=cv2.INTER_AREA)
    with pytest.raises(IdError) as info:
        CardImagePipeline().read(tiny)
    assert info.value.code == "too_small"  # a 76 px scan of a whole card: scan it larger
    assert info.value.message_ko


_MODES = {
    "PNG": ("L", "RGB", "RGBA", "P", "I;16"),
    "JPEG": ("L", "RGB", "CMYK"),
    "BMP": ("L", "RGB"),
    "TIFF": ("L", "RGB", "RGBA", "CMYK"),
    "WEBP": ("RGB", "RGBA"),
}


@st.composite
def _pictures(draw: st.DrawFn) -> tuple[bytes, tuple[int, int]]:
    fmt = draw(st.sampled_from(sorted(_MODES)))
    mode = draw(st.sampled_from(_MODES[fmt]))
    width, height = draw(st.integers(1, 90)), draw(st.integers(1, 90))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    if mode == "I;16":
        image = Image.fromarray(rng.integers(0, 65535, (height, width), dtype=np.uint16))
    else:
        image = Image.fromarray(rng.integers(0, 255, (height, width, 3), dtype=np.uint8)).convert(mode)
    return _encode(image, fmt), (height, width)


@settings(max_examples=80, deadline=None)
@given(_pictures(), st.floats(0.0, 1.0))
def test_any_picture_decodes_to_bgr_or_a_clear_error(
    picture: tuple[bytes, tuple[int, int]], cut: float
) -> None:
    data, (height, width) = picture
    image = decode_image(data)
    assert image.dtype == np.uint8 and image.shape == (height, width, 3)
    truncated = data[: int(len(data) * cut)]
    try:
        again = decode_image(truncated)
    except IdError as exc:
        assert exc.code in ("bad_image", "image_too_large")
    else:
        assert again.dtype == np.uint8 and again.ndim == 3


@settings(max_examples=25, deadline=None)
@given(st.integers(32, 300), st.integers(32, 300), st.integers(0, 255), st.integers(0, 2**16))
def test_locating_a_card_in_any_frame_gives_a_card_or_no_card(
    width: int, height: int, level: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    frame = np.clip(rng.normal(level, 25, (height, width, 3)), 0, 255).astype(np.uint8)
    try:
        located = CardImagePipeline().locate(frame)
    except IdError as exc:
        assert exc.code == "no_card"
    else:
        assert located.card.shape == (638, 1012, 3)
