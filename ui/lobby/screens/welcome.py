"""Welcome: consult (primary), ticket only, chatbot; language, text size, contrast and voice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QFrame, QGridLayout, QLabel, QVBoxLayout

from ui.lobby.screens.base import LobbyScreen

if TYPE_CHECKING:
    from ui.lobby.screens.host import LobbyHost
from ui.widgets.buttons import set_icon, set_label, touch_button


class WelcomeScreen(LobbyScreen):
    step = ""

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
            steps.addWidget(label)
        self.help_hint = QLabel()
        self.help_hint.setWordWrap(True)
        self.help_hint.setProperty("role", "hint")
        steps.addWidget(self.help_hint)
        self.body.addWidget(self.steps)
        self.ticket_only = touch_button(role="big", name="TicketOnly")
        self.ticket_only.clicked.connect(lambda: self.lobby_start("ticket_only"))
        self.body.addWidget(self.ticket_only)
        self.chat = touch_button(role="big", name="Chatbot")
        self.chat.clicked.connect(lambda: self.lobby.go("chat"))
        self.body.addWidget(self.chat)
        self.body.addStretch(1)

        self.settings_title = QLabel()
        self.settings_title.setProperty("role", "hint")
        self.body.addWidget(self.settings_title)
        grid = QGridLayout()
        self.lang_ko = touch_button("한국어", role="choice", name="LangKo", checkable=True)
        self.lang_en = touch_button("English", role="choice", name="LangEn", checkable=True)
        self._langs = QButtonGroup(self)
        for column, (button, code) in enumerate(((self.lang_ko, "ko"), (self.lang_en, "en"))):
            self._langs.addButton(button)
            button.clicked.connect(lambda _=False, c=code: self.lobby.set_language(c))
            grid.addWidget(button, 0, column)
        self.size_buttons = {
            "normal": touch_button(role="choice", name="TextNormal", checkable=True),
            "large": touch_button(role="choice", name="TextLarge", checkable=True),
            "extra_large": touch_button(role="choice", name="TextExtraLarge", checkable=True),
        }
        self._sizes = QButtonGroup(self)
        for column, (size, button) in enumerate(self.size_buttons.items()):
            self._sizes.addButton(button)
            button.clicked.connect(lambda _=False, s=size: self._set_size(s))
            grid.addWidget(button, 1, column)
        self.contrast = touch_button(role="choice", name="HighContrast", checkable=True)
        self.contrast.toggled.connect(lambda on: self.lobby.set_theme("high_contrast" if on else "default"))
        grid.addWidget(self.contrast, 2, 0)
        self.voice = touch_button(role="choice", name="VoiceOn", checkable=True)
        self.voice.toggled.connect(self._set_voice)
        grid.addWidget(self.voice, 2, 1)
        self.slower = touch_button(role="choice", name="VoiceSlower", checkable=True)
        self.slower.toggled.connect(lambda on: self.lobby.voice.set_rate(110 if on else self._default_rate()))
        grid.addWidget(self.slower, 2, 2)
        self.body.addLayout(grid)
        lobby.lookChanged.connect(self.enter)  # the buttons always show the look in force
        self.retranslate()

    def _default_rate(self) -> int:
        return int(self.lobby.services.settings.lobby.voice_rate_wpm)

    def _set_size(self, size: str) -> None:
        self.lobby.set_text_size(size)

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
            "어서 오세요. 상담을 받으시려면 아래의 상담 접수 시작 버튼을 눌러 주세요. "
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
        ):
            button.blockSignals(True)
            button.setChecked(on)
            button.blockSignals(False)
        self.size_buttons[lobby.text_size].setChecked(True)
        self.chat.setVisible(lobby.has_screen("chat"))

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
        set_label(self.ticket_only, self.tr("번호표만 받기"))
        set_label(self.chat, self.tr("궁금한 것 물어보기 (챗봇)"))
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
