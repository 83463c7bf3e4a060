"""The counter screen (landscape): idle → document (every page, read aloud) → signature → thanks → wipe.

The signature area appears only after the last page has been shown, and it names what is being signed.
The captured signature is bound to the SHA-256 the hub announced for that document, and the PDF shown
is checked against that hash before anything is displayed.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from config import Settings
from kiosk.api import DOCUMENT_TITLES
from kiosk.client.signatures import signature_payload
from ui.adapters.hub_adapter import HubAdapter
from ui.counter.pages import load_document
from ui.widgets.signature_canvas import SignatureCanvas

IDLE_TEXT = "상담사가 문서를 보내면 여기에 보여 드려요.\nDocuments from your counselor appear here."


class CounterWindow(QWidget):
    def __init__(
        self,
        adapter: HubAdapter,
        settings: Settings,
        *,
        paired: bool,
        voice: Any = None,
        pad_adapter: Any = None,
    ) -> None:
        super().__init__()
        self.adapter, self.settings, self.voice, self.pad_adapter = adapter, settings, voice, pad_adapter
        self.setWindowTitle("창구 화면 · Counter screen")
        self.resize(1280, 800)
        self.stack = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.addWidget(self.stack)
        # pairing
        pair_page = QWidget()
        pair = QVBoxLayout(pair_page)
        pair.addWidget(
            QLabel("상담석 화면에 보이는 연결 번호 8자리를 입력해 주세요.\nEnter the code shown at the desk.")
        )
        self.code_edit = QLineEdit()
        self.code_edit.setMaxLength(8)
        self.pair_button = QPushButton("연결하기 Pair")
        self.pair_message = QLabel("")
        for pair_widget in (self.code_edit, self.pair_button, self.pair_message):
            pair.addWidget(pair_widget)
        pair.addStretch()
        self.stack.addWidget(pair_page)
        # idle
        self.idle = QLabel(IDLE_TEXT)
        self.idle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.idle.setObjectName("counterIdle")
        self.stack.addWidget(self.idle)
        # document
        doc_page = QWidget()
        doc = QVBoxLayout(doc_page)
        self.title = QLabel("")
        self.title.setObjectName("documentTitle")
        doc.addWidget(self.title)
        body = QHBoxLayout()
        self.thumbs = QListWidget()
        self.thumbs.setMaximumWidth(170)
        self.pages_scroll = QScrollArea()
        self.pages_scroll.setWidgetResizable(True)
        self.pages_box = QWidget()
        self.pages_layout = QVBoxLayout(self.pages_box)
        self.pages_scroll.setWidget(self.pages_box)
        body.addWidget(self.thumbs)
        body.addWidget(self.pages_scroll, 1)
        doc.addLayout(body, 1)
        actions = QHBoxLayout()
        self.read_button = QPushButton("읽어 주기 Read aloud")
        self.progress = QLabel("")
        actions.addWidget(self.read_button)
        actions.addWidget(self.progress, 1)
        doc.addLayout(actions)
        self.sign_caption = QLabel("")
        self.sign_caption.setWordWrap(True)
        self.canvas = SignatureCanvas(settings=settings.signature)
        self.canvas.setMinimumHeight(220)
        self.sign_button = QPushButton("서명 완료 Done")
        self.sign_box = QWidget()
        sign_layout = QVBoxLayout(self.sign_box)
        for sign_widget in (self.sign_caption, self.canvas, self.sign_button):
            sign_layout.addWidget(sign_widget)
        self.sign_box.setVisible(False)
        doc.addWidget(self.sign_box)
        self.stack.addWidget(doc_page)
        # thanks
        self.thanks = QLabel("서명이 완료됐어요. 고맙습니다.\nSigned — thank you.")
        self.thanks.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.thanks)
        self.document: Any = None
        self.text = ""
        self.seen_last_page = False
        self.queue: list[uuid.UUID] = []
        self._wire()
        self.stack.setCurrentIndex(1 if paired else 0)

    def _wire(self) -> None:
        self.pair_button.clicked.connect(self.pair)
        self.read_button.clicked.connect(self.read_aloud)
        self.pages_scroll.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.thumbs.currentRowChanged.connect(self._jump_to_page)
        self.sign_button.clicked.connect(self.finish_signature)
        self.canvas.recordReady.connect(self.send_signature)
        self.canvas.refused.connect(lambda _code, message: self.progress.setText(message))
        if self.pad_adapter is not None:
            self.pad_adapter.recordReady.connect(self.send_signature)
            self.pad_adapter.refused.connect(lambda _code, message: self.progress.setText(message))
            self.pad_adapter.penUp.connect(
                lambda: self.progress.setText("패드 서명을 받았어요. '서명 완료'를 눌러 주세요.")
            )
        self.adapter.eventReceived.connect(self.on_event)

    def start(self) -> None:
        self.adapter.start_events()
        self.adapter.call(self.adapter.client.pending_documents, done=self._enqueue_all)

    def _enqueue_all(self, documents: list[Any]) -> None:
        for doc in documents:
            self.enqueue(doc.id)

    # --- pairing -------------------------------------------------------------------------------------
    def pair(self) -> None:
        self.adapter.call(
            self.adapter.client.pair_counter,
            self.code_edit.text().strip(),
            done=lambda _out: self.stack.setCurrentIndex(1),
            failed=lambda _code, message: self.pair_message.setText(message),
        )

    # --- documents -----------------------------------------------------------------------------------
    def on_event(self, event: dict[str, Any]) -> None:
        if event.get("type") == "document.pushed":
            self.enqueue(uuid.UUID(event["data"]["document_id"]))

    def enqueue(self, document_id: uuid.UUID) -> None:
        if document_id not in self.queue and (self.document is None or self.document.id != document_id):
            self.queue.append(document_id)
        if self.document is None and self.stack.currentIndex() in (1, 3):
            self._next()

    def _next(self) -> None:
        if not self.queue:
            self.wipe()
            return
        document_id = self.queue.pop(0)
        self.adapter.call(self.adapter.client.document, document_id, done=self._got_meta)

    def _got_meta(self, meta: Any) -> None:
        self.document = meta
        self.progress.setText("문서를 불러오는 중이에요… Loading…")
        self.adapter.call(load_document, self.adapter.client.document_pdf, meta.id, done=self._show_document)

    def _show_document(self, loaded: tuple[bytes, list[bytes], str]) -> None:
        pdf, pages, self.text = loaded
        if hashlib.sha256(pdf).hexdigest() != self.document.sha256:
            self.progress.setText("문서가 바뀌었어요. 상담사에게 알려 주세요. (document hash mismatch)")
            return
        title_ko, title_en = DOCUMENT_TITLES.get(self.document.template, (self.document.template, ""))
        self.title.setText(f"{title_ko} · {title_en} — {len(pages)}쪽")
        self._clear_pages()
        for index, png in enumerate(pages, start=1):
            pixmap = QPixmap()
            pixmap.loadFromData(png, "PNG")
            page = QLabel()
            page.setPixmap(pixmap)
            page.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.pages_layout.addWidget(page)
            self.thumbs.addItem(QListWidgetItem(f"{index}쪽"))
        self.seen_last_page = len(pages) <= 1
        self.progress.setText("끝까지 읽어 주세요. 마지막 쪽을 보면 서명할 수 있어요.")
        self.sign_caption.setText(
            f"서명할 문서: {title_ko} ({title_en})\n이 문서에 서명해요. 문서 번호 "
            f"{str(self.document.id)[:8]} · SHA-256 {self.document.sha256[:12]}…"
        )
        self.sign_box.setVisible(False)
        self.stack.setCurrentIndex(2)
        QTimer.singleShot(0, self._scrolled)

    def _clear_pages(self) -> None:
        self.thumbs.clear()
        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()

    def _jump_to_page(self, row: int) -> None:
        item = self.pages_layout.itemAt(row) if row >= 0 else None
        page = item.widget() if item is not None else None
        if page is not None:
            self.pages_scroll.ensureWidgetVisible(page)

    def _scrolled(self, *_args: Any) -> None:
        bar = self.pages_scroll.verticalScrollBar()
        if bar.value() >= bar.maximum():
            self.seen_last_page = True
        if self.seen_last_page and self.document is not None and not self.sign_box.isVisible():
            self.show_signature_area()

    def show_signature_area(self) -> None:
        self.sign_box.setVisible(True)
        self.progress.setText("아래에 서명해 주세요. Sign below.")
        self.canvas.begin(self.document.sha256, None)
        if self.pad_adapter is not None:
            self.pad_adapter.begin(self.document.sha256, None)

    def finish_signature(self) -> None:
        """Seal what was signed: the pad's ink if the pad was used, else the screen's."""
        if self.pad_adapter is not None and self.pad_adapter.pad.points:
            self.pad_adapter.finish()
        else:
            self.canvas.finish()

    def read_aloud(self) -> None:
        if self.voice is not None and self.text:
            self.voice.set_enabled(True)
            self.voice.say(self.text[:4000])

    def send_signature(self, record: Any) -> None:
        if self.document is None or record.document_sha256 != self.document.sha256:
            return
        document_id = self.document.id
        self.progress.setText("서명을 보내는 중이에요… Sending…")
        self.adapter.call(
            self.adapter.client.sign_document,
            document_id,
            signature_payload(record),
            f"sign-{document_id}",
            done=self._signed,
            failed=lambda _code, message: self.progress.setText(message),
        )

    def _signed(self, _out: Any) -> None:
        self.stack.setCurrentIndex(3)
        self.document = None
        QTimer.singleShot(3000, self._next)

    def wipe(self) -> None:
        """Back to idle with nothing of the last person left on screen or in memory."""
        self.document, self.text, self.seen_last_page = None, "", False
        self._clear_pages()
        self.title.clear()
        self.sign_caption.clear()
        self.canvas.clear()
        self.sign_box.setVisible(False)
        self.stack.setCurrentIndex(1)

    def closeEvent(self, event: Any) -> None:
        self.adapter.stop()
        if self.pad_adapter is not None:
            self.pad_adapter.close()
        super().closeEvent(event)
