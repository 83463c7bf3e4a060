"""The PDF fonts: NanumGothic regular and bold, registered with reportlab once per process.

Its own module because the page templates (paragraph styles) and the renderer (page footer, document
defaults) both name these fonts; neither should import the other to get them.
"""

from __future__ import annotations

from functools import lru_cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from printers.escpos.hangul import NANUM_BOLD, NANUM_REGULAR

FONT, FONT_BOLD = "NanumGothic", "NanumGothic-Bold"


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """TrueType fonts are embedded as subsets (only the glyphs used), so Korean renders anywhere."""
    pdfmetrics.registerFont(TTFont(FONT, str(NANUM_REGULAR)))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(NANUM_BOLD)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
