"""Marks of known shape (synthetic identities only) and the documents they are bound to."""

from __future__ import annotations

import hashlib

import pytest

from config.sections.signature import SignatureSection
from devices.signature.stroke_synth import StrokeFile, synthesize

AREA_MM = (123.9, 37.2)
DOCUMENT = "개인정보 수집·이용 동의서 v3 — 테스트용 합성 문서 (synthetic test document)\n".encode()
OTHER_DOCUMENT = DOCUMENT.replace(b"v3", b"v4")


def mark(name: str, strokes: list[list[tuple[float, float]]], speed_mm_s: float) -> StrokeFile:
    return StrokeFile(name, name, AREA_MM, 120, synthesize(strokes, 120, speed_mm_s, seed=7))


# A dot: the pen lands and barely moves.
DOT = mark("dot", [[(60.0, 18.0), (60.6, 18.4)]], speed_mm_s=4.0)
# A short line: 15 mm, slowly — long enough in time and size, too short in length.
SHORT_LINE = mark("short-line", [[(40.0, 20.0), (55.0, 20.5)]], speed_mm_s=20.0)
# A long scribble done in a flash (~0.3 s).
QUICK = mark("quick", [[(20.0, 10.0), (80.0, 25.0), (30.0, 28.0)]], speed_mm_s=400.0)
# A plain two-stroke mark that passes every rule.
CROSS = mark("cross", [[(20.0, 8.0), (60.0, 30.0)], [(20.0, 30.0), (60.0, 8.0)]], speed_mm_s=60.0)


@pytest.fixture
def document_sha256() -> str:
    return hashlib.sha256(DOCUMENT).hexdigest()


# Pad settings for tests: the stall timeout is longer than the 600 ms default so that a CI box
# starving the emulator thread does not look like an unplugged pad.
TEST_PAD = SignatureSection(stall_timeout_ms=1500)


@pytest.fixture
def settings() -> SignatureSection:
    return TEST_PAD


def points_from(marks: StrokeFile, dpi: float = 410.0) -> list:
    """The time series a perfect device at ``dpi`` would record for these strokes."""
    from devices.signature.record import SignaturePoint

    scale = dpi / 25.4
    points = []
    for stroke in marks.strokes:
        for x, y, t, p in stroke:
            points.append(SignaturePoint(round(x * scale), round(y * scale), p, t, True))
        points.append(SignaturePoint(points[-1].x, points[-1].y, None, points[-1].t_ms, False))
    return points


def pad_resolution(dpi: float = 410.0):
    from devices.signature.record import Resolution

    return Resolution(round(AREA_MM[0] * dpi / 25.4), round(AREA_MM[1] * dpi / 25.4), dpi, dpi)
