"""Image files and frames → one BGR uint8 array the pipeline can work on, or a clear IdError.

Whatever arrives (PNG with alpha, a palette, 16-bit grey, a CMYK JPEG, a phone photo with an EXIF
rotation, a 50-megapixel shot) is turned into a bounded BGR image first: huge images are reduced while
decoding (JPEG draft mode) or right after, so no later stage works on more than WORK_PIXELS.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from devices.id.model import IdError

WORK_PIXELS = 12_000_000  # a card filling a third of such a frame is still ~1300 px wide
MIN_SIDE = 32
# images up to this times max_image_pixels are reduced, larger ones refused: a JPEG decodes reduced
# (cheap at any size), other formats decode in full first (3 bytes a pixel) and so get less room
OVERSIZE_JPEG, OVERSIZE_OTHER = 4.0, 1.5


@dataclass(frozen=True)
class ImageReadOptions:
    keep_gender_digit: bool = True
    ocr_lang: str = ""  # empty: each layout's stack_lang
    read_license_serial: bool = True
    layouts_dir: str = ""
    max_image_bytes: int = 40_000_000
    max_image_pixels: int = 40_000_000
    # CPU seconds (this process and its OCR) after which a read starts no optional stage — another
    # outline, the card turned over, a passport's MRZ: a refusal then costs about this much, not 3 s.
    # 0.7, not 0.9: on 240 tuning cards no read was won by a stage this cuts, and refusals set the p95
    read_budget_s: float = 0.7
    # per-digit voting across RRN reads (digit_vote.py). Off: on 240 tuning cards it rescued 3-4
    # RRNs (on cards whose names were misread anyway) and turned 2 refusals into wrong RRNs, so it
    # raised no exact read; kept for the faces where the name reads and the digits do not
    vote_digits: bool = False
    # the hanja after the name (resident cards) read as a second witness for a name not yet settled
    read_hanja: bool = True


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        # 16-bit or float grey: scale to 8 bits by the image's own range, not by clipping at 255
        values = np.asarray(image, dtype=np.float32)
        low, high = float(values.min()), float(values.max())
        scaled = (values - low) * (255.0 / max(high - low, 1e-6))
        image = Image.fromarray(scaled.astype(np.uint8), "L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # transparent parts become white paper, not black (which would look like a dark desk)
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")


def decode_image(data: bytes, options: ImageReadOptions | None = None) -> np.ndarray:
    """Bytes of a PNG/JPEG/... → BGR array. Corrupt, truncated or huge input → IdError."""
    opts = options or ImageReadOptions()
    if len(data) > opts.max_image_bytes:
        raise IdError("image_too_large", f"{len(data)} bytes")
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            room = OVERSIZE_JPEG if image.format == "JPEG" else OVERSIZE_OTHER
            if width * height > room * opts.max_image_pixels:
                raise IdError("image_too_large", f"{width}x{height}")
            limit = min(WORK_PIXELS, opts.max_image_pixels)
            if width * height > limit and image.format == "JPEG":
                # decode at 1/2, 1/4 or 1/8 straight from the DCT: fast and small in memory
                factor = math.sqrt(width * height / limit)
                image.draft("RGB", (int(width / factor), int(height / factor)))
            image.load()  # raises on truncated data instead of returning a half-grey picture
            oriented = ImageOps.exif_transpose(image) or image
            rgb = _to_rgb(oriented)
    except IdError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise IdError("bad_image", type(exc).__name__) from None
    return to_work_size(cv2.cvtColor(np.asarray(rgb), cv2.COLOR_RGB2BGR))


def to_work_size(frame: np.ndarray) -> np.ndarray:
    height, width = frame.shape[:2]
    if width * height <= WORK_PIXELS:
        return frame
    factor = math.sqrt(WORK_PIXELS / (width * height))
    return cv2.resize(frame, (max(1, int(width * factor)), max(1, int(height * factor))),
                      interpolation=cv2.INTER_AREA)  # fmt: skip


def as_bgr(frame: np.ndarray | None) -> np.ndarray:
    """A frame from a camera or a caller → BGR uint8, or IdError("bad_image")."""
    if frame is None or not isinstance(frame, np.ndarray) or frame.ndim not in (2, 3):
        raise IdError("bad_image", "not an image")
    if min(frame.shape[:2]) < MIN_SIDE:
        raise IdError("bad_image", "too few pixels")
    if frame.dtype != np.uint8:
        values = frame.astype(np.float32)
        if not np.isfinite(values).all():
            raise IdError("bad_image", "not finite")
        low, high = float(values.min()), float(values.max())
        frame = ((values - low) * (255.0 / max(high - low, 1e-6))).astype(np.uint8)
    if frame.ndim == 2:
        frame = cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
    elif frame.shape[2] == 1:
        frame = cv2.cvtColor(frame[:, :, 0], cv2.COLOR_GRAY2BGR)
    elif frame.shape[2] == 4:
        frame = cv2.cvtColor(frame, cv2.COLOR_BGRA2BGR)
    elif frame.shape[2] != 3:
        raise IdError("bad_image", "not 1, 3 or 4 channels")
    return to_work_size(np.ascontiguousarray(frame))


def load_image_file(path: str | Path, options: ImageReadOptions | None = None) -> np.ndarray:
    opts = options or ImageReadOptions()
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > opts.max_image_bytes:
            raise IdError("image_too_large", f"{size} bytes")
        data = file.read_bytes()
    except OSError as exc:
        raise IdError("bad_image", type(exc).__name__) from None
    return decode_image(data, opts)
