"""A window that shows another window at its real layout size, shrunk to fit (the demo's scaled kiosk).

The hosted widget lives in a QGraphicsScene through a QGraphicsProxyWidget, so it lays itself out at
its design size (the lobby at 1080×1920, the counter at 1280×800) and the view draws it scaled; the view
maps every mouse and key event back through the same transform, so taps land where they are drawn.

A desktop window (the desk) has no design size: ``adaptive`` lays it out at the view's own shape, at
1:1 while its smallest usable size fits, shrunk just enough when it does not — so it is never clipped
and never grows over its neighbours, whatever it shows.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QPainter, QPalette, QPen, QResizeEvent
from PySide6.QtWidgets import QFrame, QGraphicsProxyWidget, QGraphicsScene, QGraphicsView, QWidget


class ScaledScreenView(QGraphicsView):
    """``widget`` at ``design`` size, scaled down (never up) to the view; aspect ratio kept."""

    def __init__(self, widget: QWidget, design: QSize, title: str, *, adaptive: bool = False) -> None:
        super().__init__()
        self.setWindowTitle(title)
        self.design = design
        self.adaptive = adaptive
        self.hosted = widget
        self._scene = QGraphicsScene(self)
        widget.resize(design)
        self.proxy: QGraphicsProxyWidget = self._scene.addWidget(widget)
        self.proxy.setPos(0, 0)
        self.setScene(self._scene)
        self.setSceneRect(0, 0, design.width(), design.height())
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing
            | QPainter.RenderHint.TextAntialiasing
            | QPainter.RenderHint.SmoothPixmapTransform
        )
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(160, 160)
        self.scale_factor = 1.0
        self.tap_at: QPointF | None = None  # where Autoplay just pressed (scene coordinates)
        self._tap_timer = QTimer(self)
        self._tap_timer.setSingleShot(True)
        self._tap_timer.timeout.connect(self._clear_tap)
        if adaptive:
            widget.installEventFilter(self)  # its minimum size changes with what it shows

    def sizeHint(self) -> QSize:
        return self.design / 2

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def fit(self) -> None:
        """Scale the hosted screen to the view's size (the whole screen stays visible)."""
        size = self.viewport().size()
        if self.adaptive:
            self._adapt(size)
        factor = min(size.width() / self.design.width(), size.height() / self.design.height(), 1.0)
        self.resetTransform()
        self.scale(factor, factor)
        self.scale_factor = factor

    def _adapt(self, size: QSize) -> None:
        hint = self.hosted.minimumSizeHint().expandedTo(self.hosted.minimumSize())
        k = max(1.0, hint.width() / max(1, size.width()), hint.height() / max(1, size.height()))
        design = QSize(int(size.width() * k + 0.999), int(size.height() * k + 0.999))
        if design != self.design:
            self.design = design
            self.hosted.resize(design)
            self.setSceneRect(0, 0, design.width(), design.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.hosted and event.type() == QEvent.Type.LayoutRequest:
            self.fit()
        return super().eventFilter(watched, event)

    def show_tap(self, target: QWidget, ms: int = 600) -> None:
        """Ring the spot Autoplay presses, so a viewer sees where the finger went."""
        centre = target.mapTo(self.hosted, QPoint(target.width() // 2, target.height() // 2))
        self.tap_at = QPointF(centre)
        self._tap_timer.start(ms)
        self.viewport().update()

    def _clear_tap(self) -> None:
        self.tap_at = None
        self.viewport().update()

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        super().drawForeground(painter, rect)
        if self.tap_at is None:
            return
        radius = 18 / max(self.scale_factor, 0.05)  # the same size on screen at any scale
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight))
        pen.setWidthF(4 / max(self.scale_factor, 0.05))
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(self.tap_at, radius, radius)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.hosted.close()
        super().closeEvent(event)
