"""The on-screen signature: touch, mouse or tablet ink that becomes the same SignatureRecord as a pad.

``SignatureCanvas`` shows what is being signed (a caption set by the caller), a large calm writing
surface with a signing line, and a "지우고 다시 쓰기" (clear) button that is always there. The caller
calls ``begin(document_sha256, consent_id)``, then ``finish()``: it returns the record (and emits
``recordReady``) or raises SignatureRefused (and emits ``refused``, clears the ink and shows
"다시 서명해 주세요"). Sizes are in millimetres, converted with the screen DPI the caller passes (the
kiosk's configured DPI), so the acceptance rules mean the same as on a pad.

The same canvas can mirror a serial pad (``mirror(adapter)``): the pad's points arrive as queued
signals from ``SignaturePadAdapter`` and are drawn scaled into the surface; own input is then off.
Colours come from the palette, so the theme (and the high-contrast theme) decides them.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QInputDevice,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from config.sections.signature import SignatureSection
from devices.signature.record import (
    Resolution,
    SignaturePoint,
    SignatureRecord,
    SignatureRefused,
    check_sha256_hex,
    make_record,
    strokes_of,
)
from ui.adapters.signature_pad_adapter import SignaturePadAdapter, point_from_signal

SURFACE_MIN_MM = (150.0, 60.0)
# One language per screen: Korean source strings, translated through Qt's translator (context
# "SignatureCanvas"; the lobby's catalogue has the English) and re-read on every language change.
CLEAR_TEXT = "지우고 다시 쓰기"
HINT_TEXT = "선 위에 서명해 주세요."
REFUSED_TEXT = "다시 서명해 주세요. 이름을 평소처럼 써 주세요."
# The signing line is a guide, lighter than the ink but at least 3:1 against the writing surface
# (WCAG 1.4.11 for graphical objects): this share of the ink colour mixed into the surface colour.
GUIDE_INK_SHARE = 0.7


def guide_colour(ink: QColor, surface: QColor) -> QColor:
    """The signing line's colour: mostly ink, a little surface, so it reads as a guide, not as ink."""
    share = GUIDE_INK_SHARE
    return QColor(
        round(ink.red() * share + surface.red() * (1 - share)),
        round(ink.green() * share + surface.green() * (1 - share)),
        round(ink.blue() * share + surface.blue() * (1 - share)),
    )


class _InkSurface(QWidget):
    """Collects samples from mouse, touch and tablet events and paints them anti-aliased."""

    strokeChanged = Signal()

    def __init__(self, dpi: float, settings: SignatureSection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signatureSurface")
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents, True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.dpi = dpi
        self.settings = settings
        self.points: list[SignaturePoint] = []
        self.input_enabled = True
        self._t0: int | None = None
        self._down = False
        self._mirror: list[tuple[QPointF, float | None, bool]] = []  # pad points scaled to the surface
        self._mirror_res: Resolution | None = None
        px_per_mm = dpi / 25.4
        self.setMinimumSize(round(SURFACE_MIN_MM[0] * px_per_mm), round(SURFACE_MIN_MM[1] * px_per_mm))

    # --- samples --------------------------------------------------------------------------------
    def reset(self) -> None:
        self.points.clear()
        self._mirror.clear()
        self._t0 = None
        self._down = False
        self.update()
        self.strokeChanged.emit()

    def _add(self, pos: QPointF, timestamp_ms: int, pressure: float | None, down: bool) -> None:
        if self._t0 is None:
            self._t0 = timestamp_ms
        x = min(max(0, round(pos.x())), self.width())
        y = min(max(0, round(pos.y())), self.height())
        t = max(timestamp_ms - self._t0, self.points[-1].t_ms if self.points else 0)
        self.points.append(SignaturePoint(x, y, pressure, t, down))
        self.update()

    def _press(self, pos: QPointF, ts: int, pressure: float | None) -> None:
        if not self.input_enabled:
            return
        self._down = True
        self._add(pos, ts, pressure, True)

    def _move(self, pos: QPointF, ts: int, pressure: float | None) -> None:
        if self.input_enabled and self._down:
            self._add(pos, ts, pressure, True)

    def _release(self, pos: QPointF, ts: int) -> None:
        if not (self.input_enabled and self._down):
            return
        self._down = False
        self._add(pos, ts, None, False)
        self.strokeChanged.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press(event.position(), event.timestamp(), None)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._move(event.position(), event.timestamp(), None)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._release(event.position(), event.timestamp())
        event.accept()

    def tabletEvent(self, event: QTabletEvent) -> None:
        # Accepting it stops Qt from also synthesising mouse events for the same stylus movement.
        pressure = float(event.pressure()) if self._has_pressure(event) else None
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self._press(event.position(), event.timestamp(), pressure)
        elif kind == QEvent.Type.TabletMove:
            self._move(event.position(), event.timestamp(), pressure)
        elif kind == QEvent.Type.TabletRelease:
            self._release(event.position(), event.timestamp())
        event.accept()

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd):
            assert isinstance(event, QTouchEvent)
            points = event.points()
            if points:
                first = points[0]  # one finger signs; a resting palm's second touch is ignored
                pressure = float(first.pressure()) if self._has_pressure(event) else None
                # From the global position: touch events forwarded by a parent or an input bridge
                # do not always carry a position local to this surface.
                pos = self.mapFromGlobal(first.globalPosition())
                if kind == QEvent.Type.TouchBegin:
                    self._press(pos, event.timestamp(), pressure)
                elif kind == QEvent.Type.TouchUpdate:
                    self._move(pos, event.timestamp(), pressure)
                else:
                    self._release(pos, event.timestamp())
            event.accept()
            return True
        return super().event(event)

    @staticmethod
    def _has_pressure(event: QTabletEvent | QTouchEvent) -> bool:
        device = event.device()
        return device is not None and device.hasCapability(QInputDevice.Capability.Pressure)

    # --- mirroring a pad ------------------------------------------------------------------------
    def _fit(self, res: Resolution) -> tuple[float, float, float]:
        scale = min(self.width() / res.width, self.height() / res.height)
        return scale, (self.width() - res.width * scale) / 2, (self.height() - res.height * scale) / 2

    def add_mirror(self, point: SignaturePoint, res: Resolution, down: bool) -> None:
        self._mirror_res = res
        scale, ox, oy = self._fit(res)
        self._mirror.append((QPointF(ox + point.x * scale, oy + point.y * scale), point.pressure, down))
        self.update()

    # --- painting -------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        palette = self.palette()
        surface = palette.color(QPalette.ColorRole.Base)
        painter.fillRect(self.rect(), surface)
        ink = palette.color(QPalette.ColorRole.Text)
        guide = QPen(guide_colour(ink, surface), max(2.0, self.dpi / 25.4 * 0.5))
        painter.setPen(guide)
        painter.drawRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5))
        line_y = self.height() * 0.78
        margin = self.width() * 0.06
        painter.drawLine(QPointF(margin, line_y), QPointF(self.width() - margin, line_y))
        painter.drawText(QPointF(margin, line_y - self.dpi / 25.4 * 2), "X")
        width = self.settings.ink_width_mm * 1.6 * self.dpi / 25.4  # a little bolder on glass than on paper
        for stroke in strokes_of(self.points):
            self._paint_stroke(painter, [(QPointF(p.x, p.y), p.pressure) for p in stroke], ink, width)
        run: list[tuple[QPointF, float | None]] = []
        for pos, pressure, down in self._mirror:
            if down:
                run.append((pos, pressure))
            elif run:
                self._paint_stroke(painter, run, ink, width)
                run = []
        if run:
            self._paint_stroke(painter, run, ink, width)
        painter.end()

    @staticmethod
    def _paint_stroke(
        painter: QPainter, stroke: list[tuple[QPointF, float | None]], ink: QColor, width: float
    ) -> None:
        pressure = [p for _, p in stroke if p is not None]
        factor = 0.6 + 0.8 * (sum(pressure) / len(pressure)) if pressure else 1.0
        pen = QPen(ink, max(1.0, width * factor))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        if len(stroke) == 1:
            painter.drawPoint(stroke[0][0])
            return
        path = QPainterPath(stroke[0][0])
        for pos, _ in stroke[1:]:
            path.lineTo(pos)
        painter.drawPath(path)


class SignatureCanvas(QWidget):
    """Big on-screen signing area that produces a SignatureRecord (device "screen")."""

    strokeChanged = Signal()
    recordReady = Signal(object)  # devices.signature.record.SignatureRecord
    refused = Signal(str, str)  # code, message_ko

    def __init__(
        self,
        parent: QWidget | None = None,
        settings: SignatureSection | None = None,
        dpi: float | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signatureCanvas")
        self.settings = settings or SignatureSection()
        self.dpi = float(dpi or self.logicalDpiX())
        self._document_sha256 = ""
        self._consent_id: str | None = None
        self._pad_resolution: Resolution | None = None
        self._last_pad_point: SignaturePoint | None = None
        self.caption = QLabel(self)
        self.caption.setObjectName("signatureCaption")
        self.caption.setWordWrap(True)
        self.caption.setProperty("role", "title")
        self.surface = _InkSurface(self.dpi, self.settings, self)
        self.surface.strokeChanged.connect(self.strokeChanged)
        self._hint_text = HINT_TEXT  # which source string the hint shows, re-translated on LanguageChange
        self.hint = QLabel(self.tr(HINT_TEXT), self)
        self.hint.setObjectName("signatureHint")
        self.hint.setWordWrap(True)
        self.clear_button = QPushButton(self.tr(CLEAR_TEXT), self)
        self.clear_button.setObjectName("signatureClear")
        self.clear_button.setProperty("role", "secondary")
        self.clear_button.setAccessibleName(self.clear_button.text())
        self.clear_button.setMinimumHeight(round(15 * self.dpi / 25.4))  # touch target ≥ 15 mm
        self.clear_button.setAutoDefault(False)
        self.clear_button.clicked.connect(self.clear)
        # Big enough to read without the theme too (UI.md: body text >= 6 mm); the theme may restyle.
        for label, mm in ((self.caption, 7.0), (self.hint, 6.0)):
            font = label.font()
            font.setPixelSize(round(mm * self.dpi / 25.4))
            label.setFont(font)
        row = QHBoxLayout()
        row.addWidget(self.hint, 1)
        row.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.surface, 1)
        layout.addLayout(row)

    # --- what the caller uses -------------------------------------------------------------------
    def set_caption(self, text: str) -> None:
        """Say what is being signed, e.g. "개인정보 수집·이용 동의서에 서명해요"."""
        self.caption.setText(text)

    def begin(self, document_sha256: str, consent_id: str | None = None) -> None:
        """Start a signature for this document (earlier ink is discarded)."""
        self._document_sha256 = check_sha256_hex(document_sha256)
        self._consent_id = consent_id
        self._show_hint(HINT_TEXT)
        self.surface.reset()

    def clear(self) -> None:
        """Wipe the ink; the person signs again. Always available."""
        self._show_hint(HINT_TEXT)
        self.surface.reset()

    def _show_hint(self, source: str) -> None:
        self._hint_text = source
        self.hint.setText(self.tr(source) if source else "")

    def retranslate(self) -> None:
        self.clear_button.setText(self.tr(CLEAR_TEXT))
        self.clear_button.setAccessibleName(self.clear_button.text())
        if self._hint_text:
            self.hint.setText(self.tr(self._hint_text))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    @property
    def points(self) -> list[SignaturePoint]:
        return list(self.surface.points)

    @property
    def resolution(self) -> Resolution:
        return Resolution(self.surface.width(), self.surface.height(), self.dpi, self.dpi)

    def finish(self) -> SignatureRecord:
        """The sealed record (also emitted as ``recordReady``); SignatureRefused if unusable."""
        if not self._document_sha256:
            raise RuntimeError("begin(document_sha256, consent_id) was not called")
        points = list(self.surface.points)
        if points and points[-1].pen_down:
            last = points[-1]
            points.append(SignaturePoint(last.x, last.y, None, last.t_ms, False))
        try:
            record = make_record(
                points, "screen", self.resolution, self._document_sha256, self._consent_id, self.settings
            )
        except SignatureRefused as refused:
            self.surface.reset()
            self._show_hint(REFUSED_TEXT)
            self.refused.emit(refused.code, refused.message_ko)
            raise
        self.recordReady.emit(record)
        return record

    # --- mirroring a serial pad -----------------------------------------------------------------
    def mirror(self, adapter: SignaturePadAdapter) -> None:
        """Show a pad's ink live; touch/mouse input is switched off. The clear button then also
        clears the pad, and a refusal or a pad error wipes the mirrored ink and says what to do."""
        self.surface.input_enabled = False
        self._pad_resolution = adapter.pad.geometry.resolution
        adapter.point.connect(self._on_pad_point)
        adapter.penUp.connect(self._on_pad_pen_up)
        adapter.refused.connect(self._on_pad_refused)
        adapter.error.connect(self._on_pad_error)
        self.clear_button.clicked.connect(adapter.clear)

    def _on_pad_point(self, x: int, y: int, pressure: float, t_ms: int, pen_down: bool) -> None:
        if self._pad_resolution is None:
            return
        point = point_from_signal(x, y, pressure, t_ms, pen_down)
        self._last_pad_point = point
        self.surface.add_mirror(point, self._pad_resolution, True)

    def _on_pad_pen_up(self) -> None:
        if self._last_pad_point is not None and self._pad_resolution is not None:
            self.surface.add_mirror(self._last_pad_point, self._pad_resolution, False)

    def _on_pad_refused(self, code: str, message_ko: str) -> None:
        self.surface.reset()
        self._show_hint(REFUSED_TEXT)

    def _on_pad_error(self, code: str, message_ko: str) -> None:
        self.surface.reset()
        self._hint_text = ""  # the pad's own words, not one of ours to re-translate
        self.hint.setText(message_ko)
