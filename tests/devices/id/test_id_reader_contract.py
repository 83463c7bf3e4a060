"""One contract for every ID backend, each driven through its emulator (HWI's test_device.py pattern):
the virtual scanner's camera and a scanner's drop folder through the real OpenCV + Tesseract pipeline,
the virtual ePassport through vpcd and the real pcscd, a mobile-ID QR on a phone screen, manual entry.

What every backend promises: start/stop can be called twice; a good document gives exactly one
ReadResult with the fields that backend reads and no RRN or phone number in clear; a bad one gives
one ReadError with a stable code and its Korean message; stop() during a read returns within a bound
and no reader thread outlives it; a stopped reader reads again when started (the next visitor).

Manual entry is not a reader (the form calls ``devices.id.manual.manual_document``): it takes part in
the document and error contract only.
"""

from __future__ import annotations

import dataclasses
import json
import random
import re
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, ClassVar, Protocol

import cv2
import numpy as np
import pytest

from devices.id.emulators.identities import generate_identity
from devices.id.emulators.scanner import VirtualScanner
from devices.id.emulators.vicc import PassportHolder, VirtualPassport, VpcdCard
from devices.id.image.mrz import parse_td3
from devices.id.image.reader import ImageIdReader
from devices.id.manual import manual_document
from devices.id.mobile import EmulatedMobileIdVerifier, MobileIdReader, render_mobile_id
from devices.id.model import (
    MESSAGES,
    CardRemoved,
    DocumentKind,
    IdError,
    IdEvent,
    ReadError,
    Reading,
    ReadResult,
    ThreadedIdReader,
)
from devices.id.pcsc.emrtd import BacKey
from devices.id.pcsc.reader import PcscIdReader
from tests.polling import wait_until

READ_TIMEOUT_S = 30.0  # a bad card is OCR'd four ways (layouts, upside down, MRZ, layout-free)
STOP_BOUND_S = 5.0  # stop() waits for the read in progress; the kiosk must not wait longer

WHO = generate_identity(random.Random(2024))
# A misprinted card: month 13 cannot be a birth date, so the RRN must not validate.
MISPRINTED = dataclasses.replace(WHO, rrn=WHO.rrn[:2] + "13" + WHO.rrn[4:])
CHIP_READER = "Virtual PCD 00 00"
HOLDER = PassportHolder(surname="YOON", given_names="HAEUN", document_number="M70710678", birth="960229",
                        sex="F", expiry="320101")  # fmt: skip
HOLDER_KEY = BacKey.from_td3(parse_td3(HOLDER.mrz))
TYPED_WRONG = BacKey(HOLDER.document_number, "960228", HOLDER.expiry)  # one digit off the birth date


class Heard:
    """Everything a reader emitted, and the threads it emitted them on."""

    def __init__(self, reader: ThreadedIdReader) -> None:
        self.events: list[IdEvent] = []
        self.threads: set[threading.Thread] = set()
        self._lock = threading.Lock()
        self.stop_listening = reader.subscribe(self._hear)

    def _hear(self, event: IdEvent) -> None:
        with self._lock:
            self.events.append(event)
            self.threads.add(threading.current_thread())

    def snapshot(self) -> list[IdEvent]:
        with self._lock:
            return list(self.events)

    def ended(self) -> bool:
        return any(isinstance(e, ReadResult | ReadError) for e in self.snapshot())

    def removed_after_the_end(self) -> bool:
        seen = self.snapshot()
        ends = [i for i, e in enumerate(seen) if isinstance(e, ReadResult | ReadError)]
        return bool(ends) and any(isinstance(e, CardRemoved) for e in seen[ends[0] :])

    def threads_alive(self) -> list[threading.Thread]:
        with self._lock:
            return [t for t in self.threads if t.is_alive()]


class IdBackend(Protocol):
    """What the contract needs from a backend and its emulator."""

    expected: ClassVar[dict[str, Any]]  # the public fields this backend reads from the good document
    failure_codes: ClassVar[frozenset[str]]  # what the bad document may be refused with
    secrets: ClassVar[tuple[str, ...]]  # what the good document holds that must never show in clear

    def read(self, good: bool) -> list[IdEvent]: ...
    def leftovers(self) -> list[str]: ...
    def close(self) -> None: ...


class ReaderBackend:
    """Shared by the four threaded backends: start, put the document in front of the device, wait for
    the outcome, take it away, wait until the reader has nothing more to say about it, stop."""

    reader: ThreadedIdReader
    expected: ClassVar[dict[str, Any]]
    failure_codes: ClassVar[frozenset[str]]
    secrets: ClassVar[tuple[str, ...]] = ()

    def present(self, good: bool) -> None:
        raise NotImplementedError

    def take_away(self) -> None:
        raise NotImplementedError

    def settled(self, heard: Heard) -> bool:
        """After take_away: the reader reported the document gone (one read per placement)."""
        return heard.removed_after_the_end()

    def stall_mid_read(self, release: threading.Event) -> threading.Event:
        """Hold the next read once it is under way until ``release``; the returned event says it is.

        The listener runs on the reader's own thread, so holding it holds the read after Reading."""
        underway = threading.Event()

        def hold(event: IdEvent) -> None:
            if isinstance(event, Reading) and not underway.is_set():
                underway.set()
                release.wait(10.0)

        self.reader.subscribe(hold)
        return underway

    def read(self, good: bool) -> list[IdEvent]:
        heard = Heard(self.reader)
        self.reader.start()
        try:
            self.present(good)
            wait_until(heard.ended, READ_TIMEOUT_S, message="no ReadResult or ReadError")
            self.take_away()
            wait_until(lambda: self.settled(heard), READ_TIMEOUT_S, message="the reader did not settle")
        finally:
            self.reader.stop()
            heard.stop_listening()
        assert heard.threads_alive() == []
        return heard.snapshot()

    def leftovers(self) -> list[str]:
        return []

    def close(self) -> None:
        self.reader.stop()


class ScannerCameraBackend(ReaderBackend):
    """The lobby's camera pointed at the virtual scanner's glass (continuous frames)."""

    expected: ClassVar[dict[str, Any]] = {
        "kind": "resident_card",
        "name": WHO.name,
        "rrn_masked": WHO.rrn[:8] + "******",
        "birth_date": WHO.birth_date.isoformat(),
        "issue_date": WHO.issue_date.isoformat(),
    }
    failure_codes: ClassVar[frozenset[str]] = frozenset({"invalid_rrn"})
    secrets: ClassVar[tuple[str, ...]] = (WHO.rrn, WHO.rrn.replace("-", ""))

    def __init__(self) -> None:
        self.scanner = VirtualScanner()
        self.reader = ImageIdReader(self.scanner, interval=0.02)

    def present(self, good: bool) -> None:
        self.scanner.place(WHO if good else MISPRINTED, DocumentKind.RESIDENT_CARD)

    def take_away(self) -> None:
        self.scanner.remove()


class DropFolderBackend(ReaderBackend):
    """A document scanner saving each scan into its drop folder (one file, one read)."""

    expected: ClassVar[dict[str, Any]] = {
        "kind": "driver_license",
        "name": WHO.name,
        "rrn_masked": WHO.rrn[:8] + "******",
        "birth_date": WHO.birth_date.isoformat(),
        "license_number": WHO.license_number,
    }
    failure_codes: ClassVar[frozenset[str]] = frozenset({"bad_image"})
    secrets: ClassVar[tuple[str, ...]] = (WHO.rrn, WHO.rrn.replace("-", ""))

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir()
        self.reader = ImageIdReader(folder, interval=0.02)

    def present(self, good: bool) -> None:
        if good:
            VirtualScanner.save_to(self.folder, WHO, DocumentKind.DRIVER_LICENSE, name="scan-0001.png")
            return
        # the scanner lost power mid-write: the file stops halfway through the image data
        whole = self.folder / ".scan-0002.png.part"
        ok, png = cv2.imencode(".png", np.full((400, 600, 3), 200, np.uint8))
        assert ok
        whole.write_bytes(png.tobytes()[: len(png) // 2])
        whole.replace(self.folder / "scan-0002.png")

    def take_away(self) -> None:
        pass  # the reader deletes each scan itself once read

    def leftovers(self) -> list[str]:
        return sorted(p.name for p in self.folder.iterdir())


class ChipBackend(ReaderBackend):
    """The ePassport on the reader: pyscard → the real pcscd → vpcd → the virtual chip."""

    expected: ClassVar[dict[str, Any]] = {
        "kind": "passport",
        "name": "YOON HAEUN",
        "document_number": HOLDER.document_number,
        "birth_date": "1996-02-29",
        "expiry_date": "2032-01-01",
        "nationality": "KOR",
        "sex": "F",
    }
    failure_codes: ClassVar[frozenset[str]] = frozenset({"wrong_mrz"})

    def __init__(self) -> None:
        self.key: BacKey | None = None
        self.card: VpcdCard | None = None
        self.reader = PcscIdReader(lambda: self.key, reader_filter=CHIP_READER, poll_ms=100)

    def present(self, good: bool) -> None:
        self.key = HOLDER_KEY if good else TYPED_WRONG  # what the person typed or the MRZ scan gave
        self.card = VpcdCard(VirtualPassport(HOLDER))
        self.card.insert()

    def take_away(self) -> None:
        if self.card is not None:
            self.card.remove()
            self.card = None

    def close(self) -> None:
        self.take_away()
        super().close()


class PhoneCamera:
    """What the camera sees: an empty desk, or a phone screen showing a mobile-ID QR."""

    DESK = np.full((700, 700, 3), 90, np.uint8)

    def __init__(self) -> None:
        self.frame = self.DESK
        self._lock = threading.Lock()
        self._stall: tuple[threading.Event, threading.Event] | None = None

    def show(self, frame: np.ndarray) -> None:
        with self._lock:
            self.frame = frame

    def stall_next_frame(self, release: threading.Event) -> threading.Event:
        underway = threading.Event()
        with self._lock:
            self._stall = (underway, release)
        return underway

    def __call__(self) -> np.ndarray:
        with self._lock:
            frame, stall = self.frame, self._stall
            if stall is not None and frame is not self.DESK:
                self._stall = None
        if stall is not None and frame is not self.DESK:
            underway, release = stall
            underway.set()
            release.wait(10.0)  # a camera slow to deliver the phone's frame
        return frame


class MobileQrBackend(ReaderBackend):
    """A mobile-ID QR on a phone screen, decoded and handed to the (emulated) verifier port."""

    expected: ClassVar[dict[str, Any]] = {"kind": "mobile", "name": "한지민", "birth_date": "1988-07-14"}
    failure_codes: ClassVar[frozenset[str]] = frozenset({"bad_qr"})

    def __init__(self) -> None:
        self.camera = PhoneCamera()
        self.verifier = EmulatedMobileIdVerifier()
        self.reader = MobileIdReader(self.camera, self.verifier, interval_s=0.02)

    def present(self, good: bool) -> None:
        payload = json.loads(self.verifier.sign("한지민", date(1988, 7, 14)))
        if not good:
            payload["birth_date"] = "1978-07-14"  # altered after signing
        self.camera.show(render_mobile_id(json.dumps(payload, ensure_ascii=False)))

    def take_away(self) -> None:
        self.camera.show(PhoneCamera.DESK)

    def settled(self, heard: Heard) -> bool:
        return heard.threads_alive() == []  # the QR reader's loop ends after one outcome

    def stall_mid_read(self, release: threading.Event) -> threading.Event:
        return self.camera.stall_next_frame(release)  # it emits no Reading: hold the frame instead


class ManualEntryBackend:
    """The typed form: one call, no thread. Its outcome is put into the events every reader emits,
    so the same assertions hold it to the same promises."""

    expected: ClassVar[dict[str, Any]] = {"kind": "manual", "name": "홍길동", "birth_date": "1958-03-02"}
    failure_codes: ClassVar[frozenset[str]] = frozenset({"manual_invalid"})
    secrets: ClassVar[tuple[str, ...]] = ("01012345678", "010-1234-5678")

    def read(self, good: bool) -> list[IdEvent]:
        try:
            doc = manual_document("홍길동", "1958-03-02" if good else "1958-13-02", "010-1234-5678")
        except IdError as exc:
            return [ReadError.of(exc)]
        return [ReadResult(doc)]

    def leftovers(self) -> list[str]:
        return []

    def close(self) -> None:
        pass


CHIP = pytest.param("chip", marks=[pytest.mark.pcscd, pytest.mark.xdist_group("pcscd")])
READERS = ["scanner-camera", "drop-folder", CHIP, "mobile-qr"]


def _make(name: str, request: pytest.FixtureRequest) -> IdBackend | ReaderBackend:
    if name == "scanner-camera":
        return ScannerCameraBackend()
    if name == "drop-folder":
        return DropFolderBackend(request.getfixturevalue("tmp_path") / "scans")
    if name == "chip":
        request.getfixturevalue("pcscd")  # the real daemon with the vpcd reader, under the machine lock
        return ChipBackend()
    if name == "mobile-qr":
        return MobileQrBackend()
    return ManualEntryBackend()


@pytest.fixture(params=[*READERS, "manual"])
def backend(request: pytest.FixtureRequest) -> Iterator[IdBackend]:
    made = _make(request.param, request)
    yield made
    made.close()


@pytest.fixture(params=READERS)
def reader_backend(request: pytest.FixtureRequest) -> Iterator[ReaderBackend]:
    made = _make(request.param, request)
    assert isinstance(made, ReaderBackend)
    yield made
    made.close()


def _threads_named(name: str) -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == name and t.is_alive()]


def _outcomes(events: list[IdEvent]) -> tuple[list[ReadResult], list[ReadError]]:
    return [e for e in events if isinstance(e, ReadResult)], [e for e in events if isinstance(e, ReadError)]


# ---- the document and error contract (every backend) -----------------------------------------------


def test_a_good_document_gives_one_result_with_the_promised_fields(backend: IdBackend) -> None:
    results, errors = _outcomes(backend.read(good=True))
    assert errors == [] and len(results) == 1  # one placement, one read
    doc = results[0].document
    shown = doc.public_fields()
    assert {key: shown.get(key) for key in backend.expected} == backend.expected
    assert doc.verified is False  # an emulator never stands in for a government check
    # What is shown or stored carries the RRN masked (or no RRN at all), never in clear.
    assert "rrn" not in shown
    if doc.rrn is not None:
        assert re.fullmatch(r"\d{6}-\d\*{6}", doc.rrn_masked)
        assert doc.masked_image is not None  # the card image kept is the one with the back digits hidden
    else:
        assert doc.rrn_masked == ""
    printed = json.dumps(shown, ensure_ascii=False) + repr(doc)
    for secret in backend.secrets:
        assert secret not in printed
    assert backend.leftovers() == []  # no unmasked scan stays behind


def test_a_bad_document_gives_one_known_error_in_korean(backend: IdBackend) -> None:
    results, errors = _outcomes(backend.read(good=False))
    assert results == [] and len(errors) == 1
    error = errors[0]
    assert error.code in backend.failure_codes
    assert error.code in MESSAGES and error.message_ko == MESSAGES[error.code][0]
    assert re.search("[가-힣]", error.message_ko)
    assert backend.leftovers() == []


# ---- the reader's lifecycle (every threaded backend) -----------------------------------------------


def test_start_and_stop_twice_leave_one_thread_then_none(reader_backend: ReaderBackend) -> None:
    reader = reader_backend.reader
    reader.stop()  # stopping a reader that never started is harmless
    reader.start()
    reader.start()
    assert len(_threads_named(reader.thread_name)) == 1
    reader.stop()
    reader.stop()
    assert _threads_named(reader.thread_name) == []


def test_a_stopped_reader_reads_again_when_started(reader_backend: ReaderBackend) -> None:
    """The lobby stops its readers when a visitor leaves the identify screen and starts them for the
    next one: the same reader object must read again."""
    first, _ = _outcomes(reader_backend.read(good=True))
    again, errors = _outcomes(reader_backend.read(good=True))
    assert len(first) == len(again) == 1 and errors == []
    assert again[0].document.public_fields() == first[0].document.public_fields()
    assert _threads_named(reader_backend.reader.thread_name) == []


def test_stop_during_a_read_returns_in_bounded_time_and_leaves_no_thread(
    reader_backend: ReaderBackend,
) -> None:
    reader = reader_backend.reader
    release = threading.Event()
    underway = reader_backend.stall_mid_read(release)
    heard = Heard(reader)
    reader.start()
    try:
        reader_backend.present(good=True)
        wait_until(underway.is_set, READ_TIMEOUT_S, message="the read never got under way")
        release.set()  # the device goes on; stop() is pressed while it still reads
        pressed = time.monotonic()
        reader.stop()
        took = time.monotonic() - pressed
    finally:
        release.set()
        reader_backend.take_away()
    assert took < min(STOP_BOUND_S, reader.join_timeout_s), f"stop() took {took:.2f} s"
    # no reader thread outlives stop(), so nothing can reach a screen after it returned
    assert heard.threads_alive() == [] and _threads_named(reader.thread_name) == []
