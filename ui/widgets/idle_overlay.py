"""The idle warning: a countdown over the whole screen with one big "시간 연장" button."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from ui.widgets.buttons import set_label, touch_button


class IdleOverlay(QFrame):
    """Covers its parent; ``extendRequested`` when the visitor wants more time."""

    extendRequested = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("IdleOverlay")
        self._seconds = 0
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        self.question = QLabel()
        self.question.setProperty("role", "title")
        self.question.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.question.setWordWrap(True)
        layout.addWidget(self.question)
        self.countdown = QLabel()
        self.countdown.setProperty("role", "huge")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.countdown)
        self.explain = QLabel()
        self.explain.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.explain.setWordWrap(True)
        layout.addWidget(self.explain)
        layout.addStretch(1)
        self.extend = touch_button(role="primary", name="ExtendTime")
        self.extend.clicked.connect(self.extendRequested)
        layout.addWidget(self.extend)
        layout.addStretch(1)
        self.hide()
        self.retranslate()

    def show_countdown(self, seconds: int) -> None:
        self._seconds = seconds
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()
        self.show()
        self._refresh()

    def tick(self, seconds_left: int) -> None:
        self._seconds = seconds_left
        self._refresh()

    def _refresh(self) -> None:
        text = self.tr("%1초").replace("%1", str(self._seconds))
        self.countdown.setText(text)
        self.countdown.setAccessibleName(text)

    def retranslate(self) -> None:
        self.question.setText(self.tr("아직 계신가요?"))
        self.explain.setText(
            self.tr("시간이 지나면 처음 화면으로 돌아가고, 입력한 내용은 안전하게 지워져요.")
        )
        set_label(self.extend, self.tr("시간 연장"))
        self._refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
