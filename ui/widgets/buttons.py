"""Big touch buttons: every one has a role for the theme and an accessible name for screen readers."""

from __future__ import annotations

import qtawesome as qta
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget


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


def set_icon(button: QPushButton, icon_name: str, colour: str, size_px: int) -> None:
    """One icon family (Material Design Icons via qtawesome), coloured for the current theme."""
    button.setIcon(qta.icon(icon_name, color=colour))
    button.setIconSize(QSize(size_px, size_px))
