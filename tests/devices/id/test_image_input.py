"""Bad image input: corrupt, truncated, huge, not an image; and the layout files as config."""

from __future__ import annotations

import io
from pathlib import Path

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
