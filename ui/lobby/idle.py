"""Idle watch: no touch for the configured time → a countdown overlay → the wipe.

Any press, touch or key anywhere in the application restarts the clock. The welcome screen with the
default look has nothing to forget, so the clock does not run there.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

from ui.widgets.idle_overlay import IdleOverlay

_ACTIVITY = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.TabletPress,
}


class IdleWatcher(QObject):
    """Knows the overlay it shows and three things the window tells it, not the window itself (the
    window owns the watcher; a watcher holding the window would tie the two modules into a knot).

    ``has_something_to_forget``: whether the clock should run at all; ``say``: speak the question;
    ``forget``: the wipe, when the countdown reaches zero. The window calls ``restart`` on every screen
    change.
    """

    warningShown = Signal(int)
    extended = Signal()

    def __init__(
        self,
        overlay: IdleOverlay,
        *,
        has_something_to_forget: Callable[[], bool],
        say: Callable[[str], None],
        forget: Callable[[], None],
        idle_ms: int,
        warning_s: int,
        tick_ms: int = 1000,
    ) -> None:
        super().__init__(overlay)
        self.overlay = overlay
        self._has_something_to_forget = has_something_to_forget
        self._say = say
        self._forget = forget
        self.warning_s = warning_s
        self.left = warning_s
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(idle_ms)
        self._idle.timeout.connect(self._warn)
        self._tick = QTimer(self)
        self._tick.setInterval(tick_ms)
        self._tick.timeout.connect(self._count_down)
        overlay.extendRequested.connect(self.extend)
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._stopped = False

    @property
    def warning(self) -> bool:
        return self._tick.isActive()

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
        self.overlay.hide()
        self.extended.emit()
        self.restart()

    def _warn(self) -> None:
        self.left = self.warning_s
        self.overlay.show_countdown(self.left)
        self._say(self.overlay.question.text())
        self._tick.start()
        self.warningShown.emit(self.left)

    def _count_down(self) -> None:
        self.left -= 1
        if self.left > 0:
            self.overlay.tick(self.left)
            return
        self._tick.stop()
        self.overlay.hide()
        self._forget()

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
