"""The counselor desk window: queue board, call next / recall / transfer, the case with its next step,
lobby mirror.

All hub calls go through HubAdapter (worker threads); hub events refresh the board and show signing
live. Called tickets are announced by number and desk only. "다음 번호 호출" calls over every line by
default, so it never answers "nobody is waiting" while the board shows someone waiting; with one line
chosen and that line empty, it calls the longest-waiting person of the other lines and says so.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from kiosk.api import CaseView, CounterCodeOut, FollowUpOut, MirrorOut, QueueOut, TicketOut
from kiosk.api.tickets import SmsStatusOut
from kiosk.client import HubClient
from kiosk.queue.lines import service_lines
from kiosk.visit.questionnaire import questionnaire
from ui.adapters.hub_adapter import HubAdapter
from ui.desk.case_tabs import CaseTabs
from ui.desk.fleet_banner import FleetBanner
from ui.desk.phone_mode import PhoneModeDialog
from ui.desk.queue_board import QueueBoard

ALL_LINES = "전체 창구 (모든 줄)"


@dataclass(frozen=True)
class Called:
    ticket: TicketOut | None
    widened: bool  # the chosen line was empty: called from the other lines instead


def call_over_lines(client: HubClient, desk: str, line: str | None) -> Called:
    """Worker job: the chosen line first (None: every line), then every line — one action, no dead end."""
    ticket = client.call_next_any(desk, None if line is None else [line])
    if ticket is None and line is not None:
        ticket = client.call_next_any(desk, None)
        return Called(ticket, ticket is not None)
    return Called(ticket, False)


def _button(text: str, keys: str, tip: str) -> QPushButton:
    button = QPushButton(f"{text} ({keys})" if keys else text)
    button.setToolTip(f"{tip} — {keys}" if keys else tip)
    return button


class DeskWindow(QMainWindow):
    def __init__(self, adapter: HubAdapter, desk_label: str = "3", counselor_name: str = "") -> None:
        super().__init__()
        self.adapter, self.desk_label = adapter, desk_label
        self.setWindowTitle(f"상담석 {desk_label} · {counselor_name}")
        self.current: TicketOut | None = None
        self.case: CaseView | None = None
        self.line_names = {code: f"{code} {line.name_ko}" for code, line in service_lines().items()}
        central = QWidget()
        layout = QVBoxLayout(central)
        bar = QHBoxLayout()
        self.line_box = QComboBox()
        self.line_box.setToolTip("어느 줄에서 부를지 골라요. 고른 줄이 비면 다른 줄에서 불러요.")
        self.line_box.addItem(ALL_LINES, None)
        for code, label in self.line_names.items():
            self.line_box.addItem(label, code)
        self.call_button = _button("다음 번호 호출", "Ctrl+N", "가장 오래 기다린 분을 이 창구로 불러요")
        self.recall_button = _button("다시 호출", "Ctrl+R", "부른 번호를 한 번 더 알려요")
        self.transfer_button = _button("다른 창구로", "Ctrl+T", "이분을 다른 줄로 보내요")
        self.no_show_button = _button("안 오셨어요", "Ctrl+M", "불렀는데 오지 않은 번호로 표시해요")
        self.done_button = _button("상담 끝", "Ctrl+E", "상담을 마치고 다음 분을 맞을 준비를 해요")
        self.pair_button = _button("창구 화면 연결 코드", "", "창구 화면에 입력할 연결 번호를 받아요")
        self.phone_button = _button("전화 상담", "", "전화한 분의 번호로 문자 인증 동의를 받고 상담을 열어요")
        self.called_label = QLabel("호출 없음")
        self.called_label.setObjectName("calledNumber")
        for widget in (
            self.line_box,
            self.call_button,
            self.recall_button,
            self.transfer_button,
            self.no_show_button,
            self.done_button,
            self.called_label,
            self.pair_button,
        ):
            bar.addWidget(widget)
        bar.insertStretch(7)
        bar.insertWidget(8, self.phone_button)  # beside the pairing code, after the stretch
        layout.addLayout(bar)
        self.fleet_banner = FleetBanner()  # a printer out of paper for 10 minutes (kiosk.hub.fleet)
        layout.addWidget(self.fleet_banner)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.addWidget(QLabel("대기 현황"))
        self.board = QueueBoard(self.line_names)
        left_box.addWidget(self.board, 2)
        left_box.addWidget(QLabel("로비 키오스크 (실시간)"))
        self.mirror = QListWidget()
        left_box.addWidget(self.mirror, 1)
        splitter.addWidget(left)
        self.tabs = CaseTabs(questions=questionnaire())
        self.tabs.debts.attach(adapter)  # the 채무 section calls the hub itself, through the adapter
        self.tabs.consent_withdraw.attach(adapter)  # 동의 철회 too
        splitter.addWidget(self.tabs)
        splitter.setSizes([360, 820])
        layout.addWidget(splitter)
        self.setCentralWidget(central)
        self.setStatusBar(QStatusBar())
        self.resize(1180, 760)
        self._mirrors: dict[str, str] = {}
        self.phone_dialog: PhoneModeDialog | None = None
        self._wire()
        self.refresh_timer = QTimer(self)
        self.refresh_timer.timeout.connect(self.refresh_queue)
        self.refresh_timer.start(5000)
        # Reminder statuses (보냄 → 전달됨) change without an event; replies come as events.
        self.due_timer = QTimer(self)
        self.due_timer.timeout.connect(self.refresh_due)
        self.due_timer.start(60_000)
        self._set_ticket_buttons()

    # --- wiring -------------------------------------------------------------------------------------
    def _wire(self) -> None:
        self.call_button.clicked.connect(self.call_next)
        self.recall_button.clicked.connect(self.recall)
        self.transfer_button.clicked.connect(self.transfer)
        self.no_show_button.clicked.connect(self.no_show)
        self.done_button.clicked.connect(self.finish)
        self.pair_button.clicked.connect(self.show_pair_code)
        self.phone_button.clicked.connect(self.open_phone_mode)
        for keys, slot in (
            ("Ctrl+N", self.call_next),
            ("Ctrl+R", self.recall),
            ("Ctrl+T", self.transfer),
            ("Ctrl+M", self.no_show),
            ("Ctrl+E", self.finish),
            ("Ctrl+Return", self.do_next_action),
        ):
            QShortcut(QKeySequence(keys), self, slot)
        t = self.tabs
        t.next_button.clicked.connect(self.do_next_action)
        t.reveal_button.clicked.connect(self.reveal)
        t.generate_consent.clicked.connect(self.generate_consent)
        t.generate_summary.clicked.connect(self.generate_application)
        t.push_button.clicked.connect(self.push)
        t.archive_button.clicked.connect(self.archive)
        t.send_link_button.clicked.connect(self.send_document_link)
        t.add_note.clicked.connect(self.save_note)
        t.plan_button.clicked.connect(self.plan_aftercare)
        t.debts.documentMade.connect(self._reload)
        t.consent_withdraw.withdrawn.connect(self._reload)
        self.adapter.eventReceived.connect(self.on_event)
        self.adapter.connectionChanged.connect(self._connection)
        self.adapter.failed.connect(self.show_error)

    def start(self) -> None:
        self.adapter.start_events()
        self.refresh_queue()
        self.adapter.call(self.adapter.client.lobby_mirrors, done=self._show_mirrors)
        self.refresh_due()
        self.refresh_sms()

    def refresh_sms(self) -> None:
        """Whether the center can send SMS now (the 내 서류 button depends on it)."""
        self.adapter.call(self.adapter.client.sms_status, done=self._show_sms, failed=self._sms_unknown)

    def _show_sms(self, status: SmsStatusOut) -> None:
        self.tabs.set_sms_available(status.available)

    def _sms_unknown(self, _code: str, _message_ko: str) -> None:
        self.tabs.set_sms_available(False)  # unknown: no button that would only be refused

    def _connection(self, up: bool) -> None:
        self.statusBar().showMessage("허브 연결됨" if up else "허브 연결 끊김 — 다시 연결하는 중…")

    def show_error(self, code: str, message_ko: str) -> None:
        self.statusBar().showMessage(f"{message_ko} [{code}]", 10_000)

    def _set_ticket_buttons(self) -> None:
        has = self.current is not None
        for button in (self.recall_button, self.transfer_button, self.no_show_button, self.done_button):
            button.setEnabled(has)

    def _ignore(self, _result: object) -> None:
        """For calls whose answer changes nothing on screen (the hub's events do)."""

    # --- queue --------------------------------------------------------------------------------------
    def refresh_queue(self) -> None:
        self.adapter.call(self.adapter.client.queue, done=self._show_queue)

    def _show_queue(self, queue: QueueOut) -> None:
        self.board.show_queue(queue)

    def call_next(self) -> None:
        line = self.line_box.currentData()
        self.adapter.call(call_over_lines, self.adapter.client, self.desk_label, line, done=self._called)

    def _called(self, called: Called) -> None:
        ticket = called.ticket
        if ticket is None:
            self.statusBar().showMessage("지금 기다리는 분이 없어요", 5000)
            self.refresh_queue()
            return
        if called.widened:
            chosen = self.line_box.currentText()
            self.statusBar().showMessage(
                f"{chosen} 줄이 비어서 {self.line_names.get(ticket.line, ticket.line)}의 "
                f"{ticket.display}번을 불렀어요",
                8000,
            )
        self.current = ticket
        self.called_label.setText(f"호출: {ticket.display} → 창구 {self.desk_label}")
        self._set_ticket_buttons()
        self.refresh_queue()
        self.tabs.wipe()
        if ticket.visit_id is not None:
            self.load_case(ticket.visit_id)
        else:
            self.tabs.summary.setText(
                f"{ticket.display}번: 번호표만 받은 분이에요. 무엇이 필요한지 여쭤봐 주세요."
            )

    def recall(self) -> None:
        if self.current is not None:
            self.adapter.call(self.adapter.client.recall, self.current.id, done=self._ignore)

    def transfer(self) -> None:
        if self.current is None:
            return
        labels = list(self.line_names.values())
        label, ok = QInputDialog.getItem(self, "다른 창구로", "보낼 줄", labels, 0, False)
        if ok:
            line = next(code for code, name in self.line_names.items() if name == label)
            self.adapter.call(
                self.adapter.client.transfer,
                self.current.id,
                line,
                "상담석에서 이동",
                done=self._close_ticket,
            )

    def no_show(self) -> None:
        if self.current is not None:
            self.adapter.call(self.adapter.client.no_show, self.current.id, done=self._close_ticket)

    def finish(self) -> None:
        if self.current is not None:
            self.adapter.call(self.adapter.client.finish_ticket, self.current.id, done=self._close_ticket)

    def _close_ticket(self, _result: object = None) -> None:
        self.current, self.case = None, None
        self.called_label.setText("호출 없음")
        self.tabs.wipe()
        self._set_ticket_buttons()
        self.refresh_queue()

    # --- case ---------------------------------------------------------------------------------------
    def load_case(self, visit_id: uuid.UUID) -> None:
        self.adapter.call(self.adapter.client.case, visit_id, done=self._show_case)

    def _show_case(self, case: CaseView) -> None:
        self.case = case
        self.tabs.show_case(case)

    def open_phone_mode(self) -> PhoneModeDialog:
        """전화 상담 (issue 18): a caller's consent by SMS code; the phone visit's case opens after it."""
        dialog = PhoneModeDialog(self.adapter, self)
        dialog.opened.connect(self._open_phone_visit)
        dialog.open()  # window-modal, not blocking: hub events keep arriving meanwhile
        self.phone_dialog = dialog
        return dialog

    def _open_phone_visit(self, visit_id: uuid.UUID) -> None:
        self.called_label.setText("전화 상담 중")
        self.tabs.wipe()
        self.load_case(visit_id)

    def do_next_action(self) -> None:
        """The suggested next step of the case (the button beside the summary, Ctrl+Enter)."""
        step = self.tabs.next
        if self.case is None or step is None or not step.can_do:
            return
        if step.kind == "generate":
            self.generate(step.template)
        elif step.kind == "push" and step.document_id is not None:
            self.push_document(step.document_id)
        elif step.kind == "archive" and step.document_id is not None:
            self.archive_document(step.document_id)
        elif step.kind == "plan":
            self.plan_aftercare()
        elif step.kind == "finish":
            self.finish()

    def reveal(self) -> None:
        if self.case is not None:
            self.adapter.call(
                self.adapter.client.reveal_person, self.case.visit_id, done=self.tabs.show_revealed
            )

    def save_note(self) -> None:
        text = self.tabs.note_edit.toPlainText().strip()
        if self.case is not None and text:
            self.tabs.note_edit.clear()
            self.adapter.call(self.adapter.client.add_note, self.case.visit_id, text, done=self._reload)

    def generate_consent(self) -> None:
        self.generate("consent")

    def generate_application(self) -> None:
        self.generate("intake_summary")

    def generate(self, template: str) -> None:
        if self.case is not None:
            self.adapter.call(
                self.adapter.client.generate_document, self.case.visit_id, template, done=self._reload
            )

    def push(self) -> None:
        doc = self.tabs.selected_document()
        if doc:
            self.push_document(uuid.UUID(doc))

    def push_document(self, document_id: uuid.UUID) -> None:
        self.adapter.call(self.adapter.client.push_document, document_id, done=self._reload)

    def archive(self) -> None:
        doc = self.tabs.selected_document()
        if doc:
            self.archive_document(uuid.UUID(doc))

    def archive_document(self, document_id: uuid.UUID) -> None:
        self.adapter.call(self.adapter.client.archive_document, document_id, done=self._reload)

    def send_document_link(self) -> None:
        """내 서류 문자 보내기: the link and, apart, its code to the visit's number (off the GUI thread)."""
        if self.case is not None:
            self.tabs.link_result.setText("보내는 중…")
            self.adapter.call(
                self.adapter.client.send_document_link,
                self.case.visit_id,
                done=self.tabs.show_document_link,
                failed=self._document_link_refused,
            )

    def _document_link_refused(self, code: str, message_ko: str) -> None:
        self.tabs.show_document_link_refused(message_ko)
        self.show_error(code, message_ko)

    def plan_aftercare(self) -> None:
        if self.case is None:
            return
        outcome = self.case.outcome or "information_only"
        if not self.case.outcome:
            self.adapter.call(self.adapter.client.set_outcome, self.case.visit_id, outcome, done=self._ignore)
        self.adapter.call(self.adapter.client.plan_aftercare, self.case.visit_id, outcome, done=self._reload)

    def _reload(self, _result: object = None) -> None:
        if self.case is not None:
            self.load_case(self.case.visit_id)

    def refresh_due(self) -> None:
        self.adapter.call(self.adapter.client.due_followups, done=self._show_due)

    def _show_due(self, due: list[FollowUpOut]) -> None:
        self.tabs.show_due(due)

    # --- events and mirror --------------------------------------------------------------------------
    def on_event(self, event: dict[str, Any]) -> None:
        kind, data = event.get("type", ""), event.get("data", {})
        if kind.startswith("ticket."):
            self.refresh_queue()
        elif kind == "device.alert":  # shown until the hub says the printer is back
            self.fleet_banner.on_alert(data)
        elif kind == "debts.updated":  # another desk window fetched or saved this visit's list
            self.tabs.debts.on_updated(str(data.get("visit_id", "")))
        elif kind in ("document.signed", "document.pushed", "document.archived"):
            self._reload()
            if kind == "document.signed":
                self.statusBar().showMessage("창구에서 서명했어요", 8000)
        elif kind == "sms_consent.confirmed" and self.phone_dialog is not None:
            self.phone_dialog.on_code_confirmed(data)  # the caller confirmed on the consent page
        elif kind == "aftercare.reply":  # a reminder's reply code: the due list shows it at once
            self.refresh_due()
            if data.get("reply") == "call_back":
                self.statusBar().showMessage(
                    "사후관리 문자에 '전화 요청' 답장이 왔어요. 전화해 주세요.", 15_000
                )
        elif kind in ("lobby.step", "lobby.help"):
            label = data.get("label") or str(data.get("device_id", ""))[:8]
            help_mark = "  🔔 직원 호출" if data.get("needs_help") else ""
            self._mirrors[str(data.get("device_id"))] = (
                f"{label}: {data.get('title_ko') or data.get('step')}{help_mark}"
            )
            self._render_mirrors()
            self.refresh_queue()  # a call for staff shows on the person's queue row too
            if kind == "lobby.help":
                self.statusBar().showMessage(f"🔔 {label}에서 직원을 부르고 있어요", 15_000)

    def _show_mirrors(self, mirrors: list[MirrorOut]) -> None:
        for m in mirrors:
            help_mark = "  🔔 직원 호출" if m.needs_help else ""
            self._mirrors[str(m.device_id)] = f"{m.label}: {m.title_ko or m.step}{help_mark}"
        self._render_mirrors()

    def _render_mirrors(self) -> None:
        self.mirror.clear()
        self.mirror.addItems(sorted(self._mirrors.values()))

    def show_pair_code(self) -> None:
        self.adapter.call(self.adapter.client.counter_code, done=self._show_pair_code)

    def _show_pair_code(self, out: CounterCodeOut) -> None:
        self.statusBar().showMessage(f"창구 화면에 이 번호를 입력하세요: {out.code} (10분 안에)", 60_000)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.refresh_timer.stop()
        self.due_timer.stop()
        self.adapter.stop()
        super().closeEvent(event)
