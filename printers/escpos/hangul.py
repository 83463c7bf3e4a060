"""Hangul for receipt printers: CP949 / KS X 1001 double-byte text, visible substitution, raster lines.

A printer in Korean mode (``FS &``) prints two-byte KS X 1001 / CP949 codes from its ROM font. Text it
cannot print is never sent as a silent ``?``: a character the printer's charset lacks but NanumGothic
can draw makes that line go out as an image; a character no font here has (emoji, rare hanja) is
replaced by a visible substitute (``〓`` by default) and reported as a warning.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

log = logging.getLogger(__name__)

FONT_DIR = Path("/usr/share/fonts/truetype/nanum")
NANUM_REGULAR = FONT_DIR / "NanumGothic.ttf"
NANUM_BOLD = FONT_DIR / "NanumGothicBold.ttf"
LINE_DOTS = 24  # font A: 12×24 dots for ASCII, 24×24 for a Hangul syllable


@dataclass(frozen=True)
class Substitution:
    """One character that could not be printed as given."""

    char: str
    replacement: str
    reason: str

    def __str__(self) -> str:
        name = unicodedata.name(self.char, "UNNAMED")
        return f"U+{ord(self.char):04X} {name}: {self.reason} → {self.replacement!r}"


@lru_cache(maxsize=1)
def font_coverage() -> frozenset[int]:
    """Code points NanumGothic has a glyph for (read once from its cmap)."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    return frozenset(TTFontFile(str(NANUM_REGULAR)).charToGlyph)


@lru_cache(maxsize=16)
def nanum(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    # Precomposed Hangul needs no shaping; the basic layout is faster and never fails on odd input.
    return ImageFont.truetype(
        str(NANUM_BOLD if bold else NANUM_REGULAR), size, layout_engine=ImageFont.Layout.BASIC
    )


def char_columns(char: str) -> int:
    """Print columns of one character: wide (Hangul, hanja, full-width) take two."""
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    return sum(char_columns(char) for char in text)


def wrap_columns(text: str, columns: int) -> list[str]:
    """Break text into lines of at most ``columns`` print columns, at spaces where possible."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if display_width(candidate) <= columns:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            for char in word:  # a word longer than the line is broken by characters
                if display_width(line + char) > columns:
                    lines.append(line)
                    line = ""
                line += char
        lines.append(line)
    return lines


def printable_by_font(char: str) -> bool:
    return char in "\n\t" or ord(char) in font_coverage()


def sanitize(text: str, substitute: str = "〓") -> tuple[str, list[Substitution]]:
    """Replace what no font here can draw (emoji, rare hanja, controls) with a visible substitute."""
    out: list[str] = []
    subs: list[Substitution] = []
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn") and char not in "\n\t":
            subs.append(Substitution(char, substitute, "control or unassigned character"))
            out.append(substitute)
        elif char.isascii() or printable_by_font(char):
            out.append(char)
        else:
            subs.append(Substitution(char, substitute, "no font can print it"))
            out.append(substitute)
    for sub in subs:
        log.warning("receipt text substituted: %s", sub)
    return "".join(out), subs


def encodable(text: str, charset: str) -> bool:
    """Every character is one printer code (Python's euc-kr would spell 똠 as an 8-byte jamo sequence
    that printers print as four separate jamo, so anything longer than two bytes does not count)."""
    try:
        return all(len(char.encode(charset)) <= 2 for char in text)
    except UnicodeEncodeError:
        return False


def encode_korean(text: str, charset: str) -> bytes:
    """Double-byte bytes for ``FS &`` mode; the caller has checked ``encodable`` first."""
    return text.encode(charset)


def render_line(
    text: str,
    width_dots: int,
    *,
    width_mult: int = 1,
    height_mult: int = 1,
    bold: bool = False,
    align: str = "left",
) -> Image.Image:
    """One printed line as a 1-bit image, laid out like the printer's own 12/24-dot font would be."""
    height = LINE_DOTS * height_mult
    font = nanum(max(8, int(22 * height_mult)), bold)
    natural = max(1, int(font.getlength(text))) if text else 1
    target_w = min(width_dots, max(1, display_width(text) * 12 * width_mult))
    glyphs = Image.new("L", (natural + 2, height), 255)
    ImageDraw.Draw(glyphs).text((0, height // 2), text, font=font, fill=0, anchor="lm")
    glyphs = glyphs.resize((target_w, height)) if text else glyphs
    line = Image.new("L", (width_dots, height), 255)
    x = {"left": 0, "center": (width_dots - target_w) // 2, "right": width_dots - target_w}.get(align, 0)
    line.paste(glyphs.crop((0, 0, min(glyphs.width, width_dots), height)), (max(0, x), 0))
    return line.point(lambda value: 0 if value < 160 else 255).convert("1")
