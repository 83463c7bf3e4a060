"""The middle of the kiosk window: one screen at a time, scrolling rather than pushing the chrome off.

At the usual sizes nothing scrolls. With the largest text, or in the half screen that low-reach mode
leaves, a screen taller than its room scrolls inside this area while the primary action and the fixed
buttons stay where they always are. Only the shown screen counts for the area's size: Qt's stacked
layout answers the scroll area's "how tall at this width" with the tallest of *all* its pages (hidden
ones too, whatever their size policy), so the results at extra-large text made every question scroll.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFrame, QLayout, QScrollArea, QSizePolicy, QStackedWidget, QWidget


class ShownPageStack(QStackedWidget):
    """A stacked widget whose size is its shown page's, never a hidden page's."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = self.layout()
        if layout is not None:  # no minimum from every page either (it would hold the area open)
            layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)

    def hasHeightForWidth(self) -> bool:
        page = self.currentWidget()
        return page is not None and page.hasHeightForWidth()

    def heightForWidth(self, width: int) -> int:
        page = self.currentWidget()
        if page is None:
            return -1
        height = page.heightForWidth(width) if page.hasHeightForWidth() else -1
        return max(height, page.minimumSizeHint().height(), page.minimumHeight())

    def sizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.sizeHint() if page is not None else QSize(0, 0)

    def minimumSizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.minimumSizeHint().expandedTo(page.minimumSize()) if page is not None else QSize(0, 0)


class ScreenArea(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ScreenArea")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = ShownPageStack()
        self.stack.currentChanged.connect(self._size_pages)  # also when a driver sets the page itself
        self.setWidget(self.stack)

    def add(self, screen: QWidget) -> None:
        self.stack.addWidget(screen)
        self._size_pages(self.stack.currentIndex())

    def _size_pages(self, current: int) -> None:
        # Hidden pages ignored in the stack's own size hints too (its layout asks each page).
        for index in range(self.stack.count()):
            page = self.stack.widget(index)
            policy = QSizePolicy.Policy.Preferred if index == current else QSizePolicy.Policy.Ignored
            if page is not None:
                page.setSizePolicy(policy, policy)
        self.stack.updateGeometry()
        self.updateGeometry()
