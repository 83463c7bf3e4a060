"""The ID confirmation: what was read, masked, large and centred, so it can be checked at arm's length.

It used to be a small form in the corner at body size (6 mm). A visitor standing back from a 27-32"
portrait screen, often with reading glasses left at home, must still see at a glance whether the name
and birth date are theirs: each value is shown at ``VALUE_SCALE`` times the body text (15 mm at the
normal text size, 25 mm at extra-large), its caption above it at body size.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from ui.theme import Sizes
from ui.widgets.buttons import touch_button

VALUE_SCALE = 2.5  # × body text; "850315-2******" still fits a 1080 px wide screen at extra-large


class IdentityConfirmation(QWidget):
    """Captions and masked values (name, birth date, RRN or phone), a privacy note, and 다시 읽기."""

    def __init__(self) -> None:
        super().__init__()
        self.page = QVBoxLayout(self)
        page = self.page
        page.addStretch(1)
        self.card = QFrame()
        self.card.setProperty("role", "card")
        self.card.setObjectName("IdentityCard")
        self.rows = QVBoxLayout(self.card)
        self.name_caption, self.name_value = self._row(self.rows, "IdentityName")
        self.birth_caption, self.birth_value = self._row(self.rows, "IdentityBirth")
        self.rrn_caption, self.rrn_value = self._row(self.rows, "IdentityRrn")
        page.addWidget(self.card)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        page.addWidget(self.note)
        self.reread = touch_button(role="secondary", name="IdReread")
        page.addWidget(self.reread)
        page.addStretch(1)

    def _row(self, rows: QVBoxLayout, name: str) -> tuple[QLabel, QLabel]:
        caption, value = QLabel(), QLabel()
        caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        value.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        value.setObjectName(name)
        value.setProperty("role", "title")  # the theme's heading face and colour; the size is set below
        pair = QVBoxLayout()  # a caption sits close to its value; the pairs stand apart
        pair.setSpacing(0)
        pair.addWidget(caption)
        pair.addWidget(value)
        rows.addLayout(pair)
        return caption, value

    def show_identity(self, name: str, birth: str, rrn: str) -> None:
        """Masked values only. Each value's accessible name carries its caption (screen readers)."""
        for caption, value, text in (
            (self.name_caption, self.name_value, name),
            (self.birth_caption, self.birth_value, birth),
            (self.rrn_caption, self.rrn_value, rrn),
        ):
            value.setText(text)
            value.setAccessibleName(f"{caption.text()}: {text}" if text else "")
            caption.setVisible(bool(text))
            value.setVisible(bool(text))

    def clear(self) -> None:
        for value in (self.name_value, self.birth_value, self.rrn_value):
            value.clear()
            value.setAccessibleName("")

    def apply_sizes(self, sizes: Sizes) -> None:
        """Follow the text size the visitor chose (the theme sets the face and colours)."""
        self.page.setSpacing(sizes.gap)
        self.rows.setSpacing(sizes.gap)
        self.rows.setContentsMargins(sizes.gap, sizes.gap, sizes.gap, sizes.gap)
        px = round(sizes.body * VALUE_SCALE)
        for value in (self.name_value, self.birth_value, self.rrn_value):
            value.setStyleSheet(f"font-size: {px}px;")
