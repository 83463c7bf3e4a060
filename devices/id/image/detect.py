"""Find the card in a frame and correct its perspective to the ID-1 aspect.

The card is the largest convex quadrilateral whose corrected aspect is near 85.6:54. Two edge maps are
tried (Canny on the grey image, and a threshold on colour distance from the frame's border) because a
pale card on a pale scanner lid has weak edges and a card on a busy desk has many.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from devices.id.image.layouts import CARD_H, CARD_W, ID1_ASPECT

WORK_WIDTH = 800  # detect on a downscaled copy; warp from the full frame


@dataclass(frozen=True)
class Detection:
    corners: np.ndarray  # 4x2 float32 in frame pixels, ordered tl, tr, br, bl
    area_fraction: float  # card area / frame area
    touches_border: bool  # a corner or edge lies on the frame border → probably cut off
    aspect: float


def order_corners(points: np.ndarray) -> np.ndarray:
    pts = points.reshape(4, 2).astype(np.float32)
    centre = pts.mean(axis=0)
    angles = np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0])
    pts = pts[np.argsort(angles)]  # clockwise in image coordinates starting near top-left
    start = int(np.argmin(pts.sum(axis=1)))
    pts = np.roll(pts, -start, axis=0)
    tl, tr, br, bl = pts
    if np.linalg.norm(tr - tl) < np.linalg.norm(bl - tl):
        # portrait as seen: rotate the order so the long edge is the top
        pts = np.array([bl, tl, tr, br], np.float32)
    return pts


def _edge_maps(small: np.ndarray) -> list[np.ndarray]:
    grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    grey = cv2.GaussianBlur(grey, (5, 5), 0)
    canny = cv2.Canny(grey, 30, 90)
    canny = cv2.dilate(canny, np.ones((3, 3), np.uint8), iterations=2)
    # distance from the border colour: the card differs from whatever it lies on
    border = np.concatenate([small[:4].reshape(-1, 3), small[-4:].reshape(-1, 3),
                             small[:, :4].reshape(-1, 3), small[:, -4:].reshape(-1, 3)])  # fmt: skip
    bg = np.median(border, axis=0)
    # a card running off the frame is part of the border too: use a low percentile for the spread
    border_spread = float(np.percentile(np.linalg.norm(border.astype(np.float32) - bg, axis=1), 60))
    lab = cv2.GaussianBlur(small, (7, 7), 0).astype(np.float32)
    distance = np.linalg.norm(lab - bg[None, None, :], axis=2)
    # anything clearly unlike the surface: a pale card on a pale scanner lid differs by ~10 levels, a
    # wooden desk varies by more than that on its own, so the bar rises with the border's spread
    mask = (distance > max(7.0, 3.0 * border_spread)).astype(np.uint8) * 255
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    return [mask, canny]


def _quad(contour: np.ndarray) -> np.ndarray | None:
    hull = cv2.convexHull(contour)
    perimeter = cv2.arcLength(hull, True)
    for eps in (0.015, 0.02, 0.03, 0.045):
        approx = cv2.approxPolyDP(hull, eps * perimeter, True)
        if len(approx) == 4:
            return approx.reshape(4, 2).astype(np.float32)
    # rounded corners or glare can leave more points: the minimum-area rectangle is a good fallback
    rect = cv2.minAreaRect(hull)
    return cv2.boxPoints(rect).astype(np.float32)


def detect_card(frame: np.ndarray) -> Detection | None:
    height, width = frame.shape[:2]
    scale = WORK_WIDTH / max(width, height)
    small = cv2.resize(frame, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else frame
    scale = min(scale, 1.0)
    sh, sw = small.shape[:2]
    best: tuple[float, np.ndarray] | None = None
    partial: np.ndarray | None = None  # a large card-like blob running off the frame
    for edges in _edge_maps(small):
        contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
            area = cv2.contourArea(contour)
            if area < 0.02 * sw * sh or area > 0.995 * sw * sh:
                continue
            x, y, w, h = cv2.boundingRect(contour)
            at_edge = x <= 2 or y <= 2 or x + w >= sw - 2 or y + h >= sh - 2
            if at_edge and area > 0.06 * sw * sh and partial is None and w < sw - 4 and h < sh - 4:
                partial = cv2.boxPoints(cv2.minAreaRect(contour)).astype(np.float32)
            quad = _quad(contour)
            if quad is None:
                continue
            ordered = order_corners(quad)
            aspect = _aspect(ordered)
            if not 1.3 < aspect < 1.9:
                continue
            quad_area = cv2.contourArea(ordered)
            fill = area / max(quad_area, 1.0)
            if fill < 0.85:
                continue
            score = quad_area * (1 - abs(aspect - ID1_ASPECT) / ID1_ASPECT)
            if best is None or score > best[0]:
                best = (score, ordered)
    if best is None:
        if partial is None:
            return None
        corners = order_corners(partial) / scale
        return Detection(corners, float(cv2.contourArea(corners) / (width * height)), True, _aspect(corners))
    corners = best[1] / scale
    margin = 3 / scale
    touches = bool(
        (corners[:, 0] <= margin).any()
        or (corners[:, 1] <= margin).any()
        or (corners[:, 0] >= width - 1 - margin).any()
        or (corners[:, 1] >= height - 1 - margin).any()
    )
    return Detection(
        corners=corners.astype(np.float32),
        area_fraction=float(cv2.contourArea(corners) / (width * height)),
        touches_border=touches,
        aspect=_aspect(corners),
    )


def _aspect(corners: np.ndarray) -> float:
    tl, tr, br, bl = corners
    w = float(np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2
    h = float(np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2
    return w / max(h, 1e-6)


def warp_card(frame: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """The card as a flat CARD_W x CARD_H image (ID-1 aspect)."""
    target = np.array([[0, 0], [CARD_W - 1, 0], [CARD_W - 1, CARD_H - 1], [0, CARD_H - 1]], np.float32)
    matrix = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    return cv2.warpPerspective(frame, matrix, (CARD_W, CARD_H), flags=cv2.INTER_CUBIC)
