"""The player behind "자동 시연 · Autoplay": runs a script of taps at human pace on the GUI thread.

A script is a generator. Between taps it yields what should happen next — a line of narration
(`Say`), a pause (`Pause`, scaled by the pace) or a condition to wait for (`Wait`, polled) — and the
player resumes it from a single-shot QTimer. Nothing ever blocks the GUI thread: while the script is
suspended the windows paint, the hub's answers arrive, and a person may press Stop and take over.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)
POLL_MS = 50


@dataclass(frozen=True)
class Say:
    """One line of narration: shown in the control window and printed to the terminal."""

    text: str


@dataclass(frozen=True)
class Pause:
    """Let the viewer see what just happened (milliseconds at pace 1.0)."""

    ms: int


@dataclass(frozen=True)
class Wait:
    """Wait for something the windows do by themselves (a worker, the hub, a device)."""

    until: Callable[[], bool]
    what: str
    timeout_s: float = 60.0


Step = Say | Pause | Wait
Script = Generator[Step, None, None]
Scene = Generator[Step, None, str]  # a part of a script that hands back what it found (a ticket number)


class Autoplay(QObject):
    narrated = Signal(str)
    finished = Signal()
    failed = Signal(str)  # what went wrong, in words
    runningChanged = Signal(bool)

    def __init__(self, pace: float = 1.0, say_ms: int = 900, parent: QObject | None = None) -> None:
        """``pace`` scales every pause (0.05: a fast test run); ``say_ms`` is the pause after a line."""
        super().__init__(parent)
        self.pace, self.say_ms = pace, say_ms
        self._script: Generator[Step, None, object] | None = None
        self._waiting: Wait | None = None
        self._deadline = 0.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._tick)
        self.lines: list[str] = []  # every narration line of the current run

    @property
    def running(self) -> bool:
        return self._script is not None

    def start(self, script: Generator[Step, None, object]) -> None:
        self.stop()
        self.lines = []
        self._script = script
        self.runningChanged.emit(True)
        self._timer.start(0)

    def stop(self) -> None:
        """Stop where it is: the windows stay as they are, for a person to carry on by hand."""
        self._timer.stop()
        script, self._script, self._waiting = self._script, None, None
        if script is not None:
            script.close()
            self.runningChanged.emit(False)

    def _ms(self, ms: int) -> int:
        return max(0, round(ms * self.pace))

    def _tick(self) -> None:
        if self._script is None:
            return
        if self._waiting is not None:
            if not self._waiting.until():
                if time.monotonic() > self._deadline:
                    self._fail(f"기다리다 멈췄어요: {self._waiting.what} (timed out)")
                else:
                    self._timer.start(POLL_MS)
                return
            self._waiting = None
        try:
            step = next(self._script)
        except StopIteration:
            self._end()
            self.finished.emit()
            return
        except Exception as exc:  # a tap that found the screen in another state: say so, stop
            log.exception("autoplay step failed")
            self._fail(f"{type(exc).__name__}: {exc}")
            return
        if isinstance(step, Say):
            self.lines.append(step.text)
            print(f"[자동 시연] {step.text}", flush=True)
            self.narrated.emit(step.text)
            self._timer.start(self._ms(self.say_ms))
        elif isinstance(step, Pause):
            self._timer.start(self._ms(step.ms))
        else:
            self._waiting = step
            self._deadline = time.monotonic() + step.timeout_s
            self._timer.start(0)

    def _fail(self, message: str) -> None:
        self._end()
        print(f"[자동 시연] 멈췄어요 · stopped: {message}", flush=True)
        self.failed.emit(message)

    def _end(self) -> None:
        self._timer.stop()
        self._script, self._waiting = None, None
        self.runningChanged.emit(False)


HANDS = (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress)


class HandsOn(QObject):
    """A person takes over by simply pressing something: a real press anywhere in the demo (except the
    control window, whose Stop button says it plainly) stops Autoplay where it is."""

    tookOver = Signal()

    def __init__(self, player: Autoplay, exempt: QWidget) -> None:
        super().__init__(player)
        self.player, self.exempt = player, exempt
        player.runningChanged.connect(self._watch)

    def _watch(self, running: bool) -> None:
        app = QCoreApplication.instance()
        if app is None:
            return
        if running:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Only events from the window system (a hand), never the presses Autoplay makes itself.
        if (
            event.type() in HANDS
            and event.spontaneous()
            and isinstance(watched, QWidget)
            and watched.window() is not self.exempt
            and self.player.running
        ):
            self.player.stop()
            self.tookOver.emit()
        return False
