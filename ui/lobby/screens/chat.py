"""The chatbot screen: hosts the assistant's ChatPanel (``ui.chat``) inside the kiosk chrome."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ui.lobby.screens.base import LobbyScreen

if TYPE_CHECKING:
    from ui.lobby.window import LobbyWindow


class ChatScreen(LobbyScreen):
    def __init__(self, lobby: LobbyWindow, panel: Any) -> None:
        super().__init__(lobby)
        self.panel = panel
        self.ready = False
        ready = getattr(panel, "assistantReady", None)
        if ready is not None:
            ready.connect(lambda: setattr(self, "ready", True))
        self.body.addWidget(panel, 1)
        speak = getattr(panel, "speakRequested", None)
        if speak is not None:
            speak.connect(lobby.voice.say)
        handoff = getattr(panel, "handoffRequested", None)
        if handoff is not None:
            handoff.connect(self._handoff)

    def _handoff(self, line: str, transcript_masked: str) -> None:
        # The assistant suggests a person: take a ticket for the suggested line.
        from ui.lobby.flow import start_visit

        # The assistant names lines by topic; the queue's lines are A (금융상담), B (채무조정), C (통합상담).
        self.lobby.draft.line = {"finance": "A", "debt": "B", "integrated": "C"}.get(line, "C")
        # The (already masked) conversation travels with the visit to the counselor's case view.
        start_visit(self.lobby, "ticket_only", handoff_transcript=transcript_masked)

    def title(self) -> str:
        return self.tr("궁금한 것을 물어보세요")

    def primary_text(self) -> str:
        return self.tr("번호표 받기")

    def on_primary(self) -> None:
        from ui.lobby.flow import start_visit

        start_visit(self.lobby, "ticket_only")

    def wipe(self) -> None:
        for name in ("reset", "clear", "wipe"):
            method = getattr(self.panel, name, None)
            if callable(method):
                method()
                return

    def shutdown(self) -> None:
        stop = getattr(self.panel, "shutdown", None) or getattr(self.panel, "stop", None)
        if callable(stop):
            stop()
