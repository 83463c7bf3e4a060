"""The middle of the kiosk window: one screen at a time, scrolling rather than pushing the chrome off.

At the usual sizes nothing scrolls. With the largest text, or in the half screen that low-reach mode
leaves, a screen taller than its room scrolls inside this area while the primary action and the fixed
buttons stay where they always are. Only the shown screen counts for the area's size: a hidden,
taller screen would otherwise make every screen scroll.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QSizePolicy, QStackedWidget, QWidget


class ScreenArea(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ScreenArea")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = QStackedWidget()
        self.stack.currentChanged.connect(self._size_pages)  # also when a driver sets the page itself
        self.setWidget(self.stack)

    def add(self, screen: QWidget) -> None:
        self.stack.addWidget(screen)
        self._size_pages(self.stack.currentIndex())

    def _size_pages(self, current: int) -> None:
        for index in range(self.stack.count()):
            page = self.stack.widget(index)
            policy = QSizePolicy.Policy.Preferred if index == current else QSizePolicy.Policy.Ignored
            if page is not None:
                page.setSizePolicy(policy, policy)
        self.stack.updateGeometry()
