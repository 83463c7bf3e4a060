"""Helpers that drive a LobbyWindow without a person: used by the screenshot tour and the bench.

They press the same buttons a visitor would (``QPushButton.click``) and wait for queued results by
spinning the event loop with a deadline — never a blind sleep.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from PySide6.QtWidgets import QAbstractButton

from kiosk.matching.ranges import AnswerRange
from ui.lobby.screens.base import LobbyScreen
from ui.lobby.screens.needs import NeedsScreen
from ui.lobby.screens.needs_view import QuestionView
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


def moved_on(window: LobbyWindow, needs: NeedsScreen, question: QuestionView) -> Callable[[], bool]:
    """Whether the needs screen left ``question`` (the next one, or the results)."""
    return lambda: window.current != "needs" or needs.question is not question


def answer_buttons(needs: NeedsScreen, value: Any) -> list[QAbstractButton]:
    """The buttons a visitor taps to give ``value`` on the current question, in order: the range
    holding an exact number when ranges are offered (else its keypad digits), or the choices."""
    question = needs.question
    if question is None:
        return []
    if question.keypad is not None:
        if needs.one_tap:
            index = _range_holding(needs, int(value))
            if index is not None:
                return [needs.choice_buttons[index]]
            needs.exact.click()  # no range holds it (not a visitor's tap: the tour's own choice)
        pad = needs.keypad_amount if question.keypad == "amount" else needs.keypad_count
        pad.clear()
        number = int(value) // 10_000 if question.keypad == "amount" else int(value)
        return [pad.keys[digit] for digit in str(number)]
    values = [choice[0] for choice in (question.choices or [(True, "", ""), (False, "", "")])]
    if question.kind != "multi_choice":
        return [needs.choice_buttons[values.index(value)]]
    # An option the screen does not offer is one the creditor list already answered (the kiosk's credit
    # inquiry took "owes" and the overdue options away): the visitor taps what is there.
    return [needs.choice_buttons[values.index(one)] for one in value if one in values]


def _range_holding(needs: NeedsScreen, number: int) -> int | None:
    """The offered range an exact answer (in the engine's unit: won for an amount) falls in."""
    ranges = needs.question.ranges if needs.question is not None else ()
    held = [
        i
        for i, (option, _ko, _en) in enumerate(ranges)
        if isinstance(option, AnswerRange) and option.holds(number)
    ]
    return held[0] if held else None
