"""Small windows for the emulated devices of `kiosk demo`: the printer's paper, pad replay, card picker.

Device work (rendering a card, replaying strokes) runs on worker threads; these windows only poll or
receive results on the GUI thread.
"""

from __future__ import annotations

import threading
from functools import partial

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from devices.signature.emulator import EmulatedPad
from printers.escpos.emulator import EmulatedPrinter
from ui.lobby.emulated import ScannerGlass


class PrinterPaperWindow(QWidget):
    """What came out of the emulated receipt printer (the last cut job)."""

    def __init__(self, emulator: EmulatedPrinter) -> None:
        super().__init__()
        self.emulator = emulator
        self.setWindowTitle("프린터 용지 · Printer paper")
        self.paper = QLabel("아직 인쇄한 것이 없어요\n(nothing printed yet)")
        self.paper.setWordWrap(True)
        self.paper.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.paper_scroll = QScrollArea()
        self.paper_scroll.setWidget(self.paper)
        self.paper_scroll.setWidgetResizable(True)
        # The last slip's QR as text: the 내 순서 link a phone would open (selectable, to open by hand)
        self.qr_link = QLabel()
        self.qr_link.setWordWrap(True)
        self.qr_link.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.qr_link.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.paper_scroll)
        layout.addWidget(self.qr_link)
        self.resize(360, 560)
        self.setMinimumSize(120, 120)
        self._shown = 0
        self._image: QImage | None = None
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.refresh)
        self.timer.start(500)

    def refresh(self) -> None:
        jobs = list(self.emulator.jobs)
        if len(jobs) == self._shown:
            return
        self._shown = len(jobs)
        links = [p for p in jobs[-1].qr_payloads if "://" in p]
        self.qr_link.setText(f"QR: {links[-1]}" if links else "")
        self.qr_link.setVisible(bool(links))
        image = jobs[-1].image.convert("RGB")
        data = image.tobytes("raw", "RGB")
        rgb = QImage.Format.Format_RGB888
        self._image = QImage(data, image.width, image.height, 3 * image.width, rgb).copy()
        self._show_paper()

    def _show_paper(self) -> None:
        if self._image is not None:
            width = max(60, self.paper_scroll.viewport().width() - 4)  # the paper at its whole width
            scaled = self._image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            self.paper.setPixmap(QPixmap.fromImage(scaled))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._show_paper()


class PadWindow(QWidget):
    """Replay buttons for emulated signature pads (the strokes go over the pty at the real rate)."""

    def __init__(self, pads: dict[str, EmulatedPad]) -> None:
        super().__init__()
        self.setWindowTitle("서명 패드 · Signature pads (emulated)")
        layout = QVBoxLayout(self)
        from devices.signature.stroke_library import stroke_names

        self.stroke = QComboBox()
        self.stroke.addItems(stroke_names())
        layout.addWidget(QLabel("재생할 서명 · Signature to replay"))
        layout.addWidget(self.stroke)
        for label, pad in pads.items():
            button = QPushButton(f"{label}: 서명 재생 (replay)")
            button.clicked.connect(partial(self.replay, pad))
            layout.addWidget(button)
        layout.addStretch()
        self.setMinimumSize(160, 100)

    def replay(self, pad: EmulatedPad, _checked: bool = False) -> None:
        if pad.replaying:  # a second press while the pen is still moving would be refused by the pad
            return
        pad.replay(self.stroke.currentText(), block=False)  # the emulator plays on its own thread


class ScannerWindow(QWidget):
    """Lay a synthetic ID card on the emulated scanner's glass, or take it away."""

    def __init__(self, glass: ScannerGlass) -> None:
        super().__init__()
        self.glass = glass
        self.setWindowTitle("신분증 스캐너 · ID scanner (emulated)")
        layout = QVBoxLayout(self)
        self.kind = QComboBox()
        self.kind.addItem("주민등록증 · resident card", "resident_card")
        self.kind.addItem("운전면허증 · driver's licence", "driver_license")
        self.level = QComboBox()
        for level in ("clean", "moderate"):
            self.level.addItem(level)
        self.put = QPushButton("카드 올리기 · Place a card")
        self.remove = QPushButton("카드 치우기 · Take it away")
        self.status = QLabel("유리 위가 비어 있어요 (glass empty)")
        self.status.setWordWrap(True)
        for w in (self.kind, self.level, self.put, self.remove, self.status):
            layout.addWidget(w)
        self.put.clicked.connect(self.place)
        self.remove.clicked.connect(self.take_away)
        self.setMinimumSize(160, 100)
        # The glass is rendered on a thread; a GUI timer looks whether a card lies there yet.
        self.watch = QTimer(self)
        self.watch.setInterval(200)
        self.watch.timeout.connect(self._look)
        self._placed_before = 0

    def place(self) -> None:
        self.glass.kind = self.kind.currentData()
        self.glass.level = self.level.currentText()
        self.status.setText("카드를 올리는 중… (rendering)")
        self._placed_before = self.glass.presented
        threading.Thread(target=self.glass.present, daemon=True).start()
        self.watch.start()

    def _look(self) -> None:
        if self.glass.presented > self._placed_before:
            self.watch.stop()
            self.status.setText("카드가 유리 위에 있어요 (card on the glass)")

    def take_away(self) -> None:
        self.watch.stop()
        self.glass.take_away()
        self.status.setText("유리 위가 비어 있어요 (glass empty)")
