"""The ticket screen's SMS opt-in: "차례가 가까워지면 문자로 알려 드릴까요?" with the number from the
intake offered first ("010-****-5678로 받기") or one typed on the big phone keypad.

``TicketSmsPanel`` is a widget only: it says what the person chose (``chosen``) and shows what the hub
answered (``confirmed`` / ``refused``). The typed digits are shown while typing (so a slip of the finger
can be seen), masked once confirmed, and forgotten on ``reset`` (a wipe). ``TicketSmsFlow`` is the ticket
screen's SMS behaviour — the hub asked through the worker thread (``LobbyServices.sms_offered`` /
``send_ticket_sms``, ui.lobby.hub_link), the opt-in, and the printer-failed screen's "번호를 문자로 받기".

New words are given in both languages here (``_words``) rather than through lobby_*.ts, which this
feature does not own; they can move into the catalogues as they are.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from kiosk.client import HubRefused
from kiosk.sms.numbers import InvalidMobile, mask_phone, normalize_mobile
from ui.widgets.buttons import set_label, touch_button
from ui.widgets.digit_pad import DigitPad

if TYPE_CHECKING:
    from ui.lobby.screens.host import LobbyHost

log = logging.getLogger(__name__)

MAX_DIGITS = 11


def phone_display(digits: str) -> str:
    """Typed digits grouped as people write a mobile number: 010-1234-5678 (010-123-4567 for 10)."""
    if len(digits) <= 3:
        return digits
    if len(digits) <= 7:
        return f"{digits[:3]}-{digits[3:]}"
    middle = 3 if len(digits) == 10 else 4
    return f"{digits[:3]}-{digits[3 : 3 + middle]}-{digits[3 + middle :]}"


class TicketSmsPanel(QFrame):
    """ask → (typing →) sending → done | ask again with the reason. ``english`` says the screen language."""

    chosen = Signal(str)  # the digits of a Korean mobile number the person chose

    def __init__(self, english: Callable[[], bool]) -> None:
        super().__init__()
        self.setObjectName("TicketSmsPanel")
        self.setProperty("role", "card")
        self._english = english
        self.state = "ask"  # ask | typing | sending | done
        self.known = ""  # the intake's number (digits), offered first
        self.masked = ""  # what the hub keeps, shown once it confirmed
        self.problem = ""  # why the last try did not work (shown in the ask/typing state)
        outer = QVBoxLayout(self)
        self.question = QLabel()
        self.question.setObjectName("TicketSmsQuestion")
        self.question.setWordWrap(True)
        self.question.setProperty("role", "lead")
        outer.addWidget(self.question)
        self.note = QLabel()
        self.note.setObjectName("TicketSmsNote")
        self.note.setWordWrap(True)
        self.note.setProperty("role", "guidance")
        outer.addWidget(self.note)
        choices = QHBoxLayout()
        self.use_known = touch_button(role="big", name="TicketSmsKnown")
        self.use_known.clicked.connect(self._choose_known)
        self.type_number = touch_button(role="secondary", name="TicketSmsType")
        self.type_number.clicked.connect(self._start_typing)
        choices.addWidget(self.use_known)
        choices.addWidget(self.type_number)
        outer.addLayout(choices)
        self.keypad = DigitPad(MAX_DIGITS, "TicketSmsPad")
        self.display, self.keys = self.keypad.display, self.keypad.keys
        self.keypad.changed.connect(self._typed)
        outer.addWidget(self.keypad)
        self.send = touch_button(role="big", name="TicketSmsSend")
        self.send.clicked.connect(self._send_typed)
        outer.addWidget(self.send)
        self.reset()

    # -- what the person does ------------------------------------------------------------------------
    def offer(self, known: str) -> None:
        """Show the question; ``known``: the intake's number (digits or ""), offered first."""
        self.known = _valid(known)
        self.state = "ask"
        self.show()
        self.refresh()

    @property
    def digits(self) -> str:
        """The digits typed on the keypad."""
        return self.keypad.digits

    @digits.setter
    def digits(self, digits: str) -> None:
        self.keypad.digits = digits

    def press(self, key: str) -> None:
        self.keypad.press(key)

    def _typed(self) -> None:
        self.problem = ""
        self.refresh()

    def _choose_known(self) -> None:
        self._choose(self.known)

    def _start_typing(self) -> None:
        self.state, self.problem = "typing", ""
        self.refresh()

    def _send_typed(self) -> None:
        try:
            self._choose(normalize_mobile(self.digits))
        except InvalidMobile as exc:
            self.problem = _not_mobile_en() if self._english() else exc.message_ko
            self.refresh()

    def _choose(self, digits: str) -> None:
        if not digits or self.state == "sending":
            return
        self.state, self.problem = "sending", ""
        self.refresh()
        self.chosen.emit(digits)

    # -- what the hub answered -----------------------------------------------------------------------
    def confirmed(self, masked: str) -> None:
        self.state, self.masked = "done", masked
        self.digits = ""  # kept by the hub (encrypted); the screen needs it no more
        self.refresh()

    def refused(self, reason: str) -> None:
        self.state = "typing" if self.digits else "ask"
        self.problem = reason
        self.refresh()

    def typed(self) -> str:
        """The typed number's digits when they make a Korean mobile number, else ""."""
        return _valid(self.digits)

    def reset(self) -> None:
        self.state, self.known, self.digits, self.masked, self.problem = "ask", "", "", "", ""
        self.hide()
        self.refresh()

    # -- text ----------------------------------------------------------------------------------------
    def confirmation(self) -> str:
        return (
            f"We'll text you when your turn is near ({self.masked})"
            if self._english()
            else f"문자로 알려 드릴게요 ({self.masked})"
        )

    def refresh(self) -> None:
        en = self._english()
        asking = self.state in ("ask", "typing")
        if self.state == "done":
            self.question.setText(self.confirmation())
        else:
            self.question.setText(
                "Shall we text you when your turn is near?"
                if en
                else "차례가 가까워지면 문자로 알려 드릴까요?"
            )
        if self.state == "sending":
            self.note.setText("Sending your request…" if en else "문자 신청을 보내고 있어요…")
        elif self.state == "done":
            self.note.setText(
                "A text comes when two people are ahead and when you are called."
                if en
                else "앞에 2명이 남았을 때와 부를 때 문자를 보내 드려요."
            )
        else:
            self.note.setText(self.problem)
        self.note.setProperty("role", "error" if self.problem and asking else "guidance")
        self.note.style().unpolish(self.note)
        self.note.style().polish(self.note)
        self.note.setVisible(bool(self.note.text()))
        masked_known = mask_phone(self.known) if self.known else ""
        set_label(self.use_known, f"Send to {masked_known}" if en else f"{masked_known}로 받기")
        self.use_known.setVisible(asking and bool(self.known) and self.state == "ask")
        if self.known:
            set_label(self.type_number, "Use another number" if en else "다른 번호 누르기")
        else:
            set_label(self.type_number, "Type my number" if en else "번호 누르기")
        self.type_number.setVisible(self.state == "ask")
        typing = self.state == "typing"
        self.keypad.setVisible(typing)
        self.display.setVisible(typing)
        if self.digits:
            self.display.setText(phone_display(self.digits))
        else:
            self.display.setText("Type your mobile number" if en else "휴대전화 번호를 눌러 주세요")
        self.display.setAccessibleName(self.display.text())
        self.keypad.set_words("Clear" if en else "지우기", "← Back" if en else "← 하나 지우기")
        set_label(self.send, "Send to this number" if en else "이 번호로 받기")
        self.send.setVisible(typing)
        self.send.setEnabled(len(self.digits) >= 10)


def _valid(digits: str) -> str:
    try:
        return normalize_mobile(digits) if digits else ""
    except InvalidMobile:
        return ""


def _not_mobile_en() -> str:
    return "This is not a mobile number: type one that starts with 010."


class TicketSmsFlow:
    """The ticket screen's SMS behaviour (mixed into ``TicketScreen``): ask the hub whether it offers
    SMS, send the opt-in, and "번호를 문자로 받기" after a printer failure — every hub call on the worker
    thread, every answer checked against the ticket still on the screen."""

    lobby: LobbyHost
    ticket: Any
    mode: str
    sms: QPushButton
    sms_panel: TicketSmsPanel
    _sms_offer: bool
    _sms_phone: str
    _number_sent: bool

    def _status(self, text: str, kind: str) -> None:  # the screen's own
        raise NotImplementedError

    def _phone(self) -> str:  # the screen's own: the intake's number
        raise NotImplementedError

    def _english(self) -> bool:
        return bool(self.lobby.language.language == "en")

    def _words(self, korean: str, english: str) -> str:
        return english if self._english() else korean

    def _ticket_id(self) -> str:
        return _ticket_field(self.ticket, "ticket_id", "id")

    def _ask_sms_offered(self) -> None:
        """Ask (on the worker thread) whether the hub offers SMS; a ticket kept for later (offline) or a
        lobby without a hub offers none."""
        offered, send = self.lobby.services.sms_offered, self.lobby.services.send_ticket_sms
        if offered is None or send is None or not self._ticket_id() or getattr(self.ticket, "offline", False):
            return
        ticket = self.ticket
        self.lobby.worker.submit(offered, lambda answer: self._sms_known(ticket, bool(answer)))

    def _sms_known(self, ticket: Any, offered: bool) -> None:
        if ticket is not self.ticket or self.mode != "shown":
            return  # the answer for a ticket already gone (a wipe, the next visitor)
        self._sms_offer = offered
        if offered:
            self.sms_panel.offer(self._phone())
        self._refresh_number_sms()

    def _opt_in(self, digits: str) -> None:
        send, ticket, ticket_id = self.lobby.services.send_ticket_sms, self.ticket, self._ticket_id()
        if send is None or not ticket_id:
            return

        def kept(masked: Any) -> None:
            if ticket is not self.ticket:
                return
            self._sms_phone = digits
            self.sms_panel.confirmed(str(masked))
            self.lobby.voice.say(self.sms_panel.confirmation())
            self._refresh_number_sms()

        def refused(error: Exception) -> None:
            if ticket is self.ticket:
                self.sms_panel.refused(self._sms_problem(error))

        self.lobby.worker.submit(lambda: send(ticket_id, digits, True, False), kept, refused)

    def _sms_problem(self, error: Exception) -> str:
        """What the person reads when the hub did not take the number (never the number itself)."""
        if isinstance(error, HubRefused) and error.code == "SMS_NOT_MOBILE":
            return error.message_en if self._english() else error.message_ko
        if isinstance(error, HubRefused) and error.status == 503:
            self._sms_offer = False
            self.sms_panel.hide()
            self._refresh_number_sms()
            self.lobby.show_notice(
                self._words("문자 서비스를 지금 쓸 수 없어요.", "SMS is not available now.")
            )
            return ""
        log.info("ticket SMS opt-in not taken: %s", error.__class__.__name__)
        return self._words(
            "문자 신청을 받지 못했어요. 번호판에서 번호를 확인해 주세요.",
            "We could not set up the text. Please watch the number board.",
        )

    def _sms_target(self) -> str:
        """The number for "번호를 문자로 받기": the one chosen for the calls, else the intake's."""
        return self._sms_phone or self.sms_panel.typed() or self._phone()

    def _number_sms_possible(self) -> bool:
        return (
            self._sms_offer
            and self.lobby.services.send_ticket_sms is not None
            and bool(self._sms_target())
            and not self._number_sent
        )

    def _refresh_number_sms(self) -> None:
        failed = self.mode == "shown" and self.lobby.draft.printed == "failed"
        self.sms.setVisible(failed and self._number_sms_possible())

    def _sms(self) -> None:
        send, ticket, ticket_id = self.lobby.services.send_ticket_sms, self.ticket, self._ticket_id()
        phone = self._sms_target()
        if send is None or not phone or not ticket_id:
            return
        self.sms.setEnabled(False)

        def sent(masked: Any) -> None:
            self.sms.setEnabled(True)
            if ticket is not self.ticket:
                return
            self._number_sent = True  # only now: the hub took it
            self._refresh_number_sms()
            text = self._words(f"번호를 문자로 보냈어요 ({masked}).", f"We texted you the number ({masked}).")
            self._status(text, "guidance")
            self.lobby.show_notice(self._words("문자로 보냈어요.", "Sent by text."))
            self.lobby.voice.say(text)

        def failed(error: Exception) -> None:
            self.sms.setEnabled(True)
            log.info("ticket number SMS not taken: %s", error.__class__.__name__)
            if isinstance(error, HubRefused) and error.status == 503:
                self._sms_offer = False
                self.sms_panel.hide()
                self._refresh_number_sms()
            not_sent = self._words(
                "문자를 보내지 못했어요. 번호를 기억하시거나 QR을 찍어 주세요.",
                "The text message could not be sent. Please remember the number or scan the QR code.",
            )
            self.lobby.show_notice(not_sent, kind="error")

        self.lobby.worker.submit(lambda: send(ticket_id, phone, False, True), sent, failed)


def _ticket_field(ticket: Any, *names: str) -> str:
    for name in names:
        value = ticket.get(name) if isinstance(ticket, dict) else getattr(ticket, name, None)
        if value not in (None, ""):
            return str(value)
    return ""
