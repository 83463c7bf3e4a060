"""How the flat card reaches the reader: a camera shot (the card somewhere in a larger frame, turned,
in perspective, on a desk) or a flatbed crop (scanner software cut the card out, so the card fills
the image, with or without a thin margin of the lid, light or dark), and lamp glare on its surface.

Glare comes in two kinds that a reader must tell apart: ``readable`` — a broad highlight that lifts
the paper and the ink together, the text keeps its contrast; ``washout`` — a hot spot that burns one
field to white, nothing is left to read there and the honest answer is to ask for another try.
The legacy ``spot`` glare is an additive specular spot in the camera frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

CORNER_RADIUS = 0.035  # ID-1 corners are cut with a ~3 mm radius: a fraction of the card width
LIGHT_LID, DARK_LID = 238.0, 20.0


@dataclass(frozen=True)
class Perturbation:
    """How the card is captured. ``level`` presets (camera shots): clean, moderate, hard (alias heavy)."""

    rotation_deg: float = 0.0
    perspective: float = 0.0  # corner jitter as a fraction of the card width
    blur_sigma: float = 0.0
    noise_sigma: float = 0.0
    glare: float = 0.0  # 0..1 strength
    glare_at: tuple[float, float] = (0.8, 0.2)  # where on the card (fractions)
    glare_kind: str = "spot"  # spot (camera specular), readable (text keeps contrast), washout
    glare_size: float = 0.18  # readable glare's radius, a fraction of the card width
    glare_field: str = "rrn"  # the field a washout burns out
    lighting: float = 1.0  # overall gain; <1 darker
    lighting_gradient: float = 0.0  # 0..1 left-to-right falloff
    background: str = "desk"  # desk, dark, papers, scanner (camera); light, black (a flatbed's lid)
    capture: str = "camera"  # camera: card in frame_size; flatbed: the frame is the card + margin
    margin: float = 0.0  # flatbed: lid showing around the card, a fraction of the card width
    card_width_px: int = 1100  # card width in the frame
    frame_size: tuple[int, int] = (1400, 1000)  # width, height (camera only)
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
        if name in ("hard", "heavy"):
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
        raise ValueError(f"unknown perturbation level {name!r} (clean, moderate, hard)")


def _rounded_mask(width: int, height: int, radius: float) -> np.ndarray:
    mask = np.full((height, width), 255, np.uint8)
    r = round(radius * width)
    if r < 1:
        return mask
    for cx, cy in ((r, r), (width - 1 - r, r), (r, height - 1 - r), (width - 1 - r, height - 1 - r)):
        x0, x1 = (0, r) if cx == r else (width - r, width)
        y0, y1 = (0, r) if cy == r else (height - r, height)
        yy, xx = np.mgrid[y0:y1, x0:x1]
        mask[y0:y1, x0:x1][(xx - cx) ** 2 + (yy - cy) ** 2 > r * r] = 0
    return mask


def _background(kind: str, size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    width, height = size
    if kind == "scanner":
        return np.full((height, width, 3), 235, np.uint8)
    if kind in ("light", "black"):  # a flatbed's lid: flat, with the scanner's faint noise
        level = LIGHT_LID if kind == "light" else DARK_LID
        return np.clip(rng.normal(level, 1.5, (height, width, 1)).repeat(3, axis=2), 0, 255).astype(np.uint8)
    if kind == "papers":
        return _printed_page(width, height, rng)
    base = np.array((45, 40, 38) if kind == "dark" else (70, 110, 150), np.float32)  # dark cloth / desk
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    grain = np.sin(yy / 9.0 + np.sin(xx / 120.0) * 3) * 10
    img = base[None, None, :] + grain[..., None] + rng.normal(0, 3, (height, width, 1))
    return np.clip(img, 0, 255).astype(np.uint8)


def _printed_page(width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    """A printed form under the card: pale paper with rows of word-like dark strokes. Its edges and
    text lines compete with the card's for a contour finder and for the OCR."""
    page = np.full((height, width), float(rng.uniform(215, 240)), np.float32)
    line_gap = int(rng.integers(28, 44))
    for top in range(int(rng.integers(10, 40)), height - 20, line_gap):
        x = int(rng.integers(20, 80))
        while x < width - 40:
            word = int(rng.integers(20, 110))
            page[top : top + 7, x : min(width, x + word)] = float(rng.uniform(80, 140))
            x += word + int(rng.integers(10, 24))
    printed = cv2.GaussianBlur(page, (0, 0), 1.2) + rng.normal(0, 2, (height, width))
    return np.clip(printed, 0, 255).astype(np.uint8)[..., None].repeat(3, axis=2)


def glare_strength(
    size: tuple[int, int], p: Perturbation, box: tuple[float, float, float, float] | None
) -> np.ndarray:
    """How far each point of the flat card (``size`` = width, height) is pushed towards white by a
    ``readable`` or ``washout`` glare, 0..1. ``box`` is the field a washout burns out."""
    width, height = size
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    if p.glare_kind == "washout" and box is not None:
        # a plateau covering the whole field, with soft edges: the field's ink ends up near white
        cx, cy = (box[0] + box[2]) / 2 * width, (box[1] + box[3]) / 2 * height
        rx, ry = (box[2] - box[0]) / 2 * width * 1.15, (box[3] - box[1]) / 2 * height * 1.9
        d = ((xx - cx) / rx) ** 2 + ((yy - cy) / ry) ** 2
        return np.clip(1.0 - (d - 1.0) / 1.5, 0.0, 1.0) * min(1.0, max(p.glare, 0.97))
    # a broad, flat-topped highlight: at most 60 % of the way to white, so dark ink stays well
    # apart from the paper under it
    cx, cy = p.glare_at[0] * width, p.glare_at[1] * height
    radius = max(p.glare_size, 0.05) * width
    d = ((xx - cx) ** 2 + ((yy - cy) * 1.3) ** 2) / (radius**2)
    return np.exp(-(d**2)).astype(np.float32) * min(p.glare, 0.6)


def photograph(
    card: np.ndarray,
    perturbation: Perturbation,
    glare_box: tuple[float, float, float, float] | None = None,
    corner_radius: float = 0.0,
) -> np.ndarray:
    """Place a flat card into a frame as a camera or a flatbed scanner would deliver it.
    ``glare_box``: the field a ``washout`` glare burns out (fractions of the card); ``corner_radius``:
    the card's cut corners, a fraction of its width (ID-1 cards: ``CORNER_RADIUS``; a passport page: 0)."""
    p = perturbation
    rng = np.random.default_rng(p.seed + 1)
    card_h, card_w = card.shape[:2]
    scale = p.card_width_px / card_w
    w, h = card_w * scale, card_h * scale
    if p.capture == "flatbed":
        pad = p.margin * w
        width, height = round(w + 2 * pad), round(h + 2 * pad)
        cx, cy = width / 2, height / 2
    else:
        width, height = p.frame_size
        cx, cy = width / 2 + p.offset[0] * width, height / 2 + p.offset[1] * height
    frame: np.ndarray = _background(p.background, (width, height), rng).astype(np.float32)
    corners = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]], np.float32)
    angle = math.radians(p.rotation_deg)
    rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]], np.float32)
    corners = corners @ rot.T
    corners += rng.uniform(-p.perspective, p.perspective, (4, 2)).astype(np.float32) * w
    corners += np.array([cx, cy], np.float32)
    src = np.array([[0, 0], [card_w, 0], [card_w, card_h], [0, card_h]], np.float32)
    matrix = cv2.getPerspectiveTransform(src, corners)
    warped = cv2.warpPerspective(card, matrix, (width, height), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(_rounded_mask(card_w, card_h, corner_radius), matrix, (width, height))
    alpha = (mask.astype(np.float32) / 255.0)[..., None]
    frame = frame * (1 - alpha) + warped.astype(np.float32) * alpha
    # a soft shadow-free lighting model: gain and a left-to-right falloff
    gradient = 1.0 - p.lighting_gradient * np.linspace(0, 1, width, dtype=np.float32)[None, :, None]
    frame = frame * p.lighting * gradient
    if p.glare > 0 and p.glare_kind in ("readable", "washout"):
        # a reflection adds light after the scene's own lighting; it rides on the card's surface
        strength = glare_strength((card_w, card_h), p, glare_box)
        lifted = cv2.warpPerspective(strength, matrix, (width, height))[..., None] * alpha
        frame = frame * (1 - lifted) + 255.0 * lifted
    if p.glare > 0 and p.glare_kind == "spot":
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
