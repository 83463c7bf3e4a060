"""Idle watch: no touch for the configured time → a countdown overlay → the wipe.

Any press, touch or key anywhere in the application restarts the clock. The welcome screen with the
default look has nothing to forget, so the clock does not run there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

if TYPE_CHECKING:
    from ui.lobby.window import LobbyWindow

_ACTIVITY = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.TabletPress,
}


class IdleWatcher(QObject):
    warningShown = Signal(int)
    extended = Signal()

    def __init__(self, window: LobbyWindow, *, idle_ms: int, warning_s: int, tick_ms: int = 1000) -> None:
        super().__init__(window)
        self.window = window
        self.warning_s = warning_s
        self.left = warning_s
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(idle_ms)
        self._idle.timeout.connect(self._warn)
        self._tick = QTimer(self)
        self._tick.setInterval(tick_ms)
        self._tick.timeout.connect(self._count_down)
        window.idle_overlay.extendRequested.connect(self.extend)
        window.screenChanged.connect(lambda _name: self.restart())
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._stopped = False

    @property
    def warning(self) -> bool:
        return self._tick.isActive()

    def _has_something_to_forget(self) -> bool:
        w = self.window
        default_look = (
            w.theme_name == "default"
            and w.text_size == "normal"
            and w.language.language == w.services.settings.lobby.default_language
            and w.voice.enabled == w.services.settings.lobby.voice_enabled
        )
        return w.current not in ("welcome", "") or not default_look

    def restart(self) -> None:
        if self._stopped or self.warning:
            return
        if self._has_something_to_forget():
            self._idle.start()
        else:
            self._idle.stop()

    def extend(self) -> None:
        """시간 연장: hide the warning, start the idle clock again."""
        self._tick.stop()
        self.window.idle_overlay.hide()
        self.extended.emit()
        self.restart()

    def _warn(self) -> None:
        self.left = self.warning_s
        self.window.idle_overlay.show_countdown(self.left)
        self.window.voice.say(self.window.idle_overlay.question.text())
        self._tick.start()
        self.warningShown.emit(self.left)

    def _count_down(self) -> None:
        self.left -= 1
        if self.left > 0:
            self.window.idle_overlay.tick(self.left)
            return
        self._tick.stop()
        self.window.idle_overlay.hide()
        from ui.lobby.wipe import wipe_visit

        wipe_visit(self.window, reason="idle")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # During the warning only the "시간 연장" button counts: a stray touch must not hide the question.
        if event.type() in _ACTIVITY and not self.warning:
            self.restart()
        return False

    def stop(self) -> None:
        self._stopped = True
        self._idle.stop()
        self._tick.stop()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
