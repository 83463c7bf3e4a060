"""Bar charts as inline SVG, drawn on the server: no script, nothing fetched, so the page's CSP stays
`default-src 'none'` and the chart prints as the browser shows it.

Each chart is an `<svg role="img">` named by its `<title>` and described by a `<desc>` that reads the
values out in words; the page puts the same numbers in a table under it for anyone who cannot see it.
Colours are set by classes in hq.css (SVG presentation attributes would do too, but classes let the
high-contrast print style change them in one place).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
BAR_ROW = 26  # horizontal bars: one label row each
PLOT_HEIGHT = 180  # vertical bars
NO_DATA = "자료가 없어요"
_ids = itertools.count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _describe(title: str, bars: Sequence[Bar], unit: str) -> str:
    if not bars:
        return f"{title}: 자료가 없어요."
    return f"{title}: " + ", ".join(f"{b.label} {_number(b.value)}{unit}" for b in bars) + "."


def horizontal_bars(title: str, bars: Sequence[Bar], unit: str = "") -> Markup:
    """One bar per row with its label on the left and its value at the end (centers, counselors)."""
    n = next(_ids)
    label_w, value_w = 170, 70
    plot_w = WIDTH - label_w - value_w
    top = max((b.value for b in bars), default=0) or 1
    height = max(1, len(bars)) * BAR_ROW + 8
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="ct{n} cd{n}" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="ct{n}">{escape(title)}</title>',
        f'<desc id="cd{n}">{escape(_describe(title, bars, unit))}</desc>',
    ]
    for i, bar in enumerate(bars):
        y = 4 + i * BAR_ROW
        w = max(0.0, bar.value) / top * plot_w
        label = escape(bar.label[:24])
        parts.append(
            f'<text class="label" x="{label_w - 8}" y="{y + 17}" text-anchor="end">{label}</text>'
            f'<rect class="bar" x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{BAR_ROW - 8}"/>'
            f'<text class="value" x="{label_w + w + 6:.1f}" y="{y + 17}">{escape(_number(bar.value))}</text>'
        )
    if not bars:
        parts.append(f'<text class="label" x="{WIDTH / 2}" y="18" text-anchor="middle">{NO_DATA}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every label and number above went through escape()


def vertical_bars(title: str, bars: Sequence[Bar], unit: str = "") -> Markup:
    """Columns over time or over bands (periods, wait bands), labels under each column."""
    n = next(_ids)
    left, bottom, top_pad = 8, 40, 18
    count = max(1, len(bars))
    slot = (WIDTH - 2 * left) / count
    top = max((b.value for b in bars), default=0) or 1
    height = PLOT_HEIGHT + bottom + top_pad
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="ct{n} cd{n}" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="ct{n}">{escape(title)}</title>',
        f'<desc id="cd{n}">{escape(_describe(title, bars, unit))}</desc>',
        f'<line class="axis" x1="{left}" x2="{WIDTH - left}" y1="{top_pad + PLOT_HEIGHT}" '
        f'y2="{top_pad + PLOT_HEIGHT}"/>',
    ]
    show_every = max(1, count // 12)  # at most ~12 labels under a month of days
    for i, bar in enumerate(bars):
        h = max(0.0, bar.value) / top * PLOT_HEIGHT
        x = left + i * slot
        bar_w = min(60.0, max(1.0, slot * 0.7))  # one period alone is a column, not a wall
        cx = x + slot / 2
        parts.append(
            f'<rect class="bar" x="{x + (slot - bar_w) / 2:.1f}" y="{top_pad + PLOT_HEIGHT - h:.1f}" '
            f'width="{bar_w:.1f}" height="{h:.1f}"/>'
        )
        if count <= 16:
            parts.append(
                f'<text class="value" x="{cx:.1f}" y="{top_pad + PLOT_HEIGHT - h - 4:.1f}" '
                f'text-anchor="middle">{escape(_number(bar.value))}</text>'
            )
        if i % show_every == 0:
            parts.append(
                f'<text class="label" x="{cx:.1f}" y="{top_pad + PLOT_HEIGHT + 18}" '
                f'text-anchor="middle">{escape(bar.label[:12])}</text>'
            )
    if not bars:
        parts.append(
            f'<text class="label" x="{WIDTH / 2}" y="{height / 2}" text-anchor="middle">자료가 없어요</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every label and number above went through escape()
