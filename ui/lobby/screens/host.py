"""What a lobby screen may use of the window that shows it — and nothing more.

Screens used to hold the whole `LobbyWindow`, so the window, its screens and the wipe formed one import
knot and any screen could reach any widget of the chrome. `LobbyHost` is the narrow seam: the visit's
services and draft, the look (sizes, language, voice, theme), navigation and notices, the worker thread
and the wipe. `LobbyWindow` implements it; a test may pass anything that does.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import SignalInstance

from ui.adapters.workflow_worker import WorkflowWorker
from ui.i18n import LanguageSwitch
from ui.lobby.flow_holder import FlowHolder
from ui.lobby.services import LobbyServices
from ui.lobby.state import VisitDraft
from ui.theme import ScreenMetrics, Sizes
from ui.voice import VoiceGuide


class LobbyHost(Protocol):
    # -- the visit (read here; screens change their contents, never replace them) -------------------------
    @property
    def services(self) -> LobbyServices: ...

    @property
    def draft(self) -> VisitDraft: ...

    @property
    def flows(self) -> FlowHolder:
        """The workflow handle of the current visit (ui.lobby.flow drives it)."""

    @property
    def worker(self) -> WorkflowWorker:
        """Every call into kiosk/devices/printers runs on this thread, never on the GUI thread."""

    # -- the look -------------------------------------------------------------------------------------
    @property
    def sizes(self) -> Sizes: ...

    @property
    def metrics(self) -> ScreenMetrics: ...

    @property
    def language(self) -> LanguageSwitch: ...

    @property
    def voice(self) -> VoiceGuide: ...

    @property
    def theme_name(self) -> str: ...

    @property
    def text_size(self) -> str: ...

    @property
    def low_reach(self) -> bool:
        """Low-reach mode: every control in the bottom half of the screen (KS X 9211)."""

    @property
    def lookChanged(self) -> SignalInstance:
        """Theme, text size, language or voice changed: screens re-read what depends on the look."""

    def width(self) -> int: ...

    def icon_colour(self, role: str = "text") -> str: ...

    def apply_look(self) -> None: ...

    def set_theme(self, theme: str) -> None: ...

    def set_text_size(self, size: str) -> None: ...

    def set_language(self, language: str) -> None: ...

    def set_low_reach(self, on: bool) -> None: ...

    # -- navigation and notices -----------------------------------------------------------------------
    def go(self, name: str, *, remember: bool = True) -> None: ...

    def has_screen(self, name: str) -> bool:
        """Whether this lobby was built with that screen (the assistant's chat is optional)."""

    def show_notice(self, text: str, *, kind: str = "guidance") -> None: ...

    def wipe_visit(self, *, reason: str) -> None:
        """Forget the visitor completely (completed, idle, start_over, staff_exit)."""

    def allow_closing(self) -> None:
        """Staff mode may quit a kiosk-mode window, which otherwise ignores every close request."""
