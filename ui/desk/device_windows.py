"""Small windows for the emulated devices of `kiosk demo`: the printer's paper, pad replay, card picker.

Device work (rendering a card, replaying strokes) runs on worker threads; these windows only poll or
receive results on the GUI thread.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget


class PrinterPaperWindow(QWidget):
    """What came out of the emulated receipt printer (the last cut job)."""

    def __init__(self, emulator: Any) -> None:
        super().__init__()
        self.emulator = emulator
        self.setWindowTitle("프린터 용지 · Printer paper (emulated)")
        self.paper = QLabel("아직 인쇄한 것이 없어요 (nothing printed yet)")
        scroll = QScrollArea()
        scroll.setWidget(self.paper)
        scroll.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        self.resize(360, 560)
        self._shown = 0
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.refresh)
        self.timer.start(500)

    def refresh(self) -> None:
        jobs = list(self.emulator.jobs)
        if len(jobs) == self._shown:
            return
        self._shown = len(jobs)
        image = jobs[-1].image.convert("RGB")
        data = image.tobytes("raw", "RGB")
        qimage = QImage(data, image.width, image.height, 3 * image.width, QImage.Format.Format_RGB888).copy()
        self.paper.setPixmap(QPixmap.fromImage(qimage).scaledToWidth(320))


class PadWindow(QWidget):
    """Replay buttons for emulated signature pads (the strokes go over the pty at the real rate)."""

    def __init__(self, pads: dict[str, Any]) -> None:
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
            button.clicked.connect(lambda _=False, p=pad: self.replay(p))
            layout.addWidget(button)
        layout.addStretch()

    def replay(self, pad: Any) -> None:
        name = self.stroke.currentText()
        threading.Thread(target=pad.replay, args=(name,), kwargs={"block": True}, daemon=True).start()


class ScannerWindow(QWidget):
    """Lay a synthetic ID card on the emulated scanner's glass, or take it away."""

    def __init__(self, glass: Any) -> None:
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
        for w in (self.kind, self.level, self.put, self.remove, self.status):
            layout.addWidget(w)
        self.put.clicked.connect(self.place)
        self.remove.clicked.connect(self.take_away)

    def place(self) -> None:
        self.glass.kind = self.kind.currentData()
        self.glass.level = self.level.currentText()
        self.status.setText("카드를 올리는 중… (rendering)")
        threading.Thread(target=self.glass.present, daemon=True).start()
        QTimer.singleShot(1500, lambda: self.status.setText("카드가 유리 위에 있어요 (card on the glass)"))

    def take_away(self) -> None:
        self.glass.take_away()
        self.status.setText("유리 위가 비어 있어요 (glass empty)")
