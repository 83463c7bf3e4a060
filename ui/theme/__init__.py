"""Kiosk themes: one QSS file per theme, sizes in millimetres converted to pixels at the configured DPI.

The QSS files hold every colour (widgets hard-code none) and ``${name}`` placeholders for sizes, which
``stylesheet()`` fills from the screen's DPI and the chosen text size. ``color_pairs()`` reads the
foreground/background pairs back out of a theme so a test can compute their contrast ratios.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from string import Template

THEMES = ("default", "high_contrast")
TEXT_SIZES = ("normal", "large", "extra_large")
_HERE = Path(__file__).parent


@dataclass(frozen=True)
class ScreenMetrics:
    """Physical sizing for one screen: millimetres to pixels at ``dpi``."""

    dpi: float

    def px(self, mm: float) -> int:
        return max(1, round(mm / 25.4 * self.dpi))

    def mm(self, px: float) -> float:
        return px / self.dpi * 25.4


@dataclass(frozen=True)
class Sizes:
    """Every size the QSS and the widgets use, already in pixels."""

    body: int
    small: int
    title: int
    huge: int
    touch: int
    primary: int
    key: int
    gap: int
    radius: int
    border: int
    button: int  # minimum height of a body-text button: the touch target, or more for large text
    big: int  # minimum height of a title-text button (primary, big)
    pad: int  # padding between a button's label and its border, so no label touches it
    check: int  # width of the selected-state outline (thicker than the border: seen at a glance)
    hero: int  # minimum height of the screen's main action when it comes first (welcome)
    hero_font: int

    @classmethod
    def make(cls, metrics: ScreenMetrics, body_mm: float, touch_mm: float, key_mm: float) -> Sizes:
        # Smaller texts never fall under the KS X 9211 minimum of 4.8 mm. Buttons grow with their text:
        # one line of text plus a clear margin above and below, never less than the touch target.
        title_mm = body_mm * 1.45
        pad_mm = max(1.5, body_mm * 0.3)
        line = 1.3  # a line of NanumGothic is about 1.3 × its pixel size
        return cls(
            body=metrics.px(body_mm),
            small=metrics.px(max(4.8, body_mm * 0.85)),
            title=metrics.px(title_mm),
            huge=metrics.px(body_mm * 4.0),
            touch=metrics.px(touch_mm),
            primary=metrics.px(max(20.0, touch_mm + 5.0)),
            key=metrics.px(max(key_mm, title_mm * line + 2 * pad_mm)),
            gap=metrics.px(5.0),
            radius=metrics.px(2.5),
            border=max(2, metrics.px(0.6)),
            button=metrics.px(max(touch_mm, body_mm * line + 2 * pad_mm)),
            big=metrics.px(max(20.0, touch_mm + 5.0, title_mm * line + 2 * pad_mm)),
            pad=metrics.px(pad_mm),
            check=max(4, metrics.px(1.2)),
            hero=metrics.px(max(30.0, title_mm * 1.3 * line + 2 * pad_mm)),
            hero_font=metrics.px(title_mm * 1.3),
        )


def qss_path(theme: str) -> Path:
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}; allowed: {', '.join(THEMES)}")
    return _HERE / f"{theme}.qss"


def stylesheet(theme: str, sizes: Sizes) -> str:
    """The theme's QSS with its size placeholders filled in."""
    template = Template(qss_path(theme).read_text(encoding="utf-8"))
    return template.substitute({k: f"{v}px" for k, v in sizes.__dict__.items()})


_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}", re.S)
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_PROP = re.compile(r"(?<![-\w])(color|background-color|background)\s*:\s*(#[0-9A-Fa-f]{6})")


def color_pairs(theme: str) -> list[tuple[str, str, str]]:
    """(selector, foreground, background) for every rule that sets a text colour.

    A rule without its own background is drawn on the page background (the ``QWidget`` rule).
    """
    text = _COMMENT.sub("", qss_path(theme).read_text(encoding="utf-8"))
    text = re.sub(r"\$\{\w+\}", "1px", text)
    rules: list[tuple[str, dict[str, str]]] = []
    for selector, body in _RULE.findall(text):
        props: dict[str, str] = {}
        for name, value in _PROP.findall(body):
            props["background" if name.startswith("background") else "color"] = value.upper()
        rules.append((" ".join(selector.split()), props))
    page = next(p["background"] for s, p in rules if s == "QWidget" and "background" in p)
    return [(s, p["color"], p.get("background", page)) for s, p in rules if "color" in p]


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of ``#RRGGBB``."""
    value = hex_colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio between two ``#RRGGBB`` colours (1.0 … 21.0)."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# Icon colours per theme, next to the QSS that sets the matching text colours (qtawesome draws icons
# itself, so the stylesheet cannot colour them).
ICON_COLOURS: dict[str, dict[str, str]] = {
    "default": {
        "text": "#1B3A6B",
        "on_primary": "#FFFFFF",
        "eligible": "#14532D",
        "maybe": "#6B3F00",
        "ineligible": "#8A1C1C",
    },
    "high_contrast": {
        "text": "#FFD400",
        "on_primary": "#000000",
        "eligible": "#7CFC00",
        "maybe": "#FFD400",
        "ineligible": "#FF9F9F",
    },
}
