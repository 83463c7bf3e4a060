"""The chatbot screen: hosts the assistant's ChatPanel (``ui.chat``) inside the kiosk chrome."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui.lobby.screens.base import LobbyScreen

if TYPE_CHECKING:  # ui.chat is imported only by a lobby built with the assistant (ui.lobby.app)
    from ui.chat import ChatPanel
    from ui.lobby.screens.host import LobbyHost


class ChatScreen(LobbyScreen):
    def __init__(self, lobby: LobbyHost, panel: ChatPanel) -> None:
        super().__init__(lobby)
        self.panel = panel
        self.ready = False
        panel.assistantReady.connect(self._assistant_ready)
        self.body.addWidget(panel, 1)
        panel.speakRequested.connect(lobby.voice.say)
        panel.handoffRequested.connect(self._handoff)
        lobby.lookChanged.connect(self._follow_language)  # one language per screen, the panel too
        self._follow_language()

    def _follow_language(self) -> None:
        self.panel.set_language(self.lobby.language.language)

    def _assistant_ready(self) -> None:
        self.ready = True

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
        self.panel.reset()

    def shutdown(self) -> None:
        self.panel.shutdown()
