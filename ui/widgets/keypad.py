"""The large amount keypad: digits in 만원 or 천원, shown as "3,200만원", never a text field."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.buttons import set_label, touch_button

UNIT_WON = {"manwon": 10_000, "cheonwon": 1_000, "count": 1}
MAX_DIGITS = 7
UNITS = ("manwon", "cheonwon")
KEY_LAYOUT = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back")


def format_won_english(won: int) -> str:
    """English money: 32,000,000 → "₩32,000,000" (만원 means nothing to an English reader)."""
    return f"₩{won:,}"


def with_unit(number: int, unit: str) -> str:
    """A count with its unit: "14개월" (Korean units follow the number), "14 months" (English ones apart)."""
    if not unit:
        return f"{number:,}"
    return f"{number:,} {unit}" if unit[0].isascii() and unit[0].isalpha() else f"{number:,}{unit}"


def format_manwon(won: int) -> str:
    """Money the way people say it: 32,000,000 → "3,200만원"; under 만원 → "5,000원"."""
    if won % 10_000 == 0 or won >= 10_000:
        manwon, rest = divmod(won, 10_000)
        text = f"{manwon:,}만원"
        return text if rest == 0 else f"{manwon:,}만 {rest:,}원"
    return f"{won:,}원"


class AmountKeypad(QWidget):
    """Digits entered in a unit (만원 / 천원, or plain counts and days); ``value`` is in won or the count."""

    valueChanged = Signal(int)

    def __init__(self, mode: str = "amount", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mode = mode  # "amount" (만원/천원) or "count" (people, creditors, days)
        self._digits = ""
        self._unit = "manwon" if mode == "amount" else "count"
        self._suffix = ""
        outer = QVBoxLayout(self)
        self.display = QLabel()
        self.display.setProperty("role", "title")
        self.display.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.display.setObjectName("KeypadDisplay")
        self._head = QHBoxLayout()  # the display; in compact mode the unit buttons beside it
        self._head.addWidget(self.display, 1)
        outer.addLayout(self._head)
        self._compact = False

        self.unit_row = QHBoxLayout()
        self._units = QButtonGroup(self)
        self.unit_manwon = touch_button(role="choice", name="UnitManwon", checkable=True)
        self.unit_cheonwon = touch_button(role="choice", name="UnitCheonwon", checkable=True)
        for index, button in enumerate((self.unit_manwon, self.unit_cheonwon)):
            self._units.addButton(button, index)  # the id is the index in UNITS
            self.unit_row.addWidget(button)
            button.setVisible(mode == "amount")
        self._units.idClicked.connect(self._unit_clicked)
        self.unit_manwon.setChecked(True)
        outer.addLayout(self.unit_row)

        grid = QGridLayout()
        self.keys: dict[str, QPushButton] = {}
        self._key_group = QButtonGroup(self)
        self._key_group.setExclusive(False)  # keys are pressed, never selected
        for index, key in enumerate(KEY_LAYOUT):
            button = touch_button(key if key.isdigit() else "", role="key", name=f"Key_{key}")
            self._key_group.addButton(button, index)  # the id is the index in KEY_LAYOUT
            grid.addWidget(button, index // 3, index % 3)
            self.keys[key] = button
        self._key_group.idClicked.connect(self._key_clicked)
        outer.addLayout(grid)
        self.retranslate()

    def set_compact(self, on: bool) -> None:
        """Low reach: keys at the touch minimum and the unit buttons beside the display (one row less),
        so the keypad and its question fit the bottom half without scrolling."""
        if on == self._compact:
            return
        self._compact = on
        for button in (self.unit_manwon, self.unit_cheonwon):
            (self.unit_row if on else self._head).removeWidget(button)
            (self._head if on else self.unit_row).addWidget(button)
        for key in self.keys.values():
            key.setProperty("compact", on)
            key.style().unpolish(key)
            key.style().polish(key)

    # -- input ------------------------------------------------------------------------------------------
    def _key_clicked(self, index: int) -> None:
        self.press(KEY_LAYOUT[index])

    def _unit_clicked(self, index: int) -> None:
        self.set_unit(UNITS[index])

    def press(self, key: str) -> None:
        if key == "back":
            self._digits = self._digits[:-1]
        elif key == "clear":
            self._digits = ""
        elif key.isdigit() and len(self._digits) < MAX_DIGITS:
            # "0" alone is an answer (no secured debt); a leading zero is replaced by the next digit.
            self._digits = key if self._digits == "0" else self._digits + key
        self._refresh()
        self.valueChanged.emit(self.value)

    def set_unit(self, unit: str) -> None:
        self._unit = unit
        (self.unit_manwon if unit == "manwon" else self.unit_cheonwon).setChecked(True)
        self._refresh()
        self.valueChanged.emit(self.value)

    def set_suffix(self, suffix: str) -> None:
        """For counts: the word after the number ("명", "곳", "일")."""
        self._suffix = suffix
        self._refresh()

    def clear(self) -> None:
        self._digits = ""
        self._unit = "manwon" if self._mode == "amount" else "count"
        self.unit_manwon.setChecked(True)
        self._refresh()

    def set_value(self, value: int) -> None:
        if self._mode == "amount":
            if value % 10_000 == 0:
                self._unit, number = "manwon", value // 10_000
            else:
                self._unit, number = "cheonwon", value // 1_000
        else:
            number = value
        self._digits = str(number) if number else ""
        self._refresh()

    @property
    def has_value(self) -> bool:
        return self._digits != ""

    @property
    def value(self) -> int:
        return int(self._digits or "0") * UNIT_WON[self._unit]

    # -- text -------------------------------------------------------------------------------------------
    def _english(self) -> bool:
        # The catalogue in force says which language this is: "ko" is translated to "en" in lobby_en.ts.
        return self.tr("ko") == "en"

    def _refresh(self) -> None:
        if self._mode == "amount":
            if not self._digits:
                shown = self.tr("금액을 눌러 주세요")
            else:
                shown = format_won_english(self.value) if self._english() else format_manwon(self.value)
        else:
            empty = self.tr("숫자를 눌러 주세요")
            shown = with_unit(int(self._digits), self._suffix) if self._digits else empty
        self.display.setText(shown)
        self.display.setAccessibleName(shown)

    def retranslate(self) -> None:
        set_label(self.unit_manwon, self.tr("만원 단위"))
        set_label(self.unit_cheonwon, self.tr("천원 단위"))
        set_label(self.keys["clear"], self.tr("모두 지우기"))
        set_label(self.keys["back"], self.tr("한 칸 지우기"))
        for digit in "0123456789":
            self.keys[digit].setAccessibleName(digit)
        self._refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
