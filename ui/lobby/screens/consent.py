"""Consent: every legally separate item with its whole text, agreed or refused on its own, read aloud;
then a signature on the pad or on the screen, bound to the SHA-256 of the texts shown — or, for someone
who cannot sign, a code sent to their phone by SMS (``consent_sms_option``, ``consent_sms``), recorded
as method "sms".

One big "필수 항목에 모두 동의해요" agrees to every *required* item at once, each still shown, read aloud and
recorded on its own; an optional item stays not agreed (recorded refused) unless its "동의해요" is tapped."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.client.signatures import signature_payload
from ui.lobby.flow import run_step
from ui.lobby.screens.base import LobbyScreen
from ui.lobby.screens.consent_card import ConsentItemCard
from ui.lobby.screens.consent_sms_option import SmsConsentOption
from ui.widgets.buttons import set_label, touch_button

if TYPE_CHECKING:
    from kiosk.visit.flow import VisitFlow
    from ui.lobby.screens.host import LobbyHost
    from ui.lobby.sms_consent_link import CodeConfirmed

log = logging.getLogger(__name__)


class ConsentScreen(LobbyScreen):
    step = "consent"

    def __init__(self, lobby: LobbyHost) -> None:
        super().__init__(lobby)
        from config.consent import consent_set

        self.consents = consent_set()
        self.mode = "items"  # items | sign | sms
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.body.addWidget(self.intro)
        self.list_area = QScrollArea()
        self.list_area.setWidgetResizable(True)
        self.list_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget()
        column = QVBoxLayout(holder)
        self.cards = [ConsentItemCard(item, self) for item in self.consents.items]
        for card in self.cards:
            column.addWidget(card)
        self.list_area.setWidget(holder)
        self.body.addWidget(self.list_area, 1)
        # Below the texts, within reach: every required item agreed in one tap (never the optional ones).
        self.agree_required = touch_button(role="big", name="AgreeRequired", checkable=True)
        self.agree_required.clicked.connect(self.agree_all_required)
        self.body.addWidget(self.agree_required)

        self.sign_page = QWidget()
        sign = QVBoxLayout(self.sign_page)
        self.sign_caption = QLabel()
        self.sign_caption.setWordWrap(True)
        self.sign_caption.setProperty("role", "hint")
        sign.addWidget(self.sign_caption)
        self.sign_status = QLabel()
        self.sign_status.setWordWrap(True)
        self.sign_status.setProperty("role", "guidance")
        self.sign_status.hide()
        sign.addWidget(self.sign_status)
        # Two ways to sign: the serial pad (its ink mirrored here) or a finger on the screen.
        from ui.widgets.signature_canvas import SignatureCanvas

        self.method_row = QHBoxLayout()
        self.use_pad = touch_button(role="choice", name="SignOnPad", checkable=True)
        self.use_screen = touch_button(role="choice", name="SignOnScreen", checkable=True)
        self._methods = QButtonGroup(self)
        for button in (self.use_pad, self.use_screen):
            self._methods.addButton(button)
            self.method_row.addWidget(button)
        self.use_pad.clicked.connect(self._use_pad)
        self.use_screen.clicked.connect(self._use_screen)
        sign.addLayout(self.method_row)
        self.canvases = QStackedWidget()
        dpi = lobby.services.settings.lobby.screen_dpi
        self.canvas = SignatureCanvas(dpi=dpi)
        self.canvas.setObjectName("SignatureCanvas")
        self.canvas.strokeChanged.connect(self.chromeChanged)
        self.canvases.addWidget(self.canvas)
        self.pad_adapter: Any = None
        self.pad_canvas: Any = None
        if lobby.services.pad is not None:
            from ui.adapters.signature_pad_adapter import SignaturePadAdapter

            self.pad_adapter = SignaturePadAdapter(lobby.services.pad, self)
            self.pad_adapter.error.connect(self._pad_error)
            self.pad_adapter.refused.connect(self._refused)
            self.pad_adapter.recordReady.connect(self._signed)
            self.pad_canvas = SignatureCanvas(dpi=dpi)
            self.pad_canvas.setObjectName("PadMirror")
            # The pad's ink is mirrored by polling the pad's own point list on a GUI timer rather than
            # through the adapter's per-point Signal(object): keeping objects that crossed threads in
            # a queued PySide 6.12 signal crashes the interpreter at exit (none_dealloc).
            self.pad_canvas.surface.input_enabled = False
            self._mirror_timer = QTimer(self)
            self._mirror_timer.setInterval(33)
            self._mirror_timer.timeout.connect(self._mirror_pad)
            self._mirrored = 0
            self.canvases.addWidget(self.pad_canvas)
        self.canvases.setMinimumHeight(lobby.metrics.px(70))
        sign.addWidget(self.canvases, 1)
        self.method = "pad" if self.pad_adapter is not None else "screen"
        self.use_pad.setVisible(self.pad_adapter is not None)
        self.use_screen.setVisible(self.pad_adapter is not None)
        self.redo = touch_button(role="secondary", name="SignRedo")
        self.redo.clicked.connect(self._redo_clicked)
        sign.addWidget(self.redo)
        self.sign_page.hide()
        self.body.addWidget(self.sign_page, 1)
        # For someone who cannot sign: a code by SMS (offered only when the hub sends SMS).
        self.sms = SmsConsentOption(self, sign, self.body)
        self._pad_points = 0
        self.retranslate()

    # -- decisions -------------------------------------------------------------------------------------
    def decide(self, item_id: str, agreed: bool) -> None:
        self.lobby.draft.consents[item_id] = agreed
        self._sync_agree_required()
        self.chromeChanged.emit()

    def agree_all_required(self) -> None:
        """Agree to every required item, each recorded on its own; optional items are left as they are."""
        consents = self.lobby.draft.consents
        for card in self.cards:
            if card.item.required:
                card.agree.setChecked(True)
                consents[card.item.id] = True
        self._sync_agree_required()
        self.chromeChanged.emit()
        said = self._t(
            "필수 항목에 모두 동의했어요. 이제 '%1'를 눌러 주세요.",
            "All required items agreed. Now press '%1'.",
        )
        self.lobby.voice.say(said.replace("%1", self.primary_text()))

    def _sync_agree_required(self) -> None:
        """The big button shows, checked, that every required item is agreed (by it or card by card)."""
        done = self._all_required()
        self.agree_required.setChecked(done)
        set_label(
            self.agree_required,
            self._t("필수 항목에 모두 동의했어요", "All required items agreed")
            if done
            else self._t("필수 항목에 모두 동의해요", "I agree to all required items"),
        )

    def _t(self, ko: str, en: str) -> str:
        """This screen's newer words, in the screen's language."""
        return en if self.lobby.language.language == "en" else ko

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
        self.list_area.hide()
        self.agree_required.hide()
        self.sign_page.show()
        self._set_method(self.method)
        self.sms.offer()
        self.chromeChanged.emit()
        self.lobby.voice.say(self.sign_caption.text())

    def _use_pad(self) -> None:
        self._set_method("pad")

    def _use_screen(self) -> None:
        self._set_method("screen")

    def _redo_clicked(self) -> None:
        self._redo()

    def _set_method(self, method: str) -> None:
        self.method = method
        (self.use_pad if method == "pad" else self.use_screen).setChecked(True)
        sha = self.consents.sha256
        self._pad_points = 0
        # The screen canvas has its own "지우고 다시 쓰기"; the pad needs ours to clear the device too.
        self.redo.setVisible(method == "pad" and self.pad_adapter is not None)
        if method == "pad" and self.pad_adapter is not None:
            self.canvases.setCurrentWidget(self.pad_canvas)
            self.pad_canvas.begin(sha, "consent")
            self._mirrored = 0
            self._mirror_timer.start()
            self.pad_adapter.begin(sha, "consent")  # opens the port off the GUI thread
        else:
            if self.pad_adapter is not None:
                self._mirror_timer.stop()
            self.canvases.setCurrentWidget(self.canvas)
            self.canvas.begin(sha, "consent")
        self.chromeChanged.emit()

    def _mirror_pad(self) -> None:
        pad = self.lobby.services.pad
        if pad is None:  # the mirror timer only runs when a pad is configured
            return
        points = pad.points  # a copy, taken under the pad's lock
        if len(points) < self._mirrored:  # cleared meanwhile
            self.pad_canvas.surface.reset()
            self._mirrored = 0
        resolution = pad.geometry.resolution
        for point in points[self._mirrored :]:
            self.pad_canvas.surface.add_mirror(point, resolution, point.pen_down)
        self._mirrored = len(points)
        had = self._pad_points > 0
        self._pad_points = len(points)
        if had != (self._pad_points > 0):
            self.chromeChanged.emit()

    def _pad_error(self, _code: str, message_ko: str) -> None:
        # An unplugged or silent pad: say so calmly and switch to the screen, nothing is lost.
        self.lobby.show_notice(
            (message_ko or self.tr("서명 패드에 문제가 있어요."))
            + " "
            + self.tr("화면에 손가락으로 서명해 주세요."),
            kind="error",
        )
        if self.mode == "sign":
            self._set_method("screen")

    def _refused(self, _code: str, message_ko: str) -> None:
        text = message_ko or self.tr("다시 서명해 주세요.")
        self.sign_status.setText(text)
        self.sign_status.show()
        self.lobby.voice.say(text)
        self._redo(keep_status=True)

    def _redo(self, keep_status: bool = False) -> None:
        self.canvas.clear()
        if self.pad_canvas is not None:
            self.pad_canvas.clear()
            self._mirrored = 0
        if self.pad_adapter is not None and self.mode == "sign" and self.method == "pad":
            self.pad_adapter.clear()
        self._pad_points = 0
        if not keep_status:
            self.sign_status.hide()
        self.chromeChanged.emit()

    def _has_signature(self) -> bool:
        if self.method == "pad" and self.pad_adapter is not None:
            return self._pad_points > 0
        return len(self.canvas.points) > 0

    def _signed(self, record: Any) -> None:
        """A sealed SignatureRecord (from the pad's worker or the screen): record consent, move on."""
        if self.mode != "sign":
            return
        draft = self.lobby.draft
        draft.signature = record
        chosen = draft.consents
        # Every item shown, each on its own: an optional item never tapped is recorded as refused.
        granted = {item.id: chosen.get(item.id) is True for item in self.consents.items}
        version, sha = self.consents.version, self.consents.sha256

        sessions = self.lobby.services.sessions

        def complete(flow: VisitFlow) -> None:
            signature_id = None
            if sessions is not None:
                from kiosk.signatures import save_signature

                with sessions.begin() as session:
                    signature_id = save_signature(session, record, flow.visit_id)
            # The signature as it goes to the hub, made once from the captured record (never read back).
            signature = signature_payload(record) if signature_id is not None else None
            return flow.complete_consent(granted, version, sha, signature_id, signature=signature)

        run_step(self.lobby, complete, name="consent")
        self.lobby.go("needs")

    # -- consent by SMS code (ui.lobby.screens.consent_sms) ---------------------------------------------
    def _granted(self) -> dict[str, bool]:
        # Every item shown, each on its own: an optional item never tapped is recorded as refused.
        chosen = self.lobby.draft.consents
        return {item.id: chosen.get(item.id) is True for item in self.consents.items}

    def consent_for_sms(self) -> tuple[str, str, dict[str, bool]]:
        return self.consents.version, self.consents.sha256, self._granted()

    def sign_guidance(self) -> str:
        return self.sign_caption.text()

    def show_sms_page(self, page: QWidget) -> None:
        self._redo()  # no half signature stays behind on the pad or the screen
        if self.pad_adapter is not None:
            self._mirror_timer.stop()
        self.mode = "sms"
        self.sign_page.hide()
        page.show()
        self.chromeChanged.emit()

    def leave_sms(self) -> None:
        """Back from the SMS page to the signature page (이전, or the hub cannot send SMS)."""
        if self.mode != "sms":
            return
        self.sms.close()
        self._show_sign()

    def sms_agreed(self, done: CodeConfirmed) -> None:
        """The hub confirmed the code: record the consent with the challenge, move on as a signature does."""
        if self.mode != "sms":
            return
        granted = self._granted()
        version, sha = self.consents.version, self.consents.sha256
        challenge_id = done.challenge_id

        def complete(flow: VisitFlow) -> None:
            return flow.consent_by_sms(granted, version, sha, challenge_id)

        run_step(self.lobby, complete, name="consent")
        self.lobby.go("needs")

    # -- LobbyScreen ------------------------------------------------------------------------------------
    def title(self) -> str:
        if self.mode == "sms":
            return self.sms.page.title()
        if self.mode == "sign":
            return self.tr("서명해 주세요")
        return self.tr("개인정보 동의를 받을게요")

    def voice_text(self) -> str:
        if self.mode == "sms":
            return self.sms.page.voice_text()
        return (
            self.tr(
                "동의할 내용이 항목마다 따로 있어요. 항목을 읽어 보시고, 동의해요 또는 동의하지 않아요를 "
                "눌러 주세요. 읽어 주기를 누르면 소리로 들을 수 있어요."
            )
            + " "
            + self._t(
                "필수 항목에 한 번에 동의하시려면 '필수 항목에 모두 동의해요'를 눌러 주세요.",
                "To agree to every required item at once, press 'I agree to all required items'.",
            )
        )

    def primary_text(self) -> str:
        if self.mode == "sms":
            return self.sms.page.primary_text()
        return self.tr("서명 완료") if self.mode == "sign" else self.tr("서명하러 가기")

    def primary_enabled(self) -> bool:
        if self.mode == "sms":
            return self.sms.page.primary_enabled()
        return self._has_signature() if self.mode == "sign" else self._all_required()

    def on_primary(self) -> None:
        if self.mode == "sms":
            page = self.sms.page
            if page.step == "code":
                page.confirm()
            else:
                page.send()
            return
        if self.mode == "items":
            self._show_sign()
            return
        if self.method == "pad" and self.pad_adapter is not None:
            self.pad_adapter.finish()  # recordReady or refused comes back as a signal
            return
        try:
            record = self.canvas.finish()
        except Exception as exc:  # SignatureRefused: a dot or a scribble too short
            self._refused(getattr(exc, "code", ""), getattr(exc, "message_ko", ""))
            return
        self._signed(record)

    def handle_back(self) -> bool:
        if self.mode == "sms":
            if not self.sms.page.back():
                self.leave_sms()
            return True
        if self.mode != "sign":
            return False
        self.leave()
        return True

    def enter(self) -> None:
        self._sync_agree_required()
        if self.mode == "items":
            self.list_area.verticalScrollBar().setValue(0)

    def leave(self) -> None:
        if self.mode == "sms":
            self.sms.close()
            self.mode = "sign"
        if self.mode == "sign":
            self.mode = "items"
            self.sign_page.hide()
            self.sms.button.hide()
            self.intro.show()
            self.list_area.show()
            self.agree_required.show()

    def wipe(self) -> None:
        self.sms.close()  # the number and the code typed, and the challenge, are forgotten
        for card in self.cards:
            card.clear()
        self._redo()
        self.sign_status.clear()
        self.leave()
        self.method = "pad" if self.pad_adapter is not None else "screen"
        self._sync_agree_required()

    def retranslate(self) -> None:
        english = self.lobby.language.language == "en"
        self.intro.setText(
            self.tr("항목마다 따로 동의를 받아요. [필수] 항목에 동의해야 상담을 받을 수 있어요.")
            + " "
            + self._t(
                "[선택] 항목은 누르지 않으면 동의하지 않은 것으로 해요.",
                "An [Optional] item you do not tap stays not agreed.",
            )
        )
        self._sync_agree_required()
        words = (self.tr("동의해요"), self.tr("동의하지 않아요"), self.tr("읽어 주기"))
        for card in self.cards:
            card.set_words(self.tr("[필수]") if card.item.required else self.tr("[선택]"), english, *words)
        self.sign_caption.setText(
            self.tr(
                "위에서 동의한 내용(개인정보 동의서)에 서명해 주세요. 서명 패드나 화면 아래 칸에 하시면 돼요."
            )
        )
        set_label(self.redo, self.tr("다시 쓰기"))
        set_label(self.use_pad, self.tr("서명 패드에 쓰기"))
        set_label(self.use_screen, self.tr("화면에 손가락으로 쓰기"))
        caption = self.tr("개인정보 동의서 (%1)에 서명해요").replace("%1", self.consents.version)
        self.canvas.set_caption(caption)
        if self.pad_canvas is not None:
            self.pad_canvas.set_caption(caption)
        self.sms.retranslate()

    def shutdown(self) -> None:
        if self.pad_adapter is not None:
            # Disconnect before the objects go, so nothing reaches a half-destroyed screen.
            self._mirror_timer.stop()
            for signal, slot in (
                (self.pad_adapter.error, self._pad_error),
                (self.pad_adapter.refused, self._refused),
                (self.pad_adapter.recordReady, self._signed),
            ):
                try:
                    signal.disconnect(slot)
                except (RuntimeError, TypeError):
                    pass
            self.pad_adapter.close()
            self.pad_adapter = None
