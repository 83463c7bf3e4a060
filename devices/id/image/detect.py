"""Find the card in a frame and correct its perspective to the ID-1 aspect.

The card is the largest convex quadrilateral whose corrected aspect is near 85.6:54. Two edge maps are
tried (Canny on the grey image, and a threshold on colour distance from the frame's border) because a
pale card on a pale scanner lid has weak edges and a card on a busy desk has many.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np

from devices.id.image.layouts import CARD_H, CARD_W, ID1_ASPECT

WORK_WIDTH = 800  # detect on a downscaled copy; warp from the full frame
SMOOTH_MAP = 2  # index of the texture map in _edge_maps


@dataclass(frozen=True)
class Detection:
    corners: np.ndarray  # 4x2 float32 in frame pixels, ordered tl, tr, br, bl
    area_fraction: float  # card area / frame area
    touches_border: bool  # a corner or edge lies on the frame border → probably cut off
    aspect: float
    fills_frame: bool = False  # a flatbed or ID-scanner crop: the card is the image
    loose: bool = False  # a large blob just outside the card-shape limits: a retry's guess only


def _frame_is_card(width: int, height: int) -> bool:
    long, short = max(width, height), min(width, height)
    return abs(long / short - ID1_ASPECT) < 0.10 * ID1_ASPECT


def whole_frame(width: int, height: int) -> Detection:
    """The frame itself as the card (a scanner that crops to the card, with or without a thin
    margin): the corners are the frame's, ordered so the long edge is the top."""
    corners = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
    ordered = order_corners(corners)
    return Detection(ordered, 1.0, False, _aspect(ordered), fills_frame=True)


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
    # the card as the large *smooth* area: papers or a patterned cloth under it are busy everywhere,
    # card stock is plain between its lines of print (closing fills the print back in)
    grey_f = grey.astype(np.float32)
    mean = cv2.blur(grey_f, (25, 25))
    spread = np.sqrt(np.maximum(cv2.blur(grey_f * grey_f, (25, 25)) - mean * mean, 0))
    smooth: np.ndarray = (spread < 6).astype(np.uint8) * 255
    smooth = cv2.dilate(smooth, np.ones((13, 13), np.uint8))  # the window widened the texture by 12
    smooth = cv2.morphologyEx(smooth, cv2.MORPH_CLOSE, np.ones((45, 45), np.uint8))
    smooth = cv2.morphologyEx(smooth, cv2.MORPH_OPEN, np.ones((21, 21), np.uint8))
    return [mask, canny, smooth, _tint_mask(small)]


def _tint_mask(small: np.ndarray) -> np.ndarray:
    """Where the image has colour: ID cards are printed on tinted security stock, while papers, a
    white lid or a grey desk mat are neutral, so a pale card on a printed form still stands out."""
    lab = cv2.cvtColor(cv2.GaussianBlur(small, (9, 9), 0), cv2.COLOR_BGR2LAB).astype(np.float32)
    chroma = np.hypot(lab[..., 1] - 128, lab[..., 2] - 128)
    tinted: np.ndarray = (chroma > 2.5).astype(np.uint8) * 255
    mask = cv2.morphologyEx(tinted, cv2.MORPH_CLOSE, np.ones((25, 25), np.uint8))
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((15, 15), np.uint8))


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
    """The best outline of the card in the frame (the first of `detect_candidates`)."""
    ranked = detect_candidates(frame)
    return ranked[0] if ranked and not ranked[0].loose else None


def detect_candidates(frame: np.ndarray, limit: int = 3) -> list[Detection]:
    """Up to ``limit`` outlines, best first: the best quad (what `detect_card` returns), the next-best
    quad that is a different place, then the whole frame as a card (flatbed output) if neither is it.
    When the best outline is wrong (print on a form under the card outscores the card), a read from
    the next one may still validate."""
    height, width = frame.shape[:2]
    if _frame_is_card(width, height) and min(width, height) < 200:
        return [whole_frame(width, height)]  # a thumbnail-sized scan: too few pixels for edges
    scale = WORK_WIDTH / max(width, height)
    small = cv2.resize(frame, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else frame
    scale = min(scale, 1.0)
    sh, sw = small.shape[:2]
    best: tuple[float, np.ndarray] | None = None
    scored: list[tuple[float, np.ndarray]] = []  # every card-shaped quad, for the runners-up
    loose: list[tuple[float, np.ndarray]] = []  # large blobs just outside the limits
    partial: np.ndarray | None = None  # a large card-like blob running off the frame
    for index, edges in enumerate(_edge_maps(small)):
        contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
            area = cv2.contourArea(contour)
            if area < 0.01 * sw * sh or area > 0.995 * sw * sh:
                continue
            x, y, w, h = cv2.boundingRect(contour)
            at_edge = x <= 2 or y <= 2 or x + w >= sw - 2 or y + h >= sh - 2
            if at_edge and index == SMOOTH_MAP:
                continue  # plain surface around the card merges into one smooth blob at the border
            if at_edge and area > 0.06 * sw * sh and partial is None and w < sw - 4 and h < sh - 4:
                partial = cv2.boxPoints(cv2.minAreaRect(contour)).astype(np.float32)
            quad = _quad(contour)
            if quad is None:
                continue
            ordered = order_corners(quad)
            aspect = _aspect(ordered)
            quad_area = cv2.contourArea(ordered)
            fill = area / max(quad_area, 1.0)
            if not 1.4 < aspect < 1.85 or fill < 0.85:
                # strong perspective squashes a card below 1.4, glare eats into its blob: never the
                # first choice, but a large blob like that is worth a retry
                if area > LOOSE_AREA * sw * sh and 1.2 < aspect < 2.1 and fill > 0.7:
                    loose.append((quad_area * (1 - abs(aspect - ID1_ASPECT) / ID1_ASPECT), ordered))
                continue
            score = quad_area * (1 - abs(aspect - ID1_ASPECT) / ID1_ASPECT)
            scored.append((score, ordered))
            if best is None or score > best[0]:
                best = (score, ordered)
    # on a busy surface (papers, a patterned cloth) the blobs merge with the surroundings, and the
    # portrait is the largest clean quad: the card's long straight edges still stand out
    if best is None or cv2.contourArea(best[1]) < 0.3 * sw * sh:
        lined = quad_from_edges(small)
        if lined is not None and (best is None or cv2.contourArea(lined) > 1.5 * cv2.contourArea(best[1])):
            best = (cv2.contourArea(lined), lined)
        elif lined is not None:
            scored.append((0.0, lined))  # the straight-edge quad that lost: a runner-up after the rest
    # lying on print (a form, a newspaper) under a glare, the card's blob merges with the page's lines
    # or breaks up around the glare, and its edges drown among the print's: with the dark strokes
    # closed away, the page is a plain sheet and the card's four straight edges are what is left
    unprinted = quad_from_edges(small, without_print=True) if _doubtful(best, sw, sh) else None
    if unprinted is not None and _takes_over(unprinted, best, sw * sh):
        if best is not None:
            scored.append((best[0], best[1]))
        best = (cv2.contourArea(unprinted), unprinted)
    whole = whole_frame(width, height)
    # a card that fills the frame has no edge of its own to find, or only a sliver of margin
    if _frame_is_card(width, height) and (best is None or _print_outside(small, best[1])):
        first = whole
    elif best is None:
        if partial is None:
            # nothing card-shaped: `detect_card` says no card; a one-shot read may try the guesses
            guesses = _add_distinct([], loose, max(limit - 1, 1), width, height, scale)
            return [replace(guess, loose=True) for guess in guesses]
        corners = order_corners(partial) / scale
        first = Detection(corners, float(cv2.contourArea(corners) / (width * height)), True, _aspect(corners))
    else:
        first = _detection(best[1] / scale, width, height, scale)
    ranked = _add_distinct([first], scored + loose, max(limit - 1, 1), width, height, scale)
    ranked = _prefer_whole_card(ranked)
    if all(_overlap(whole.corners, other.corners) < SAME_PLACE for other in ranked):
        ranked.append(whole)
    return ranked[:limit]


def _prefer_whole_card(ranked: list[Detection]) -> list[Detection]:
    """A best outline that runs off the frame, with a runner-up inside it that does not: on a printed
    page the card's blob merges with the page's lines into an oversized quad around the card, and the
    card's own outline is the runner-up. Read the one that is whole first (the read's budget may not
    last for a second outline)."""
    first = ranked[0]
    if not first.touches_border or first.fills_frame:
        return ranked
    for index, other in enumerate(ranked[1:], start=1):
        inside, _ = cv2.intersectConvexConvex(first.corners, other.corners)
        own = cv2.contourArea(other.corners)
        if (not other.touches_border and not other.loose and own > 0 and inside >= INSIDE * own
                and other.area_fraction >= RUNNER_UP_SHARE * first.area_fraction):  # fmt: skip
            return [other, *ranked[:index], *ranked[index + 1 :]]
    return ranked


INSIDE = 0.9  # share of the runner-up that lies within the oversized outline
RUNNER_UP_SHARE = 0.4  # the runner-up's area against the oversized outline's: a card, not its portrait
SAME_PLACE = 0.8  # intersection over union above which two outlines are the same card
LOOSE_AREA = 0.1  # a blob outside the card-shape limits is a retry only above this share of the frame


def _add_distinct(ranked: list[Detection], quads: list[tuple[float, np.ndarray]], limit: int, width: int,
                  height: int, scale: float) -> list[Detection]:  # fmt: skip
    """``ranked`` plus the best-scored quads (working-copy pixels) that are a different place, up to
    ``limit`` in all."""
    for _, quad in sorted(quads, key=lambda pair: pair[0], reverse=True):
        if len(ranked) >= limit:
            break
        candidate = _detection(quad / scale, width, height, scale)
        if all(_overlap(candidate.corners, other.corners) < SAME_PLACE for other in ranked):
            ranked.append(candidate)
    return ranked


def _detection(corners: np.ndarray, width: int, height: int, scale: float) -> Detection:
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


def _overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over union of two convex quads."""
    inter, _ = cv2.intersectConvexConvex(a.astype(np.float32), b.astype(np.float32))
    union = cv2.contourArea(a) + cv2.contourArea(b) - inter
    return float(inter / union) if union > 0 else 1.0


def _intersection(a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
    x1, y1, x2, y2 = a
    x3, y3, x4, y4 = b
    denominator = (x1 - x2) * (y3 - y4) - (y1 - y2) * (x3 - x4)
    if abs(denominator) < 1e-6:
        return None
    t = ((x1 - x3) * (y3 - y4) - (y1 - y3) * (x3 - x4)) / denominator
    return np.array([x1 + t * (x2 - x1), y1 + t * (y2 - y1)], np.float32)


PRINT_CLOSE_PX = 9  # on the working copy: strokes of print (and a page's lines) are thinner than this
UNPRINTED_MIN_AREA = 0.08  # of the frame: a smaller straight-edged quad is the portrait, not the card
UNPRINTED_MIN_SHARE = 0.35  # of the blob outline's area: smaller is something printed on the card


def _doubtful(best: tuple[float, np.ndarray] | None, sw: int, sh: int) -> bool:
    """A blob outline worth checking against straight edges: none, a small one (the portrait, a patch
    of the card between glare and print) or one running off the frame (the card merged with a page)."""
    if best is None or cv2.contourArea(best[1]) < 0.3 * sw * sh:
        return True
    quad = best[1]
    return bool((quad[:, 0] <= 2).any() or (quad[:, 1] <= 2).any() or (quad[:, 0] >= sw - 3).any()
                or (quad[:, 1] >= sh - 3).any())  # fmt: skip


def _takes_over(quad: np.ndarray, best: tuple[float, np.ndarray] | None, frame_area: float) -> bool:
    """Does the straight-edge quad of the print-free image replace the blob outline as the best?"""
    area = float(cv2.contourArea(quad))
    if area < UNPRINTED_MIN_AREA * frame_area:
        return False
    if best is None:
        return True
    return _overlap(quad, best[1]) < SAME_PLACE and area >= UNPRINTED_MIN_SHARE * cv2.contourArea(best[1])


def quad_from_edges(small: np.ndarray, without_print: bool = False) -> np.ndarray | None:
    """The largest ID-1-shaped quad bounded by long straight edges (Hough segments). ``without_print``:
    dark strokes are closed away first and fainter edges count (the card's edge on a printed page)."""
    sh, sw = small.shape[:2]
    grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    if without_print:
        disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (PRINT_CLOSE_PX, PRINT_CLOSE_PX))
        grey = cv2.morphologyEx(grey, cv2.MORPH_CLOSE, disc)
    grey = cv2.GaussianBlur(grey, (3, 3), 0)
    edges = cv2.Canny(grey, 20, 60) if without_print else cv2.Canny(grey, 40, 120)
    found = cv2.HoughLinesP(edges, 1, np.pi / 360, threshold=60, minLineLength=0.28 * min(sw, sh),
                            maxLineGap=6)  # fmt: skip
    if found is None:
        return None
    segments = found.reshape(-1, 4).astype(np.float32)
    angles = np.degrees(np.arctan2(segments[:, 3] - segments[:, 1], segments[:, 2] - segments[:, 0])) % 180
    lengths = np.hypot(segments[:, 2] - segments[:, 0], segments[:, 3] - segments[:, 1])
    flat = [segments[i] for i in np.argsort(-lengths) if min(angles[i], 180 - angles[i]) < 35][:6]
    steep = [segments[i] for i in np.argsort(-lengths) if 55 < angles[i] < 125][:6]
    best: tuple[float, np.ndarray] | None = None
    for i, top in enumerate(flat):
        for bottom in flat[i + 1 :]:
            for j, left in enumerate(steep):
                for right in steep[j + 1 :]:
                    points = [_intersection(top, left), _intersection(top, right),
                              _intersection(bottom, right), _intersection(bottom, left)]  # fmt: skip
                    if any(p is None for p in points):
                        continue
                    quad = order_corners(np.array(points, np.float32))
                    if not 1.4 < _aspect(quad) < 1.85:
                        continue
                    if (quad < -5).any() or (quad[:, 0] > sw + 5).any() or (quad[:, 1] > sh + 5).any():
                        continue
                    area = float(cv2.contourArea(quad))
                    if area > 0.04 * sw * sh and (best is None or area > best[0]):
                        best = (area, quad)
    return best[1] if best else None


def _print_outside(small: np.ndarray, quad: np.ndarray) -> bool:
    """In a card-shaped image, is there print outside the found quad? Then the quad is something
    printed on the card (its photo) and the image itself is the card; a scanner lid, a desk or a
    black cover around a real card holds no ink-dark strokes."""
    inside = np.zeros(small.shape[:2], np.uint8)
    cv2.fillConvexPoly(inside, quad.astype(np.int32), 255)
    mask = cv2.erode(cv2.bitwise_not(inside), np.ones((9, 9), np.uint8))  # not the quad's own edge
    grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    outside = grey[mask > 0]
    if outside.size < 100:
        return False
    ink = outside < float(np.median(outside)) - 60
    return float(ink.mean()) > 0.01


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
