"""One consent item on the kiosk: its title with [필수]/[선택], the whole text, 동의해요 / 동의하지 않아요
and 읽어 주기. The screen that shows it decides what an answer means (``ConsentDecider``)."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QFrame, QHBoxLayout, QLabel, QVBoxLayout

from ui.widgets.buttons import touch_button


class ConsentDecider(Protocol):
    def decide(self, item_id: str, agreed: bool) -> None: ...

    def read_aloud(self, item: Any) -> None: ...


class ConsentItemCard(QFrame):
    """One item: title with 필수/선택, the full text, 동의해요 / 동의하지 않아요, 읽어 주기."""

    def __init__(self, item: Any, screen: ConsentDecider) -> None:
        super().__init__()
        self.item = item
        self.setProperty("role", "card")
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.heading)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        layout.addWidget(self.text)
        row = QHBoxLayout()
        self.agree = touch_button(role="choice", name=f"Agree_{item.id}", checkable=True)
        self.refuse = touch_button(role="choice", name=f"Refuse_{item.id}", checkable=True)
        self.read = touch_button(role="secondary", name=f"Read_{item.id}")
        self.group = QButtonGroup(self)
        self.group.addButton(self.agree)
        self.group.addButton(self.refuse)
        for button in (self.agree, self.refuse, self.read):
            row.addWidget(button)
        layout.addLayout(row)
        self._screen = screen
        self.agree.clicked.connect(self._agreed)
        self.refuse.clicked.connect(self._refused)
        self.read.clicked.connect(self._read)

    def _agreed(self) -> None:
        self._screen.decide(self.item.id, True)

    def _refused(self) -> None:
        self._screen.decide(self.item.id, False)

    def _read(self) -> None:
        self._screen.read_aloud(self.item)

    def clear(self) -> None:
        self.group.setExclusive(False)
        self.agree.setChecked(False)
        self.refuse.setChecked(False)
        self.group.setExclusive(True)
