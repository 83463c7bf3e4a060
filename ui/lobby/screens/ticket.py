"""Ticket: the big number, the estimated wait, printing status — and a QR / SMS when the printer fails.

The ticket is issued by the workflow (``take_ticket``) on the worker thread, then printed through the
spool. A printer that is out of paper or does not answer never stops the visit: the number stays on the
screen, a QR code carries it to the visitor's phone, "번호를 문자로 받기" is offered only when the hub
offers SMS and a number is known or typed (and "보냈어요" is said only once the hub took it), and
"다시 인쇄하기" appears once the printer is ready again.

When the hub offers SMS (asked on the worker thread, kept a while by the hub link), the issued ticket
also asks "차례가 가까워지면 문자로 알려 드릴까요?" (ui.lobby.screens.ticket_sms): the hub then texts
"곧 차례예요" and "N번 창구로 와 주세요" as the queue moves (kiosk.sms.ticket_calls).
"""

from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING, Any

import qrcode
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QButtonGroup, QFrame, QGridLayout, QLabel, QVBoxLayout

from kiosk.queue.waits import wait_words
from ui.adapters.print_adapter import PrintAdapter
from ui.lobby.flow import run_step
from ui.lobby.screens.base import LobbyScreen
from ui.lobby.screens.ticket_sms import TicketSmsFlow, TicketSmsPanel
from ui.widgets.buttons import set_label, touch_button

if TYPE_CHECKING:
    from ui.lobby.screens.host import LobbyHost

log = logging.getLogger(__name__)
LINES = ("A", "B", "C")  # config/service_lines.toml: 금융상담, 채무조정, 통합상담
READY_STATES = ("ready", "paper_near_end")  # printer health states in which a ticket prints


def _get(obj: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
        if value not in (None, ""):
            return value
    return default


def _count(value: Any) -> int:
    """A count from the ticket (people, minutes); anything unreadable or negative counts as 0."""
    try:
        return max(0, int(value or 0))
    except (TypeError, ValueError):
        return 0


class TicketScreen(TicketSmsFlow, LobbyScreen):
    step = "ticket"

    def __init__(self, lobby: LobbyHost) -> None:
        super().__init__(lobby)
        self.mode = "choose"  # choose | issuing | shown | unavailable
        self.printer = PrintAdapter(lobby.services.spool, self) if lobby.services.spool is not None else None
        if self.printer is not None:
            self.printer.jobDone.connect(self._printed)
            self.printer.jobFailed.connect(self._print_failed)
            self.printer.healthChanged.connect(self._health)
        self.job_id = ""
        self._early: set[str] = set()
        self.body.addStretch(1)  # the ticket sits mid-screen and the line choices low, within reach
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.body.addWidget(self.intro)
        self.line_buttons = {line: touch_button(role="big", name=f"Line_{line}") for line in LINES}
        self._lines = QButtonGroup(self)
        self._lines.setExclusive(False)
        for index, button in enumerate(self.line_buttons.values()):
            self._lines.addButton(button, index)  # the id is the index in LINES
            self.body.addWidget(button)
        self._lines.idClicked.connect(self._line_clicked)
        self._gave_up = False  # the spool gave the job up (a reprint is then ours to offer)
        self.card = QFrame()
        self.card.setProperty("role", "card")
        card = QVBoxLayout(self.card)
        self.line_label = QLabel()
        self.line_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        card.addWidget(self.line_label)
        self.number = QLabel()
        self.number.setObjectName("TicketNumber")
        self.number.setProperty("role", "huge")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        card.addWidget(self.number)
        self.wait = QLabel()
        self.wait.setObjectName("TicketWait")
        self.wait.setProperty("role", "lead")  # "바로 차례예요" is what the person came to read
        self.wait.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.wait.setWordWrap(True)
        card.addWidget(self.wait)
        self.when_called = QLabel()
        self.when_called.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.when_called.setWordWrap(True)
        card.addWidget(self.when_called)
        self.body.addWidget(self.card)
        self.print_status = QLabel()
        self.print_status.setObjectName("PrintStatus")
        self.print_status.setWordWrap(True)
        self.print_status.setProperty("role", "guidance")
        self.body.addWidget(self.print_status)
        fallback = QGridLayout()
        self.qr = QLabel()
        self.qr.setObjectName("TicketQr")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        fallback.addWidget(self.qr, 0, 0, 2, 1)
        self.sms = touch_button(role="secondary", name="TicketSms")
        self.sms.clicked.connect(self._sms)
        self.retry = touch_button(role="secondary", name="TicketReprint")
        self.retry.clicked.connect(self._print)
        fallback.addWidget(self.retry, 0, 1)
        fallback.addWidget(self.sms, 1, 1)
        self.body.addLayout(fallback)
        self.sms_panel = TicketSmsPanel(self._english)
        self.sms_panel.chosen.connect(self._opt_in)
        self.body.addWidget(self.sms_panel)
        self.body.addStretch(1)
        self.ticket: Any = None
        self._sms_offer = False  # the hub said it offers SMS for this ticket
        self._sms_phone = ""  # the number the person chose for this ticket (digits; gone at the wipe)
        self._number_sent = False  # the hub took "번호표는 N번이에요"
        self._show_mode()
        self.retranslate()

    # -- issuing -----------------------------------------------------------------------------------------
    def _line_clicked(self, index: int) -> None:
        self.issue(LINES[index])

    def issue(self, line: str | None) -> None:
        """Issue a ticket for ``line``; None lets the workflow use the line the results suggested."""
        self.lobby.draft.line = line or ""
        self.mode = "issuing"
        self._show_mode()
        self.chromeChanged.emit()
        run_step(
            self.lobby, lambda flow: flow.take_ticket(line), self._issued, self._issue_failed, name="ticket"
        )

    def _issued(self, ticket: Any) -> None:
        if ticket is None:
            self._issue_failed(RuntimeError("no workflow service"))
            return
        self.ticket = ticket
        self.lobby.draft.ticket = ticket
        self.lobby.draft.line = str(_get(ticket, "line", default=self.lobby.draft.line))
        self.mode = "shown"
        self._show_mode()
        self.retranslate()
        self.chromeChanged.emit()
        self.lobby.voice.say(self.voice_text())
        self.lobby.services.report_step(self.step, self.title())  # desk mirror: "번호표" now
        if getattr(ticket, "offline", False):  # hub unreachable: a reserved number, sent later
            self.lobby.show_notice(
                self.tr(
                    "센터 서버와 잠시 연결이 안 돼요. 이 번호표는 그대로 쓰시면 되고, "
                    "접수 내용은 연결되면 자동으로 보내져요."
                )
            )
        self._print()
        self._ask_sms_offered()

    def _issue_failed(self, error: Exception) -> None:
        log.warning("ticket issue failed: %s", error)
        self.mode = "unavailable"
        self._show_mode()
        self.retranslate()
        self.chromeChanged.emit()

    def ticket_number(self) -> str:
        return str(_get(self.ticket, "display", "number_display", "label", "number", default=""))

    # -- printing ----------------------------------------------------------------------------------------
    def _print(self) -> None:
        if self.ticket is None:
            return
        if self.printer is None:
            self._print_failed("", "PRN-NONE")
            return
        self.lobby.draft.printed = "printing"
        self._gave_up = False
        self._status(self.tr("번호표를 인쇄하고 있어요…"), "guidance")
        self.retry.hide()
        fields = self.ticket_fields()
        printer = self.printer

        def remember(job_id: Any) -> None:
            self.job_id = str(job_id)
            if self.job_id in self._early:  # the printer was faster than the worker's reply
                self._printed(self.job_id)
            elif (state := printer.health_state()) not in READY_STATES and state != "unknown":
                # Out of paper before the job came: no health change will come to say so, and the spool
                # waits for paper — the visitor should not (the QR and the SMS now, as in _health).
                self._print_failed(self.job_id, state, final=False)

        self.lobby.worker.submit(
            lambda: printer.submit("ticket", fields),
            remember,
            lambda e: self._print_failed("", "PRN-SUBMIT", str(e)),
        )

    def ticket_fields(self) -> dict[str, Any]:
        """Fields of the ``ticket`` receipt template: the number and the wait, never a name or RRN."""
        from config import clock

        local = clock.local(_get(self.ticket, "issued_at", default=None) or clock.now())
        half = "오전" if local.hour < 12 else "오후"
        hour = local.hour % 12 or 12
        issued_text = f"{local.year}년 {local.month}월 {local.day}일 {half} {hour}시 {local.minute}분"

        return {
            "center_name": "서민금융통합지원센터",
            "service_line_ko": str(_get(self.ticket, "line_name_ko", default=self.lobby.draft.line)),
            "service_line_en": str(_get(self.ticket, "line_name_en", default=self.lobby.draft.line)),
            "ticket_number": self.ticket_number(),
            "people_ahead": self._ahead(),
            "wait_minutes": self._minutes(),
            # the same words as on the screen, from the one wording (kiosk.queue.waits.wait_words)
            "wait_ko": wait_words(self._ahead(), self._minutes()),
            "wait_en": wait_words(self._ahead(), self._minutes(), english=True),
            "lookup_url": self.qr_payload(),
            "issued_at": issued_text,
        }

    def qr_payload(self) -> str:
        """The ticket's 내 순서 page when the hub gave one (a phone opens it); else the number as text."""
        url = str(_get(self.ticket, "web_url", default="") or "")
        if url:
            return url
        center = self.lobby.services.settings.app.center_code
        code = _get(self.ticket, "lookup_code", default=self.ticket_number())
        return f"paperless-kiosk:ticket:{center}:{code}"

    def _printed(self, job_id: str) -> None:
        if job_id != self.job_id:
            self._early.add(job_id)
            return
        self.qr.hide()
        self.sms.hide()
        self.retry.hide()
        self.lobby.draft.printed = "done"
        self._status(self.tr("번호표가 나왔어요. 아래에서 가져가세요."), "guidance")
        self.lobby.voice.say(self.print_status.text())

    def _health(self, state: str, message_ko: str) -> None:
        # The spool keeps waiting for paper; the visitor should not: offer the QR now.
        ready = state in READY_STATES
        if self.lobby.draft.printed == "printing" and not ready:
            self._print_failed(self.job_id, state, message_ko, final=False)
        elif self.lobby.draft.printed == "failed" and ready and self._gave_up:
            self._offer_reprint()

    def _offer_reprint(self) -> None:
        """The printer is back after the spool gave the job up: one tap prints the same ticket."""
        self.retry.show()
        self._status(self.tr("프린터가 다시 준비됐어요. '다시 인쇄하기'를 눌러 주세요."), "guidance")
        self.lobby.voice.say(self.print_status.text())

    def _print_failed(self, job_id: str, code: str, message_ko: str = "", *, final: bool = True) -> None:
        if job_id and job_id != self.job_id:
            return
        log.warning("ticket print failed: %s", code)
        self.lobby.draft.printed = "failed"
        text = self.tr(
            "번호표를 인쇄하지 못했어요. 휴대전화로 아래 QR을 찍거나, 화면의 번호를 기억해 주세요."
        )
        if self._number_sms_possible():  # never a promise we cannot keep: SMS offered, a number known
            text += " " + self._words(
                "'번호를 문자로 받기'를 누르면 번호를 문자로 보내 드려요.",
                "Tap 'Text me the number' to get it by SMS.",
            )
        self._status(text, "error")
        self._show_qr()
        self._refresh_number_sms()
        # While the spool still waits for paper a reprint would print twice; once it gave up, a reprint
        # is offered only when the printer is ready again (otherwise it would fail the same way).
        self._gave_up = final
        printer_ready = self.printer is not None and self.printer.health_state() in READY_STATES
        self.retry.setVisible(final and printer_ready)
        self.lobby.voice.say(self.print_status.text())

    def _show_qr(self) -> None:
        image = qrcode.make(self.qr_payload(), box_size=8, border=2)  # the same QR the paper carries
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        pixmap = QPixmap()
        pixmap.loadFromData(buffer.getvalue(), "PNG")
        side = self.lobby.metrics.px(50)
        self.qr.setPixmap(pixmap.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio))
        self.qr.setAccessibleName(self.tr("번호표 QR 코드"))
        self.qr.show()

    def _phone(self) -> str:
        return str(self.lobby.draft.manual.get("phone", ""))

    def _status(self, text: str, kind: str) -> None:
        self.print_status.setProperty("role", kind)
        self.print_status.style().unpolish(self.print_status)
        self.print_status.style().polish(self.print_status)
        self.print_status.setText(text)
        self.print_status.setAccessibleName(text)
        self.print_status.show()

    def _show_mode(self) -> None:
        choosing = self.mode == "choose"
        for button in self.line_buttons.values():
            button.setVisible(choosing)
        self.intro.setVisible(choosing or self.mode in ("unavailable", "issuing"))
        self.card.setVisible(self.mode == "shown")
        if self.mode != "shown":
            self.print_status.hide()
            self.qr.hide()
            self.qr.clear()
            self.sms.hide()
            self.retry.hide()
            self.sms_panel.hide()

    # -- LobbyScreen ------------------------------------------------------------------------------------
    def title(self) -> str:
        return self.tr("번호표") if self.mode == "shown" else self.tr("어떤 상담이 필요하세요?")

    def voice_text(self) -> str:
        if self.mode == "shown":
            return (
                self.tr("번호는 %1번이에요. %2")
                .replace("%1", self.ticket_number())
                .replace("%2", self.wait.text())
            )
        return self.title()

    def primary_text(self) -> str | None:
        return self.tr("다 됐어요") if self.mode == "shown" else None

    def on_primary(self) -> None:
        self.lobby.go("goodbye")

    def enter(self) -> None:
        if self.mode == "shown":
            return
        if self.lobby.draft.path == "consult" or self.lobby.draft.line:
            self.issue(self.lobby.draft.line or None)  # consult: the line the results point to
        else:
            self.mode = "choose"
            self._show_mode()

    def handle_back(self) -> bool:
        return self.mode == "shown"  # a ticket, once issued, stays: 이전 does nothing here

    def back_available(self) -> bool:
        return self.mode != "shown"

    def wipe(self) -> None:
        self.ticket = None
        self.job_id = ""
        self._gave_up = False
        self._early.clear()
        self.sms.setEnabled(True)
        self.sms_panel.reset()  # the typed number is forgotten with the visit
        self._sms_offer, self._sms_phone, self._number_sent = False, "", False
        self.mode = "choose"
        self.number.clear()
        self.wait.clear()
        self.line_label.clear()
        self.print_status.clear()
        self._show_mode()

    def retranslate(self) -> None:
        names = {
            "A": self.tr("금융 상담 (대출·자금)"),
            "B": self.tr("채무 조정 (빚 갚는 방법 조정)"),
            "C": self.tr("통합 상담 (잘 모르겠어요)"),
        }
        for line, button in self.line_buttons.items():
            set_label(button, names[line])
        if self.mode == "unavailable":
            self.intro.setText(
                self.tr("번호표를 발급하지 못했어요. '직원 호출'을 눌러 주시면 바로 도와드릴게요.")
            )
        elif self.mode == "issuing":
            self.intro.setText(self.tr("번호표를 만들고 있어요…"))
        else:
            self.intro.setText(self.tr("상담 종류를 골라 주세요. 잘 모르시면 '통합 상담'을 누르세요."))
        self.when_called.setText(self.tr("번호가 번호판에 나오면 그 창구로 가 주세요. 이름은 부르지 않아요."))
        set_label(self.sms, self._words("번호를 문자로 받기", "Text me the number"))
        self.sms_panel.refresh()
        set_label(self.retry, self.tr("다시 인쇄하기"))
        if self.ticket is not None:
            self.line_label.setText(names.get(self.lobby.draft.line, ""))
            self.number.setText(self.ticket_number())
            self.number.setAccessibleName(self.ticket_number())
            self.wait.setText(self.wait_text())

    def wait_text(self) -> str:
        """ "앞에 3명 · 약 12분 기다려요", or "바로 차례예요" when nobody is ahead — the slip's words too."""
        return wait_words(self._ahead(), self._minutes(), english=self.lobby.language.language == "en")

    def _ahead(self) -> int:
        return _count(_get(self.ticket, "people_ahead", "ahead", default=0))

    def _minutes(self) -> int:
        return _count(_get(self.ticket, "wait_minutes", "estimated_wait_minutes", default=0))
