"""Consent by SMS code on the kiosk, for someone who cannot sign: the number on the big keypad, a 6-digit
code sent to that phone (3 minutes, "다시 보내기"), the code on the keypad, and the consent goes on exactly
as a signature would — recorded as method "sms" with the hub's challenge.

A page inside the consent screen (``ConsentScreen`` shows it instead of the signature page). Every hub
call runs on the lobby's worker thread through ``ui.lobby.sms_consent_link``; a reply that comes back
after the visitor left (wipe, 이전) is dropped by its generation. The number is shown masked beyond what
the visitor needs to check (``typed_number``), and only ever masked once sent.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import UTC
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from config import clock
from ui.lobby.sms_consent_link import (
    CODE_DIGITS,
    CODE_PROBLEMS,
    LEAVE_PROBLEMS,
    NEW_CODE_PROBLEMS,
    CodeConfirmed,
    CodeSent,
    SmsConsentLink,
    SmsConsentProblem,
    typed_number,
)
from ui.widgets.buttons import set_label, touch_button
from ui.widgets.digit_pad import DigitPad

if TYPE_CHECKING:
    from ui.lobby.screens.host import LobbyHost

log = logging.getLogger(__name__)
PHONE_DIGITS = 11


class SmsConsentPage(QWidget):
    """number → (sending) → code → (confirming) → confirmed; ``step`` says where the visitor is."""

    chromeChanged = Signal()
    unavailable = Signal(str)  # the hub cannot send SMS now: the consent screen hides the option

    def __init__(
        self, lobby: LobbyHost, link: SmsConsentLink | None, confirmed: Callable[[CodeConfirmed], None]
    ) -> None:
        super().__init__()
        self.lobby, self.link, self._confirmed = lobby, link, confirmed
        self.step = "number"  # number | code
        self.busy = ""  # "" | "sending" | "confirming"
        self.sent: CodeSent | None = None
        self.expired = False
        self._generation = 0  # a reply for an older generation (wiped, left) is dropped
        self._consent: tuple[str, str, dict[str, bool]] = ("", "", {})
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel()
        self.caption.setObjectName("SmsCaption")
        self.caption.setWordWrap(True)
        self.caption.setProperty("role", "hint")
        layout.addWidget(self.caption)
        self.status = QLabel()
        self.status.setObjectName("SmsStatus")
        self.status.setWordWrap(True)
        self.status.setProperty("role", "guidance")
        self.status.hide()
        layout.addWidget(self.status)
        self.countdown = QLabel()
        self.countdown.setObjectName("SmsCountdown")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown.hide()
        layout.addWidget(self.countdown)
        layout.addStretch(1)  # the keypad sits low, within reach
        self.number_pad = DigitPad(PHONE_DIGITS, "SmsNumberPad")
        self.number_pad.changed.connect(self._number_changed)
        layout.addWidget(self.number_pad)
        self.code_pad = DigitPad(CODE_DIGITS, "SmsCodePad")
        self.code_pad.changed.connect(self._code_changed)
        self.code_pad.hide()
        layout.addWidget(self.code_pad)
        row = QHBoxLayout()
        self.resend = touch_button(role="secondary", name="SmsResend")
        self.resend.clicked.connect(self._resend_clicked)
        self.other_number = touch_button(role="secondary", name="SmsOtherNumber")
        self.other_number.clicked.connect(self._other_number_clicked)
        row.addWidget(self.other_number)
        row.addWidget(self.resend)
        layout.addLayout(row)
        self.tick = QTimer(self)
        self.tick.setInterval(1000)
        self.tick.timeout.connect(self._count_down)
        self._show_step()
        self.retranslate()

    # -- language ---------------------------------------------------------------------------------------
    def _english(self) -> bool:
        return self.lobby.language.language == "en"

    def _t(self, ko: str, en: str) -> str:
        return en if self._english() else ko

    # -- the chrome asks --------------------------------------------------------------------------------
    def title(self) -> str:
        if self.step == "code":
            return self._t("인증번호를 눌러 주세요", "Enter the code")
        return self._t("문자 인증으로 동의해요", "Consent by text message")

    def primary_text(self) -> str:
        if self.step == "code":
            return self._t("인증하고 동의하기", "Confirm and agree")
        return self._t("인증번호 받기", "Send me a code")

    def primary_enabled(self) -> bool:
        if self.busy:
            return False
        if self.step == "code":
            return len(self.code_pad.digits) == CODE_DIGITS and not self.expired
        return len(self.number_pad.digits) >= 10

    def voice_text(self) -> str:
        return self.status.text() if self.status.isVisible() else self.caption.text()

    # -- entering and leaving ---------------------------------------------------------------------------
    def begin(self, text_version: str, text_sha256: str, items: dict[str, bool], phone: str = "") -> None:
        """Start at the number, pre-filled with the one the visitor gave (if it is a mobile number)."""
        self.reset()
        self._consent = (text_version, text_sha256, dict(items))
        if phone:
            self.number_pad.set_digits(phone)
        self._refresh_number()

    def reset(self) -> None:
        """Forget the number, the code and the challenge (the wipe, or leaving the page)."""
        self._generation += 1
        self.tick.stop()
        self.step, self.busy, self.sent, self.expired = "number", "", None, False
        self._consent = ("", "", {})
        self.number_pad.digits = ""
        self.code_pad.digits = ""
        for label in (self.status, self.countdown):
            label.clear()
            label.setAccessibleName("")  # it said the (masked) number
        self.status.hide()
        self._show_step()
        self._refresh_number()
        self._refresh_code()

    def back(self) -> bool:
        """이전 inside the page: from the code back to the number; False at the number (leave the page)."""
        if self.step != "code":
            return False
        self._generation += 1  # a confirmation still on its way is for the code left behind
        self.tick.stop()
        self.step, self.busy, self.sent, self.expired = "number", "", None, False
        self.code_pad.digits = ""
        self._say("", "guidance")
        self._show_step()
        self.chromeChanged.emit()
        return True

    def _show_step(self) -> None:
        on_code = self.step == "code"
        self.number_pad.setVisible(not on_code)
        self.code_pad.setVisible(on_code)
        self.countdown.setVisible(on_code)
        self.resend.setVisible(on_code)
        self.other_number.setVisible(on_code)
        self.retranslate()

    # -- the number -------------------------------------------------------------------------------------
    def _number_changed(self) -> None:
        self._refresh_number()
        self.chromeChanged.emit()

    def _refresh_number(self) -> None:
        digits = self.number_pad.digits
        shown = (
            typed_number(digits)
            if digits
            else self._t("휴대전화 번호를 눌러 주세요", "Enter your mobile number")
        )
        self.number_pad.display.setText(shown)
        self.number_pad.display.setAccessibleName(
            self._t(
                f"휴대전화 번호 {len(digits)}자리 눌렀어요",
                f"{len(digits)} digits of the mobile number entered",
            )
            if digits
            else shown
        )

    def send(self) -> None:
        """인증번호 받기 / 다시 보내기: ask the hub to send a code to the number typed."""
        if self.busy or self.link is None:
            return
        version, sha, items = self._consent
        phone = self.number_pad.digits
        self.busy = "sending"
        self._say(self._t("인증번호를 보내고 있어요…", "Sending the code…"), "guidance")
        self.chromeChanged.emit()
        link, generation = self.link, self._generation

        def request() -> CodeSent:
            # No visit id: the hub learns of the visit only when it is submitted, naming this challenge.
            return link.request_code(phone, version, sha, items)

        self.lobby.worker.submit(
            request,
            lambda sent: self._sent(generation, sent),
            lambda error: self._failed(generation, error),
        )

    def _sent(self, generation: int, sent: CodeSent) -> None:
        if generation != self._generation:
            return
        self.busy, self.sent, self.expired = "", sent, False
        self.step = "code"
        self.code_pad.digits = ""
        self._show_step()
        self._refresh_code()
        self._say(
            self._t(
                f"인증번호를 보냈어요 ({sent.to_masked}). 문자로 받은 6자리 숫자를 눌러 주세요.",
                f"We sent a code to {sent.to_masked}. Enter the 6 digits from the message.",
            ),
            "guidance",
        )
        self._count_down()
        self.tick.start()
        self.chromeChanged.emit()

    # -- the code ---------------------------------------------------------------------------------------
    def _code_changed(self) -> None:
        self._refresh_code()
        self.chromeChanged.emit()

    def _refresh_code(self) -> None:
        digits = self.code_pad.digits
        shown = " ".join(digits.ljust(CODE_DIGITS, "_")) if digits else self._t("6자리 숫자", "6 digits")
        self.code_pad.display.setText(shown)
        self.code_pad.display.setAccessibleName(
            self._t(f"인증번호 {len(digits)}자리 눌렀어요", f"{len(digits)} of 6 digits entered")
        )

    def confirm(self) -> None:
        """인증하고 동의하기: the hub checks the code; a right one records the consent."""
        if self.busy or self.sent is None or self.link is None:
            return
        sent, code = self.sent, self.code_pad.digits
        self.busy = "confirming"
        self._say(self._t("인증번호를 확인하고 있어요…", "Checking the code…"), "guidance")
        self.chromeChanged.emit()
        link, generation = self.link, self._generation

        def check() -> CodeConfirmed:
            return link.confirm(sent.challenge_id, code)

        self.lobby.worker.submit(
            check,
            lambda done: self._checked(generation, done),
            lambda error: self._failed(generation, error),
        )

    def _checked(self, generation: int, done: CodeConfirmed) -> None:
        if generation != self._generation:
            return
        self.busy = ""
        self.tick.stop()
        self._say(self._t("인증됐어요. 동의를 받았어요.", "Confirmed. Your consent is recorded."), "guidance")
        self._confirmed(done)

    def challenge_id(self) -> uuid.UUID | None:
        return self.sent.challenge_id if self.sent is not None else None

    # -- problems ---------------------------------------------------------------------------------------
    def _failed(self, generation: int, error: Exception) -> None:
        if generation != self._generation:
            return
        self.busy = ""
        if not isinstance(error, SmsConsentProblem):
            log.warning("consent by SMS failed: %s", error.__class__.__name__)
            error = SmsConsentProblem(
                "refused",
                "잠시 문제가 생겼어요. 다시 해 보시고, 어려우면 '직원 호출'을 눌러 주세요.",
                "Something went wrong. Please try again, or press 'Call staff'.",
            )
        log.info("consent by SMS refused: %s %s", error.kind, error.code)
        self._say(error.message(self._english()), "error")
        if error.kind in CODE_PROBLEMS:
            self.code_pad.set_digits("")
        elif error.kind in NEW_CODE_PROBLEMS:
            self.expired = True
            self.code_pad.set_digits("")
        elif error.kind in LEAVE_PROBLEMS:
            self.unavailable.emit(error.message(self._english()))
        self.chromeChanged.emit()

    def _count_down(self) -> None:
        if self.sent is None:
            self.tick.stop()
            return
        expires = self.sent.expires_at
        if expires.tzinfo is None:
            expires = expires.replace(tzinfo=UTC)
        left = max(0, int((expires - clock.now()).total_seconds()))
        minutes, seconds = divmod(left, 60)
        if left == 0:
            self.tick.stop()
            self.expired = True
            self.countdown.setText(self._t("시간이 지났어요", "Time is up"))
            self._say(
                self._t(
                    "인증번호 시간(3분)이 지났어요. '다시 보내기'를 눌러 새 번호를 받아 주세요.",
                    "The code has expired (3 minutes). Press 'Send again' for a new one.",
                ),
                "error",
            )
            self.chromeChanged.emit()
            return
        self.countdown.setText(
            self._t(f"남은 시간 {minutes}분 {seconds:02d}초", f"{minutes}:{seconds:02d} left")
        )
        self.countdown.setAccessibleName(self.countdown.text())

    def _resend_clicked(self) -> None:
        self.send()

    def _other_number_clicked(self) -> None:
        self.back()

    def _say(self, text: str, kind: str) -> None:
        if not text:
            self.status.clear()
            self.status.setAccessibleName("")
            self.status.hide()
            return
        self.status.setProperty("role", kind)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.status.setText(text)
        self.status.setAccessibleName(text)
        self.status.show()
        self.lobby.voice.say(text)

    # -- words ------------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        if self.step == "code":
            self.caption.setText(
                self._t(
                    "휴대전화로 받은 문자에 있는 인증번호 6자리를 아래에 눌러 주세요.",
                    "Enter the 6-digit code from the text message on your phone.",
                )
            )
        else:
            self.caption.setText(
                self._t(
                    "서명 대신 휴대전화 문자로 동의할 수 있어요. "
                    "휴대전화 번호를 눌러 주시면 인증번호를 보내 드려요.",
                    "Instead of signing, you can agree by text message. Enter your mobile number and we "
                    "will send you a code.",
                )
            )
        for pad in (self.number_pad, self.code_pad):
            pad.set_words(self._t("모두 지우기", "Clear"), self._t("한 칸 지우기", "Delete"))
        set_label(self.resend, self._t("다시 보내기", "Send again"))
        set_label(self.other_number, self._t("번호 다시 누르기", "Change number"))
        self._refresh_number()
        self._refresh_code()
        if self.step == "code" and self.sent is not None and not self.expired:
            self._count_down()
