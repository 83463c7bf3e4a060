"""Big touch buttons: every one has a role for the theme and an accessible name for screen readers."""

from __future__ import annotations

import sys
import weakref
from typing import Any

from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget

# qtawesome pulls in a large part of Qt through qtpy (~0.7 s): the kiosk's first frame must not wait
# for it, so the first icons are set just after the event loop starts; later ones at once.
_pending: list[tuple[weakref.ref[QPushButton], str, str, int]] = []
ICON_DELAY_MS = 60


def touch_button(
    text: str = "",
    *,
    role: str = "secondary",
    name: str = "",
    checkable: bool = False,
    parent: QWidget | None = None,
) -> QPushButton:
    """A QPushButton styled by ``role`` (primary, big, key, chrome, choice, staff), stable objectName."""
    button = QPushButton(text, parent)
    button.setProperty("role", role)
    if name:
        button.setObjectName(name)
    button.setCheckable(checkable)
    button.setAutoDefault(False)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
    set_label(button, text)
    return button


def set_label(button: QPushButton, text: str, description: str = "") -> None:
    """Set visible text and the accessible name together, so they never drift apart."""
    button.setText(text)
    button.setAccessibleName(text.replace("\n", " "))
    if description:
        button.setAccessibleDescription(description)


def wrap_text(text: str, width_px: int, font_px: int) -> str:
    """Break ``text`` at spaces into lines that fit ``width_px`` (QPushButton never wraps by itself).

    Widths are estimated: a Hangul syllable is about one em wide, Latin text about half.
    """

    def width(chunk: str) -> float:
        return sum(1.0 if ord(ch) >= 0x1100 else 0.55 for ch in chunk) * font_px

    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and width(candidate) > width_px:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return "\n".join(lines)


def fit_lines(text: str, metrics: QFontMetrics, width_px: int) -> str:
    """Break ``text`` at spaces into lines that fit ``width_px`` in the button's real font.

    Use it where the font is known (after the theme polished the button); a word longer than the
    width stays whole on its own line rather than being cut."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and metrics.horizontalAdvance(candidate) > width_px:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return "\n".join(lines)


def icon(name: str, colour: str) -> Any:
    """One icon family: Material Design Icons through qtawesome."""
    import qtawesome as qta

    return qta.icon(name, color=colour)


def set_icon(button: QPushButton, icon_name: str, colour: str, size_px: int) -> None:
    """Give ``button`` an icon in the theme's colour (deferred until qtawesome is loaded)."""
    if "qtawesome" in sys.modules:
        _apply(button, icon_name, colour, size_px)
        return
    if not _pending:
        QTimer.singleShot(ICON_DELAY_MS, _apply_pending)
    _pending.append((weakref.ref(button), icon_name, colour, size_px))


def icons_pending() -> bool:
    return bool(_pending)


def _apply(button: QPushButton, icon_name: str, colour: str, size_px: int) -> None:
    button.setIcon(icon(icon_name, colour))
    button.setIconSize(QSize(size_px, size_px))


def _apply_pending() -> None:
    waiting = list(_pending)
    _pending.clear()
    for ref, icon_name, colour, size_px in waiting:
        button = ref()
        if button is not None:
            try:
                _apply(button, icon_name, colour, size_px)
            except RuntimeError:  # the button was deleted meanwhile
                continue
