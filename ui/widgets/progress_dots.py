"""Progress as numbered dots with a label under each: where am I in the visit, how much is left."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget


class ProgressDots(QWidget):
    """Steps as dots (done / current / todo); each state is also a word for screen readers."""

    def __init__(self, dot_px: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dot_px = dot_px
        self._layout = QGridLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._dots: list[QLabel] = []
        self._labels: list[QLabel] = []
        self._current = -1

    def set_steps(self, names: list[str]) -> None:
        if len(names) != len(self._dots):
            for widget in self._dots + self._labels:
                widget.deleteLater()
            self._dots, self._labels = [], []
            for column in range(len(names)):
                dot = QLabel(str(column + 1))
                dot.setAlignment(Qt.AlignmentFlag.AlignCenter)
                dot.setFixedSize(self._dot_px, self._dot_px)
                label = QLabel()
                label.setProperty("role", "dotlabel")
                label.setAlignment(Qt.AlignmentFlag.AlignCenter)
                self._layout.addWidget(dot, 0, column, Qt.AlignmentFlag.AlignHCenter)
                self._layout.addWidget(label, 1, column)
                self._dots.append(dot)
                self._labels.append(label)
        for label, name in zip(self._labels, names, strict=True):
            label.setText(name)
        self.set_current(self._current)

    def set_current(self, index: int) -> None:
        self._current = index
        for i, dot in enumerate(self._dots):
            state = "done" if i < index else "current" if i == index else "todo"
            dot.setProperty("dot", state)
            words = {
                "done": self.tr("끝났어요"),
                "current": self.tr("지금 단계"),
                "todo": self.tr("남았어요"),
            }
            dot.setAccessibleName(f"{i + 1}. {self._labels[i].text()} ({words[state]})")
            dot.style().unpolish(dot)
            dot.style().polish(dot)

    @property
    def current(self) -> int:
        return self._current
