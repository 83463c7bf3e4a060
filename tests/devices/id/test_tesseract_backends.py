"""Tesseract in-process (libtesseract's C API) and the CLI fallback: same words, bounded runs, two at once.

What a person notices: a card reads the same whichever backend runs, a bad image gives a refusal the
kiosk can show (never a crash), and the Korean pass and the digits pass run side by side.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from devices.id.emulators.fonts import DEFAULT_FONT, face
from devices.id.image import tess_api
from devices.id.image.tesseract import (
    backend,
    run_tesseract,
    run_tesseract_cli,
    start_tesseract,
)
from devices.id.model import IdError

pytestmark = pytest.mark.skipif(tess_api.library() is None, reason="no libtesseract")
DIGITS = "0123456789-. "


def rendered_line(text: str, px: int = 40) -> np.ndarray:
    """One printed line, black on white, as the pipeline hands it over (grey, a margin)."""
    font = face(DEFAULT_FONT, px)
    left, top, right, bottom = (round(edge) for edge in font.getbbox(text))
    image = Image.new("L", (right - left + 40, bottom - top + 40), 255)
    ImageDraw.Draw(image).text((20 - left, 20 - top), text, font=font, fill=0)
    return np.asarray(image)


@pytest.fixture
def fresh_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    """No reason to turn the backend off yet (and none left behind for other tests)."""
    monkeypatch.setattr(tess_api, "_disabled", [])


@pytest.mark.parametrize(
    ("text", "lang", "whitelist"),
    [("성명 홍길동", "kor", ""), ("900101-1234567", "kor", DIGITS), ("2023.07.14", "eng", DIGITS)],
)
def test_in_process_and_cli_read_the_same_words(
    fresh_backend: None, text: str, lang: str, whitelist: str
) -> None:
    line = rendered_line(text)
    api = run_tesseract(line, lang, 6, whitelist)
    cli = run_tesseract_cli(line, lang, 6, whitelist)
    assert backend() == "in-process"
    assert "".join(w.text for w in api) == text.replace(" ", "")
    assert api == cli  # the same library: same words, boxes, confidences and line ids


def test_a_digits_pass_leaves_no_whitelist_behind(fresh_backend: None) -> None:
    """The whitelist is set per run and reset after: the next Korean read still sees Hangul."""
    name = rendered_line("홍길동")
    for _ in range(2):  # both workers take one digits run (the pool's order is not ours to pick)
        runs = [start_tesseract(name, "kor", 6, DIGITS) for _ in range(tess_api.WORKERS)]
        for run in runs:
            assert "홍" not in "".join(w.text for w in run.result())
    runs = [start_tesseract(name, "kor", 6) for _ in range(tess_api.WORKERS)]
    assert ["".join(w.text for w in run.result()) for run in runs] == ["홍길동"] * tess_api.WORKERS


BAD_IMAGES = {
    "empty": np.zeros((0, 0), np.uint8),
    "no rows": np.zeros((0, 50), np.uint8),
    "1x1": np.full((1, 1), 255, np.uint8),
    "all black": np.zeros((60, 400), np.uint8),
    "all white": np.full((60, 400), 255, np.uint8),
    "colour noise": np.random.default_rng(7).integers(0, 256, (40, 120, 3), dtype=np.uint8),
    "one channel": np.full((30, 30, 1), 255, np.uint8),
    "rgba": np.full((30, 30, 4), 255, np.uint8),
}


@pytest.mark.parametrize("name", sorted(BAD_IMAGES))
@pytest.mark.parametrize("path", ["api", "cli"])
def test_a_bad_image_gives_no_words_or_a_clear_refusal(fresh_backend: None, name: str, path: str) -> None:
    read = run_tesseract if path == "api" else run_tesseract_cli
    try:
        words = read(BAD_IMAGES[name], "kor", 6)
    except IdError as error:
        assert error.code == "unreadable" and error.message_ko
    else:
        assert all(w.text for w in words)
        if name not in ("colour noise", "all black"):
            assert words == []


def test_an_image_beyond_the_bound_is_refused_before_ocr(fresh_backend: None) -> None:
    huge = np.broadcast_to(np.uint8(255), (7000, 7000))  # 49 MP without allocating it
    with pytest.raises(IdError, match="too large"):
        run_tesseract(huge, "kor", 6)
    with pytest.raises(IdError, match="too large"):
        start_tesseract(np.broadcast_to(np.uint8(255), (10, 40_000)), "eng").result()


def test_the_pool_runs_two_reads_at_once(fresh_backend: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each run waits at a barrier for its partner before reading: run one at a time, it would
    break the barrier instead (and the digits pass would cost the person a second read's time)."""
    barrier = threading.Barrier(2, timeout=20)
    threads: set[str] = set()
    real = tess_api.recognise

    def meet_then_read(image: np.ndarray, lang: str, psm: int, whitelist: str) -> str | None:
        barrier.wait()
        threads.add(threading.current_thread().name)
        return real(image, lang, psm, whitelist)

    monkeypatch.setattr(tess_api, "recognise", meet_then_read)
    korean = start_tesseract(rendered_line("홍길동"), "kor", 6)
    digits = start_tesseract(rendered_line("900101-1234567"), "kor", 6, DIGITS)
    assert "".join(w.text for w in korean.result()) == "홍길동"
    assert "".join(w.text for w in digits.result()) == "900101-1234567"
    assert len(threads) == 2 and threading.current_thread().name not in threads


def test_without_models_the_cli_reads_and_the_reason_is_logged_once(
    fresh_backend: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "xxx.traineddata").write_bytes(b"not a model")  # a folder the wheel cannot init from
    monkeypatch.setattr(tess_api, "tessdata_dir", lambda: f"{tmp_path}/")  # the CLI keeps its own
    line = rendered_line("900101-1234567")
    with caplog.at_level(logging.WARNING, logger=tess_api.__name__):
        first = run_tesseract(line, "kor", 6, DIGITS)
        second = run_tesseract(line, "kor", 6, DIGITS)
    assert "".join(w.text for w in first) == "900101-1234567" and first == second
    assert backend() == "cli"
    warnings = [r for r in caplog.records if r.name == tess_api.__name__]
    assert len(warnings) == 1 and str(tmp_path) in warnings[0].getMessage()
