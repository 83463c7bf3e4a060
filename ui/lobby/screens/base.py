"""What every screen tells the chrome: its title, voice text and its one primary action."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

if TYPE_CHECKING:
    from ui.lobby.screens.host import LobbyHost


class LobbyScreen(QWidget):
    """Subclasses keep their own translatable strings (``self.tr`` uses the concrete class as context)."""

    chromeChanged = Signal()  # title / primary text / enabled changed: the window re-reads them
    step = ""  # progress step key (identify, consent, needs, results, ticket) or "" for none
    # The primary action first, right under the title, where the eye lands (welcome: 상담 접수 시작);
    # otherwise it sits at the bottom above the fixed buttons.
    primary_first = False

    def __init__(self, lobby: LobbyHost) -> None:
        super().__init__()
        self.lobby = lobby
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(0, 0, 0, 0)

    def title(self) -> str:
        raise NotImplementedError

    def voice_text(self) -> str:
        return self.title()

    def primary_text(self) -> str | None:
        return None

    def primary_enabled(self) -> bool:
        return True

    def on_primary(self) -> None:
        """The primary button was pressed."""

    def back_available(self) -> bool:
        """Whether 이전 can do anything here; where it cannot (an issued ticket) it is hidden."""
        return True

    def handle_back(self) -> bool:
        """이전 inside the screen (previous question, previous page); False lets the window go back."""
        return False

    def enter(self) -> None:
        """The screen is about to be shown."""

    def leave(self) -> None:
        """Another screen is about to be shown."""

    def wipe(self) -> None:
        """Forget everything this screen shows about the visitor."""

    def retranslate(self) -> None:
        """Re-read every string (language changed)."""

    def shutdown(self) -> None:
        """Stop this screen's threads and devices (the window is closing)."""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.chromeChanged.emit()
        super().changeEvent(event)
