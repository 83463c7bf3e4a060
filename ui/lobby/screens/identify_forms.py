"""The typed forms of the identify step: name and birth date (manual entry), and a passport's access key.

Labels stand above full-width fields and what is typed shows at the heading size, so the visitor can
read back what they typed. Manual entry builds its document through ``devices.id.manual`` (the one home
of the rules for typed identities) and says, in the visitor's language, which field to fix.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from devices.id.manual import field_problem, manual_document
from devices.id.model import IdDocument, IdError
from ui.theme import Sizes


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


class _Form(QWidget):
    changed = Signal()  # a field changed: the screen re-reads whether its primary button may be used

    def __init__(self) -> None:
        super().__init__()
        self.rows = QVBoxLayout(self)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.rows.addWidget(self.note)
        self.edits: list[QLineEdit] = []

    def _field(self, name: str, mask: str = "") -> tuple[QLabel, QLineEdit]:
        label, edit = QLabel(), QLineEdit()
        label.setWordWrap(True)
        edit.setObjectName(name)
        if mask:
            edit.setInputMask(mask)
        label.setBuddy(edit)
        edit.textChanged.connect(self._edited)
        pair = QVBoxLayout()  # a label sits close to its field; the pairs stand apart
        pair.setSpacing(0)
        pair.addWidget(label)
        pair.addWidget(edit)
        self.rows.addLayout(pair)
        self.edits.append(edit)
        return label, edit

    def _edited(self, _text: str) -> None:
        self.changed.emit()

    def clear(self) -> None:
        for edit in self.edits:
            edit.clear()

    def apply_sizes(self, sizes: Sizes) -> None:
        self.rows.setSpacing(sizes.gap)
        # Heading-size text needs a taller field than the touch minimum, or it touches the border.
        height = max(sizes.touch, round(sizes.title * 1.6))
        for edit in self.edits:
            edit.setStyleSheet(f"font-size: {sizes.title}px; min-height: {height}px;")


class ManualEntryForm(_Form):
    """Name, birth date and (optional) mobile number; the document is always marked unverified."""

    def __init__(self) -> None:
        super().__init__()
        self.name_label, self.name_edit = self._field("ManualName")
        self.birth_label, self.birth_edit = self._field("ManualBirth", "9999-99-99;_")
        self.phone_label, self.phone_edit = self._field("ManualPhone", "999-9999-9999;_")
        self.problem = QLabel()
        self.problem.setObjectName("ManualProblem")
        self.problem.setProperty("role", "error")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.rows.addWidget(self.problem)
        self.rows.addStretch(1)
        self.changed.connect(self.problem.hide)  # the visitor is fixing it: the old complaint goes

    def complete(self) -> bool:
        """Enough typed to try (a name and eight birth digits); the rules are checked on 입력 완료."""
        return bool(self.name_edit.text().strip()) and len(_digits(self.birth_edit.text())) == 8

    def phone_digits(self) -> str:
        return _digits(self.phone_edit.text())

    def document(self, language: str) -> IdDocument | None:
        """The typed identity, or None after showing which field to fix (and focusing it)."""
        try:
            return manual_document(self.name_edit.text(), self.birth_edit.text(), self.phone_digits())
        except IdError as exc:
            field = exc.detail or "name"
            self.problem.setText(field_problem(field, language))
            self.problem.setAccessibleName(self.problem.text())
            self.problem.show()
            {"birth_date": self.birth_edit, "phone": self.phone_edit}.get(field, self.name_edit).setFocus()
            return None

    def clear(self) -> None:
        super().clear()
        self.problem.clear()
        self.problem.hide()


class ChipKeyForm(_Form):
    """The passport chip's access key (BAC) from the MRZ: document number, birth and expiry dates."""

    def __init__(self) -> None:
        super().__init__()
        self.number_label, self.number_edit = self._field("PassportNumber")
        self.number_edit.setMaxLength(9)
        self.birth_label, self.birth_edit = self._field("PassportBirth", "999999;_")
        self.expiry_label, self.expiry_edit = self._field("PassportExpiry", "999999;_")
        self.rows.addStretch(1)

    def fields(self) -> tuple[str, str, str]:
        number = self.number_edit.text().strip().upper()
        return number, _digits(self.birth_edit.text()), _digits(self.expiry_edit.text())

    def complete(self) -> bool:
        number, birth, expiry = self.fields()
        return number.isalnum() and len(birth) == 6 and len(expiry) == 6
