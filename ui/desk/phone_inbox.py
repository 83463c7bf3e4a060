"""The "휴대전화 (에뮬레이터)" window of `kiosk demo`: what the emulated phones received, newest first.

The demo's SMS go to an emulator (kiosk.sms.emulated), never to a real phone; this window is the phone
the demo visitor holds, so it shows each message whole — a consent code included, since reading it
there is what the visitor does. The number is masked (db.pii.mask_phone) as everywhere else.

A GUI timer reads the emulator's in-memory list (a copy, no network, no database): nothing here waits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QFont, QShowEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from config import clock
from db.pii import mask_phone
from kiosk.sms.http import wire

TITLE = "휴대전화 (에뮬레이터) · Phone (emulator)"
EMPTY = "아직 받은 문자가 없어요\n(no messages yet)"
SHOWN_AT_MOST = 30  # the newest; an emulated phone's whole history is in the emulator


@dataclass(frozen=True)
class PhoneMessageView:
    to_masked: str
    at: datetime | None
    text: str


def phone_messages(emulator: Any) -> list[PhoneMessageView]:
    """Every message an emulated phone received, oldest first, from the SMSC's inbox (a list of
    PhoneMessage) or the HTTP provider's delivered messages. Reads memory only."""
    if emulator is None:
        return []
    inbox = getattr(emulator, "inbox", None)
    if isinstance(inbox, list):  # kiosk.sms.smpp.emulator.SmscEmulator
        return [PhoneMessageView(mask_phone(m.to), m.at, str(m.text)) for m in list(inbox)]
    messages = getattr(emulator, "messages", None)
    if isinstance(messages, dict):  # kiosk.sms.http.emulator.ProviderEmulator
        delivered = [m for m in list(messages.values()) if m.status_code == wire.DELIVERED]
        return [
            PhoneMessageView(mask_phone(m.request.to), m.updated or m.created, str(m.request.text))
            for m in delivered
        ]
    return []


def time_words(at: datetime | None) -> str:
    """ "오후 3시 42분" in the center's time zone (UI.md), or "" when unknown."""
    if at is None:
        return ""
    local = clock.local(at)
    half = "오전" if local.hour < 12 else "오후"
    return f"{half} {local.hour % 12 or 12}시 {local.minute}분"


class PhoneInboxWindow(QWidget):
    """The emulated phones' messages, live. ``sms``: a kiosk.sms.emulated.EmulatedSms (or None)."""

    def __init__(self, sms: Any, *, interval_ms: int = 400) -> None:
        super().__init__()
        self.sms = sms
        self.setWindowTitle(TITLE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.note = QLabel(
            "에뮬레이터예요: 실제 휴대전화로는 보내지 않아요 · emulated, nothing is really sent"
        )
        self.note.setObjectName("phoneNote")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.list_holder = QWidget()
        self.list_layout = QVBoxLayout(self.list_holder)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.empty = QLabel(EMPTY)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.list_layout.addWidget(self.empty)
        self.list_layout.addStretch(1)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller.setWidget(self.list_holder)
        layout.addWidget(self.scroller, 1)
        self.setMinimumSize(160, 100)
        self.shown: list[PhoneMessageView] = []
        self.bubbles: list[QFrame] = []
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.timer.start()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.timer.stop()  # the demo is ending: the emulator goes with the center
        super().closeEvent(event)

    def refresh(self) -> None:
        emulator = getattr(self.sms, "emulator", None) if self.sms is not None else None
        messages = phone_messages(emulator)[-SHOWN_AT_MOST:]
        if messages == self.shown:
            return
        self.shown = messages
        for bubble in self.bubbles:
            self.list_layout.removeWidget(bubble)
            bubble.deleteLater()
        self.bubbles = [self._bubble(message) for message in reversed(messages)]  # newest on top
        for index, bubble in enumerate(self.bubbles):
            self.list_layout.insertWidget(index, bubble)
        self.empty.setVisible(not messages)

    def _bubble(self, message: PhoneMessageView) -> QFrame:
        bubble = QFrame()
        bubble.setObjectName("phoneMessage")
        bubble.setFrameShape(QFrame.Shape.StyledPanel)
        column = QVBoxLayout(bubble)
        column.setContentsMargins(6, 4, 6, 4)
        heading = QLabel(" · ".join(part for part in (message.to_masked, time_words(message.at)) if part))
        bold = QFont(heading.font())
        bold.setBold(True)
        heading.setFont(bold)
        text = QLabel(message.text)
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(heading)
        column.addWidget(text)
        return bubble

    def texts(self) -> list[str]:
        """What the window shows, top to bottom (for tests and the demo's narration)."""
        return [label.text() for bubble in self.bubbles for label in bubble.findChildren(QLabel)]
