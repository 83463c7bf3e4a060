"""One Tesseract run: an image in, its words with boxes and confidences out.

The tesseract CLI is called directly (image on stdin, TSV on stdout) rather than through pytesseract's
temporary files, for two reasons measured on the 2-core kiosk PC: ``OMP_THREAD_LIMIT=1`` makes a run
of a few text lines 2–3x faster (OpenMP's worker threads spin longer than the LSTM works on a small
image), and a timeout bounds every run, so a pathological image can never hang a read.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from functools import cache

import cv2
import numpy as np

from devices.id.model import IdError

TIMEOUT_S = 15.0


@dataclass(frozen=True)
class Word:
    text: str
    confidence: float  # 0..1
    left: int
    top: int
    width: int
    height: int
    line: tuple[int, int, int]  # (block, paragraph, line) as Tesseract grouped it


@cache
def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    return env


def _command(lang: str, psm: int, whitelist: str) -> list[str]:
    command = ["tesseract", "stdin", "stdout", "-l", lang, "--oem", "1", "--psm", str(psm)]
    if whitelist:
        command += ["-c", f"tessedit_char_whitelist={whitelist.replace(' ', '')}"]
        if " " in whitelist:
            command += ["-c", "preserve_interword_spaces=1"]
    return [*command, "tsv"]


def parse_tsv(tsv: str) -> list[Word]:
    """Tesseract's TSV (level … conf text) → the recognised words; malformed rows are skipped."""
    words = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        try:
            block, par, line = int(cells[2]), int(cells[3]), int(cells[4])
            left, top, width, height = (int(c) for c in cells[6:10])
            confidence = max(0.0, min(100.0, float(cells[10]))) / 100.0
        except ValueError:
            continue
        words.append(Word(cells[11].strip(), confidence, left, top, width, height, (block, par, line)))
    return words


def run_tesseract(image: np.ndarray, lang: str, psm: int = 6, whitelist: str = "") -> list[Word]:
    ok, png = cv2.imencode(".png", image)
    if not ok:
        raise IdError("unreadable", "image not encodable")
    try:
        done = subprocess.run(
            _command(lang, psm, whitelist),
            input=png.tobytes(),
            capture_output=True,
            timeout=TIMEOUT_S,
            env=_environment(),
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise IdError("unreadable", "OCR timed out") from None
    except OSError as exc:  # tesseract missing: the kiosk cannot read cards at all
        raise IdError("unreadable", f"tesseract: {type(exc).__name__}") from None
    if done.returncode != 0:
        raise IdError("unreadable", f"tesseract exit {done.returncode}")
    return parse_tsv(done.stdout.decode("utf-8", "replace"))


def start_tesseract(image: np.ndarray, lang: str, psm: int = 6, whitelist: str = "") -> PendingRun:
    """Start a run without waiting: two runs on the two cores at once (a Korean pass and a digits
    pass) cost the person the time of one."""
    return PendingRun(image, lang, psm, whitelist)


class PendingRun:
    def __init__(self, image: np.ndarray, lang: str, psm: int, whitelist: str) -> None:
        ok, png = cv2.imencode(".png", image)
        self._data = png.tobytes() if ok else b""
        self._process: subprocess.Popen[bytes] | None = None
        if not self._data:
            return
        try:
            self._process = subprocess.Popen(
                _command(lang, psm, whitelist),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=_environment(),
            )
        except OSError:
            self._process = None

    def result(self) -> list[Word]:
        if self._process is None:
            raise IdError("unreadable", "OCR could not start")
        try:
            out, _err = self._process.communicate(self._data, timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.communicate()
            raise IdError("unreadable", "OCR timed out") from None
        if self._process.returncode != 0:
            raise IdError("unreadable", f"tesseract exit {self._process.returncode}")
        return parse_tsv(out.decode("utf-8", "replace"))
