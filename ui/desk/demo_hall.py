"""The waiting hall's display in `kiosk demo`: the number being called, to which desk, and who waits.

Enrolled with the hub as a `display` device; it learns of calls from the event stream and reads the
queue through the HubAdapter (worker threads). It shows numbers, lines and desks only — never a person.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.api import QueueOut
from kiosk.queue.lines import service_lines
from ui.adapters.hub_adapter import HubAdapter

NOBODY_CALLED = "호출을 기다려요\nWaiting for a call"


class HallDisplayWindow(QWidget):
    def __init__(self, adapter: HubAdapter) -> None:
        super().__init__()
        self.adapter = adapter
        self.setWindowTitle("대기실 안내 화면 · Hall display")
        layout = QVBoxLayout(self)
        self.heading = QLabel("지금 호출 · Now calling")
        self.called = QLabel(NOBODY_CALLED)
        self.called.setObjectName("hallCalled")
        self.called.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.called.setWordWrap(True)
        font = QFont(self.called.font())
        font.setPointSize(18)
        font.setBold(True)
        self.called.setFont(font)
        self.waiting = QLabel("")
        self.waiting.setWordWrap(True)
        for widget in (self.heading, self.called, self.waiting):
            layout.addWidget(widget)
        layout.addStretch()
        self.setMinimumSize(200, 120)
        self.adapter.eventReceived.connect(self.on_event)

    def start(self) -> None:
        self.adapter.start_events()
        self.refresh()

    def on_event(self, event: dict[str, Any]) -> None:
        kind, data = str(event.get("type", "")), event.get("data") or {}
        if kind == "ticket.called":
            # The last call stays up until the next one, as on a hall board (recalls show again).
            self.called.setText(
                f"{data.get('display', '')}  →  {data.get('desk', '')}번 창구\nDesk {data.get('desk', '')}"
            )
        if kind.startswith("ticket."):
            self.refresh()

    def refresh(self) -> None:
        self.adapter.call(self.adapter.client.queue, done=self.show_queue, failed=self._unavailable)

    def show_queue(self, queue: QueueOut) -> None:
        names = service_lines()
        rows = []
        for line in queue.lines:
            spec = names.get(line.line)
            label = f"{spec.name_ko} {spec.name_en}" if spec is not None else line.line
            rows.append(f"{line.line} {label}: {len(line.waiting)}명 대기 · {len(line.waiting)} waiting")
        self.waiting.setText("\n".join(rows) or "기다리는 사람이 없어요 · Nobody is waiting")

    def _unavailable(self, _code: str, _message: str) -> None:
        self.waiting.setText("허브에 연결하는 중이에요… · Connecting to the hub…")

    def closeEvent(self, event: Any) -> None:
        self.adapter.stop()
        super().closeEvent(event)
