"""A verdict card: the program's name big, then icon + plain words, then one or two reasons.

Colour is never the only signal: every card has an icon and words. A court route is styled as "talk
first" (no tick); an ineligible program is described by what it is for, not as a rejection.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.widgets.buttons import icon as theme_icon

VERDICT_ICONS = {
    "eligible": "mdi6.check-circle",
    "maybe": "mdi6.file-document-check-outline",
    "court": "mdi6.information-outline",
    "ineligible": "mdi6.information-outline",
}


class VerdictCard(QFrame):
    """One program. ``verdict`` is eligible / maybe / court / ineligible (styled by the theme)."""

    def __init__(
        self,
        verdict: str,
        headline: str,
        program: str,
        reasons: list[str],
        *,
        icon_colour: str,
        icon_px: int,
        big: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if verdict not in VERDICT_ICONS:
            raise ValueError(f"unknown verdict {verdict!r}")
        self.verdict = verdict
        # The theme knows eligible / maybe / ineligible; a court route reads as the calm "maybe" colour.
        self.setProperty("verdict", "maybe" if verdict == "court" else verdict)
        layout = QVBoxLayout(self)
        self.program = QLabel(program)
        self.program.setWordWrap(True)
        self.program.setProperty("role", "title" if big else "")
        self.program.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.program)
        top = QHBoxLayout()
        icon = QLabel()
        px = icon_px if big else max(1, icon_px * 2 // 3)
        icon.setPixmap(theme_icon(VERDICT_ICONS[verdict], icon_colour).pixmap(px, px))
        icon.setAccessibleName(headline)
        top.addWidget(icon)
        self.headline = QLabel(headline)
        self.headline.setWordWrap(True)
        self.headline.setStyleSheet("font-weight: bold;")
        top.addWidget(self.headline, 1)
        layout.addLayout(top)
        self.reasons: list[QLabel] = []
        for reason in reasons:
            label = QLabel(reason)
            label.setWordWrap(True)
            layout.addWidget(label)
            self.reasons.append(label)
        self.setAccessibleName(f"{program}: {headline}")
