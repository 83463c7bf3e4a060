"""Mobile ID (모바일 신분증): a QR code read from the camera frame with OpenCV's QR detector, its
payload handed to a mobile-ID verifier port (same pattern as the authenticity-check port).

The real service's verifier SDK plugs in behind :class:`MobileIdVerifier`. The emulated one accepts
payloads signed by the demo's own key (``EmulatedMobileIdVerifier``), and says so in its result.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

import cv2
import numpy as np

from devices.id.model import DocumentKind, IdDocument, IdError, ReadError, ReadResult, ThreadedIdReader
from devices.id.verifier import EMULATED_NOTE, VerificationResult

PAYLOAD_TYPE = "kr-mobile-id-demo"

_log = logging.getLogger(__name__)


def read_qr(frame: np.ndarray) -> str | None:
    """The decoded text of the first QR code in the frame, or None."""
    if frame is None or frame.ndim not in (2, 3):
        return None
    # the classic detector misses dense codes on a phone screen that the ArUco-based one finds
    for detector in (cv2.QRCodeDetector(), cv2.QRCodeDetectorAruco()):
        text, points, _ = detector.detectAndDecode(frame)
        if points is not None and text:
            return str(text)
    return None


@dataclass(frozen=True)
class MobileIdClaims:
    name: str
    birth_date: date


class MobileIdVerifier(Protocol):
    name: str

    def verify(self, payload: str) -> tuple[MobileIdClaims, VerificationResult]: ...


class EmulatedMobileIdVerifier:
    """Payload: ``{"type": ..., "name": ..., "birth_date": ..., "sig": base64(HMAC-SHA256)}``."""

    name = "emulated"

    def __init__(self, key: bytes = b"paperless-kiosk demo mobile id") -> None:
        self.key = key

    def sign(self, name: str, birth_date: date) -> str:
        body = {"type": PAYLOAD_TYPE, "name": name, "birth_date": birth_date.isoformat()}
        sig = hmac.new(self.key, _canonical(body), hashlib.sha256).digest()
        return json.dumps({**body, "sig": base64.b64encode(sig).decode()}, ensure_ascii=False)

    def verify(self, payload: str) -> tuple[MobileIdClaims, VerificationResult]:
        try:
            data = json.loads(payload)
            body = {"type": data["type"], "name": data["name"], "birth_date": data["birth_date"]}
            sig = base64.b64decode(data["sig"], validate=True)
            claims = MobileIdClaims(str(body["name"]), date.fromisoformat(str(body["birth_date"])))
        except (ValueError, KeyError, TypeError):
            raise IdError("bad_qr") from None
        if body["type"] != PAYLOAD_TYPE:
            raise IdError("bad_qr", "unknown payload type")
        expected = hmac.new(self.key, _canonical(body), hashlib.sha256).digest()
        status = "match" if hmac.compare_digest(expected, sig) else "mismatch"
        return claims, VerificationResult(status, self.name, False, EMULATED_NOTE)


def _canonical(body: dict[str, str]) -> bytes:
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def read_mobile_id(frame: np.ndarray, verifier: MobileIdVerifier) -> IdDocument:
    payload = read_qr(frame)
    if payload is None:
        raise IdError("no_qr")
    claims, result = verifier.verify(payload)
    if result.status != "match":
        raise IdError("bad_qr", result.label)
    return IdDocument(
        kind=DocumentKind.MOBILE,
        name=claims.name,
        birth_date=claims.birth_date,
        verified=result.government_check,
        source="qr",
        confidence={"name": 1.0, "birth_date": 1.0},
        extra={"verification": result.label},
    )


def render_mobile_id(payload: str, size: int = 600) -> np.ndarray:
    """The emulator side: a phone screen showing the QR (BGR), for the demo and tests."""
    import qrcode

    image = qrcode.make(payload, border=4).convert("RGB").resize((size, size))
    screen = np.full((size + 200, size + 80, 3), 30, np.uint8)
    screen[100 : 100 + size, 40 : 40 + size] = cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR)
    return screen


class MobileIdReader(ThreadedIdReader):
    """Looks for a mobile-ID QR on camera/scanner frames on its own thread (decoding takes tens of
    milliseconds a frame). No code yet: keep looking; a bad code is reported once and the loop ends."""

    thread_name = "mobile-id-qr"
    join_timeout_s = 5.0

    def __init__(
        self,
        frames: Callable[[], np.ndarray | None],
        verifier: MobileIdVerifier | None = None,
        interval_s: float = 0.2,
    ) -> None:
        super().__init__()
        self.frames = frames
        self.verifier: MobileIdVerifier = verifier if verifier is not None else EmulatedMobileIdVerifier()
        self.interval_s = interval_s

    def _run(self) -> None:
        while not self._stop.is_set():
            frame = self.frames()
            if frame is not None:
                try:
                    document = read_mobile_id(frame, self.verifier)
                except IdError as exc:
                    if exc.code != "no_qr":
                        self.emit(ReadError(exc.code, exc.message_ko))
                        return
                except Exception:  # a broken frame must not kill the kiosk
                    _log.exception("mobile-ID frame could not be read")
                else:
                    self.emit(ReadResult(document))
                    return
            self._stop.wait(self.interval_s)
