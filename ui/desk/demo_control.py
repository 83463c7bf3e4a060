"""The "시연 제어 · Demo control" window: what runs, where the data is, Autoplay, a scripted walk-in.

Autoplay plays walk-ins through the real windows; Stop leaves everything as it is, so a person can
carry on by hand. Closing this window ends the demo.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

AUTOPLAY = "자동 시연 · Autoplay"
STOP = "멈추고 직접 하기\nStop and take over"


class DemoControlWindow(QWidget):
    autoplayRequested = Signal(int)  # number of walk-ins
    stopRequested = Signal()
    walkInRequested = Signal()
    closed = Signal()

    def __init__(self, hub_url: str, data_dir: str) -> None:
        super().__init__()
        self.setWindowTitle("시연 제어 · Demo control")
        layout = QVBoxLayout(self)
        self.info = QLabel(
            f"허브 hub: {hub_url}\n데이터 data: {data_dir}\n"
            "이 창을 닫으면 시연이 끝나요 · Close to end the demo"
        )
        self.info.setWordWrap(True)
        layout.addWidget(self.info)
        row = QHBoxLayout()
        self.autoplay_button = QPushButton(AUTOPLAY)
        self.autoplay_button.setObjectName("autoplay")
        bold = QFont(self.autoplay_button.font())
        bold.setBold(True)
        self.autoplay_button.setFont(bold)
        self.autoplay_button.setToolTip("방문자가 키오스크에서 창구 서명까지 가는 길을 보여 줘요")
        self.walk_ins = QSpinBox()
        self.walk_ins.setRange(1, 5)
        self.walk_ins.setValue(2)
        self.walk_ins.setSuffix("명")
        self.walk_ins.setToolTip("몇 명이 차례로 올지 · how many walk-ins")
        row.addWidget(self.autoplay_button, 1)
        row.addWidget(self.walk_ins)
        layout.addLayout(row)
        self.narration = QLabel(
            "'자동 시연'을 누르거나 키오스크 화면을 직접 눌러 보세요.\nPress Autoplay, or tap the kiosk."
        )
        self.narration.setObjectName("narration")
        self.narration.setWordWrap(True)
        larger = QFont(self.narration.font())
        larger.setPointSizeF(larger.pointSizeF() * 1.3)
        self.narration.setFont(larger)
        layout.addWidget(self.narration, 1)
        self.walk_button = QPushButton("방문자 1명 더 · One more walk-in")
        self.walk_button.setToolTip("화면에 없는 두 번째 키오스크가 접수를 마치고 번호표를 받아요")
        self.walk_status = QLabel("")
        self.walk_status.setWordWrap(True)
        layout.addWidget(self.walk_button)
        layout.addWidget(self.walk_status)
        self.setMinimumSize(200, 160)
        self.autoplay_button.clicked.connect(self._toggle)
        self.walk_button.clicked.connect(self.walkInRequested)
        self._running = False

    def _toggle(self) -> None:
        if self._running:
            self.stopRequested.emit()
        else:
            self.autoplayRequested.emit(self.walk_ins.value())

    def set_running(self, running: bool) -> None:
        self._running = running
        self.autoplay_button.setText(STOP if running else AUTOPLAY)
        self.walk_ins.setEnabled(not running)

    def narrate(self, line: str) -> None:
        self.narration.setText(line)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit()
        super().closeEvent(event)
