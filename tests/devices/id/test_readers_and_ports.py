"""ImageIdReader events (frame provider and drop folder), the CLI, the verifier port, mobile ID and
manual entry."""

from __future__ import annotations

import json
import queue
import random
import threading
import time
from datetime import date
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.id.emulators.card_render import Perturbation, render_card
from devices.id.emulators.identities import generate_identity
from devices.id.image.reader import ImageIdReader
from devices.id.manual import manual_document
from devices.id.mobile import EmulatedMobileIdVerifier, read_mobile_id, read_qr, render_mobile_id
from devices.id.model import (
    CardPresent,
    CardRemoved,
    DocumentKind,
    Guidance,
    IdDocument,
    IdError,
    IdEvent,
    Reading,
    ReadResult,
)
from devices.id.verifier import EmulatedVerifier, NoVerifier, VerificationRequest, apply_result, make_verifier

WHO = generate_identity(random.Random(77))


def _collect(events: queue.Queue[IdEvent], until: type, timeout: float = 60) -> list[IdEvent]:
    seen: list[IdEvent] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            event = events.get(timeout=0.2)
        except queue.Empty:
            continue
        seen.append(event)
        if isinstance(event, until):
            return seen
    raise AssertionError(f"no {until.__name__} within {timeout}s; saw {[type(e).__name__ for e in seen]}")


class Table:
    """The in-process frame provider: what the virtual scanner's camera sees right now."""

    def __init__(self) -> None:
        self.frame: np.ndarray | None = None
        self.lock = threading.Lock()

    def __call__(self) -> np.ndarray | None:
        with self.lock:
            return self.frame

    def put(self, frame: np.ndarray | None) -> None:
        with self.lock:
            self.frame = frame


def test_frame_provider_guides_reads_once_and_sees_removal() -> None:
    table = Table()
    table.put(np.full((600, 800, 3), 90, np.uint8))  # an empty desk
    events: queue.Queue[IdEvent] = queue.Queue()
    reader = ImageIdReader(table, interval=0.02)
    reader.subscribe(events.put)
    reader.start()
    try:
        guidance = _collect(events, Guidance)[-1]
        assert guidance == Guidance("no_card", "카드를 올려 주세요")
        table.put(render_card(WHO, DocumentKind.DRIVER_LICENSE, Perturbation.level("clean", 77)))
        seen = _collect(events, ReadResult)
        kinds = [type(e) for e in seen]
        assert kinds.index(CardPresent) < kinds.index(Reading) < kinds.index(ReadResult)
        result = seen[-1]
        assert isinstance(result, ReadResult)
        assert (result.document.name, result.document.license_number) == (WHO.name, WHO.license_number)
        table.put(np.full((600, 800, 3), 90, np.uint8))
        _collect(events, CardRemoved)
        assert not any(isinstance(e, ReadResult) for e in list(events.queue))  # one read per placement
    finally:
        reader.stop()
    assert not reader.running


def test_drop_folder_reads_and_deletes_the_unmasked_scan(tmp_path: Path) -> None:
    scan = tmp_path / "scan-0001.png"
    cv2.imwrite(str(scan), render_card(WHO, DocumentKind.RESIDENT_CARD, Perturbation.level("clean", 78)))
    (tmp_path / "notes.txt").write_text("not a scan", encoding="utf-8")
    events: queue.Queue[IdEvent] = queue.Queue()
    reader = ImageIdReader(tmp_path, interval=0.02)
    reader.subscribe(events.put)
    reader.start()
    try:
        result = _collect(events, ReadResult)[-1]
        assert isinstance(result, ReadResult)
        assert result.document.rrn_masked == WHO.rrn[:8] + "******"
        _collect(events, CardRemoved)
    finally:
        reader.stop()
    assert not scan.exists()
    assert (tmp_path / "notes.txt").exists()


def test_a_broken_listener_does_not_stop_the_reader() -> None:
    table = Table()
    table.put(np.full((600, 800, 3), 90, np.uint8))
    events: queue.Queue[IdEvent] = queue.Queue()
    reader = ImageIdReader(table, interval=0.02)

    def broken(event: IdEvent) -> None:
        raise RuntimeError("listener bug")

    reader.subscribe(broken)
    unsubscribe = reader.subscribe(events.put)
    reader.start()
    try:
        _collect(events, Guidance)
        unsubscribe()
        assert reader.running
    finally:
        reader.stop()


def test_missing_camera_is_reported() -> None:
    events: queue.Queue[IdEvent] = queue.Queue()
    reader = ImageIdReader("/dev/video-none", interval=0.02)
    reader.subscribe(events.put)
    reader.start()
    try:
        error = events.get(timeout=20)
        assert getattr(error, "code", None) == "camera_unavailable"
    finally:
        reader.stop()


# ---- CLI ----------------------------------------------------------------------------------------


def test_cli_image_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.cli import main

    photo = tmp_path / "photo.jpg"
    cv2.imwrite(str(photo), render_card(WHO, DocumentKind.RESIDENT_CARD, Perturbation.level("moderate", 79)))
    assert main(["devices", "id", "--image", str(photo), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["kind"] == "resident_card"
    assert out["name"] == WHO.name
    assert out["rrn_masked"] == WHO.rrn[:8] + "******"
    assert out["birth_date"] == WHO.birth_date.isoformat()
    assert out["issue_date"] == WHO.issue_date.isoformat()
    assert "rrn" not in out and WHO.rrn not in json.dumps(out)
    assert main(["devices", "id", "--image", str(photo), "--json", "--unmasked"]) == 0
    assert json.loads(capsys.readouterr().out)["rrn"] == WHO.rrn


def test_cli_no_card_exits_1_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.cli import main

    empty = tmp_path / "desk.png"
    cv2.imwrite(str(empty), np.full((600, 800, 3), 120, np.uint8))
    assert main(["devices", "id", "--image", str(empty)]) == 1
    assert "카드를 올려 주세요" in capsys.readouterr().err
    garbage = tmp_path / "garbage.png"
    garbage.write_bytes(b"\x89PNG broken")
    assert main(["devices", "id", "--image", str(garbage), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["error"] == "bad_image"


# ---- verifier port ------------------------------------------------------------------------------


def _resident() -> IdDocument:
    return IdDocument(
        DocumentKind.RESIDENT_CARD,
        name=WHO.name,
        rrn=WHO.rrn,
        birth_date=WHO.birth_date,
        issue_date=WHO.issue_date,
    )


def test_emulated_verifier_never_claims_a_government_check() -> None:
    doc = _resident()
    result = EmulatedVerifier().verify(VerificationRequest.from_document(doc))
    assert result.status == "match"
    assert result.source == "emulated" and result.government_check is False
    assert "실제 신분증 진위확인이 아니에요" in result.message_ko
    apply_result(doc, result)
    assert doc.verified is False
    assert doc.extra["verification"] == "emulated:match"


def test_emulated_verifier_catches_inconsistent_and_missing_fields() -> None:
    verifier = EmulatedVerifier()
    bad_issue = VerificationRequest(DocumentKind.RESIDENT_CARD, WHO.name, WHO.rrn, date(1900, 1, 1))
    assert verifier.verify(bad_issue).status == "mismatch"
    no_serial = VerificationRequest(
        DocumentKind.DRIVER_LICENSE, WHO.name, birth_date=WHO.birth_date, license_number=WHO.license_number
    )
    result = verifier.verify(no_serial)
    assert result.status == "incomplete" and "license_serial" in result.message_ko
    bad_licence = VerificationRequest(
        DocumentKind.DRIVER_LICENSE,
        WHO.name,
        birth_date=WHO.birth_date,
        license_number="99-1",
        license_serial="AB12CD",
    )
    assert verifier.verify(bad_licence).status == "mismatch"


def test_emulated_register_matches_only_known_people() -> None:
    known = VerificationRequest.from_document(_resident())
    verifier = EmulatedVerifier([known])
    assert verifier.verify(known).status == "match"
    other = VerificationRequest(DocumentKind.RESIDENT_CARD, "김철수", WHO.rrn, WHO.issue_date)
    assert verifier.verify(other).status == "mismatch"


def test_no_verifier_is_not_checked() -> None:
    assert isinstance(make_verifier("none"), NoVerifier)
    result = make_verifier("none").verify(VerificationRequest.from_document(_resident()))
    assert result.status == "not_checked" and not result.government_check


# ---- mobile ID and manual entry ---------------------------------------------------------------


def test_mobile_id_qr_through_the_verifier_port() -> None:
    verifier = EmulatedMobileIdVerifier()
    screen = render_mobile_id(verifier.sign("홍길동", date(1990, 1, 1)))
    doc = read_mobile_id(screen, verifier)
    assert (doc.kind, doc.name, doc.birth_date) == (DocumentKind.MOBILE, "홍길동", date(1990, 1, 1))
    assert doc.verified is False and doc.extra["verification"] == "emulated:match"


def test_mobile_id_bad_payloads() -> None:
    verifier = EmulatedMobileIdVerifier()
    with pytest.raises(IdError) as info:
        read_mobile_id(np.full((400, 400, 3), 255, np.uint8), verifier)
    assert info.value.code == "no_qr"
    forged = json.loads(verifier.sign("홍길동", date(1990, 1, 1)))
    forged["name"] = "김철수"
    with pytest.raises(IdError) as info:
        read_mobile_id(render_mobile_id(json.dumps(forged, ensure_ascii=False)), verifier)
    assert info.value.code == "bad_qr"
    for payload in ["hello", "{}", '{"type": "x", "name": "a", "birth_date": "1990-01-01", "sig": "!!"}']:
        with pytest.raises(IdError) as info:
            verifier.verify(payload)
        assert info.value.code == "bad_qr"
    assert read_qr(np.zeros((5,), np.uint8)) is None


def test_manual_entry_is_unverified_and_masks_the_phone() -> None:
    doc = manual_document("홍길동", "1958-03-02", "010-1234-5678")
    assert doc.kind is DocumentKind.MANUAL and doc.verified is False
    assert doc.extra == {"verification": "unverified", "phone_masked": "010-****-5678"}
    assert doc.phone == "01012345678"
    assert "01012345678" not in repr(doc)


@pytest.mark.parametrize(
    ("name", "born", "phone", "field"),
    [
        ("", "1958-03-02", "01012345678", "name"),
        ("홍", "1958-03-02", "01012345678", "name"),
        ("홍길동", "1958-13-02", "01012345678", "birth_date"),
        ("홍길동", "2999-01-01", "01012345678", "birth_date"),
        ("홍길동", "1958-03-02", "02-123-4567", "phone"),
    ],
)
def test_manual_entry_rejects_bad_input(name: str, born: str, phone: str, field: str) -> None:
    with pytest.raises(IdError) as info:
        manual_document(name, born, phone)
    assert (info.value.code, info.value.detail) == ("manual_invalid", field)


def test_virtual_scanner_drives_the_reader_and_the_factory(tmp_path: Path) -> None:
    from config import load_settings
    from devices.id.emulators.scanner import VirtualScanner
    from devices.id.factory import image_reader

    settings = load_settings(environ={"KIOSK_IDENTITY__DROP_FOLDER": str(tmp_path)})
    reader = image_reader(settings)
    events: queue.Queue[IdEvent] = queue.Queue()
    reader.subscribe(events.put)
    reader.start()
    try:
        VirtualScanner.save_to(tmp_path, WHO, DocumentKind.RESIDENT_CARD, name="a.png")
        result = _collect(events, ReadResult)[-1]
        assert isinstance(result, ReadResult) and result.document.name == WHO.name
    finally:
        reader.stop()
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError):
        image_reader(load_settings(environ={}))
    scanner = VirtualScanner()
    assert scanner() is not None
    scanner.unplug()
    assert scanner() is None


def test_camera_source_reads_a_video_device_or_file(tmp_path: Path) -> None:
    """cv2.VideoCapture accepts a device path or a file; a recorded clip stands in for the camera."""
    clip = tmp_path / "camera.avi"
    frame = render_card(WHO, DocumentKind.RESIDENT_CARD, Perturbation.level("clean", 80))
    height, width = frame.shape[:2]
    writer = cv2.VideoWriter(str(clip), cv2.VideoWriter_fourcc(*"MJPG"), 10, (width, height))
    assert writer.isOpened()
    for _ in range(30):
        writer.write(frame)
    writer.release()
    events: queue.Queue[IdEvent] = queue.Queue()
    reader = ImageIdReader(str(clip), interval=0.01)
    reader.subscribe(events.put)
    reader.start()
    try:
        result = _collect(events, ReadResult)[-1]
        assert isinstance(result, ReadResult)
        assert (result.document.name, result.document.rrn) == (WHO.name, WHO.rrn)
    finally:
        reader.stop()
