"""`kiosk print sample --emulated` writes every artefact the acceptance check looks at."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.cli import main


def test_print_sample_writes_bins_pngs_and_signed_pdfs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "T"
    assert main(["print", "sample", "--emulated", "--out", str(out)]) == 0
    ticket = (out / "ticket.bin").read_bytes()
    assert len(ticket) <= 1000 and b"\x1c&" in ticket and b"\x1d(k" in ticket and b"\x1dV" in ticket
    for name in ("ticket", "summary", "aftercare"):
        assert (out / f"{name}.png").stat().st_size > 1000
    for name in ("consent", "intake_summary", "counseling_record", "aftercare_plan"):
        assert (out / f"{name}.pdf").read_bytes().startswith(b"%PDF")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 10 and all("bytes" in line and "ms" in line for line in lines)


def test_print_test_without_a_port_says_what_to_do(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["print", "test"]) == 2
    assert "--port" in capsys.readouterr().err


def test_print_test_on_a_port_reports_health(capsys: pytest.CaptureFixture[str]) -> None:
    from printers.escpos.emulator import EmulatedPrinter

    with EmulatedPrinter("bixolon-srp-350iii") as emulator:
        assert main(["print", "test", "--port", emulator.port_name]) == 0
        assert emulator.wait_for_jobs(1, 5) and "TEST" in emulator.jobs[0].text
        emulator.paper_out()
        assert main(["print", "test", "--port", emulator.port_name]) == 1
    out = capsys.readouterr().out
    assert "before: ready" in out and "after: ready" in out and "paper_out [PRN-PAPER-OUT]" in out
