"""Consent: every legally separate item with its whole text, agreed or refused on its own, read aloud;
then a signature on the pad or on the screen, bound to the SHA-256 of the texts shown."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from ui.lobby.flow import run_step
from ui.lobby.screens.base import LobbyScreen
from ui.widgets.buttons import set_label, touch_button

if TYPE_CHECKING:
    from ui.lobby.window import LobbyWindow

log = logging.getLogger(__name__)


class ConsentItemCard(QFrame):
    """One item: title with 필수/선택, the full text, 동의해요 / 동의하지 않아요, 읽어 주기."""

    def __init__(self, item: Any, screen: ConsentScreen) -> None:
        super().__init__()
        self.item = item
        self.setProperty("role", "card")
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.heading)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        layout.addWidget(self.text)
        row = QHBoxLayout()
        self.agree = touch_button(role="choice", name=f"Agree_{item.id}", checkable=True)
        self.refuse = touch_button(role="choice", name=f"Refuse_{item.id}", checkable=True)
        self.read = touch_button(role="secondary", name=f"Read_{item.id}")
        self.group = QButtonGroup(self)
        self.group.addButton(self.agree)
        self.group.addButton(self.refuse)
        for button in (self.agree, self.refuse, self.read):
            row.addWidget(button)
        layout.addLayout(row)
        self.agree.clicked.connect(lambda: screen.decide(item.id, True))
        self.refuse.clicked.connect(lambda: screen.decide(item.id, False))
        self.read.clicked.connect(lambda: screen.read_aloud(item))

    def clear(self) -> None:
        self.group.setExclusive(False)
        self.agree.setChecked(False)
        self.refuse.setChecked(False)
        self.group.setExclusive(True)


class ConsentScreen(LobbyScreen):
    step = "consent"

    def __init__(self, lobby: LobbyWindow) -> None:
        super().__init__(lobby)
        from config.consent import consent_set

        self.consents = consent_set()
        self.mode = "items"  # items | sign
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.body.addWidget(self.intro)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget()
        column = QVBoxLayout(holder)
        self.cards = [ConsentItemCard(item, self) for item in self.consents.items]
        for card in self.cards:
            column.addWidget(card)
        self.scroll.setWidget(holder)
        self.body.addWidget(self.scroll, 1)

        self.sign_page = QWidget()
        sign = QVBoxLayout(self.sign_page)
        self.sign_caption = QLabel()
        self.sign_caption.setWordWrap(True)
        self.sign_caption.setProperty("role", "title")
        sign.addWidget(self.sign_caption)
        self.sign_status = QLabel()
        self.sign_status.setWordWrap(True)
        self.sign_status.setProperty("role", "guidance")
        sign.addWidget(self.sign_status)
        self.canvas: Any = None
        try:
            from ui.widgets.signature_canvas import SignatureCanvas
        except ImportError:  # the on-screen canvas belongs to the signature area; the pad still works
            SignatureCanvas = None
        if SignatureCanvas is not None:
            self.canvas = SignatureCanvas()
            self.canvas.setObjectName("SignatureCanvas")
            self.canvas.setMinimumHeight(lobby.metrics.px(60))
            self.canvas.strokeChanged.connect(self.chromeChanged)
            sign.addWidget(self.canvas, 1)
        self.pad_adapter: Any = None
        if lobby.services.pad is not None:
            from ui.adapters.signature_pad_adapter import SignaturePadAdapter

            self.pad_adapter = SignaturePadAdapter(lobby.services.pad, self)
            for name in ("point", "pointAdded"):
                signal = getattr(self.pad_adapter, name, None)
                if signal is not None:
                    signal.connect(self._pad_point)
                    break
            error = getattr(self.pad_adapter, "error", None) or getattr(self.pad_adapter, "failed", None)
            if error is not None:
                error.connect(self._pad_error)
        self.redo = touch_button(role="secondary", name="SignRedo")
        self.redo.clicked.connect(self._redo)
        sign.addWidget(self.redo)
        self.sign_page.hide()
        self.body.addWidget(self.sign_page, 1)
        self._pad_points = 0
        self.retranslate()

    # -- decisions -------------------------------------------------------------------------------------
    def decide(self, item_id: str, agreed: bool) -> None:
        self.lobby.draft.consents[item_id] = agreed
        self.chromeChanged.emit()

    def read_aloud(self, item: Any) -> None:
        english = self.lobby.language.language == "en"
        title, text = (item.title_en, item.text_en) if english else (item.title_ko, item.text_ko)
        self.lobby.voice.say(f"{title}. {text}")
        if not self.lobby.voice.enabled:
            self.lobby.voice.replay()  # the visitor asked for this item even with voice off

    def _all_required(self) -> bool:
        chosen = self.lobby.draft.consents
        return all(chosen.get(item_id) is True for item_id in self.consents.required_ids())

    # -- signature -------------------------------------------------------------------------------------
    def _show_sign(self) -> None:
        self.mode = "sign"
        self.intro.hide()
        self.scroll.hide()
        self.sign_page.show()
        sha = self.consents.sha256
        if self.canvas is not None:
            self.canvas.begin(sha, "consent")
        if self.pad_adapter is not None:
            self._pad_points = 0
            start = getattr(self.pad_adapter, "start_capture", None) or getattr(
                self.pad_adapter, "start", None
            )
            if start is not None:
                start(sha, "consent")
        self.chromeChanged.emit()
        self.lobby.voice.say(self.sign_caption.text())

    def _pad_point(self, *_args: object) -> None:
        self._pad_points += 1
        if self._pad_points == 1:
            self.chromeChanged.emit()
        if self.canvas is not None and hasattr(self.canvas, "add_point") and _args:
            self.canvas.add_point(_args[0])

    def _pad_error(self, code: str, message_ko: str = "") -> None:
        self.lobby.show_notice(
            (message_ko or self.tr("서명 패드에 문제가 있어요."))
            + " "
            + self.tr("화면에 손가락으로 서명하셔도 돼요."),
            kind="error",
        )

    def _redo(self) -> None:
        if self.canvas is not None:
            self.canvas.clear()
        if self.pad_adapter is not None and hasattr(self.pad_adapter, "clear"):
            self.pad_adapter.clear()
        self._pad_points = 0
        self.sign_status.hide()
        self.chromeChanged.emit()

    def _has_signature(self) -> bool:
        canvas_has = self.canvas is not None and bool(getattr(self.canvas, "has_strokes", lambda: False)())
        return canvas_has or self._pad_points > 0

    def _finish_signature(self) -> Any:
        """A SignatureRecord from the pad if it was used, else from the screen; None if refused."""
        try:
            if self._pad_points > 0 and self.pad_adapter is not None:
                return self.pad_adapter.finish()
            if self.canvas is not None:
                return self.canvas.finish()
        except Exception as exc:  # SignatureRefused: a dot or a scribble too short
            text = getattr(exc, "message_ko", "") or self.tr("다시 서명해 주세요.")
            self.sign_status.setText(text)
            self.sign_status.show()
            self.lobby.voice.say(text)
            self._redo()
            self.sign_status.show()
        return None

    # -- LobbyScreen ------------------------------------------------------------------------------------
    def title(self) -> str:
        if self.mode == "sign":
            return self.tr("서명해 주세요")
        return self.tr("개인정보 동의를 받을게요")

    def voice_text(self) -> str:
        return self.tr(
            "동의할 내용이 항목마다 따로 있어요. 항목을 읽어 보시고, 동의해요 또는 동의하지 않아요를 "
            "눌러 주세요. 읽어 주기를 누르면 소리로 들을 수 있어요."
        )

    def primary_text(self) -> str:
        return self.tr("서명 완료") if self.mode == "sign" else self.tr("서명하러 가기")

    def primary_enabled(self) -> bool:
        return self._has_signature() if self.mode == "sign" else self._all_required()

    def on_primary(self) -> None:
        if self.mode == "items":
            self._show_sign()
            return
        record = self._finish_signature()
        if record is None:
            return
        draft = self.lobby.draft
        draft.signature = record
        granted = dict(draft.consents)
        version, sha = self.consents.version, self.consents.sha256

        def complete(flow: Any) -> Any:
            signature_id = None
            store = getattr(flow, "store_signature", None)
            if callable(store):
                signature_id = store(record)
            return flow.complete_consent(granted, version, sha, signature_id)

        run_step(self.lobby, complete, name="consent")
        self.lobby.go("needs")

    def handle_back(self) -> bool:
        if self.mode != "sign":
            return False
        self.leave()
        return True

    def enter(self) -> None:
        if self.mode == "items":
            self.scroll.verticalScrollBar().setValue(0)

    def leave(self) -> None:
        if self.mode == "sign":
            self.mode = "items"
            self.sign_page.hide()
            self.intro.show()
            self.scroll.show()

    def wipe(self) -> None:
        for card in self.cards:
            card.clear()
        self._redo()
        self.sign_status.clear()
        self.leave()

    def retranslate(self) -> None:
        english = self.lobby.language.language == "en"
        self.intro.setText(
            self.tr("항목마다 따로 동의를 받아요. [필수] 항목에 동의해야 상담을 받을 수 있어요.")
        )
        for card in self.cards:
            item = card.item
            tag = self.tr("[필수]") if item.required else self.tr("[선택]")
            title = item.title_en if english else item.title_ko
            for suffix in ("(선택)", "(필수)", "(optional)", "(required)"):
                title = title.replace(suffix, "").strip()  # the tag in front already says it
            card.heading.setText(f"{tag} {title}")
            card.text.setText(item.text_en if english else item.text_ko)
            set_label(card.agree, self.tr("동의해요"))
            set_label(card.refuse, self.tr("동의하지 않아요"))
            set_label(card.read, self.tr("읽어 주기"))
            card.agree.setAccessibleName(self.tr("동의해요") + ": " + card.heading.text())
            card.refuse.setAccessibleName(self.tr("동의하지 않아요") + ": " + card.heading.text())
        self.sign_caption.setText(
            self.tr(
                "위에서 동의한 내용(개인정보 동의서)에 서명해 주세요. 서명 패드나 화면 아래 칸에 하시면 돼요."
            )
        )
        set_label(self.redo, self.tr("다시 쓰기"))

    def shutdown(self) -> None:
        if self.pad_adapter is not None and hasattr(self.pad_adapter, "stop"):
            self.pad_adapter.stop()
