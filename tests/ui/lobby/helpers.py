"""Walk a lobby's widgets the way an auditor would: every visible control, every text it holds."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QEventLoop, QObject
from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)


def visible_controls(root: QWidget) -> list[QWidget]:
    """Every control a finger can reach right now (buttons and text fields that are visible)."""
    found = []
    for widget in root.findChildren(QWidget):
        if (
            isinstance(widget, QAbstractButton | QLineEdit)
            and widget.isVisibleTo(root)
            and widget.isVisible()
        ):
            found.append(widget)
    return found


def all_texts(root: QObject) -> list[str]:
    """Every string held by any text widget, accessible name/description or item model under ``root``."""
    texts: list[str] = []
    for obj in [root, *root.findChildren(QObject)]:
        if isinstance(obj, QLabel | QAbstractButton):
            texts.append(obj.text())
        if isinstance(obj, QLineEdit):
            texts += [obj.text(), obj.displayText()]
        if isinstance(obj, QPlainTextEdit):
            texts.append(obj.toPlainText())
        if isinstance(obj, QTextEdit):
            texts.append(obj.toPlainText())
        if isinstance(obj, QWidget):
            texts += [obj.accessibleName(), obj.accessibleDescription(), obj.toolTip()]
        if isinstance(obj, QAbstractItemModel):
            for row in range(obj.rowCount()):
                for column in range(obj.columnCount()):
                    texts.append(str(obj.data(obj.index(row, column))))
    return texts


def flush() -> None:
    QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def deep_attrs(obj: Any) -> str:
    return repr(vars(obj))
