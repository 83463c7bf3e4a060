"""The driver against the emulator over a real pty: paper, QR, status answers and faults."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from printers.escpos.emulator import EmulatedPrinter
from printers.escpos.health import HealthMonitor
from printers.escpos.samples import SAMPLE_FIELDS
from printers.escpos.status import HealthState, PrinterHealth
from printers.escpos.transport import ReceiptPrinter

MODEL = "bixolon-srp-350iii"


@pytest.fixture
def rig() -> Iterator[tuple[EmulatedPrinter, ReceiptPrinter]]:
    emulator = EmulatedPrinter(MODEL, baud=115200).start()
    printer = ReceiptPrinter.open(emulator.port_name, MODEL, baud=115200, status_timeout_s=1.0)
    yield emulator, printer
    printer.close()
    emulator.stop()


def test_ticket_comes_out_in_hangul_with_a_readable_qr(rig: tuple[EmulatedPrinter, ReceiptPrinter]) -> None:
    emulator, printer = rig
    rendered = printer.print_receipt("ticket", SAMPLE_FIELDS["ticket"])
    assert emulator.wait_for_jobs(1, 10)
    job = emulator.jobs[0]
    assert job.payload == rendered.payload and emulator.received_bytes == rendered.payload
    assert "서울중앙 서민금융통합지원센터" in job.text and "B-023" in job.text
    decoded, _, _ = cv2.QRCodeDetector().detectAndDecode(np.array(job.image.convert("L")))
    assert decoded == SAMPLE_FIELDS["ticket"]["lookup_url"]
    assert emulator.unknown_commands == []


def test_raster_model_paper_shows_the_same_qr() -> None:
    with EmulatedPrinter("generic-58mm-raster", baud=921600) as emulator:
        with ReceiptPrinter.open(emulator.port_name, "generic-58mm-raster", baud=921600) as printer:
            rendered = printer.print_receipt("ticket", SAMPLE_FIELDS["ticket"])
            assert emulator.wait_for_bytes(len(rendered.payload), 20)
        job = emulator.tear_off()
    assert job is not None
    assert "서민" not in job.text and "B-023" in job.text  # Hangul arrived as images, ASCII as text
    decoded, _, _ = cv2.QRCodeDetector().detectAndDecode(np.array(job.image.convert("L")))
    assert decoded == SAMPLE_FIELDS["ticket"]["lookup_url"]


def test_health_follows_the_printer_state(rig: tuple[EmulatedPrinter, ReceiptPrinter]) -> None:
    emulator, printer = rig
    assert printer.read_health().state is HealthState.READY
    emulator.paper_near_end()
    assert printer.read_health().state is HealthState.PAPER_NEAR_END
    emulator.paper_out()
    assert printer.read_health().state is HealthState.PAPER_OUT
    emulator.recover()
    emulator.open_cover()
    assert printer.read_health().state is HealthState.COVER_OPEN
    emulator.recover()
    assert printer.read_health().state is HealthState.READY


def test_silent_or_garbage_printer_is_unknown_not_paper_out(
    rig: tuple[EmulatedPrinter, ReceiptPrinter],
) -> None:
    emulator, printer = rig
    emulator.go_silent()
    silent = printer.read_health()
    assert silent.state is HealthState.UNKNOWN and silent.paper_out is None
    emulator.recover()
    emulator.answer_garbage()
    assert printer.read_health().state is HealthState.UNKNOWN
    emulator.recover()
    assert printer.read_health().state is HealthState.READY


def test_print_data_is_held_while_out_of_paper(rig: tuple[EmulatedPrinter, ReceiptPrinter]) -> None:
    emulator, printer = rig
    emulator.paper_out()
    rendered = printer.print_receipt("aftercare", SAMPLE_FIELDS["aftercare"])
    assert emulator.wait_for_bytes(len(rendered.payload), 10)
    assert emulator.jobs == []
    emulator.recover()
    assert emulator.wait_for_jobs(1, 5) and "사후관리" in emulator.jobs[0].text


def test_unknown_command_is_reported(rig: tuple[EmulatedPrinter, ReceiptPrinter]) -> None:
    emulator, printer = rig
    printer.send(b"\x1b@\x1bz\x01AB\n\x1dV\x00")
    assert emulator.wait_for_jobs(1, 5)
    assert [c.raw for c in emulator.unknown_commands] == [b"\x1bz", b"\x01"]


def test_monitor_emits_only_changes(rig: tuple[EmulatedPrinter, ReceiptPrinter]) -> None:
    emulator, printer = rig
    seen: list[PrinterHealth] = []
    monitor = HealthMonitor(printer, interval_s=0.05)
    monitor.subscribe(seen.append)
    monitor.poll_once()
    monitor.poll_once()
    emulator.paper_out()
    monitor.poll_once()
    assert [h.state for h in seen] == [HealthState.READY, HealthState.PAPER_OUT]


def test_printer_comes_back_after_the_cable_is_replugged(tmp_path: Path) -> None:
    # A stable device path (like /dev/serial/by-id/...) that points at whichever pty is plugged in.
    link = tmp_path / "printer"
    first = EmulatedPrinter(MODEL, baud=115200).start()
    link.symlink_to(first.port_name)
    printer = ReceiptPrinter.open(str(link), MODEL, baud=115200, status_timeout_s=0.2)
    try:
        assert printer.read_health().state is HealthState.READY
        first.stop()  # unplugged
        assert printer.read_health().state is HealthState.UNKNOWN
        with EmulatedPrinter(MODEL, baud=115200) as second:
            link.unlink()
            link.symlink_to(second.port_name)  # plugged in again
            assert printer.read_health().state is HealthState.READY
            printer.print_receipt("ticket", SAMPLE_FIELDS["ticket"])
            assert second.wait_for_jobs(1, 5)
    finally:
        printer.close()
