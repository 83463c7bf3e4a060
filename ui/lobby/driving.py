"""Helpers that drive a LobbyWindow without a person: used by the screenshot tour and the bench.

They press the same buttons a visitor would (``QPushButton.click``) and wait for queued results by
spinning the event loop with a deadline — never a blind sleep.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

from ui.lobby.screens.base import LobbyScreen
from ui.lobby.window import LobbyWindow

ScreenT = TypeVar("ScreenT", bound=LobbyScreen)


class DriveTimeout(RuntimeError):
    pass


def screen_of(window: LobbyWindow, name: str, kind: type[ScreenT]) -> ScreenT:
    """The screen ``name`` as its own class, so a driver presses only buttons that screen has."""
    screen = window.screens[name]
    if not isinstance(screen, kind):
        raise TypeError(f"screen {name!r} is a {type(screen).__name__}, not a {kind.__name__}")
    return screen


def _run_loop(ms: int) -> None:
    """Run a real event loop for ``ms`` (timers, queued signals and paints all run meanwhile)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def spin(ms: int = 0) -> None:
    """Let queued signals and paints run for about ``ms`` milliseconds."""
    QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    if ms > 0:
        _run_loop(ms)


def wait_until(predicate: Callable[[], bool], timeout_s: float = 10.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise DriveTimeout(f"timed out after {timeout_s:.0f} s waiting for {what}")
        _run_loop(5)


def settle(window: LobbyWindow, timeout_s: float = 15.0) -> None:
    """Wait until the worker has no job in flight and paints are done."""
    from ui.widgets.buttons import icons_pending

    wait_until(lambda: window.worker.pending == 0, timeout_s, "the lobby worker to finish")
    wait_until(lambda: not icons_pending(), timeout_s, "the icons")
    spin(30)


def shoot(window: LobbyWindow, folder: Path, name: str) -> Path:
    settle(window)
    path = folder / f"{name}.png"
    if not window.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    return path
