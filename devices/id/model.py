"""The identity model shared by every backend: the document, reader events and error codes.

Error and guidance codes are stable strings (the UI and the hub key on them); each has a calm Korean
message (해요체) that says what to do next, with English beside it for staff and logs.
"""

from __future__ import annotations

import enum
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from devices.id.image.mrz import Td3

log = logging.getLogger(__name__)


class DocumentKind(enum.StrEnum):
    RESIDENT_CARD = "resident_card"  # 주민등록증
    DRIVER_LICENSE = "driver_license"  # 자동차운전면허증
    PASSPORT = "passport"  # 여권 (MRZ image or chip)
    MOBILE = "mobile"  # 모바일 신분증 (QR)
    MANUAL = "manual"  # typed in by the person; never verified


# code -> (Korean, English). Guidance codes ask the person to adjust the card; errors end a read.
MESSAGES: dict[str, tuple[str, str]] = {
    # guidance (image path)
    "no_card": ("카드를 올려 주세요", "Place your ID card on the scanner"),
    "too_small": ("카드를 조금 더 가까이 대 주세요", "Move the card a little closer"),
    "blurred": ("카드가 흐려요. 움직이지 말고 잠시 기다려 주세요", "The image is blurred; hold still"),
    "glare": ("빛 반사가 있어요. 카드를 조금 기울여 주세요", "There is glare; tilt the card slightly"),
    "cut_off": ("카드 전체가 보이도록 가운데에 놓아 주세요", "Place the whole card in the middle"),
    # image read errors
    "unreadable": (
        "신분증 글자를 읽지 못했어요. 다시 올려 주시거나 직원에게 말씀해 주세요",
        "Could not read the card text; try again or ask staff",
    ),
    "unknown_layout": (
        "어떤 신분증인지 알아보지 못했어요. 주민등록증이나 운전면허증을 올려 주세요",
        "Unknown card type; use a resident card or a driver's licence",
    ),
    "invalid_rrn": (
        "주민등록번호를 정확히 읽지 못했어요. 카드를 다시 올려 주세요",
        "The RRN did not validate; place the card again",
    ),
    "bad_image": ("이미지 파일을 열 수 없어요", "The image file cannot be decoded"),
    "image_too_large": ("이미지가 너무 커요", "The image is too large"),
    "camera_unavailable": (
        "카메라를 사용할 수 없어요. 직원에게 말씀해 주세요",
        "The camera cannot be opened; ask staff",
    ),
    "bad_mrz": ("여권 아래쪽 글자(MRZ)를 읽지 못했어요", "The passport MRZ could not be read"),
    # IC chip (PC/SC)
    "pcscd_not_running": (
        "카드 리더 서비스가 꺼져 있어요. 직원에게 말씀해 주세요",
        "The PC/SC service (pcscd) is not running",
    ),
    "no_reader": ("카드 리더가 연결되어 있지 않아요. 직원에게 말씀해 주세요", "No card reader is connected"),
    "no_card_in_reader": ("여권을 리더기 위에 올려 주세요", "Place the passport on the reader"),
    "card_removed": (
        "읽는 중에 여권이 떨어졌어요. 다시 올려 주세요",
        "The card was removed while reading; place it again",
    ),
    "wrong_mrz": (
        "여권 정보가 맞지 않아요. 여권 번호와 생년월일, 만료일을 확인해 주세요",
        "Access denied: document number, birth date or expiry do not match",
    ),
    "pace_only": ("이 신분증은 지원하지 않는 방식입니다", "This chip needs PACE, which is not supported"),
    "not_emrtd": ("전자여권이 아니에요", "The card is not an ePassport"),
    "sm_failed": (
        "여권과의 보안 통신이 확인되지 않았어요. 다시 올려 주세요",
        "Secure messaging check failed (bad MAC or malformed reply)",
    ),
    "bad_tlv": ("여권 데이터를 해석하지 못했어요", "Malformed data on the chip"),
    "card_error": ("여권을 읽는 중 문제가 생겼어요. 다시 올려 주세요", "The chip returned an error"),
    # mobile ID / verification
    "no_qr": ("모바일 신분증 QR을 화면에 비춰 주세요", "Show the mobile ID QR code to the camera"),
    "bad_qr": ("QR 코드를 확인하지 못했어요", "The QR payload is not a mobile ID"),
    "manual_invalid": ("입력한 내용을 다시 확인해 주세요", "Please check what you typed"),
}


def message_ko(code: str) -> str:
    return MESSAGES.get(code, ("문제가 생겼어요. 직원에게 말씀해 주세요", ""))[0]


def message_en(code: str) -> str:
    return MESSAGES.get(code, ("", "Unexpected error"))[1]


class IdError(Exception):
    """A read that failed for a reason the person or staff can act on. Never carries PII."""

    def __init__(self, code: str, detail: str = "", candidates_tried: int = 0) -> None:
        self.code = code
        self.message_ko = message_ko(code)
        self.detail = detail
        self.candidates_tried = candidates_tried  # image reads: OCR reads weighed before refusing
        super().__init__(f"{code}: {message_en(code)}" + (f" ({detail})" if detail else ""))


@dataclass
class IdDocument:
    """What one read found. ``rrn`` lives only in memory; the caller encrypts it and drops it."""

    kind: DocumentKind
    name: str = ""
    rrn: str | None = field(default=None, repr=False)
    rrn_masked: str = ""
    document_number: str = ""  # passport number
    birth_date: date | None = None
    issue_date: date | None = None
    expiry_date: date | None = None
    license_number: str = ""
    license_serial: str = ""  # 암호일련번호 on the licence (needed by the verifier)
    nationality: str = ""
    sex: str = ""
    phone: str | None = field(default=None, repr=False)  # manual entry only; encrypted by the caller
    confidence: dict[str, float] = field(default_factory=dict)
    masked_image: np.ndarray | None = field(default=None, repr=False)  # RRN back digits blacked out
    face_image: np.ndarray | None = field(default=None, repr=False)
    verified: bool = False  # only a verifier port may set this
    source: str = ""  # "image", "chip", "qr", "manual"
    extra: dict[str, str] = field(default_factory=dict)
    candidates_tried: int = 0  # image reads: how many OCR reads of field lines were weighed

    @classmethod
    def passport(
        cls, td3: Td3, *, source: str, confidence: dict[str, float], extra: dict[str, str]
    ) -> IdDocument:
        """A passport from its machine-readable zone, read from the image or from the chip (DG1)."""
        return cls(
            kind=DocumentKind.PASSPORT,
            name=td3.name,
            document_number=td3.document_number,
            birth_date=td3.birth_date,
            expiry_date=td3.expiry_date,
            nationality=td3.nationality,
            sex=td3.sex,
            confidence=confidence,
            source=source,
            extra=extra,
        )

    @property
    def overall_confidence(self) -> float:
        return min(self.confidence.values()) if self.confidence else 0.0

    def public_fields(self, include_rrn: bool = False) -> dict[str, Any]:
        """JSON-ready fields (what the CLI prints and the UI shows). No image, no RRN unless asked."""
        out: dict[str, Any] = {
            "kind": self.kind.value,
            "name": self.name,
            "rrn_masked": self.rrn_masked,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "issue_date": self.issue_date.isoformat() if self.issue_date else None,
        }
        if self.kind is DocumentKind.DRIVER_LICENSE:
            out["license_number"] = self.license_number
        if self.kind is DocumentKind.PASSPORT:
            out["document_number"] = self.document_number
            out["expiry_date"] = self.expiry_date.isoformat() if self.expiry_date else None
            out["nationality"] = self.nationality
            out["sex"] = self.sex
        out["confidence"] = {k: round(v, 3) for k, v in self.confidence.items()}
        out["verified"] = self.verified
        if include_rrn:
            out["rrn"] = self.rrn
        return out


# ---- events -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CardPresent:
    reader: str = ""


@dataclass(frozen=True)
class CardRemoved:
    reader: str = ""


@dataclass(frozen=True)
class Reading:
    reader: str = ""


@dataclass(frozen=True)
class Guidance:
    code: str
    message_ko: str

    @classmethod
    def of(cls, code: str) -> Guidance:
        return cls(code, message_ko(code))


@dataclass(frozen=True)
class ReadResult:
    document: IdDocument


@dataclass(frozen=True)
class ReadError:
    code: str
    message_ko: str

    @classmethod
    def of(cls, error: IdError) -> ReadError:
        return cls(error.code, error.message_ko)


IdEvent = CardPresent | CardRemoved | Reading | Guidance | ReadResult | ReadError
Listener = Callable[[IdEvent], None]


class IdReader:
    """One interface for every backend. Events arrive on the backend's own thread (never the GUI's):
    a Qt adapter re-emits them as queued signals."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def subscribe(self, callback: Listener) -> Callable[[], None]:
        """Register a listener; returns a function that unsubscribes it."""
        with self._lock:
            self._listeners.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._listeners:
                    self._listeners.remove(callback)

        return unsubscribe

    def emit(self, event: IdEvent) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:  # a broken listener must not stop the device thread
                log.exception("identity listener failed on %s", type(event).__name__)

    def start(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def stop(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def __enter__(self) -> IdReader:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class ThreadedIdReader(IdReader):
    """A reader whose device work loops on one thread of its own until ``stop()``.

    Subclasses implement ``_run`` (checking ``self._stop``) and name their thread; starting,
    stopping and joining are the same for every backend.
    """

    thread_name = "id-reader"
    join_timeout_s = 10.0

    def __init__(self) -> None:
        super().__init__()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=self.join_timeout_s)
        self._thread = None

    def _run(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError
