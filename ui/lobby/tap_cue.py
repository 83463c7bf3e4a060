"""A short spoken cue for every real tap on a button of the kiosk window, while voice is on.

It names what was tapped ("빚 갚기가 힘들어요"), so a tap is heard as well as seen. It watches the whole
application (buttons come and go with every question) and acts only on a finger or mouse lifted from an
enabled button inside its window; the screen's guidance stays what 다시 듣기 repeats.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from ui.voice import VoiceGuide


class TapCue(QObject):
    def __init__(self, window: QWidget, voice: VoiceGuide) -> None:
        super().__init__(window)
        self._window = window
        self._voice = voice
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.MouseButtonRelease
            and isinstance(watched, QAbstractButton)
            and watched.isEnabled()
            and self._window.isAncestorOf(watched)
        ):
            self._voice.cue(watched.accessibleName() or watched.text())
        return False
