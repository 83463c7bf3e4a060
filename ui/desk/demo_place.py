"""Putting the demo's windows where ui.desk.demo_layout planned them, on a real screen.

- A desktop window whose smallest usable size may not fit its slot (the desk) is hosted in an adaptive
  ScaledScreenView: 1:1 while it fits, shrunk when it does not, never clipped nor over a neighbour.
- Slots are outer rectangles: once a window manager has framed a window, its title bar and borders are
  taken off the slot (`place` again after the frames appear). Without a window manager they are zero.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication, QImage, QPainter, QScreen
from PySide6.QtWidgets import QWidget

from ui.desk.demo_layout import Rect
from ui.desk.demo_view import ScaledScreenView


def rect_of(qrect: QRect) -> Rect:
    return Rect(qrect.x(), qrect.y(), qrect.width(), qrect.height())


def available(screen: QScreen | None = None) -> Rect:
    """The screen's area that panels and docks leave free."""
    chosen = screen or QGuiApplication.primaryScreen()
    return rect_of(chosen.availableGeometry())


def host(widget: QWidget, slot: Rect) -> ScaledScreenView:
    """A desktop window in its slot: 1:1 while it fits, shrunk to fit when it needs more room."""
    return ScaledScreenView(widget, QSize(slot.w, slot.h), widget.windowTitle(), adaptive=True)


def place(window: QWidget, slot: Rect) -> None:
    """Make the window's outer (framed) rectangle ``slot``."""
    frame, inner = window.frameGeometry(), window.geometry()
    left, top = inner.x() - frame.x(), inner.y() - frame.y()
    right, bottom = frame.right() - inner.right(), frame.bottom() - inner.bottom()
    client = slot.inset(max(0, left), max(0, top), max(0, right), max(0, bottom))
    window.setGeometry(client.x, client.y, client.w, client.h)


def outer(window: QWidget) -> Rect:
    return rect_of(window.frameGeometry())


def compose(windows: list[QWidget], area: Rect) -> QImage:
    """The screen as the windows draw it (for the README on an offscreen run): each grab at its place."""
    image = QImage(area.w, area.h, QImage.Format.Format_RGB32)
    image.fill(0x404852)  # a plain desktop behind the windows
    painter = QPainter(image)
    for window in windows:
        frame = window.geometry()
        painter.drawPixmap(frame.x() - area.x, frame.y() - area.y, window.grab())
    painter.end()
    return image
