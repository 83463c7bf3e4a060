"""ChatPanel: ask the FAQ assistant on the kiosk — large text, suggested questions, sources, hand-off.

The assistant (Kiwi + the index, 1–3 s) loads on a worker thread and every question is answered there,
so the GUI thread never waits. Signals for the host screen:
- ``speakRequested(str)``: text to read aloud, with every answer and on "다시 듣기" (the lobby's voice
  decides whether voice is on; ``voice_enabled=False`` stops the automatic one);
- ``handoffRequested(str line, str transcript_masked)``: the visitor wants a person — take a ticket for
  ``line`` (finance | debt | integrated) and pass the masked transcript with the visit;
- ``assistantReady()``, ``answerShown(object)`` (a ``ChatAnswer``), ``loadFailed(str)``.
Typed RRNs, phone and account numbers are masked before they are shown or kept.
One language at a time (``set_language``): in Korean only Korean, in English only English — the
suggested questions, the answers, the source line and the panel's own words.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QThread, Signal, Slot
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from config import load_settings
from db.session import data_dir
from kiosk.assistant import Assistant, ChatAnswer, Transcript, mask_chat_text
from ui.chat.words import LOADING_KO, PROMPT_KO, TEXTS, source_line
from ui.widgets.buttons import fit_lines

log = logging.getLogger(__name__)


def _default_loader() -> Assistant:
    settings = load_settings()
    return Assistant.load(settings.assistant, data_dir(settings.app.data_dir) / "cache")


class _AssistantWorker(QObject):
    """Lives on the worker thread: loads the assistant, then answers one question at a time."""

    loaded = Signal(object)  # list[tuple[str, str, str]]: suggested (entry id, question ko, question en)
    failed = Signal(str)
    answered = Signal(object)  # ChatAnswer

    def __init__(self, loader: Callable[[], Assistant]) -> None:
        super().__init__()
        self._loader = loader
        self._assistant: Assistant | None = None

    @Slot()
    def load(self) -> None:
        try:
            self._assistant = self._loader()
        except Exception as exc:  # shown as a calm message; the kiosk keeps working without the bot
            log.exception("assistant failed to load")
            self.failed.emit(exc.__class__.__name__)
            return
        self.loaded.emit(
            [(item.id, item.entry.question, item.question_en) for item in self._assistant.suggestions()]
        )

    @Slot(str)
    def ask(self, question: str) -> None:
        if self._assistant is not None:
            self.answered.emit(self._assistant.ask(question))

    @Slot(str)
    def ask_entry(self, entry_id: str) -> None:
        if self._assistant is not None:
            self.answered.emit(self._assistant.answer_entry(entry_id))


def _bubble(text: str, role: str, pixels: int) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPixelSize(pixels)  # the lobby theme may restyle by role; without it the text is still large
    label.setFont(font)
    label.setTextFormat(Qt.TextFormat.PlainText)  # never render what someone typed as rich text
    label.setWordWrap(True)
    label.setProperty("role", role)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


class ChatPanel(QWidget):
    speakRequested = Signal(str)
    handoffRequested = Signal(str, str)
    assistantReady = Signal()
    answerShown = Signal(object)
    loadFailed = Signal(str)
    _askRequested = Signal(str)
    _entryRequested = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        loader: Callable[[], Assistant] | None = None,
        voice_enabled: bool = True,
        text_px: int = 32,
    ) -> None:
        super().__init__(parent)
        self.text_px = text_px  # body text; ~6 mm on a 27" 1080×1920 kiosk (UI.md), hints 3/4 of it
        self.setObjectName("chatPanel")
        self.language = "ko"
        self._status_key = "loading"
        self._suggested: list[tuple[str, str, str]] = []  # (entry id, question ko, question en)
        self._alternatives: list[tuple[str, str, str]] = []  # "did you mean" buttons, same shape
        self.voice_enabled = voice_enabled
        self.transcript = Transcript()
        self._last_line = "integrated"
        self._last_spoken = ""
        self._build()
        self._thread = QThread()
        self._thread.setObjectName("chat-assistant")
        self._worker = _AssistantWorker(loader or _default_loader)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.load)
        self._askRequested.connect(self._worker.ask)
        self._entryRequested.connect(self._worker.ask_entry)
        self._worker.loaded.connect(self._on_loaded)
        self._worker.failed.connect(self._on_failed)
        self._worker.answered.connect(self._on_answered)
        self._thread.start()

    # ----- layout
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.status = _bubble(LOADING_KO, "hint", self._px("hint"))
        self.status.setObjectName("chatStatus")
        layout.addWidget(self.status)

        self.suggestions = QFrame()
        self.suggestions.setObjectName("chatSuggestions")
        self._suggestion_grid = QGridLayout(self.suggestions)
        self._suggestion_group = QButtonGroup(self)  # the id is the index in _suggested
        self._suggestion_group.idClicked.connect(self._suggestion_clicked)
        self._alternative_group = QButtonGroup(self)  # the id is the index in _alternatives
        self._alternative_group.idClicked.connect(self._alternative_clicked)

        # The suggested questions scroll with the conversation above it: on a half screen (low reach)
        # or in large text the answer and the input still fit, and the suggestions are a swipe away.
        scrolled = QWidget()
        scrolled_layout = QVBoxLayout(scrolled)
        scrolled_layout.setContentsMargins(0, 0, 0, 0)
        scrolled_layout.addWidget(self.suggestions)
        self._conversation = QWidget()
        self._conversation_layout = QVBoxLayout(self._conversation)
        self._conversation_layout.addStretch(1)
        scrolled_layout.addWidget(self._conversation, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(scrolled)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll = scroll
        scroll.verticalScrollBar().rangeChanged.connect(self._follow_newest)
        layout.addWidget(scroll, 1)

        actions = QHBoxLayout()
        self.read_button = self._button(TEXTS["ko"]["read"], "chatReadAloud", "secondary")
        self.read_button.clicked.connect(self._read_again)
        self.handoff_button = self._button(TEXTS["ko"]["handoff"], "chatHandoff", "big")
        self.handoff_button.clicked.connect(self.request_handoff)
        actions.addWidget(self.read_button)
        actions.addWidget(self.handoff_button)
        layout.addLayout(actions)

        entry = QHBoxLayout()
        self.input = QLineEdit()
        self.input.setObjectName("chatInput")
        self.input.setPlaceholderText(PROMPT_KO)
        self.input.setMaxLength(300)
        input_font = QFont(self.input.font())
        input_font.setPixelSize(self.text_px)
        self.input.setFont(input_font)
        self.input.setMinimumHeight(self.text_px * 2)
        self.input.returnPressed.connect(self.submit)
        self.ask_button = self._button(TEXTS["ko"]["ask"], "chatAsk", "primary")
        self.ask_button.clicked.connect(self.submit)
        entry.addWidget(self.input, 1)
        entry.addWidget(self.ask_button)
        layout.addLayout(entry)
        self._set_enabled(False)

    def _px(self, role: str) -> int:
        return (
            self.text_px
            if role in ("answer", "question", "primary", "big", "choice")
            else self.text_px * 3 // 4
        )

    def _button(self, text: str, name: str, role: str) -> QPushButton:
        button = QPushButton(text)
        font = QFont(button.font())
        font.setPixelSize(self._px(role))
        button.setFont(font)
        button.setMinimumHeight(self.text_px * 2)  # touch targets well above 15 mm
        button.setObjectName(name)
        button.setProperty("role", role)
        button.setAccessibleName(text.replace("\n", " "))
        button.setAutoDefault(False)
        return button

    def _follow_newest(self, _low: int, high: int) -> None:
        if self._conversation_layout.count() > 1:  # keep the newest answer in view, once there is one
            self._scroll.verticalScrollBar().setValue(high)

    # ----- language
    def set_language(self, language: str) -> None:
        """Show the panel's words and the suggested questions in ``language`` (ko | en)."""
        self.language = language if language in TEXTS else "ko"
        words = TEXTS[self.language]
        self.status.setText(words[self._status_key])
        self.input.setPlaceholderText(words["prompt"])
        self.input.setAccessibleName(words["prompt"])
        for button, key in (
            (self.read_button, "read"),
            (self.handoff_button, "handoff"),
            (self.ask_button, "ask"),
        ):
            button.setText(words[key])
            button.setAccessibleName(words[key])
        self._relabel_suggestions()

    def _relabel_suggestions(self) -> None:
        """The suggested questions in the current language, wrapped to the panel's width."""
        for index, (_entry, korean, english) in enumerate(self._suggested):
            suggestion = self._suggestion_group.button(index)
            if suggestion is not None:
                self._set_wrapped(suggestion, english if self.language == "en" else korean)

    def _set_wrapped(self, button: QAbstractButton, text: str) -> None:
        button.ensurePolished()  # the theme's font size decides where the lines break
        room = max(self.width(), 400) - 4 * self.text_px
        button.setText(fit_lines(text, button.fontMetrics(), room))
        button.setAccessibleName(text)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relabel_suggestions()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange:  # the text size changed: lines break elsewhere
            self._relabel_suggestions()

    def _set_status(self, key: str) -> None:
        self._status_key = key
        self.status.setText(TEXTS[self.language][key])

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.input, self.ask_button, self.read_button):
            widget.setEnabled(enabled)

    # ----- worker callbacks (GUI thread, queued)
    @Slot(object)
    def _on_loaded(self, suggestions: list[tuple[str, str, str]]) -> None:
        self._suggested = list(suggestions)
        for index, (entry_id, korean, english) in enumerate(self._suggested):
            button = self._button("", f"chatSuggestion_{entry_id}", "choice")
            self._suggestion_group.addButton(button, index)
            # One column: a question in large text or in English needs the whole width.
            self._suggestion_grid.addWidget(button, index, 0)
            self._set_wrapped(button, english if self.language == "en" else korean)
        self._set_status("ready")
        self._set_enabled(True)
        self.assistantReady.emit()

    @Slot(str)
    def _on_failed(self, reason: str) -> None:
        self._set_status("failed")
        self.loadFailed.emit(reason)

    @Slot(object)
    def _on_answered(self, answer: ChatAnswer) -> None:
        english = self.language == "en"
        text = answer.answer_en if english else answer.answer_ko
        self._add(text, "answer")  # one language: never the other one's copy after it
        if answer.abstained:
            self.transcript.add("bot", f"(abstained: {answer.reason})")
            for alternative in answer.alternatives:  # "혹시 이 질문인가요?" — one tap, no retyping
                korean = alternative["question"]
                self._add_choice(alternative["id"], korean, alternative.get("question_en") or korean)
        else:
            self._add(source_line(answer.source or "", answer.effective, self.language), "hint")
            self.transcript.add("bot", f"[{answer.entry_id}] {answer.question}")
        self._last_line = answer.line
        self.handoff_button.setProperty("role", "primary" if answer.handoff_offered else "big")
        self.handoff_button.style().polish(self.handoff_button)
        self._last_spoken = text
        if self.voice_enabled:
            self.speakRequested.emit(text)
        self.answerShown.emit(answer)

    # ----- actions
    @Slot()
    def submit(self) -> None:
        question = self.input.text().strip()
        if not self.input.isEnabled():
            return
        self.input.clear()
        masked = mask_chat_text(question)
        if masked:
            self._add(masked, "question")
        self.transcript.add("visitor", question)  # Transcript masks again; raw text is never kept
        self._askRequested.emit(question)

    def ask(self, question: str) -> None:
        """Ask programmatically (the lobby's virtual keyboard or a test)."""
        self.input.setText(question)
        self.submit()

    def _suggestion_clicked(self, index: int) -> None:
        entry_id, korean, english = self._suggested[index]
        self._ask_entry(entry_id, english if self.language == "en" else korean)

    def _alternative_clicked(self, index: int) -> None:
        entry_id, korean, english = self._alternatives[index]
        self._ask_entry(entry_id, english if self.language == "en" else korean)

    def _ask_entry(self, entry_id: str, question: str) -> None:
        self._add(question, "question")
        self.transcript.add("visitor", question)
        self._entryRequested.emit(entry_id)

    @Slot()
    def request_handoff(self) -> None:
        self.handoffRequested.emit(self._last_line, self.transcript.text())

    def _read_again(self) -> None:
        if self._last_spoken:
            self.speakRequested.emit(self._last_spoken)

    def _add(self, text: str, role: str) -> None:
        label = _bubble(text, role, self._px(role))
        self._conversation_layout.insertWidget(self._conversation_layout.count() - 1, label)

    def _add_choice(self, entry_id: str, korean: str, english: str) -> None:
        question = english if self.language == "en" else korean
        text = TEXTS[self.language]["did_you_mean"].replace("%1", question)
        button = self._button(text, f"chatDidYouMean_{entry_id}", "choice")
        self._set_wrapped(button, text)
        self._alternative_group.addButton(button, len(self._alternatives))
        self._alternatives.append((entry_id, korean, english))
        self._conversation_layout.insertWidget(self._conversation_layout.count() - 1, button)

    def conversation_texts(self) -> list[str]:
        """What is on screen, oldest first (for tests and the staff view)."""
        out: list[str] = []
        for i in range(self._conversation_layout.count()):
            item = self._conversation_layout.itemAt(i)
            widget: Any = item.widget() if item is not None else None
            if isinstance(widget, QLabel):
                out.append(widget.text())
        return out

    # ----- lifecycle
    def reset(self) -> None:
        """Forget the conversation (idle wipe, next visitor)."""
        self.transcript.clear()
        self._last_line, self._last_spoken = "integrated", ""
        for button in self._alternative_group.buttons():
            self._alternative_group.removeButton(button)
        self._alternatives.clear()
        self.input.clear()
        while self._conversation_layout.count() > 1:
            item = self._conversation_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()

    def shutdown(self) -> None:
        """Stop the worker thread; call before the application quits (tests do it in teardown)."""
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait(10_000)

    def closeEvent(self, event: Any) -> None:
        self.shutdown()
        super().closeEvent(event)
