"""One Tesseract run: an image in, its words with boxes and confidences out.

Two backends behind the same functions. In-process (`tess_api`: the system libtesseract through its
C API): two worker threads keep the models loaded, so a run costs only the recognition — the CLI
re-loads the kor traineddata (100+ ms) on every call, and a card takes several runs. The tesseract
CLI (image on stdin, TSV on stdout) stays as the fallback when the library is missing or cannot
initialise (logged once). Both are the same library and print the same TSV, read by one parser.
``OMP_THREAD_LIMIT=1`` in both: OpenMP's worker threads spin longer than the LSTM works on a few text
lines (2–3x slower on the 2-core kiosk PC). Every run is bounded: an image larger than `MAX_PIXELS`
is refused, and a run that takes longer than `TIMEOUT_S` is stopped.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from functools import cache

import cv2
import numpy as np

from devices.id.image import tess_api
from devices.id.model import IdError

TIMEOUT_S = 15.0
MAX_PIXELS = 40_000_000  # the pipeline hands over card crops and line stacks, far below this
MAX_SIDE = 32_000  # Tesseract's own limit is 32767 pixels a side


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


def backend() -> str:
    """Which backend reads now: "in-process" or "cli" (for diagnostics and the bench)."""
    return "in-process" if tess_api.available() else "cli"


def _refusal(image: np.ndarray) -> IdError | None:
    """The bound on a run: an empty or oversized image never reaches Tesseract."""
    if image.ndim not in (2, 3) or image.size == 0:
        return IdError("unreadable", "empty image")
    if image.shape[0] * image.shape[1] > MAX_PIXELS or max(image.shape[:2]) > MAX_SIDE:
        return IdError("unreadable", f"image too large for OCR ({image.shape[1]}x{image.shape[0]})")
    return None


def _api_words(future: Future[str | None]) -> list[Word] | None:
    """The in-process run's words; None when the backend failed and the CLI should read instead."""
    try:
        tsv = future.result(timeout=2 * TIMEOUT_S)  # Tesseract stops itself at TIMEOUT_S
    except tess_api.BackendUnavailable as exc:
        tess_api.disable(str(exc))
        return None
    except FutureTimeout:
        raise IdError("unreadable", "OCR timed out") from None
    except (RuntimeError, ValueError, ctypes.ArgumentError):  # refused this image: the CLI tries
        return None
    if tsv is None:
        raise IdError("unreadable", "OCR timed out")
    return parse_tsv(tsv)


def run_tesseract(image: np.ndarray, lang: str, psm: int = 6, whitelist: str = "") -> list[Word]:
    return start_tesseract(image, lang, psm, whitelist).result()


def start_tesseract(image: np.ndarray, lang: str, psm: int = 6, whitelist: str = "") -> PendingRun:
    """Start a run without waiting: two runs on the two cores at once (a Korean pass and a digits
    pass) cost the person the time of one."""
    return PendingRun(image, lang, psm, whitelist)


class PendingRun:
    def __init__(self, image: np.ndarray, lang: str, psm: int, whitelist: str) -> None:
        self._image, self._args = image, (lang, psm, whitelist)
        self._error = _refusal(image)
        self._future: Future[str | None] | None = None
        self._cli: _CliRun | None = None
        if self._error is None:
            self._future = tess_api.submit(image, lang, psm, whitelist)
            if self._future is None:
                self._cli = _CliRun(image, *self._args)

    def result(self) -> list[Word]:
        if self._error is not None:
            raise self._error
        if self._future is not None:
            words = _api_words(self._future)
            if words is not None:
                return words
            self._cli = _CliRun(self._image, *self._args)
        assert self._cli is not None
        return self._cli.result()


class _CliRun:
    """One run of the tesseract CLI, started at once (image on stdin, TSV on stdout)."""

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
        if not self._data:
            raise IdError("unreadable", "image not encodable")
        if self._process is None:  # tesseract missing: the kiosk cannot read cards at all
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


def run_tesseract_cli(image: np.ndarray, lang: str, psm: int = 6, whitelist: str = "") -> list[Word]:
    """The CLI path alone (the fallback; for comparing the two backends)."""
    error = _refusal(image)
    if error is not None:
        raise error
    return _CliRun(image, lang, psm, whitelist).result()
