"""A verdict card: icon + plain words + the program + its reasons. Colour is never the only signal."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.widgets.buttons import icon as theme_icon

VERDICT_ICONS = {
    "eligible": "mdi6.check-circle",
    "maybe": "mdi6.file-document-check-outline",
    "ineligible": "mdi6.information-outline",
}


class VerdictCard(QFrame):
    """One program's verdict. ``verdict`` is eligible / maybe / ineligible (styled by the theme)."""

    def __init__(
        self,
        verdict: str,
        headline: str,
        program: str,
        reasons: list[str],
        *,
        icon_colour: str,
        icon_px: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if verdict not in VERDICT_ICONS:
            raise ValueError(f"unknown verdict {verdict!r}")
        self.verdict = verdict
        self.setProperty("verdict", verdict)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(theme_icon(VERDICT_ICONS[verdict], icon_colour).pixmap(icon_px, icon_px))
        icon.setAccessibleName(headline)
        top.addWidget(icon)
        self.headline = QLabel(headline)
        self.headline.setProperty("role", "title")
        self.headline.setWordWrap(True)
        top.addWidget(self.headline, 1)
        layout.addLayout(top)
        self.program = QLabel(program)
        self.program.setWordWrap(True)
        self.program.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.program)
        self.reasons: list[QLabel] = []
        for reason in reasons:
            label = QLabel(f"• {reason}")
            label.setWordWrap(True)
            layout.addWidget(label)
            self.reasons.append(label)
        self.setAccessibleName(f"{headline}: {program}")
