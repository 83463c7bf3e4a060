"""Which typefaces and card designs the image reader may be tuned on, and which are kept back.

The rule: a threshold, a candidate list, a regex, a layout box — anything in ``devices/id/image`` —
may be chosen by looking at cards from the TUNING split only (``tuning_fonts()``,
``tuning_designs()``; ``samples.card_samples(..., split="tuning")``). Tests of the reader and any
tuning data use the TUNING split only (the emulator's own tests draw every face and design, to check
the drawing; they never read a card). The HELD-OUT fonts and designs are read by the bench alone,
which reports them separately: that figure stands for the cards people actually bring, printed in faces and
designs nobody tuned on. Looking at held-out results while choosing a parameter spends them: if that
happens, move the font or design to TUNING and hold out another one.

Held out: the whole Baekmuk family (a foundry never used for tuning) and Noto Serif CJK KR, and one
design per kind (the 2020 resident card, the 2021 licence).

rc-2025 was held out until 2026-12-07, when the bench's list of misread held-out cards showed its
names losing a letter's top stroke (ㅈ read ㅅ) and the fix for that was chosen: it moved to TUNING,
and rc-2020, drawn before any card of it was read, is held out in its place.
"""

from __future__ import annotations

from devices.id.emulators.designs import ALL_DESIGNS, CardDesign
from devices.id.emulators.fonts import CardFont, installed_fonts
from devices.id.model import DocumentKind

TUNING, HELD_OUT = "tuning", "held_out"
SPLITS = (TUNING, HELD_OUT)

HELD_OUT_FONTS = frozenset({"Baekmuk Dotum", "Baekmuk Gulim", "Baekmuk Batang", "Noto Serif CJK KR"})
HELD_OUT_DESIGNS = frozenset({"rc-2020", "dl-2021"})


def font_split(font: CardFont) -> str:
    return HELD_OUT if font.name in HELD_OUT_FONTS else TUNING


def design_split(design: CardDesign) -> str:
    return HELD_OUT if design.name in HELD_OUT_DESIGNS else TUNING


def _check(split: str) -> None:
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r} ({', '.join(SPLITS)})")


def fonts(split: str) -> tuple[CardFont, ...]:
    """The installed faces of one split, in a fixed order."""
    _check(split)
    return tuple(font for font in installed_fonts() if font_split(font) == split)


def designs(split: str, kind: DocumentKind | None = None) -> tuple[CardDesign, ...]:
    _check(split)
    return tuple(d for d in ALL_DESIGNS if design_split(d) == split and (kind is None or d.kind is kind))


def tuning_fonts() -> tuple[CardFont, ...]:
    return fonts(TUNING)


def tuning_designs(kind: DocumentKind | None = None) -> tuple[CardDesign, ...]:
    return designs(TUNING, kind)
