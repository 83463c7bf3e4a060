"""Themes: contrast computed from the theme files, sizes in millimetres, complete substitution."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ui.theme import THEMES, ScreenMetrics, Sizes, color_pairs, contrast_ratio, qss_path, stylesheet

hex_colour = st.integers(min_value=0, max_value=0xFFFFFF).map(lambda v: f"#{v:06X}")


def test_high_contrast_theme_meets_7_to_1_everywhere() -> None:
    pairs = color_pairs("high_contrast")
    assert len(pairs) > 20  # the parser really found the rules
    low = [(s, f, b, round(contrast_ratio(f, b), 2)) for s, f, b in pairs if contrast_ratio(f, b) < 7.0]
    assert low == []


def test_default_theme_meets_wcag_aa_and_body_text_7_to_1() -> None:
    pairs = color_pairs("default")
    assert all(contrast_ratio(f, b) >= 4.5 for _, f, b in pairs)
    page = {s: (f, b) for s, f, b in pairs}["QWidget"]
    assert contrast_ratio(*page) >= 7.0


def test_contrast_ratio_known_values() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFD400", "#000000") == pytest.approx(14.67, abs=0.01)


@given(hex_colour, hex_colour)
def test_contrast_ratio_is_symmetric_and_bounded(a: str, b: str) -> None:
    ratio = contrast_ratio(a, b)
    assert 1.0 <= ratio <= 21.0 + 1e-9
    assert ratio == pytest.approx(contrast_ratio(b, a))


def test_millimetres_follow_the_configured_dpi() -> None:
    assert ScreenMetrics(96).px(25.4) == 96
    assert ScreenMetrics(72).px(15) == 43
    big, small = Sizes.make(ScreenMetrics(96), 10, 15, 18), Sizes.make(ScreenMetrics(96), 6, 15, 18)
    assert big.body > small.body and big.touch == small.touch


@pytest.mark.parametrize("theme", THEMES)
def test_every_placeholder_is_filled(theme: str) -> None:
    qss = stylesheet(theme, Sizes.make(ScreenMetrics(96), 6, 15, 18))
    assert "$" not in qss and "NanumGothic" in qss


def test_unknown_theme_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown theme"):
        qss_path("neon")
