"""Printing on the flat card: the security pattern of the stock, text in a given face fitted to its
box, the portrait placeholder and the issuer's seal. Pure drawing; what goes where is the design's."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from devices.id.emulators.designs import Box, CardDesign, FieldSpec
from devices.id.emulators.fonts import CardFont, face, runs

CARD_W, CARD_H = 1012, 638  # ID-1 (85.6 x 54 mm) at ~300 dpi, as the reader corrects to


def px(box: Box, width: int = CARD_W, height: int = CARD_H) -> tuple[int, int, int, int]:
    return round(box[0] * width), round(box[1] * height), round(box[2] * width), round(box[3] * height)


def card_stock(design: CardDesign, seed: int) -> Image.Image:
    """Pale card stock with a faint security pattern; the pattern's phase changes with the seed."""
    base = np.array(design.paper, np.float32)
    yy, xx = np.mgrid[0:CARD_H, 0:CARD_W].astype(np.float32)
    phase = (seed % 7) * 0.5
    if design.pattern == "rings":  # guilloche rosette: rings around a point off the card's centre
        cx, cy = CARD_W * (0.55 + 0.05 * (seed % 3)), CARD_H * 0.45
        radius = np.hypot(xx - cx, yy - cy)
        wave = (np.sin(radius / 6.0 + np.sin(np.arctan2(yy - cy, xx - cx) * 12 + phase) * 1.5) + 1) * 4.0
    elif design.pattern == "lines":  # fine diagonal hatching with a slow swell
        wave = (np.sin((xx + yy) / 5.0 + np.sin(xx / 90.0 + phase) * 3.0) + 1) * 3.5
    else:  # waves
        wave = (np.sin(xx / 37.0 + np.sin(yy / 53.0 + phase) * 2.0) + 1) * 4.0
    tint = np.array(design.tint, np.float32)
    img = base[None, None, :] - wave[..., None] * tint[None, None, :] - wave[..., None] * 0.6
    if design.emblem:
        disc = np.hypot(xx - CARD_W * 0.45, yy - CARD_H * 0.55) < CARD_H * 0.32
        img = img - disc[..., None] * np.array((6.0, 4.0, 1.0), np.float32)[None, None, :]
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")


def _line_length(font: CardFont, text: str, size: int, bold: bool) -> float:
    return sum(face(part_font, size, bold).getlength(part) for part_font, part in runs(font, text, bold))


def draw_runs(
    draw: ImageDraw.ImageDraw, font: CardFont, xy: tuple[float, float], text: str, size: int,
    bold: bool, fill: tuple[int, ...],
) -> float:  # fmt: skip
    """Draw ``text`` from its top-left at ``xy`` with the given face (fallback glyphs where it has
    none), every run on one baseline. Returns the x after the text."""
    x, top = xy
    ascent = face(font, size, bold).getmetrics()[0]
    for part_font, part in runs(font, text, bold):
        typeface = face(part_font, size, bold)
        baseline_shift = ascent - typeface.getmetrics()[0]
        draw.text((x, top + baseline_shift), part, font=typeface, fill=fill)
        x += typeface.getlength(part)
    return x


def fitted_size(font: CardFont, text: str, size: int, bold: bool, width: float) -> int:
    """The design's size, or smaller when this face sets the text wider than the box."""
    length = _line_length(font, text, size, bold)
    if length <= width:
        return size
    return max(8, int(size * width / length))


def text_top(font: CardFont, size: int, bold: bool, y0: int, y1: int) -> float:
    """Where to put the text's origin so a Hangul syllable sits in the middle of the box."""
    _l, top, _r, bottom = face(font, size, bold).getbbox("가")
    return y0 + ((y1 - y0) - (bottom - top)) / 2 - top


def draw_field(
    draw: ImageDraw.ImageDraw, font: CardFont, spec: FieldSpec, text: str, fill: tuple[int, ...],
    caption: str = "",
) -> None:  # fmt: skip
    x0, y0, x1, y1 = px(spec.box)
    x = float(x0)
    if caption:
        small = max(10, round(spec.font_px * 0.5))
        x = draw_runs(draw, font, (x, text_top(font, small, False, y0, y1)), caption, small, False,
                      (90, 90, 100)) + spec.font_px * 0.4  # fmt: skip
    size = fitted_size(font, text, spec.font_px, spec.bold, x1 - x)
    draw_runs(draw, font, (x, text_top(font, size, spec.bold, y0, y1)), text, size, spec.bold, fill)


def draw_address(
    draw: ImageDraw.ImageDraw, font: CardFont, spec: FieldSpec, address: str, fill: tuple[int, ...]
) -> None:
    x0, y0, x1, _y1 = px(spec.box)
    first, _, rest = address.rpartition(", ")
    size = min(fitted_size(font, first + ",", spec.font_px, False, x1 - x0),
               fitted_size(font, rest, spec.font_px, False, x1 - x0))  # fmt: skip
    draw_runs(draw, font, (x0, y0 + 4), first + ",", size, False, fill)
    draw_runs(draw, font, (x0, y0 + 8 + spec.font_px), rest, size, False, fill)


def draw_face(card: Image.Image, box: tuple[int, int, int, int], seed: int) -> None:
    """A synthetic portrait placeholder: shaded background, head and shoulders."""
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    tone = int(rng.integers(150, 200))
    photo = Image.new("RGB", (w, h), (tone, tone + 10, tone + 25))
    d = ImageDraw.Draw(photo)
    skin = (int(rng.integers(200, 235)), int(rng.integers(165, 195)), int(rng.integers(140, 170)))
    hair = tuple(int(v) for v in rng.integers(10, 60, 3))
    d.ellipse((w * 0.12, h * 0.72, w * 0.88, h * 1.35), fill=(40, 45, 60))  # shoulders
    d.ellipse((w * 0.25, h * 0.16, w * 0.75, h * 0.70), fill=skin)  # face
    d.chord((w * 0.22, h * 0.08, w * 0.78, h * 0.55), 180, 360, fill=hair)
    d.ellipse((w * 0.37, h * 0.38, w * 0.43, h * 0.42), fill=(30, 30, 30))
    d.ellipse((w * 0.57, h * 0.38, w * 0.63, h * 0.42), fill=(30, 30, 30))
    card.paste(photo, (x0, y0))


def draw_ghost(card: Image.Image, box: tuple[int, int, int, int], seed: int) -> None:
    """The faded duplicate portrait some designs print beside the text."""
    x0, y0, x1, y1 = box
    ghost = Image.new("RGB", (x1 - x0, y1 - y0))
    draw_face(ghost, (0, 0, x1 - x0, y1 - y0), seed)
    region = card.crop(box)
    card.paste(Image.blend(region, ghost.convert("L").convert("RGB"), 0.28), (x0, y0))


def draw_seal(draw: ImageDraw.ImageDraw, spec: FieldSpec) -> None:
    _x0, y0, x1, y1 = px(spec.box)
    size = y1 - y0
    draw.rectangle((x1 - size, y0, x1, y1), outline=(200, 40, 40), width=4)
    draw.line((x1 - size + 8, y0 + size // 2, x1 - 8, y0 + size // 2), fill=(200, 40, 40), width=3)
