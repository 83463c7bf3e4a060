"""`kiosk devices signature --emulated --out DIR` end to end, through the installed entry point."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from PIL import Image

from devices.signature.record import strokes_of, verify
from devices.signature.stroke_library import load_strokes
from devices.signature.timeseries_json import record_from_json

KIOSK = str(Path(sys.executable).with_name("kiosk"))


def test_emulated_capture_writes_png_and_json(tmp_path: Path) -> None:
    document = tmp_path / "consent.pdf"
    document.write_bytes(b"%PDF-1.7 synthetic consent form")
    out = tmp_path / "T"
    done = subprocess.run(
        [KIOSK, "devices", "signature", "--emulated", "--out", str(out), "--signature", "initials-mj",
         "--document", str(document)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "verify: True" in done.stdout
    image = Image.open(io.BytesIO((out / "signature.png").read_bytes()))
    assert image.mode == "RGBA" and image.getchannel("A").getbbox() is not None
    record = record_from_json(json.loads((out / "signature.json").read_text("utf-8")))
    assert len(strokes_of(record.points)) == len(load_strokes("initials-mj").strokes)
    assert verify(record, document.read_bytes())


def test_without_a_port_the_command_explains_and_fails(tmp_path: Path) -> None:
    done = subprocess.run(
        [KIOSK, "devices", "signature", "--out", str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and "--emulated" in done.stderr


def test_a_missing_pad_is_reported_in_korean(tmp_path: Path) -> None:
    done = subprocess.run(
        [KIOSK, "devices", "signature", "--port", "/dev/no-such-pad", "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1 and "PAD_NOT_FOUND" in done.stderr and "서명 패드" in done.stderr


def test_bench_reports_sample_rate_and_latency_as_json() -> None:
    command = [KIOSK, "bench", "signature", "--json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert 0.85 * 120 < figures["measured_sample_rate_hz"] < 1.15 * 120
    latency = figures["latency_pen_to_callback"]
    assert latency["n"] > 100 and 0 <= latency["median_ms"] <= latency["p95_ms"] <= latency["max_ms"]
