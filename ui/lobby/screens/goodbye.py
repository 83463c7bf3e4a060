"""Goodbye: the ticket number once more, a warm closing line, then the kiosk wipes itself and is ready
for the next person."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel

from ui.lobby.screens.base import LobbyScreen

if TYPE_CHECKING:
    from ui.lobby.screens.host import LobbyHost


class GoodbyeScreen(LobbyScreen):
    step = ""

    def __init__(self, lobby: LobbyHost) -> None:
        super().__init__(lobby)
        self.body.addStretch(1)
        # The number is all a visitor needs from here on: shown big once more (never a name).
        self.number_caption = QLabel()
        self.number_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.number_caption)
        self.number = QLabel()
        self.number.setObjectName("GoodbyeTicketNumber")
        self.number.setProperty("role", "huge")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.number)
        self.message = QLabel()
        self.message.setProperty("role", "title")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.message)
        self.body.addStretch(2)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(lobby.services.settings.lobby.goodbye_seconds * 1000)
        self.timer.timeout.connect(self._done)
        self.retranslate()

    def _done(self) -> None:
        self.lobby.wipe_visit(reason="completed")

    def title(self) -> str:
        return self.tr("고맙습니다")

    def voice_text(self) -> str:
        return self.message.text()

    def primary_text(self) -> str:
        return self.tr("처음 화면으로")

    def on_primary(self) -> None:
        self.timer.stop()
        self._done()

    def enter(self) -> None:
        ticket = self.lobby.draft.ticket
        number = ticket.display if ticket is not None else ""
        self.number.setText(number)
        self.number.setAccessibleName(number)
        self.number.setVisible(bool(number))
        self.number_caption.setVisible(bool(number))
        self.timer.start()

    def wipe(self) -> None:
        self.number.clear()
        self.number.setAccessibleName("")

    def leave(self) -> None:
        self.timer.stop()

    def handle_back(self) -> bool:
        return True  # the visit is finished; 이전 would only reopen a completed step

    def back_available(self) -> bool:
        return False

    def retranslate(self) -> None:
        self.number_caption.setText(self.tr("내 번호표"))
        self.message.setText(
            self.tr(
                "접수가 끝났어요.\n번호가 화면에 나오면 창구로 가 주세요.\n"
                "입력하신 정보는 곧 이 기기에서 지워져요."
            )
        )
