"""The "문자 인증으로 동의하기" option of the consent screen: the button on the signature page, whether it is
offered (the hub link reachable and the hub sending SMS, asked on the worker thread), and the page it
opens (``ui.lobby.screens.consent_sms.SmsConsentPage``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.lobby.screens.consent_sms import SmsConsentPage
from ui.lobby.sms_consent_link import CodeConfirmed, SmsConsentLink
from ui.widgets.buttons import set_label, touch_button

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from ui.lobby.screens.host import LobbyHost


class ConsentHost(Protocol):
    """What the SMS option needs of the consent screen that holds it."""

    lobby: LobbyHost
    mode: str

    @property
    def chromeChanged(self) -> SignalInstance: ...

    def consent_for_sms(self) -> tuple[str, str, dict[str, bool]]:
        """The text version, its SHA-256, and every item shown as granted or refused."""

    def sign_guidance(self) -> str:
        """What the signature page says (spoken when it shows)."""

    def sms_agreed(self, done: CodeConfirmed) -> None: ...

    def show_sms_page(self, page: QWidget) -> None: ...

    def leave_sms(self) -> None: ...


class SmsConsentOption:
    """ "문자 인증으로 동의하기" on the signature page, and the page it opens in the consent screen.

    Offered only with a hub link whose hub sends SMS (asked on the worker thread when the signature page
    shows); a hub that turns out unable to send hides it again and says so calmly.
    """

    def __init__(self, screen: ConsentHost, sign_layout: QVBoxLayout, body: QVBoxLayout) -> None:
        self.screen = screen
        self.lobby = screen.lobby
        self.link: SmsConsentLink | None = None
        self.button = touch_button(role="secondary", name="ConsentBySms")
        self.button.clicked.connect(self._open_clicked)
        self.button.hide()
        sign_layout.addWidget(self.button)
        self.page = SmsConsentPage(self.lobby, None, screen.sms_agreed)
        self.page.chromeChanged.connect(screen.chromeChanged)
        self.page.unavailable.connect(self._unavailable)
        self.page.hide()
        body.addWidget(self.page, 1)
        self._asking = False
        self.retranslate()

    def _link(self) -> SmsConsentLink | None:
        hub = self.lobby.services.hub
        if hub is None or hub.reachable is False:
            return None
        if self.link is None or self.link.client is not hub.client:
            self.link = SmsConsentLink(hub.client)
        return self.link

    def offer(self) -> None:
        """The signature page shows: offer SMS if the hub sends it (asked off the GUI thread)."""
        link = self._link()
        if link is None:
            self.button.hide()
            return
        known = link.known_offered()
        if known is not None:
            self.button.setVisible(known)
            return
        self.button.hide()
        if self._asking:
            return
        self._asking = True
        self.lobby.worker.submit(link.offered, self._answered, self._not_answered)

    def _answered(self, offered: bool) -> None:
        self._asking = False
        shown = bool(offered) and self.screen.mode == "sign"
        self.button.setVisible(shown)
        if shown:  # the signing guidance, now with the other way (다시 듣기 repeats both)
            english = self.lobby.language.language == "en"
            hint = (
                "If you cannot sign, press 'Agree by text message instead'."
                if english
                else "서명이 어려우시면 '문자 인증으로 동의하기'를 눌러 주세요."
            )
            self.lobby.voice.say(f"{self.screen.sign_guidance()} {hint}")

    def _not_answered(self, _error: Exception) -> None:
        self._asking = False
        self.button.hide()

    def _open_clicked(self) -> None:
        self.open()

    def open(self) -> None:
        link = self._link()
        if link is None:
            self.button.hide()
            return
        self.page.link = link
        version, sha, items = self.screen.consent_for_sms()
        phone = str(self.lobby.draft.manual.get("phone", "") or "")
        self.page.begin(version, sha, items, phone=phone)
        self.screen.show_sms_page(self.page)
        self.lobby.voice.say(self.page.caption.text())

    def close(self) -> None:
        """Leave the page and forget what was typed on it."""
        self.page.reset()
        self.page.hide()

    def _unavailable(self, text: str) -> None:
        self.button.hide()
        self.screen.leave_sms()
        self.lobby.show_notice(text, kind="guidance")

    def retranslate(self) -> None:
        english = self.lobby.language.language == "en"
        set_label(
            self.button,
            "Agree by text message instead" if english else "문자 인증으로 동의하기",
        )
        self.page.retranslate()
