"""One consent item on the kiosk: its title with [필수]/[선택], the whole text, 동의해요 / 동의하지 않아요
and 읽어 주기. The screen that shows it decides what an answer means (``ConsentDecider``)."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QFrame, QHBoxLayout, QLabel, QVBoxLayout

from ui.widgets.buttons import set_label, touch_button


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

    def set_words(self, tag: str, english: bool, agree: str, refuse: str, read: str) -> None:
        """The item's words in the screen's language; ``tag`` is [필수]/[선택], the rest the buttons."""
        item = self.item
        title = item.title_en if english else item.title_ko
        for suffix in ("(선택)", "(필수)", "(optional)", "(required)"):
            title = title.replace(suffix, "").strip()  # the tag in front already says it
        self.heading.setText(f"{tag} {title}")
        self.text.setText(item.text_en if english else item.text_ko)
        set_label(self.agree, agree)
        set_label(self.refuse, refuse)
        set_label(self.read, read)
        self.agree.setAccessibleName(f"{agree}: {self.heading.text()}")
        self.refuse.setAccessibleName(f"{refuse}: {self.heading.text()}")

    def clear(self) -> None:
        self.group.setExclusive(False)
        self.agree.setChecked(False)
        self.refuse.setChecked(False)
        self.group.setExclusive(True)
