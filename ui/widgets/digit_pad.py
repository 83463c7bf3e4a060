"""The big keypad for digits that are not money — a phone number, a consent code: the same 3×4 keys
as the amount keypad (``KEY_LAYOUT``), the digits shown above them, ``changed`` on every key."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.widgets.buttons import set_label, touch_button
from ui.widgets.keypad import KEY_LAYOUT


class DigitPad(QWidget):
    """The big keypad for digits that are not money: a phone number or a code. ``digits`` is the text."""

    changed = Signal()

    def __init__(self, max_digits: int, name: str) -> None:
        super().__init__()
        self.max_digits = max_digits
        self.digits = ""
        self.setObjectName(name)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.display = QLabel()
        self.display.setObjectName(f"{name}Display")
        self.display.setProperty("role", "title")
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.display)
        grid = QGridLayout()
        self.keys: dict[str, QPushButton] = {}
        self._group = QButtonGroup(self)
        self._group.setExclusive(False)  # keys are pressed, never selected
        for index, key in enumerate(KEY_LAYOUT):
            button = touch_button(key if key.isdigit() else "", role="key", name=f"{name}_{key}")
            button.setAccessibleName(key)
            self._group.addButton(button, index)
            grid.addWidget(button, index // 3, index % 3)
            self.keys[key] = button
        self._group.idClicked.connect(self._clicked)
        outer.addLayout(grid)

    def _clicked(self, index: int) -> None:
        self.press(KEY_LAYOUT[index])

    def press(self, key: str) -> None:
        if key == "back":
            self.digits = self.digits[:-1]
        elif key == "clear":
            self.digits = ""
        elif key.isdigit() and len(self.digits) < self.max_digits:
            self.digits += key
        self.changed.emit()

    def set_digits(self, digits: str) -> None:
        self.digits = "".join(ch for ch in digits if ch.isdigit())[: self.max_digits]
        self.changed.emit()

    def set_words(self, clear: str, back: str) -> None:
        set_label(self.keys["clear"], clear)
        set_label(self.keys["back"], back)
