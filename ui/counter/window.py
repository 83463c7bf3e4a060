"""The counter screen the citizen reads and signs on (landscape): idle → document, one page at a time
with big 이전/다음 and 읽어 주기 → signature → thanks → wipe.

Sized in millimetres like the lobby (UI.md: text ≥ 6 mm, touch targets ≥ 15 mm, the primary action
~20 mm tall) with the lobby's theme. One language per screen (Korean, or English on request). The
signature screen opens only from the last page and names what is signed by its title and a short
document code — never a hash. The captured signature is still bound to the SHA-256 the hub announced,
and the PDF shown is checked against that hash before anything is displayed.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QIcon, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QListWidgetItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from config import Settings
from devices.signature.record import SignatureRecord, SignatureRefused
from kiosk.api import DocumentOut
from kiosk.client.signatures import signature_payload
from ui.adapters.hub_adapter import HubAdapter
from ui.adapters.signature_pad_adapter import SignaturePadAdapter
from ui.counter.debt_figures import checked_figures
from ui.counter.pages import LoadedDocument, load_document
from ui.counter.screens import DocumentScreen, PairScreen, SignScreen, centred_label
from ui.counter.words import document_code, document_title, word
from ui.theme import ScreenMetrics, Sizes, stylesheet
from ui.voice import VoiceGuide

PAIR, IDLE, DOCUMENT, THANKS, SIGN = range(5)
THANKS_MS = 3000
# The signature canvas's own words are Korean (translated through the lobby's catalogue, which the
# counter does not install): on an English screen the counter sets them itself.
_CANVAS_EN = {"hint": "Sign on the line.", "clear": "Clear and sign again", "refused": "Please sign again."}


class CounterWindow(QWidget):
    def __init__(
        self,
        adapter: HubAdapter,
        settings: Settings,
        *,
        paired: bool,
        voice: VoiceGuide | None = None,
        pad_adapter: SignaturePadAdapter | None = None,
    ) -> None:
        super().__init__()
        self.adapter, self.settings, self.voice, self.pad_adapter = adapter, settings, voice, pad_adapter
        self.language = "ko"
        cfg = settings.lobby
        self.metrics = ScreenMetrics(cfg.screen_dpi)
        self.sizes = Sizes.make(self.metrics, cfg.text_mm.normal, cfg.min_touch_mm, cfg.keypad_key_mm)
        self.setObjectName("CounterWindow")
        self.setStyleSheet(stylesheet("default", self.sizes))
        self.resize(1280, 800)
        self.stack = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.addWidget(self.stack)
        pairing = PairScreen(self.sizes)
        self.pair_prompt, self.code_edit = pairing.prompt, pairing.code_edit
        self.pair_button, self.pair_message = pairing.button, pairing.message
        self.idle = centred_label("counterIdle")
        reading = DocumentScreen(self.metrics, self.sizes)
        self.title, self.page_label = reading.title, reading.page_label
        self.language_button, self.thumbs = reading.language_button, reading.thumbs
        self.page_view, self.pages_scroll = reading.page_view, reading.pages_scroll
        self.progress, self.previous_button = reading.progress, reading.previous_button
        self.debt_panel = reading.debt_panel
        self.read_button, self.next_button = reading.read_button, reading.next_button
        self.thanks = centred_label("counterThanks")
        self.sign_box = SignScreen(self.metrics, settings.signature)
        self.sign_title, self.sign_caption, self.sign_prompt = (
            self.sign_box.title, self.sign_box.caption, self.sign_box.prompt,
        )  # fmt: skip
        self.canvas, self.back_button, self.sign_button = (
            self.sign_box.canvas, self.sign_box.back_button, self.sign_box.sign_button,
        )  # fmt: skip
        for screen in (pairing, self.idle, reading, self.thanks, self.sign_box):  # PAIR … SIGN, in order
            self.stack.addWidget(screen)
        self.document: DocumentOut | None = None
        self.page_images: list[QPixmap] = []
        self.page_texts: list[str] = []
        self.page = 0
        self.seen_last_page = False
        self.reading = False
        self.queue: list[uuid.UUID] = []
        self._wire()
        self.retranslate()
        self.stack.setCurrentIndex(IDLE if paired else PAIR)

    def _wire(self) -> None:
        self.pair_button.clicked.connect(self.pair)
        self.previous_button.clicked.connect(self.previous_page)
        self.next_button.clicked.connect(self.next_page)
        self.read_button.toggled.connect(self.set_reading)
        self.language_button.clicked.connect(self.switch_language)
        self.thumbs.currentRowChanged.connect(self.show_page)
        self.back_button.clicked.connect(self.back_to_document)
        self.sign_button.clicked.connect(self.finish_signature)
        self.canvas.recordReady.connect(self.send_signature)
        self.canvas.refused.connect(self._refused)
        self.canvas.strokeChanged.connect(self._canvas_words)
        if self.pad_adapter is not None:
            self.pad_adapter.recordReady.connect(self.send_signature)
            self.pad_adapter.refused.connect(self._refused)
            self.pad_adapter.penUp.connect(self._pad_ink)
        self.adapter.eventReceived.connect(self.on_event)

    # --- language ----------------------------------------------------------------------------------
    def switch_language(self) -> None:
        self.language = "en" if self.language == "ko" else "ko"
        if self.voice is not None:
            self.voice.language = self.language
        self.retranslate()
        if self.reading:
            self._read_page()

    def retranslate(self) -> None:
        lang = self.language
        self.setWindowTitle(word("window", lang))
        self.pair_prompt.setText(word("pair_prompt", lang))
        self.pair_button.setText(word("pair", lang))
        self.idle.setText(word("idle", lang))
        self.thanks.setText(word("thanks", lang))
        self.language_button.setText(word("other_language", lang))
        self.previous_button.setText(word("previous", lang))
        self.read_button.setText(word("read_aloud", lang))
        self.sign_title.setText(word("sign_title", lang))
        self.sign_prompt.setText(word("sign_prompt", lang))
        self.back_button.setText(word("back_to_document", lang))
        self.sign_button.setText(word("sign", lang))
        for index in range(self.thumbs.count()):
            item = self.thumbs.item(index)
            if item is not None:
                item.setText(str(index + 1))
        self.debt_panel.retranslate(lang)
        if self.document is not None:
            title = document_title(self.document.template, lang)
            self.title.setText(title)
            self.sign_caption.setText(
                word("sign_what", lang, title=title, code=document_code(self.document.id))
            )
            self._show_position()
        self._canvas_words()

    def _canvas_words(self) -> None:
        if self.language == "en":
            self.canvas.hint.setText(_CANVAS_EN["hint"])
            self.canvas.clear_button.setText(_CANVAS_EN["clear"])
        else:
            self.canvas.retranslate()

    def start(self) -> None:
        self.adapter.start_events()
        self.adapter.call(self.adapter.client.pending_documents, done=self._enqueue_all)

    def _enqueue_all(self, documents: list[DocumentOut]) -> None:
        for doc in documents:
            self.enqueue(doc.id)

    # --- pairing -----------------------------------------------------------------------------------
    def pair(self) -> None:
        self.adapter.call(
            self.adapter.client.pair_counter,
            self.code_edit.text().strip(),
            done=self._paired,
            failed=self._pair_failed,
        )

    def _paired(self, _out: object) -> None:
        self.stack.setCurrentIndex(IDLE)

    def _pair_failed(self, _code: str, message: str) -> None:
        self.pair_message.setText(message)

    # --- documents ---------------------------------------------------------------------------------
    def on_event(self, event: dict[str, Any]) -> None:
        if event.get("type") == "document.pushed":
            self.enqueue(uuid.UUID(event["data"]["document_id"]))

    def enqueue(self, document_id: uuid.UUID) -> None:
        if document_id not in self.queue and (self.document is None or self.document.id != document_id):
            self.queue.append(document_id)
        if self.document is None and self.stack.currentIndex() in (IDLE, THANKS):
            self._next()

    def _next(self) -> None:
        if not self.queue:
            self.wipe()
            return
        document_id = self.queue.pop(0)
        self.adapter.call(self.adapter.client.document, document_id, done=self._got_meta)

    def _got_meta(self, meta: DocumentOut) -> None:
        self.document = meta
        self.idle.setText(word("loading", self.language))
        self.adapter.call(
            load_document, self.adapter.client.document_pdf, meta.id, done=self._show_document,
            failed=self._unreadable,
        )  # fmt: skip

    def _unreadable(self, _code: str, _message: str) -> None:
        self.document = None  # the next pushed document can still come
        self.idle.setText(word("unreadable", self.language))

    def _show_document(self, loaded: LoadedDocument) -> None:
        if self.document is None:
            return
        if hashlib.sha256(loaded.pdf).hexdigest() != self.document.sha256:
            self.document = None
            self.idle.setText(word("changed", self.language))
            return
        self._clear_pages()
        for png in loaded.pages:
            pixmap = QPixmap()
            pixmap.loadFromData(png, "PNG")
            self.page_images.append(pixmap)
        self.page_texts = list(loaded.texts)
        # A 채무조정 신청서: the figures the hub sent, above the pages once the bytes just checked say them.
        figures = checked_figures(
            self.document.figures, "\n".join(loaded.texts), document_code(self.document.id)
        )
        self.debt_panel.show_figures(figures, self.language)
        self.thumbs.blockSignals(True)
        for index, pixmap in enumerate(self.page_images, start=1):
            self.thumbs.addItem(QListWidgetItem(QIcon(pixmap), str(index)))
        self.thumbs.blockSignals(False)
        self.seen_last_page = len(self.page_images) <= 1
        self.retranslate()
        self.stack.setCurrentIndex(DOCUMENT)
        self.show_page(0)

    # --- reading page by page ------------------------------------------------------------------------
    @property
    def page_count(self) -> int:
        return len(self.page_images)

    def show_page(self, index: int) -> None:
        if not 0 <= index < self.page_count:
            return
        self.page = index
        if index == self.page_count - 1:
            self.seen_last_page = True
        self.thumbs.blockSignals(True)
        self.thumbs.setCurrentRow(index)
        self.thumbs.blockSignals(False)
        self._fit_page()
        self.pages_scroll.verticalScrollBar().setValue(0)
        self._show_position()
        if self.reading:
            self._read_page()

    def _fit_page(self) -> None:
        if not self.page_images:
            self.page_view.clear()
            return
        width = max(200, self.pages_scroll.viewport().width() - 4)
        self.page_view.setPixmap(
            self.page_images[self.page].scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        QTimer.singleShot(0, self._fit_page)

    def _show_position(self) -> None:
        lang, last = self.language, self.page == self.page_count - 1
        self.page_label.setText(word("page", lang, page=self.page + 1, pages=self.page_count))
        self.previous_button.setEnabled(self.page > 0)
        self.next_button.setText(word("to_sign", lang) if last else word("next", lang))
        self.progress.setText(word("read_done" if self.seen_last_page else "read_on", lang))

    def previous_page(self) -> None:
        self.show_page(self.page - 1)

    def next_page(self) -> None:
        """다음: the next page; on the last page, the signature screen."""
        if self.page < self.page_count - 1:
            self.show_page(self.page + 1)
        elif self.seen_last_page and self.document is not None:
            self.show_signature_area()

    def set_reading(self, on: bool) -> None:
        """읽어 주기: read this page aloud now, and each page as it is turned, until pressed again."""
        self.reading = on
        if self.voice is None:
            return
        if on:
            self._read_page()
        else:
            self.voice.set_enabled(False)

    def _read_page(self) -> None:
        if self.voice is None or not self.page_texts:
            return
        self.voice.say(self.page_texts[self.page][:4000])  # remembered first, so turning voice on says it
        self.voice.set_enabled(True)

    # --- signing -------------------------------------------------------------------------------------
    def show_signature_area(self) -> None:
        if self.document is None:
            return
        self.stack.setCurrentIndex(SIGN)
        self.canvas.begin(self.document.sha256, None)
        if self.pad_adapter is not None:
            self.pad_adapter.begin(self.document.sha256, None)
        self._canvas_words()

    def back_to_document(self) -> None:
        self.stack.setCurrentIndex(DOCUMENT)

    def finish_signature(self) -> None:
        """Seal what was signed: the pad's ink if the pad was used, else the screen's."""
        if self.pad_adapter is not None and self.pad_adapter.pad.points:
            self.pad_adapter.finish()
            return
        try:
            self.canvas.finish()
        except SignatureRefused:
            return  # the canvas cleared the ink and emitted `refused`: the person signs again

    def _refused(self, _code: str, message: str) -> None:
        self.sign_prompt.setText(_CANVAS_EN["refused"] if self.language == "en" else message)
        self._canvas_words()

    def _pad_ink(self) -> None:
        self.sign_prompt.setText(word("pad_ink", self.language))

    def send_signature(self, record: SignatureRecord) -> None:
        if self.document is None or record.document_sha256 != self.document.sha256:
            return
        document_id = self.document.id
        self.sign_prompt.setText(word("sending", self.language))
        self.adapter.call(
            self.adapter.client.sign_document,
            document_id,
            signature_payload(record),
            f"sign-{document_id}",
            done=self._signed,
            failed=self._sign_failed,
        )

    def _sign_failed(self, _code: str, message: str) -> None:
        self.sign_prompt.setText(message)

    def _signed(self, _out: object) -> None:
        self.set_reading(False)
        self.read_button.setChecked(False)
        self.stack.setCurrentIndex(THANKS)
        self.document = None
        QTimer.singleShot(THANKS_MS, self._next)

    def _clear_pages(self) -> None:
        self.thumbs.clear()
        self.page_images, self.page_texts, self.page = [], [], 0
        self.page_view.clear()

    def wipe(self) -> None:
        """Back to idle with nothing of the last person left on screen or in memory."""
        self.document, self.seen_last_page = None, False
        self.read_button.setChecked(False)
        self._clear_pages()
        self.debt_panel.show_figures(None, "ko")
        self.title.clear()
        self.sign_caption.clear()
        self.page_label.clear()
        self.canvas.clear()
        self.language = "ko"
        if self.voice is not None:
            self.voice.language = "ko"
        self.retranslate()
        self.stack.setCurrentIndex(IDLE)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.adapter.stop()
        if self.pad_adapter is not None:
            self.pad_adapter.close()
        super().closeEvent(event)
