"""Where the kiosk chrome puts things: low-reach mode and the place of the primary action.

Low-reach mode (KS X 9211: controls within 120 cm of the floor) is one spacer above the screen, so
everything below it — the screen, the primary action and the fixed buttons — sits in the bottom half
of the window on every screen, without any screen doing anything. The title and the progress dots
(words, no controls) stay above it: the bottom half is all room for what a hand must reach. The
primary action sits above the fixed buttons, or first under the title when a screen asks for it
(welcome: 상담 접수 시작), and then also biggest — unless low reach leaves too little room for that.
"""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QSizePolicy, QVBoxLayout, QWidget


class ReachLayout:
    def __init__(self, outer: QVBoxLayout, top_bar: QWidget, area: QWidget, primary: QPushButton) -> None:
        self._outer = outer
        self._top_bar = top_bar
        self._area = area
        self._primary = primary
        self.low_reach = False
        self.spacer = QWidget()  # low-reach mode: holds the top half free of controls
        self.spacer.setObjectName("LowReachSpacer")
        self.spacer.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.spacer.hide()
        outer.insertWidget(outer.indexOf(area), self.spacer)

    def set_low_reach(self, on: bool, window_height: int) -> None:
        self.low_reach = on
        self.spacer.setVisible(on)
        self.fit(window_height)

    def fit(self, window_height: int) -> None:
        """Size the spacer so the first control below it starts just under the middle of the window."""
        if not self.low_reach:
            return
        outer = self._outer
        above = outer.contentsMargins().top()
        for index in range(outer.indexOf(self.spacer)):
            item = outer.itemAt(index)
            widget = item.widget() if item is not None else None
            if widget is None or widget.isHidden():
                continue
            width = widget.width() or self._top_bar.width() or window_height
            height = (
                widget.heightForWidth(width) if widget.hasHeightForWidth() else widget.sizeHint().height()
            )
            above += max(height, widget.height() if widget.isVisible() else 0) + outer.spacing()
        # +1 px: strictly in the bottom half.
        self.spacer.setFixedHeight(max(0, window_height // 2 - above - outer.spacing() + 1))

    def place_primary(self, first: bool) -> None:
        outer, primary = self._outer, self._primary
        hero = first and not self.low_reach
        if bool(primary.property("hero")) != hero:
            primary.setProperty("hero", hero)  # the theme's [hero="true"] rule: first also means biggest
            primary.style().unpolish(primary)
            primary.style().polish(primary)
        if (outer.indexOf(primary) < outer.indexOf(self._area)) == first:
            return
        outer.removeWidget(primary)
        outer.insertWidget(outer.indexOf(self._area) + (0 if first else 1), primary)
        outer.removeWidget(self.spacer)  # the spacer stays above the first control, the primary too
        outer.insertWidget(min(outer.indexOf(self._area), outer.indexOf(primary)), self.spacer)
