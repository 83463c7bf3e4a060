"""Welcome: consult first and biggest, then ticket only and the chatbot; language, text size, contrast,
voice and the low-reach mode."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout

from ui.lobby.screens.base import LobbyScreen

if TYPE_CHECKING:
    from ui.lobby.screens.host import LobbyHost
from ui.widgets.buttons import set_icon, set_label, touch_button

LANGUAGES = ("ko", "en")
TEXT_SIZES = ("normal", "large", "extra_large")


class WelcomeScreen(LobbyScreen):
    step = ""
    primary_first = True  # 상담 접수 시작 is why most people come: first and biggest

    def __init__(self, lobby: LobbyHost) -> None:
        super().__init__(lobby)
        self.greeting = QLabel()
        self.greeting.setWordWrap(True)
        self.greeting.setProperty("role", "title")
        self.greeting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.greeting)
        # What will happen, before anything is asked: people worry less when they see the whole way.
        self.steps = QFrame()
        self.steps.setProperty("role", "card")
        steps = QVBoxLayout(self.steps)
        self.steps_title = QLabel()
        self.steps_title.setStyleSheet("font-weight: bold;")
        steps.addWidget(self.steps_title)
        self.step_labels = [QLabel() for _ in range(5)]
        for label in self.step_labels:
            label.setWordWrap(True)
            label.setProperty("role", "lead")  # larger than body text: the screen has room for it
            steps.addWidget(label)
        self.help_hint = QLabel()
        self.help_hint.setWordWrap(True)
        self.help_hint.setProperty("role", "hint")
        steps.addWidget(self.help_hint)
        self.body.addWidget(self.steps)
        self.body.addStretch(1)
        # The other two ways in, smaller than the main action and after it in reading order.
        self.others_title = QLabel()
        self.others_title.setProperty("role", "hint")
        self.body.addWidget(self.others_title)
        others = QHBoxLayout()
        self.ticket_only = touch_button(role="secondary", name="TicketOnly")
        self.ticket_only.clicked.connect(self._ticket_only)
        others.addWidget(self.ticket_only)
        self.chat = touch_button(role="secondary", name="Chatbot")
        self.chat.clicked.connect(self._open_chat)
        others.addWidget(self.chat)
        self.body.addLayout(others)
        self.body.addStretch(1)

        self.settings_title = QLabel()
        self.settings_title.setProperty("role", "hint")
        self.body.addWidget(self.settings_title)
        grid = QGridLayout()
        self.lang_ko = touch_button("한국어", role="choice", name="LangKo", checkable=True)
        self.lang_en = touch_button("English", role="choice", name="LangEn", checkable=True)
        self._langs = QButtonGroup(self)
        for column, button in enumerate((self.lang_ko, self.lang_en)):
            self._langs.addButton(button, column)  # the id is the index in LANGUAGES
            grid.addWidget(button, 0, column)
        self._langs.idClicked.connect(self._set_language)
        # Low reach: every control of every screen moves into the bottom half (wheelchair users).
        self.low_reach = touch_button(role="choice", name="LowReach", checkable=True)
        self.low_reach.toggled.connect(self._set_low_reach)
        grid.addWidget(self.low_reach, 0, 2)
        self.size_buttons = {
            "normal": touch_button(role="choice", name="TextNormal", checkable=True),
            "large": touch_button(role="choice", name="TextLarge", checkable=True),
            "extra_large": touch_button(role="choice", name="TextExtraLarge", checkable=True),
        }
        self._sizes = QButtonGroup(self)
        for column, button in enumerate(self.size_buttons.values()):
            self._sizes.addButton(button, column)  # the id is the index in TEXT_SIZES
            grid.addWidget(button, 1, column)
        self._sizes.idClicked.connect(self._size_clicked)
        self.contrast = touch_button(role="choice", name="HighContrast", checkable=True)
        self.contrast.toggled.connect(self._set_contrast)
        grid.addWidget(self.contrast, 2, 0)
        self.voice = touch_button(role="choice", name="VoiceOn", checkable=True)
        self.voice.toggled.connect(self._set_voice)
        grid.addWidget(self.voice, 2, 1)
        self.slower = touch_button(role="choice", name="VoiceSlower", checkable=True)
        self.slower.toggled.connect(self._set_slower)
        grid.addWidget(self.slower, 2, 2)
        self.body.addLayout(grid)
        lobby.lookChanged.connect(self.enter)  # the buttons always show the look in force
        self.retranslate()

    def _default_rate(self) -> int:
        return int(self.lobby.services.settings.lobby.voice_rate_wpm)

    def _set_size(self, size: str) -> None:
        self.lobby.set_text_size(size)

    def _size_clicked(self, index: int) -> None:
        self._set_size(TEXT_SIZES[index])

    def _set_language(self, index: int) -> None:
        self.lobby.set_language(LANGUAGES[index])

    def _set_contrast(self, on: bool) -> None:
        self.lobby.set_theme("high_contrast" if on else "default")

    def _set_slower(self, on: bool) -> None:
        self.lobby.voice.set_rate(110 if on else self._default_rate())

    def _set_low_reach(self, on: bool) -> None:
        self.lobby.set_low_reach(on)

    def _ticket_only(self) -> None:
        self.lobby_start("ticket_only")

    def _open_chat(self) -> None:
        self.lobby.go("chat")

    def _set_voice(self, on: bool) -> None:
        self.lobby.voice.set_enabled(on)
        if on:
            self.lobby.voice.say(self.voice_text())

    def lobby_start(self, path: str) -> None:
        from ui.lobby.flow import start_visit

        start_visit(self.lobby, path)

    # -- LobbyScreen ------------------------------------------------------------------------------------
    def title(self) -> str:
        return self.tr("어서 오세요. 무엇을 도와드릴까요?")

    def voice_text(self) -> str:
        return self.tr(
            "어서 오세요. 상담을 받으시려면 가장 큰 버튼, 상담 접수 시작을 눌러 주세요. "
            "번호표만 받으실 수도 있어요."
        )

    def primary_text(self) -> str:
        return self.tr("상담 접수 시작")

    def on_primary(self) -> None:
        self.lobby_start("consult")

    def enter(self) -> None:
        # Reflect the current look (it is reset by the wipe) without re-triggering it.
        lobby = self.lobby
        for button, on in (
            (self.lang_ko, lobby.language.language == "ko"),
            (self.lang_en, lobby.language.language == "en"),
            (self.contrast, lobby.theme_name == "high_contrast"),
            (self.voice, lobby.voice.enabled),
            (self.slower, lobby.voice.rate_wpm < self._default_rate()),
            (self.low_reach, lobby.low_reach),
        ):
            button.blockSignals(True)
            button.setChecked(on)
            button.blockSignals(False)
        self.size_buttons[lobby.text_size].setChecked(True)
        self.chat.setVisible(lobby.has_screen("chat"))
        # Low reach leaves this screen half the glass: its controls need it more than the overview
        # (the progress dots show the same steps during the visit).
        self.steps.setVisible(not lobby.low_reach)
        self.greeting.setVisible(not lobby.low_reach)

    def wipe(self) -> None:
        self.enter()

    def retranslate(self) -> None:
        self.greeting.setText(self.tr("신분증만 있으면 돼요.\n천천히 하셔도 괜찮아요."))
        self.steps_title.setText(self.tr("상담 접수는 이렇게 진행돼요 (약 5분)"))
        for label, text in zip(
            self.step_labels,
            (
                self.tr("① 신분증으로 본인 확인"),
                self.tr("② 개인정보 동의와 서명"),
                self.tr("③ 몇 가지 질문 (소득, 빚 등)"),
                self.tr("④ 받을 수 있는 도움 확인"),
                self.tr("⑤ 번호표 받고 창구에서 상담"),
            ),
            strict=True,
        ):
            label.setText(text)
        self.help_hint.setText(self.tr("모르는 것은 언제든 아래 '직원 호출'을 눌러 주세요."))
        self.others_title.setText(self.tr("다른 일로 오셨나요?"))
        set_label(self.ticket_only, self.tr("번호표만 받기"))
        set_label(self.chat, self.tr("궁금한 것 물어보기 (챗봇)"))
        set_label(self.low_reach, self.tr("낮은 화면"))
        self.low_reach.setAccessibleDescription(
            self.tr("휠체어에서도 닿도록 모든 버튼을 화면 아래쪽에 모아요")
        )
        self.settings_title.setText(self.tr("화면과 소리 설정"))
        set_label(self.size_buttons["normal"], self.tr("글자 보통"))
        set_label(self.size_buttons["large"], self.tr("글자 크게"))
        set_label(self.size_buttons["extra_large"], self.tr("글자 아주 크게"))
        set_label(self.contrast, self.tr("고대비 화면"))
        set_label(self.voice, self.tr("음성 안내"))
        set_label(self.slower, self.tr("천천히 말하기"))
        self.lang_ko.setAccessibleName("한국어 (Korean)")
        self.lang_en.setAccessibleName("English (영어)")
        px = self.lobby.sizes.body
        set_icon(self.ticket_only, "mdi6.ticket-outline", self.lobby.icon_colour(), px * 2)
        set_icon(self.chat, "mdi6.chat-question-outline", self.lobby.icon_colour(), px * 2)
