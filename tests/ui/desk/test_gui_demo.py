"""`kiosk demo` as a newcomer meets it: one center on one screen.

- On a real X server (Xvfb, xcb, no window manager) at 1920×1080 and 1366×768 every top-level window
  the X server shows is whole on the screen and none covers another; the terminal says what runs, where
  the data is and how to stop, and Ctrl+C stops it cleanly.
- The offscreen screenshot run opens every window and shows the ticket on the printer's paper.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import numpy as np
import pytest
from PIL import Image

from kiosk.cli import main
from tests.polling import wait_until
from ui.desk.demo_layout import Rect, all_apart

KIOSK = str(Path(sys.executable).parent / "kiosk")


@pytest.fixture(params=["1920x1080", "1366x768", "1920x1080 openbox"])
def xvfb(request: pytest.FixtureRequest) -> Iterator[tuple[str, Rect]]:
    """A fresh X server on a free display (Xvfb picks it): no window manager, as on a kiosk PC, or
    openbox (title bars and borders) when it is installed."""
    if shutil.which("Xvfb") is None or shutil.which("xwininfo") is None:
        pytest.skip("Xvfb / xwininfo not installed (apt: xvfb, x11-utils)")
    size, _, manager = str(request.param).partition(" ")
    if manager and shutil.which(manager) is None:
        pytest.skip(f"{manager} not installed")
    width, height = (int(v) for v in size.split("x"))
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    assert number.isdigit(), "Xvfb did not report its display"
    display = f":{number}"
    wm = None
    if manager:
        wm = subprocess.Popen(
            [manager],
            env={**os.environ, "DISPLAY": display},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for_manager(display)
    try:
        yield display, Rect(0, 0, width, height)
    finally:
        if wm is not None:
            wm.terminate()
            wm.wait(10)
        server.terminate()
        server.wait(10)


def _wait_for_manager(display: str) -> None:
    """A window manager announces itself with _NET_SUPPORTING_WM_CHECK on the root window."""

    def announced() -> bool:
        check = ["xprop", "-display", display, "-root", "_NET_SUPPORTING_WM_CHECK"]
        return "window id" in subprocess.run(check, capture_output=True, text=True).stdout

    wait_until(announced, 20, message="the window manager to start")


def _titles(display: str) -> str:
    """Every window name under the root (with a window manager the names sit inside its frames)."""
    return subprocess.run(
        ["xwininfo", "-display", display, "-root", "-tree"], capture_output=True, text=True, check=True
    ).stdout


def _viewable_windows(display: str) -> dict[str, Rect]:
    """The root's mapped children as the X server has them (what a person sees on the screen): the
    windows themselves, or with a window manager their frames with title bars and borders."""
    tree = subprocess.run(
        ["xwininfo", "-display", display, "-root", "-children"], capture_output=True, text=True, check=True
    ).stdout
    found: dict[str, Rect] = {}
    for window_id in re.findall(r"^\s+(0x[0-9a-f]+)", tree, re.MULTILINE):
        info = subprocess.run(
            ["xwininfo", "-display", display, "-id", window_id], capture_output=True, text=True
        ).stdout
        if "IsViewable" not in info:
            continue
        title = re.search(r'xwininfo: Window id: \S+ "(.*)"', info)
        found[f"{title.group(1) if title else ''} {window_id}"] = Rect(
            _field(info, "Absolute upper-left X"),
            _field(info, "Absolute upper-left Y"),
            _field(info, "Width"),
            _field(info, "Height"),
        )
    return found


def _field(info: str, key: str) -> int:
    match = re.search(rf"{key}:\s+(-?\d+)", info)
    assert match is not None, f"xwininfo gave no {key}"
    return int(match.group(1))


class _Output:
    """The demo's terminal, read on a thread so the test can wait for a line with a deadline."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        assert process.stdout is not None
        self._thread = threading.Thread(target=self._read, args=(process.stdout,), daemon=True)
        self._thread.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, timeout_s: float) -> None:
        wait_until(
            lambda: any(text in line for line in self.lines),
            timeout_s,
            interval_s=0.1,
            message=f"{text!r} in the demo's output:\n{self.text}",
        )

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@pytest.mark.slow
def test_every_window_whole_and_apart_on_a_bare_x_screen(xvfb: tuple[str, Rect], tmp_path: Path) -> None:
    display, screen = xvfb
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    demo = subprocess.Popen(
        [KIOSK, "demo", "--out", str(tmp_path / "data")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    out = _Output(demo)
    try:
        out.wait_for("windows placed", 180)
        windows = _viewable_windows(display)
        titles = _titles(display)
        for title in (
            "로비 키오스크",
            "상담석",
            "창구 화면",
            "대기실",
            "프린터",
            "서명 패드",
            "스캐너",
            "시연 제어",
        ):
            assert title in titles, f"{title} not on the screen: {titles}"
        big = {name: rect for name, rect in windows.items() if rect.w > 1 and rect.h > 1}
        assert len(big) >= 8
        for name, rect in big.items():
            assert screen.contains(rect), f"{name} {rect} is not inside {screen}"
        assert all_apart(big) == []
        # The terminal tells a newcomer what runs, where the data lives and how to stop.
        assert "http://127.0.0.1:" in out.text or "https://127.0.0.1:" in out.text
        assert str(tmp_path / "data") in out.text
        assert "Ctrl+C" in out.text
    finally:
        demo.send_signal(signal.SIGINT)  # what "Ctrl+C" in the terminal does
        try:
            code = demo.wait(60)
        except subprocess.TimeoutExpired:
            demo.kill()
            raise
    assert code == 0
    assert "demo stopped" in out.text


@pytest.mark.slow
def test_demo_screenshots_show_every_window(tmp_path: Path) -> None:
    shots = tmp_path / "shots"
    assert main(["demo", "--out", str(tmp_path / "data"), "--screenshots", str(shots)]) == 0
    for name in ("lobby", "desk", "counter", "hall", "printer", "pads", "scanner", "control", "screen"):
        pixels = _grey(shots / f"demo-{name}.png")
        assert pixels.shape[1] > 100 and pixels.shape[0] > 50
        assert int(pixels.max()) - int(pixels.min()) > 50  # something was drawn, not a blank window
    assert Image.open(shots / "demo-screen.png").size == (1920, 1080)
    # The walk-in printed its ticket: the printer window shows white paper with dark print on it.
    paper = _grey(shots / "demo-printer.png")
    assert (paper >= 250).mean() > 0.3 and (paper < 100).mean() > 0.01


def _grey(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("L"))
