"""The first two pages of the identify step: how to identify, and waiting for the reader."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.widgets.buttons import set_icon, touch_button

# Button → its icon (one family: Material Design Icons through qtawesome).
_ICONS = {
    "scan": "mdi6.card-account-details-outline",
    "chip": "mdi6.passport",
    "qr": "mdi6.qrcode-scan",
    "manual": "mdi6.keyboard-outline",
}


class MethodChooser(QWidget):
    """Four big buttons: ID card on the scanner, passport chip, mobile-ID QR, typing it in."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.scan = touch_button(role="big", name="IdScan")
        self.chip = touch_button(role="big", name="IdChip")
        self.qr = touch_button(role="big", name="IdQr")
        self.manual = touch_button(role="big", name="IdManual")
        for button in (self.scan, self.chip, self.qr, self.manual):
            layout.addWidget(button)
        layout.addStretch(1)

    def apply_icons(self, colour: str, px: int) -> None:
        for how, button in (
            ("scan", self.scan),
            ("chip", self.chip),
            ("qr", self.qr),
            ("manual", self.manual),
        ):
            set_icon(button, _ICONS[how], colour, px)


class ReaderWaiting(QWidget):
    """What to do with the card or phone, and the reader's live guidance under it."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setProperty("role", "title")
        layout.addWidget(self.text)
        self.guidance = QLabel()
        self.guidance.setObjectName("ReaderGuidance")
        self.guidance.setProperty("role", "guidance")
        self.guidance.setWordWrap(True)
        layout.addWidget(self.guidance)
        layout.addStretch(1)
