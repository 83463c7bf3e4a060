"""The virtual scanner's card renderer: Korean ID cards for synthetic identities, drawn with
NanumGothic at the places the layout files name, then photographed: rotation, perspective, blur,
noise, glare, lighting and background are all controllable so the image reader can be measured.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from devices.id.emulators.identities import SyntheticIdentity
from devices.id.image.layouts import CARD_H, CARD_W, CardLayout, layout_for
from devices.id.model import DocumentKind

FONT_DIRS = (Path("/usr/share/fonts/truetype/nanum"), Path("/usr/share/fonts/nanum"))


@lru_cache(maxsize=32)
def _font(px: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "NanumGothicBold.ttf" if bold else "NanumGothic.ttf"
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), px)
    raise FileNotFoundError(f"{name} not found (install fonts-nanum)")


@dataclass(frozen=True)
class Perturbation:
    """How the card is photographed. ``level`` presets: clean, moderate, heavy."""

    rotation_deg: float = 0.0
    perspective: float = 0.0  # corner jitter as a fraction of the card width
    blur_sigma: float = 0.0
    noise_sigma: float = 0.0
    glare: float = 0.0  # 0..1 strength of a specular spot
    glare_at: tuple[float, float] = (0.8, 0.2)  # where on the card (fractions)
    lighting: float = 1.0  # overall gain; <1 darker
    lighting_gradient: float = 0.0  # 0..1 left-to-right falloff
    background: str = "desk"  # desk, dark, scanner
    card_width_px: int = 1100  # card width in the frame
    frame_size: tuple[int, int] = (1400, 1000)  # width, height
    offset: tuple[float, float] = (0.0, 0.0)  # card centre shift (fractions of the frame)
    jpeg_quality: int = 0  # >0: round-trip through JPEG like a camera
    seed: int = 0

    @classmethod
    def level(cls, name: str, seed: int = 0) -> Perturbation:
        rng = np.random.default_rng(seed)

        def u(lo: float, hi: float) -> float:
            return float(rng.uniform(lo, hi))

        if name == "clean":
            return cls(rotation_deg=u(-1.5, 1.5), background="scanner", seed=seed)
        if name == "moderate":
            return cls(
                rotation_deg=u(-8, 8),
                perspective=u(0.0, 0.03),
                blur_sigma=u(0.3, 0.9),
                noise_sigma=u(2, 6),
                glare=u(0.0, 0.45),
                glare_at=(u(0.7, 0.95), u(0.1, 0.3)),
                lighting=u(0.85, 1.05),
                lighting_gradient=u(0, 0.15),
                background=str(rng.choice(["desk", "dark"])),
                card_width_px=int(u(900, 1150)),
                offset=(u(-0.03, 0.03), u(-0.03, 0.03)),
                jpeg_quality=int(u(80, 95)),
                seed=seed,
            )
        if name == "heavy":
            return cls(
                rotation_deg=u(-20, 20),
                perspective=u(0.02, 0.06),
                blur_sigma=u(0.8, 1.5),
                noise_sigma=u(6, 12),
                glare=u(0.3, 0.8),
                glare_at=(u(0.1, 0.95), u(0.1, 0.9)),
                lighting=u(0.65, 0.95),
                lighting_gradient=u(0.1, 0.35),
                background=str(rng.choice(["desk", "dark"])),
                card_width_px=int(u(760, 1000)),
                offset=(u(-0.04, 0.04), u(-0.04, 0.04)),
                jpeg_quality=int(u(70, 90)),
                seed=seed,
            )
        raise ValueError(f"unknown perturbation level {name!r} (clean, moderate, heavy)")


def _text(
    draw: ImageDraw.ImageDraw, layout: CardLayout, field: str, text: str, fill: tuple[int, ...]
) -> None:
    region = layout.regions[field]
    x0, y0, _x1, y1 = region.pixels()
    font = _font(region.font_px, region.bold)
    top = y0 + ((y1 - y0) - region.font_px) // 2 - round(region.font_px * 0.1)
    draw.text((x0, top), text, font=font, fill=fill)


def _face(card: Image.Image, box: tuple[int, int, int, int], seed: int) -> None:
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


def _card_background(kind: DocumentKind, seed: int) -> Image.Image:
    """Pale security-print colours with a faint wave pattern, like the real card stock."""
    base = np.array((250, 244, 240) if kind is DocumentKind.RESIDENT_CARD else (240, 248, 242), np.float32)
    yy, xx = np.mgrid[0:CARD_H, 0:CARD_W].astype(np.float32)
    phase = (seed % 7) * 0.5
    wave = (np.sin(xx / 37.0 + np.sin(yy / 53.0 + phase) * 2.0) + 1) * 4.0
    tint = np.array((-1.0, 0.3, 1.0) if kind is DocumentKind.RESIDENT_CARD else (0.6, -0.4, 0.8), np.float32)
    img = base[None, None, :] - wave[..., None] * tint[None, None, :] - wave[..., None] * 0.6
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")


def _fmt_date(d: object) -> str:
    return f"{d:%Y. %-m. %-d.}"


def render_flat(identity: SyntheticIdentity, kind: DocumentKind, seed: int = 0) -> np.ndarray:
    """The card itself, head-on, CARD_W x CARD_H, BGR."""
    if kind not in (DocumentKind.RESIDENT_CARD, DocumentKind.DRIVER_LICENSE):
        raise ValueError(f"the virtual scanner renders resident cards and driver's licences, not {kind}")
    layout = layout_for(kind)
    card = _card_background(kind, seed)
    draw = ImageDraw.Draw(card)
    ink = (25, 25, 30)
    _face(card, _px(layout.photo), seed)
    if kind is DocumentKind.RESIDENT_CARD:
        _text(draw, layout, "title", "주민등록증", (20, 30, 90))
        _text(draw, layout, "name", f"{identity.name}({identity.name_hanja})", ink)
        _text(draw, layout, "rrn", identity.rrn, ink)
        _address(draw, layout, identity.address, ink)
        _text(draw, layout, "issue_date", _fmt_date(identity.issue_date), ink)
        _text(draw, layout, "issuer", identity.issuer, ink)
        _seal(draw, layout)
    elif kind is DocumentKind.DRIVER_LICENSE:
        _text(draw, layout, "title", f"자동차운전면허증  {identity.license_classes}", (20, 70, 40))
        _text(draw, layout, "license_number", identity.license_number, ink)
        _text(draw, layout, "name", identity.name, ink)
        _text(draw, layout, "rrn", identity.rrn, ink)
        _address(draw, layout, identity.address, ink)
        _text(
            draw,
            layout,
            "aptitude",
            f"적성검사기간 {identity.aptitude_from:%Y.%m.%d} ~ {identity.aptitude_to:%Y.%m.%d}",
            ink,
        )
        _text(draw, layout, "issue_date", f"{identity.issue_date:%Y.%m.%d}", ink)
        _text(draw, layout, "serial", identity.license_serial, ink)
        city = identity.address.split()[0]
        _text(draw, layout, "issuer", f"{city}경찰청장", ink)
        _seal(draw, layout)
    else:
        raise ValueError(f"the virtual scanner renders resident cards and driver's licences, not {kind}")
    # rounded corners: the card is cut with a radius; outside is transparent-white here and replaced
    # by the background when photographed
    return cv2.cvtColor(np.array(card), cv2.COLOR_RGB2BGR)


def _px(box: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
    return round(box[0] * CARD_W), round(box[1] * CARD_H), round(box[2] * CARD_W), round(box[3] * CARD_H)


def _address(draw: ImageDraw.ImageDraw, layout: CardLayout, address: str, ink: tuple[int, ...]) -> None:
    region = layout.regions["address"]
    x0, y0, _x1, _y1 = region.pixels()
    font = _font(region.font_px)
    first, _, rest = address.rpartition(", ")
    draw.text((x0, y0 + 4), first + ",", font=font, fill=ink)
    draw.text((x0, y0 + 8 + region.font_px), rest, font=font, fill=ink)


def _seal(draw: ImageDraw.ImageDraw, layout: CardLayout) -> None:
    _x0, y0, x1, y1 = layout.regions["issuer"].pixels()
    size = y1 - y0
    draw.rectangle((x1 - size, y0, x1, y1), outline=(200, 40, 40), width=4)
    draw.line((x1 - size + 8, y0 + size // 2, x1 - 8, y0 + size // 2), fill=(200, 40, 40), width=3)


def _background(perturbation: Perturbation, rng: np.random.Generator) -> np.ndarray:
    width, height = perturbation.frame_size
    if perturbation.background == "scanner":
        return np.full((height, width, 3), 235, np.uint8)
    if perturbation.background == "dark":
        base = np.array((45, 40, 38), np.float32)
    else:  # a wooden desk
        base = np.array((70, 110, 150), np.float32)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    grain = np.sin(yy / 9.0 + np.sin(xx / 120.0) * 3) * 10
    img = base[None, None, :] + grain[..., None] + rng.normal(0, 3, (height, width, 1))
    return np.clip(img, 0, 255).astype(np.uint8)


def photograph(card: np.ndarray, perturbation: Perturbation) -> np.ndarray:
    """Place a flat card into a frame as a camera or scanner would see it."""
    p = perturbation
    rng = np.random.default_rng(p.seed + 1)
    frame: np.ndarray = _background(p, rng).astype(np.float32)
    width, height = p.frame_size
    card_h, card_w = card.shape[:2]
    scale = p.card_width_px / card_w
    w, h = card_w * scale, card_h * scale
    cx, cy = width / 2 + p.offset[0] * width, height / 2 + p.offset[1] * height
    corners = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]], np.float32)
    angle = math.radians(p.rotation_deg)
    rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]], np.float32)
    corners = corners @ rot.T
    corners += rng.uniform(-p.perspective, p.perspective, (4, 2)).astype(np.float32) * w
    corners += np.array([cx, cy], np.float32)
    src = np.array([[0, 0], [card_w, 0], [card_w, card_h], [0, card_h]], np.float32)
    matrix = cv2.getPerspectiveTransform(src, corners)
    warped = cv2.warpPerspective(card, matrix, (width, height), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((card_h, card_w), 255, np.uint8), matrix, (width, height))
    alpha = (mask.astype(np.float32) / 255.0)[..., None]
    frame = frame * (1 - alpha) + warped.astype(np.float32) * alpha
    # a soft shadow-free lighting model: gain and a left-to-right falloff
    gradient = 1.0 - p.lighting_gradient * np.linspace(0, 1, width, dtype=np.float32)[None, :, None]
    frame = frame * p.lighting * gradient
    if p.glare > 0:
        gx, gy = cv2.perspectiveTransform(
            np.array([[[p.glare_at[0] * card_w, p.glare_at[1] * card_h]]], np.float32), matrix
        )[0, 0]
        yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
        radius = w * 0.09
        spot = np.exp(-(((xx - gx) ** 2 + (yy - gy) ** 2) / (2 * radius**2)))
        frame = frame + (255 * p.glare * 1.4) * spot[..., None] * alpha
    if p.blur_sigma > 0:
        frame = cv2.GaussianBlur(frame, (0, 0), p.blur_sigma)
    if p.noise_sigma > 0:
        frame = frame + rng.normal(0, p.noise_sigma, frame.shape).astype(np.float32)
    out = np.clip(frame, 0, 255).astype(np.uint8)
    if p.jpeg_quality:
        ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, p.jpeg_quality])
        if ok:
            out = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    return out


def render_card(
    identity: SyntheticIdentity, kind: DocumentKind, perturbation: Perturbation | None = None
) -> np.ndarray:
    """A photographed card: BGR ``np.ndarray`` of ``perturbation.frame_size``."""
    p = perturbation or Perturbation()
    return photograph(render_flat(identity, kind, p.seed), p)


# ---- passport data page (ID-3, 125 x 88 mm) ---------------------------------------------------------

PAGE_W, PAGE_H = 1250, 880
MRZ_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")


def render_passport_page(mrz: str, name_ko: str = "", seed: int = 0) -> np.ndarray:
    """A passport data page with its two MRZ lines (a monospace font stands in for OCR-B)."""
    page = Image.new("RGB", (PAGE_W, PAGE_H), (236, 240, 246))
    draw = ImageDraw.Draw(page)
    _face(page, (60, 150, 360, 560), seed)
    label, value = _font(22), _font(34)
    line1, line2 = mrz.splitlines()
    surname, _, given = line1[5:].rstrip("<").partition("<<")
    rows = [
        ("여권 PASSPORT", "대한민국 REPUBLIC OF KOREA"),
        ("성 Surname", surname.replace("<", " ")),
        ("이름 Given names", given.replace("<", " ")),
        ("한글성명", name_ko),
        ("여권번호 Passport No.", line2[:9].rstrip("<")),
    ]
    for i, (caption, text) in enumerate(rows):
        draw.text((420, 110 + i * 82), caption, font=label, fill=(70, 70, 90))
        draw.text((420, 136 + i * 82), text, font=value, fill=(20, 20, 30))
    font = ImageFont.truetype(str(MRZ_FONT), 40) if MRZ_FONT.exists() else _font(40)
    draw.text((40, 700), line1, font=font, fill=(10, 10, 10))
    draw.text((40, 770), line2, font=font, fill=(10, 10, 10))
    return cv2.cvtColor(np.array(page), cv2.COLOR_RGB2BGR)
