"""The chatbot screen: hosts the assistant's ChatPanel (``ui.chat``) inside the kiosk chrome.

Below it, when the center's phone pages are reachable, a QR continues the conversation on the phone
(the same assistant at ``/m/chat``, around the clock): the center closes at 18:00, the questions don't.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import qrcode
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

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
        self.phone_row = QWidget()
        row = QHBoxLayout(self.phone_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.phone_qr = QLabel()
        self.phone_text = QLabel()
        self.phone_text.setWordWrap(True)
        self.phone_text.setProperty("role", "hint")
        row.addWidget(self.phone_qr, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.phone_text, 1)
        self.body.addWidget(self.phone_row)
        self._show_phone_qr()
        panel.speakRequested.connect(lobby.voice.say)
        panel.handoffRequested.connect(self._handoff)
        lobby.lookChanged.connect(self._follow_language)  # one language per screen, the panel too
        self._follow_language()

    def _follow_language(self) -> None:
        self.panel.set_language(self.lobby.language.language)
        english = self.lobby.language.language == "en"
        self.phone_text.setText(
            "Scan to keep asking on your phone — any time, day or night."
            if english
            else "QR을 찍으면 휴대전화에서 이어서 물어볼 수 있어요. 밤에도 주말에도 돼요."
        )

    def phone_url(self) -> str:
        """Where the phone continues: the center's public web address, else the hub's ("" = none)."""
        services = self.lobby.services
        base = services.settings.web.public_url
        if not base and services.hub is not None:
            base = services.hub.client.base_url
        return f"{base.rstrip('/')}/m/chat" if base else ""

    def _show_phone_qr(self) -> None:
        url = self.phone_url()
        self.phone_row.setVisible(bool(url))
        if not url:
            return
        buffer = io.BytesIO()
        qrcode.make(url, box_size=6, border=2).save(buffer, format="PNG")
        pixmap = QPixmap()
        pixmap.loadFromData(buffer.getvalue(), "PNG")
        side = self.lobby.metrics.px(30)
        self.phone_qr.setPixmap(pixmap.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio))
        self.phone_qr.setAccessibleName("휴대전화 챗봇 QR 코드")

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

    def enter(self) -> None:
        super().enter()
        self._show_phone_qr()  # the hub link may have come up since the window was built

    def wipe(self) -> None:
        self.panel.reset()

    def shutdown(self) -> None:
        self.panel.shutdown()
