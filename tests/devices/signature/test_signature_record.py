"""Records: acceptance rules, the document binding, the PNG and the ISO 19794-7-style JSON."""

from __future__ import annotations

import dataclasses
import io
import json
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from config import ConfigError, load_settings
from config.sections.signature import SignatureSection
from devices.signature.geometry import PadGeometry
from devices.signature.record import SignaturePoint, SignatureRefused, make_record, verify
from devices.signature.stroke_library import load_strokes, stroke_names
from devices.signature.stroke_synth import StrokeFile
from devices.signature.timeseries_json import dumps, record_from_json, record_to_json

from .conftest import CROSS, DOCUMENT, DOT, OTHER_DOCUMENT, QUICK, SHORT_LINE, pad_resolution, points_from


def _record(document_sha256: str, marks: StrokeFile | None = None, consent: str | None = "consent-1"):
    return make_record(
        points_from(marks or load_strokes("lee-seoyeon")),
        "serial-pad",
        pad_resolution(),
        document_sha256,
        consent,
        SignatureSection(),
    )


@pytest.mark.parametrize(("marks", "reason"), [(DOT, "dot"), (SHORT_LINE, "short"), (QUICK, "quick")])
def test_unusable_marks_are_refused_with_sign_again(
    document_sha256: str, marks: StrokeFile, reason: str
) -> None:
    with pytest.raises(SignatureRefused) as refused:
        _record(document_sha256, marks)
    assert refused.value.reason == reason
    assert "다시 서명해 주세요" in refused.value.message_ko


def test_empty_capture_is_refused(document_sha256: str) -> None:
    with pytest.raises(SignatureRefused, match="EMPTY"):
        make_record([], "screen", pad_resolution(), document_sha256, None, SignatureSection())


def test_every_shipped_signature_is_accepted(document_sha256: str) -> None:
    names = stroke_names()
    assert {"kim-minjun", "lee-seoyeon", "park-jihun"} <= set(names)
    for name in names:
        assert _record(document_sha256, load_strokes(name)).points


def test_verify_is_true_only_for_the_signed_document(document_sha256: str) -> None:
    record = _record(document_sha256)
    assert verify(record, DOCUMENT)
    assert not verify(record, OTHER_DOCUMENT)
    assert not verify(record, DOCUMENT + b" ")


def test_verify_fails_when_the_record_is_tampered_with(document_sha256: str) -> None:
    record = _record(document_sha256)
    moved = (dataclasses.replace(record.points[0], x=record.points[0].x + 1), *record.points[1:])
    assert not verify(dataclasses.replace(record, points=moved), DOCUMENT)
    assert not verify(dataclasses.replace(record, consent_id="consent-2"), DOCUMENT)
    assert not verify(dataclasses.replace(record, device="screen"), DOCUMENT)
    # Stored again elsewhere (the hub keeps its own row time), the record still verifies.
    assert verify(dataclasses.replace(record, captured_at=record.captured_at - timedelta(days=1)), DOCUMENT)


def test_document_hash_must_be_sha256_hex() -> None:
    with pytest.raises(ValueError, match="64 hex"):
        _record("not-a-hash")


def test_png_is_transparent_cropped_and_anti_aliased(document_sha256: str) -> None:
    image = Image.open(io.BytesIO(_record(document_sha256, CROSS).png))
    assert image.mode == "RGBA"
    alpha = image.getchannel("A")
    assert alpha.getpixel((0, 0)) == 0  # transparent background
    values = {level for level, count in enumerate(alpha.histogram()) if count}
    assert 255 in values and len(values - {0, 255}) > 10  # solid ink with soft edges
    left, top, right, bottom = alpha.getbbox()
    margin = (2.0 + 0.6) * 8 + 2  # MARGIN_MM + ink width at 8 px/mm, plus rounding
    assert left <= margin and top <= margin
    assert image.width - right <= margin and image.height - bottom <= margin
    # The cross is 40 x 22 mm: at 8 px/mm the image is about that big, not the whole pad.
    assert 40 * 8 < image.width < 48 * 8 and 22 * 8 < image.height < 30 * 8


def test_json_export_follows_the_documented_channels_and_reads_back(document_sha256: str) -> None:
    record = _record(document_sha256)
    data = json.loads(dumps(record))
    assert set(data["channels"]) == {"X", "Y", "T", "F", "S"}
    assert data["binding"]["document_sha256"] == document_sha256
    assert data["samples"][0] == {
        "X": record.points[0].x,
        "Y": record.points[0].y,
        "T": 0,
        "F": record.points[0].pressure,
        "S": 1,
    }
    again = record_from_json(data)
    assert again.points == record.points and again.record_sha256 == record.record_sha256
    assert verify(again, DOCUMENT)


@pytest.mark.parametrize(
    "breakage",
    [
        lambda d: d.pop("samples"),
        lambda d: d.update(format="other"),
        lambda d: d.update(format_version=99),
        lambda d: d["samples"].append({"X": -1, "Y": 0, "T": 5, "F": None, "S": 1}),
        lambda d: d["samples"].append({"X": 1, "Y": 1, "T": 5, "F": 7.0, "S": 1}),
        lambda d: d["samples"].append({"X": "1", "Y": 1, "T": 5, "F": None, "S": 1}),
        lambda d: d["samples"].append({"X": 1, "Y": 1, "T": 5, "F": None, "S": 2}),
        lambda d: d["samples"].append([1, 2, 3]),
        lambda d: d["capture_device"]["units_per_inch"].update(x=0),
        lambda d: d["binding"].update(document_sha256="zz"),
        lambda d: d["binding"].update(consent_id=5),
        lambda d: d.update(captured_at="yesterday"),
        lambda d: d.update(samples=[]),
    ],
)
def test_malformed_json_is_rejected_with_value_error(document_sha256: str, breakage) -> None:
    data = record_to_json(_record(document_sha256, CROSS))
    breakage(data)
    with pytest.raises(ValueError):
        record_from_json(data)


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
        lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4),
        max_leaves=20,
    )
)
def test_arbitrary_json_never_crashes_the_reader(data: object) -> None:
    try:
        record_from_json(data)
    except ValueError:
        pass


@settings(max_examples=100, deadline=None)
@given(
    orientation=st.sampled_from(["normal", "rotated_90", "rotated_180", "rotated_270"]),
    fx=st.floats(0, 1),
    fy=st.floats(0, 1),
)
def test_orientation_maps_the_whole_area_onto_itself(orientation: str, fx: float, fy: float) -> None:
    geometry = PadGeometry(
        SignatureSection(
            orientation=orientation, area_x_min=100, area_x_max=2100, area_y_min=50, area_y_max=650
        )
    )
    res = geometry.resolution
    ax, ay = round(fx * res.width), round(fy * res.height)
    px, py = geometry.to_pad(ax, ay)
    assert 100 <= px <= 2100 and 50 <= py <= 650
    assert geometry.to_area(px, py) == (ax, ay)


def test_pad_turned_round_puts_its_top_left_at_the_signers_bottom_right() -> None:
    geometry = PadGeometry(SignatureSection(orientation="rotated_180"))
    assert geometry.to_area(0, 0) == (2000, 600)


def test_a_sample_rate_the_line_cannot_carry_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"signature\.sample_rate_hz = 400 .*at most 349"):
        load_settings(environ={"KIOSK_SIGNATURE__SAMPLE_RATE_HZ": "400"})  # 19200 8O1 carries 349/s
    with pytest.raises(ConfigError, match="area_x_max must be greater than area_x_min"):
        load_settings(environ={"KIOSK_SIGNATURE__AREA_X_MIN": "2500"})
    with pytest.raises(ConfigError, match="orientation"):
        load_settings(environ={"KIOSK_SIGNATURE__ORIENTATION": '"sideways"'})
    assert load_settings(environ={"KIOSK_SIGNATURE__BAUD": "38400", "KIOSK_SIGNATURE__SAMPLE_RATE_HZ": "400"})


def test_stroke_files_reject_bad_input() -> None:
    with pytest.raises(ValueError):
        StrokeFile.from_json({"name": "x"})
    with pytest.raises(ValueError):
        StrokeFile.from_json(
            {"name": "x", "label": "x", "area_mm": [1, 1], "sample_rate_hz": 0, "strokes": []}
        )
    with pytest.raises(KeyError, match="kim-minjun"):
        load_strokes("nobody")


def test_points_parse_rejects_bad_rows() -> None:
    from devices.signature.record import point_from_dict

    assert point_from_dict({"x": 1, "y": 2, "p": None, "t": 3, "pen": True}) == SignaturePoint(
        1, 2, None, 3, True
    )
    for bad in (
        {},
        {"x": "a", "y": 2, "p": None, "t": 3, "pen": True},
        {"x": 1, "y": 2, "p": 3, "t": 3, "pen": 1},
    ):
        with pytest.raises(ValueError):
            point_from_dict(bad)


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["name", "label", "area_mm", "sample_rate_hz", "strokes", "x"]),
        st.none()
        | st.integers()
        | st.text(max_size=4)
        | st.lists(st.lists(st.integers() | st.text(max_size=2), max_size=5), max_size=3),
        max_size=6,
    )
)
def test_arbitrary_stroke_files_only_raise_value_error(data: dict) -> None:
    try:
        StrokeFile.from_json(data)
    except ValueError:
        pass


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["x", "y", "p", "t", "pen"]),
        st.none() | st.integers() | st.floats() | st.text(max_size=3),
    )
)
def test_arbitrary_point_rows_only_raise_value_error(data: dict) -> None:
    from devices.signature.record import point_from_dict

    try:
        point = point_from_dict(data)
    except ValueError:
        return
    assert point.pressure is None or 0.0 <= point.pressure <= 1.0
