"""The Korean typefaces the virtual scanner prints cards with: every family Debian ships in
``fonts-nanum``, ``fonts-unfonts-core``, ``fonts-baekmuk`` and ``fonts-noto-cjk``.

Real cards are not printed in NanumGothic, so a reader measured only on NanumGothic flatters itself.
Each face is drawn with its own glyphs; a character the face lacks (most faces have no hanja, Baekmuk
Dotum lacks a few syllables) falls back, character by character, to a face of the same style that has
it, the way a print driver substitutes glyphs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

NANUM = Path("/usr/share/fonts/truetype/nanum")
UNFONTS = Path("/usr/share/fonts/truetype/unfonts-core")
BAEKMUK = Path("/usr/share/fonts/truetype/baekmuk")
NOTO = Path("/usr/share/fonts/opentype/noto")
NOTO_KR_INDEX = 1  # face index of the KR cut inside Noto's .ttc collections


@dataclass(frozen=True)
class CardFont:
    """One typeface: ``family`` names the package family (nanum, unfonts, baekmuk, noto)."""

    name: str
    family: str
    style: str  # gothic (sans), myeongjo (serif) or display (rounded, brush, handwriting …)
    regular: Path
    bold: Path
    index: int = 0  # face index inside a .ttc

    @property
    def installed(self) -> bool:
        return self.regular.exists() and self.bold.exists()


def _same(name: str, family: str, style: str, regular: Path, bold: Path | None = None) -> CardFont:
    return CardFont(name, family, style, regular, bold or regular)


ALL_FONTS: tuple[CardFont, ...] = (
    _same("NanumGothic", "nanum", "gothic", NANUM / "NanumGothic.ttf", NANUM / "NanumGothicBold.ttf"),
    _same("NanumBarunGothic", "nanum", "gothic", NANUM / "NanumBarunGothic.ttf",
          NANUM / "NanumBarunGothicBold.ttf"),
    _same("NanumGothicCoding", "nanum", "gothic", NANUM / "NanumGothicCoding.ttf",
          NANUM / "NanumGothicCodingBold.ttf"),
    _same("NanumMyeongjo", "nanum", "myeongjo", NANUM / "NanumMyeongjo.ttf", NANUM / "NanumMyeongjoBold.ttf"),
    _same("NanumSquare", "nanum", "gothic", NANUM / "NanumSquareR.ttf", NANUM / "NanumSquareB.ttf"),
    _same("NanumSquareRound", "nanum", "display", NANUM / "NanumSquareRoundR.ttf",
          NANUM / "NanumSquareRoundB.ttf"),
    _same("UnDotum", "unfonts", "gothic", UNFONTS / "UnDotum.ttf", UNFONTS / "UnDotumBold.ttf"),
    _same("UnBatang", "unfonts", "myeongjo", UNFONTS / "UnBatang.ttf", UNFONTS / "UnBatangBold.ttf"),
    _same("UnGraphic", "unfonts", "gothic", UNFONTS / "UnGraphic.ttf", UNFONTS / "UnGraphicBold.ttf"),
    _same("UnDinaru", "unfonts", "display", UNFONTS / "UnDinaru.ttf", UNFONTS / "UnDinaruBold.ttf"),
    _same("UnGungseo", "unfonts", "display", UNFONTS / "UnGungseo.ttf"),
    _same("UnPilgi", "unfonts", "display", UNFONTS / "UnPilgi.ttf", UNFONTS / "UnPilgiBold.ttf"),
    _same("Baekmuk Dotum", "baekmuk", "gothic", BAEKMUK / "dotum.ttf", BAEKMUK / "hline.ttf"),
    _same("Baekmuk Gulim", "baekmuk", "gothic", BAEKMUK / "gulim.ttf", BAEKMUK / "hline.ttf"),
    _same("Baekmuk Batang", "baekmuk", "myeongjo", BAEKMUK / "batang.ttf", BAEKMUK / "hline.ttf"),
    CardFont("Noto Sans CJK KR", "noto", "gothic", NOTO / "NotoSansCJK-Regular.ttc",
             NOTO / "NotoSansCJK-Bold.ttc", NOTO_KR_INDEX),
    CardFont("Noto Serif CJK KR", "noto", "myeongjo", NOTO / "NotoSerifCJK-Regular.ttc",
             NOTO / "NotoSerifCJK-Bold.ttc", NOTO_KR_INDEX),
)  # fmt: skip

DEFAULT_FONT = ALL_FONTS[0]  # NanumGothic: what the renderer drew before it knew other faces
# per style, the face whose glyphs stand in for missing ones (both cover hanja and all syllables)
FALLBACK = {"gothic": "NanumGothic", "display": "NanumGothic", "myeongjo": "UnBatang"}


def font_named(name: str) -> CardFont:
    for font in ALL_FONTS:
        if font.name == name:
            return font
    raise ValueError(f"unknown card font {name!r}; known: {', '.join(f.name for f in ALL_FONTS)}")


def installed_fonts() -> tuple[CardFont, ...]:
    return tuple(font for font in ALL_FONTS if font.installed)


@lru_cache(maxsize=256)
def face(font: CardFont, px: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    path = font.bold if bold else font.regular
    if not path.exists():
        raise FileNotFoundError(f"{path} not found (install fonts-nanum fonts-unfonts-core fonts-baekmuk "
                                "fonts-noto-cjk)")  # fmt: skip
    return ImageFont.truetype(str(path), px, index=font.index)


@lru_cache(maxsize=64)
def _notdef(font: CardFont, bold: bool) -> bytes:
    return bytes(face(font, 24, bold).getmask("\U0010fffd"))


@lru_cache(maxsize=8192)
def has_glyph(font: CardFont, char: str, bold: bool = False) -> bool:
    """A missing character renders as the face's .notdef box: compare with it."""
    if char.isspace():
        return True
    return bytes(face(font, 24, bold).getmask(char)) != _notdef(font, bold)


def fallback_for(font: CardFont) -> CardFont:
    return font_named(FALLBACK[font.style])


def runs(font: CardFont, text: str, bold: bool = False) -> list[tuple[CardFont, str]]:
    """``text`` split into runs each drawn with one face: this one, or its fallback where it has no glyph."""
    out: list[tuple[CardFont, str]] = []
    spare = fallback_for(font)
    for char in text:
        chosen = font if has_glyph(font, char, bold) else spare
        if out and out[-1][0] == chosen:
            out[-1] = (chosen, out[-1][1] + char)
        else:
            out.append((chosen, char))
    return out
