"""The counselor desk window: queue board, call next / recall / transfer, case tabs, lobby mirror.

All hub calls go through HubAdapter (worker threads); hub events refresh the board and show signing
live. Called tickets are announced by number and desk only.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
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
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.api import CaseView, QueueOut, TicketOut
from ui.adapters.hub_adapter import HubAdapter
from ui.desk.case_tabs import CaseTabs

LINES = {"A": "A 금융상담", "B": "B 채무조정", "C": "C 통합상담"}


class DeskWindow(QMainWindow):
    def __init__(self, adapter: HubAdapter, desk_label: str = "3", counselor_name: str = "") -> None:
        super().__init__()
        self.adapter, self.desk_label = adapter, desk_label
        self.setWindowTitle(f"상담석 {desk_label} · Counselor desk — {counselor_name}")
        self.current: TicketOut | None = None
        self.case: CaseView | None = None
        central = QWidget()
        layout = QVBoxLayout(central)
        bar = QHBoxLayout()
        self.line_box = QComboBox()
        for code, label in LINES.items():
            self.line_box.addItem(label, code)
        self.call_button = QPushButton("다음 번호 호출 (Ctrl+N)")
        self.recall_button = QPushButton("다시 호출 (Ctrl+R)")
        self.transfer_button = QPushButton("다른 창구로 (Ctrl+T)")
        self.no_show_button = QPushButton("미방문")
        self.done_button = QPushButton("상담 끝")
        self.pair_button = QPushButton("창구 화면 연결 코드")
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
        layout.addLayout(bar)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.addWidget(QLabel("대기 현황 · Queue"))
        self.board = QTreeWidget()
        self.board.setHeaderLabels(["번호 Number", "상태 Status", "대기 Wait"])
        left_box.addWidget(self.board)
        left_box.addWidget(QLabel("로비 키오스크 · Lobby kiosks (live)"))
        self.mirror = QListWidget()
        left_box.addWidget(self.mirror)
        splitter.addWidget(left)
        self.tabs = CaseTabs()
        splitter.addWidget(self.tabs)
        splitter.setSizes([330, 770])
        layout.addWidget(splitter)
        self.setCentralWidget(central)
        self.setStatusBar(QStatusBar())
        self.resize(1180, 760)
        self._mirrors: dict[str, str] = {}
        self._wire()
        self.refresh_timer = QTimer(self)
        self.refresh_timer.timeout.connect(self.refresh_queue)
        self.refresh_timer.start(5000)
        self._set_ticket_buttons()

    # --- wiring -------------------------------------------------------------------------------------
    def _wire(self) -> None:
        self.call_button.clicked.connect(self.call_next)
        self.recall_button.clicked.connect(self.recall)
        self.transfer_button.clicked.connect(self.transfer)
        self.no_show_button.clicked.connect(self.no_show)
        self.done_button.clicked.connect(self.finish)
        self.pair_button.clicked.connect(self.show_pair_code)
        for keys, slot in (("Ctrl+N", self.call_next), ("Ctrl+R", self.recall), ("Ctrl+T", self.transfer)):
            QShortcut(QKeySequence(keys), self, slot)
        t = self.tabs
        t.reveal_button.clicked.connect(self.reveal)
        t.generate_consent.clicked.connect(lambda: self.generate("consent"))
        t.generate_summary.clicked.connect(lambda: self.generate("intake_summary"))
        t.push_button.clicked.connect(self.push)
        t.archive_button.clicked.connect(self.archive)
        t.add_note.clicked.connect(self.save_note)
        t.plan_button.clicked.connect(self.plan_aftercare)
        self.adapter.eventReceived.connect(self.on_event)
        self.adapter.connectionChanged.connect(
            lambda up: self.statusBar().showMessage(
                "허브 연결됨" if up else "허브 연결 끊김 — 다시 연결하는 중…"
            )
        )
        self.adapter.failed.connect(self.show_error)

    def start(self) -> None:
        self.adapter.start_events()
        self.refresh_queue()
        self.adapter.call(self.adapter.client.lobby_mirrors, done=self._show_mirrors)
        self.adapter.call(self.adapter.client.due_followups, done=self._show_due)

    def show_error(self, code: str, message_ko: str) -> None:
        self.statusBar().showMessage(f"{message_ko} [{code}]", 10_000)

    def _set_ticket_buttons(self) -> None:
        has = self.current is not None
        for button in (self.recall_button, self.transfer_button, self.no_show_button, self.done_button):
            button.setEnabled(has)

    # --- queue --------------------------------------------------------------------------------------
    def refresh_queue(self) -> None:
        self.adapter.call(self.adapter.client.queue, done=self._show_queue)

    def _show_queue(self, queue: QueueOut) -> None:
        self.board.clear()
        for line in queue.lines:
            top = QTreeWidgetItem(
                [
                    LINES.get(line.line, line.line),
                    f"{len(line.waiting)}명 대기",
                    f"약 {line.estimated_wait_minutes}분",
                ]
            )
            for t in line.called:
                top.addChild(QTreeWidgetItem([t.display, f"호출 → 창구 {t.desk}", ""]))
            for t in line.waiting:
                top.addChild(QTreeWidgetItem([t.display, "대기", f"{t.wait_minutes or 0}분"]))
            self.board.addTopLevelItem(top)
            top.setExpanded(True)

    def call_next(self) -> None:
        line = self.line_box.currentData()
        self.adapter.call(self.adapter.client.call_next, line, self.desk_label, done=self._called)

    def _called(self, ticket: TicketOut | None) -> None:
        if ticket is None:
            self.statusBar().showMessage("기다리는 사람이 없어요 (queue empty)", 5000)
            return
        self.current = ticket
        self.called_label.setText(f"호출: {ticket.display} → 창구 {self.desk_label}")
        self._set_ticket_buttons()
        self.refresh_queue()
        if ticket.visit_id is not None:
            self.load_case(ticket.visit_id)

    def recall(self) -> None:
        if self.current is not None:
            self.adapter.call(self.adapter.client.recall, self.current.id, done=lambda _t: None)

    def transfer(self) -> None:
        if self.current is None:
            return
        line, ok = QInputDialog.getItem(self, "다른 창구로", "창구 Line", list(LINES), 0, False)
        if ok:
            self.adapter.call(
                self.adapter.client.transfer,
                self.current.id,
                line,
                "상담석에서 이동",
                done=lambda _t: self._close_ticket(),
            )

    def no_show(self) -> None:
        if self.current is not None:
            self.adapter.call(
                self.adapter.client.no_show, self.current.id, done=lambda _t: self._close_ticket()
            )

    def finish(self) -> None:
        if self.current is not None:
            self.adapter.call(
                self.adapter.client.finish_ticket, self.current.id, done=lambda _t: self._close_ticket()
            )

    def _close_ticket(self) -> None:
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

    def reveal(self) -> None:
        if self.case is not None:
            self.adapter.call(
                self.adapter.client.reveal_person, self.case.visit_id, done=self.tabs.show_revealed
            )

    def save_note(self) -> None:
        text = self.tabs.note_edit.toPlainText().strip()
        if self.case is not None and text:
            self.tabs.note_edit.clear()
            self.adapter.call(
                self.adapter.client.add_note,
                self.case.visit_id,
                text,
                done=lambda _r: self.load_case(self.case.visit_id) if self.case else None,
            )

    def generate(self, template: str) -> None:
        if self.case is not None:
            self.adapter.call(
                self.adapter.client.generate_document,
                self.case.visit_id,
                template,
                done=lambda _d: self._reload(),
            )

    def push(self) -> None:
        doc = self.tabs.selected_document()
        if doc:
            self.adapter.call(
                self.adapter.client.push_document, uuid.UUID(doc), done=lambda _d: self._reload()
            )

    def archive(self) -> None:
        doc = self.tabs.selected_document()
        if doc:
            self.adapter.call(
                self.adapter.client.archive_document, uuid.UUID(doc), done=lambda _d: self._reload()
            )

    def plan_aftercare(self) -> None:
        if self.case is None:
            return
        outcome = self.case.outcome or "information_only"
        if not self.case.outcome:
            self.adapter.call(
                self.adapter.client.set_outcome, self.case.visit_id, outcome, done=lambda _r: None
            )
        self.adapter.call(
            self.adapter.client.plan_aftercare, self.case.visit_id, outcome, done=lambda _r: self._reload()
        )

    def _reload(self) -> None:
        if self.case is not None:
            self.load_case(self.case.visit_id)

    def _show_due(self, due: list[Any]) -> None:
        from ui.desk.case_tabs import _fill

        _fill(self.tabs.due, [[f.due_date, f.kind, f.status] for f in due])

    # --- events and mirror --------------------------------------------------------------------------
    def on_event(self, event: dict[str, Any]) -> None:
        kind, data = event.get("type", ""), event.get("data", {})
        if kind.startswith("ticket."):
            self.refresh_queue()
        elif kind in ("document.signed", "document.pushed", "document.archived"):
            self._reload()
            if kind == "document.signed":
                self.statusBar().showMessage("창구에서 서명했어요 (signed at the counter)", 8000)
        elif kind in ("lobby.step", "lobby.help"):
            label = data.get("label") or str(data.get("device_id", ""))[:8]
            help_mark = "  🔔 직원 호출" if data.get("needs_help") else ""
            self._mirrors[str(data.get("device_id"))] = (
                f"{label}: {data.get('title_ko') or data.get('step')}{help_mark}"
            )
            self._render_mirrors()

    def _show_mirrors(self, mirrors: list[Any]) -> None:
        for m in mirrors:
            self._mirrors[str(m.device_id)] = f"{m.label}: {m.title_ko or m.step}"
        self._render_mirrors()

    def _render_mirrors(self) -> None:
        self.mirror.clear()
        self.mirror.addItems(sorted(self._mirrors.values()))

    def show_pair_code(self) -> None:
        self.adapter.call(
            self.adapter.client.counter_code,
            done=lambda out: self.statusBar().showMessage(
                f"창구 화면에 이 번호를 입력하세요: {out.code} (10분 안에)", 60_000
            ),
        )

    def closeEvent(self, event: Any) -> None:
        self.refresh_timer.stop()
        self.adapter.stop()
        super().closeEvent(event)
