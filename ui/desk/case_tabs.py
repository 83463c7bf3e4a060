"""The case: a one-line summary and the suggested next step on top, then its sections in a side list
(identity, consent, answers, verdicts, documents, notes, after-care, history) — a list, not tabs, so
all eight stay readable at any window width.

Everything shown here comes from the hub's CaseView, which is already masked; the full identity appears
only after "개인정보 보기", which the hub audits.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from config import clock
from kiosk.aftercare.plan import kind_label
from kiosk.api import CaseView, FollowUpOut, PersonRevealed
from kiosk.api.document_links import DocumentLinkOut
from kiosk.api.phone import PHONE_DOCUMENT_KIND, PHONE_IDENTITY_KO
from kiosk.visit.questionnaire import Questionnaire
from ui.counter.words import document_code
from ui.desk.case_summary import (
    VERDICT_WORDS,
    NextAction,
    answer_rows,
    is_phone_visit,
    next_action,
    summary_line,
)
from ui.desk.consent_withdraw import ConsentWithdrawPanel
from ui.desk.debt_tab import DebtTab

NO_CASE = "호출한 번호가 없어요. '다음 번호 호출'(Ctrl+N)로 불러 주세요."
DOC_STATUS = {
    "generated": "만듦 · 아직 보내지 않음",
    "pushed": "창구로 보냄 · 서명 대기",
    "signed": "서명 완료",
    "archived": "보관됨",
}
DOC_NAMES = {
    "consent": "동의서",
    "intake_summary": "상담 신청서",
    "counseling_record": "상담 기록",
    "aftercare_plan": "사후관리 계획",
    "debt_application": "채무조정 신청서",
}
SEND_LINK = "내 서류 문자 보내기"
# 채무 last: the demo and tests pick the others by index (ui.desk.demo_script).
SECTIONS = ("신원", "동의", "답변", "결과", "문서", "메모", "사후관리", "이력", "채무")
DEBTS = SECTIONS.index("채무")
FOLLOWUP_STATUS = {"planned": "예정", "done": "완료", "missed": "미실시"}
# The reminder SMS and the person's reply code (kiosk.aftercare.reminders), on the due list.
DUE_HEADERS = ["예정일", "종류", "상태", "문자", "답장"]
DUE_TITLE = "내 사후관리 일정 (7일 안)"
REMINDER_SMS = {
    "queued": "보낼 예정",
    "sent": "보냄",
    "delivered": "전달됨",
    "failed": "실패",
    "opted_out": "수신 거부",
}
REPLY_WORDS = {"confirmed": "확인했어요", "call_back": "전화 요청"}
# A call-back request must catch the eye: dark text on amber keeps ≥ 4.5:1 under either theme.
CALL_BACK_BACKGROUND, CALL_BACK_TEXT = QColor("#FFD54F"), QColor("#000000")


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.horizontalHeader().setStretchLastSection(True)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    return table


def _fill(table: QTableWidget, rows: list[list[Any]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
    table.resizeColumnsToContents()


def _wrapping_table(headers: list[str]) -> QTableWidget:
    """A table whose last column takes the width left and wraps its text onto more lines."""
    table = _table(headers)
    table.setWordWrap(True)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # it wraps instead
    header = table.horizontalHeader()
    for column in range(len(headers) - 1):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


def _consent_word(item: Any) -> str:
    if item.get("withdrawn_at"):  # agreed once, then withdrawn at the desk (ui.desk.consent_withdraw)
        return "철회"
    return "동의" if item.get("granted") else "거부"


class CaseTabs(QWidget):
    def __init__(self, parent: QWidget | None = None, questions: Questionnaire | None = None) -> None:
        super().__init__(parent)
        self.questions = questions
        self.next: NextAction | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        self.summary = QLabel(NO_CASE)
        self.summary.setObjectName("caseSummary")
        self.summary.setWordWrap(True)
        font = self.summary.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.summary.setFont(font)
        self.next_button = QPushButton("다음 할 일")
        self.next_button.setFont(font)
        self.next_button.setDefault(True)
        self.next_button.setObjectName("nextAction")
        self.next_button.setToolTip("제안된 다음 할 일을 해요 (Ctrl+Enter)")
        self.next_button.setEnabled(False)
        head.addWidget(self.summary, 1)
        head.addWidget(self.next_button)
        outer.addLayout(head)
        body = QHBoxLayout()
        self.sections = QListWidget()
        self.sections.addItems(list(SECTIONS))
        self.sections.setFixedWidth(self.sections.sizeHintForColumn(0) + 40)
        self.pages = QStackedWidget()
        body.addWidget(self.sections)
        body.addWidget(self.pages, 1)
        outer.addLayout(body, 1)
        self._identity_page()
        self.consent = _table(["항목", "필수", "동의"])
        self.consent_withdraw = ConsentWithdrawPanel()  # 동의 철회, under the items it withdraws
        consent_page = QWidget()
        consent_box = QVBoxLayout(consent_page)
        consent_box.setContentsMargins(0, 0, 0, 0)
        consent_box.addWidget(self.consent, 1)
        consent_box.addWidget(self.consent_withdraw)
        self.pages.addWidget(consent_page)
        self.answers = _wrapping_table(["질문", "답"])
        self.pages.addWidget(self.answers)
        self.verdicts = _wrapping_table(["제도", "결과", "이유"])
        self.pages.addWidget(self.verdicts)
        self._documents_page()
        self._notes_page()
        self._aftercare_page()
        self.history = _table(["방문", "날짜", "결과"])
        self.pages.addWidget(self.history)
        self.debts = DebtTab()  # the creditor table and the plan with its term slider
        self.pages.addWidget(self.debts)
        self.document_ids: list[str] = []
        self.sms_available = False  # the center's SMS (hub /sms/status): without it, no 내 서류 button
        self._has_signed = False
        self._shown_visit: uuid.UUID | None = None
        self.sections.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.setCurrentIndex(0)

    # --- pages ---------------------------------------------------------------------------------------
    def _identity_page(self) -> None:
        self.identity = QLabel(NO_CASE)
        self.identity.setWordWrap(True)
        self.reveal_button = QPushButton("개인정보 보기 (열람 기록이 남아요)")
        self.reveal_button.setEnabled(False)
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(self.identity)
        box.addWidget(self.reveal_button)
        box.addStretch()
        self.pages.addWidget(page)

    def _documents_page(self) -> None:
        page = QWidget()
        docs = QVBoxLayout(page)
        row = QHBoxLayout()
        self.generate_consent = QPushButton("동의서 만들기")
        self.generate_summary = QPushButton("신청서 만들기")
        self.push_button = QPushButton("창구로 보내기")
        self.push_button.setToolTip("고른 문서를 창구 화면에 보내 서명을 받아요")
        self.archive_button = QPushButton("보관하기")
        for button in (self.generate_consent, self.generate_summary, self.push_button, self.archive_button):
            button.setEnabled(False)
            row.addWidget(button)
        # 내 서류 (issue 19): shown only when there is something signed to send and a way to send it.
        self.send_link_button = QPushButton(SEND_LINK)
        self.send_link_button.setToolTip(
            "서명한 서류를 7일 동안 받을 수 있는 링크와 확인 코드를 문자 두 통으로 보내요"
        )
        self.send_link_button.setVisible(False)
        row.addWidget(self.send_link_button)
        docs.addLayout(row)
        self.link_result = QLabel("")
        self.link_result.setObjectName("documentLinkResult")
        self.link_result.setWordWrap(True)
        docs.addWidget(self.link_result)
        self.documents = _table(["문서", "상태", "문서 번호"])
        self.documents.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        docs.addWidget(self.documents)
        self.pages.addWidget(page)

    def _notes_page(self) -> None:
        page = QWidget()
        notes = QVBoxLayout(page)
        self.notes = QListWidget()
        self.notes.setWordWrap(True)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText("상담 메모 (개인정보는 적지 마세요)")
        self.note_edit.setMaximumHeight(80)
        self.add_note = QPushButton("메모 저장")
        self.add_note.setEnabled(False)
        for widget in (self.notes, self.note_edit, self.add_note):
            notes.addWidget(widget)
        self.pages.addWidget(page)

    def _aftercare_page(self) -> None:
        page = QWidget()
        after = QVBoxLayout(page)
        self.plan_button = QPushButton("사후관리 계획 세우기")
        self.plan_button.setEnabled(False)
        self.followups = _table(["예정일", "종류", "상태"])
        self.due = _table(DUE_HEADERS)
        self.due_label = QLabel(DUE_TITLE)
        after.addWidget(self.plan_button)
        after.addWidget(self.followups)
        after.addWidget(self.due_label)
        after.addWidget(self.due)
        self.pages.addWidget(page)

    # --- the side list as tabs were used (the demo and tests pick sections by index) -----------------
    def setCurrentIndex(self, index: int) -> None:
        self.sections.setCurrentRow(index)

    def currentIndex(self) -> int:
        return self.sections.currentRow()

    def count(self) -> int:
        return self.sections.count()

    # --- filling -------------------------------------------------------------------------------------
    def show_case(self, case: CaseView) -> None:
        if case.visit_id != self._shown_visit:  # another person's case: the last answer goes
            self.link_result.setText("")
            self._shown_visit = case.visit_id
        self.summary.setText(summary_line(case, self.questions))
        self.next = next_action(case)
        self.next_button.setText(self.next.label)
        self.next_button.setEnabled(self.next.can_do)
        person = case.person
        phone = is_phone_visit(case)
        lines = [f"방문 {str(case.visit_id)[:8]} · 상태 {case.status}"]
        if person is not None:
            lines.append(f"이름 {person.name_masked} · 주민등록번호 {person.rrn_masked or '-'}")
            unverified = PHONE_IDENTITY_KO if phone else "확인 안 됨 (시연 기기)"
            lines.append("진위 확인: " + ("확인됨" if person.verified else unverified))
        for check in case.identity:
            if check.document_kind == PHONE_DOCUMENT_KIND:
                lines.append(f"확인 방법 {PHONE_IDENTITY_KO} — 신분증으로 확인하지 않았어요")
            else:
                lines.append(f"확인 방법 {check.method} · {check.document_kind} · 결과 {check.result}")
        if case.consent is not None and case.consent.method == "sms":
            lines.append("동의 방법: 휴대전화 문자 인증")
        self.identity.setText("\n".join(lines))
        self.reveal_button.setEnabled(person is not None)
        for button in (self.generate_consent, self.generate_summary, self.add_note, self.plan_button):
            button.setEnabled(True)
        if case.consent is not None:
            _fill(
                self.consent,
                [
                    [k, "필수" if v.get("required") else "선택", _consent_word(v)]
                    for k, v in case.consent.items.items()
                ],
            )
        self.consent_withdraw.show_case(case)
        _fill(self.answers, answer_rows(case.answers, self.questions))
        _fill(
            self.verdicts,
            [
                [
                    v.get("name_ko") or v.get("id"),
                    VERDICT_WORDS.get(v.get("verdict", ""), ""),
                    "\n".join(r.get("ko", "") for r in v.get("reasons", [])),
                ]
                for v in case.verdicts
            ],
        )
        self.verdicts.resizeRowsToContents()
        self.show_documents([d.model_dump() for d in case.documents])
        self.notes.clear()
        self.notes.addItems([n.text for n in case.notes])
        _fill(
            self.followups,
            [
                [f.due_date, kind_label(f.kind), FOLLOWUP_STATUS.get(f.status, f.status)]
                for f in case.followups
            ],
        )
        _fill(
            self.history,
            [
                [str(v.visit_id)[:8], clock.local_date(v.at).isoformat(), v.outcome or "-"]
                for v in case.earlier_visits
            ],
        )
        self.debts.show_case(case)

    def show_due(self, due: list[FollowUpOut]) -> None:
        """The counselor's due list; a "전화 요청" reply is highlighted and counted in the title."""
        _fill(
            self.due,
            [
                [
                    f.due_date,
                    kind_label(f.kind),
                    FOLLOWUP_STATUS.get(f.status, f.status),
                    REMINDER_SMS.get(f.reminder_sms or "", ""),
                    REPLY_WORDS.get(f.reply or "", ""),
                ]
                for f in due
            ],
        )
        calls = 0
        for row, f in enumerate(due):
            if f.reply != "call_back":
                continue
            calls += 1
            for column in range(self.due.columnCount()):
                item = self.due.item(row, column)
                if item is None:
                    continue
                item.setBackground(CALL_BACK_BACKGROUND)
                item.setForeground(CALL_BACK_TEXT)
                item.setToolTip("문자로 전화를 요청했어요. 전화해 주세요.")
                font = item.font()
                font.setBold(True)
                item.setFont(font)
        self.due_label.setText(f"{DUE_TITLE} · 전화 요청 {calls}건" if calls else DUE_TITLE)

    def show_documents(self, documents: list[dict[str, Any]]) -> None:
        self.document_ids = [str(d["id"]) for d in documents]
        _fill(
            self.documents,
            [
                [
                    DOC_NAMES.get(d["template"], d["template"]),
                    DOC_STATUS.get(d["status"], d["status"]),
                    document_code(d["id"]),
                ]
                for d in documents
            ],
        )
        self.push_button.setEnabled(bool(documents))
        self.archive_button.setEnabled(any(d["status"] == "signed" for d in documents))
        self._has_signed = any(d["status"] in ("signed", "archived") for d in documents)
        self._show_send_link()

    # --- 내 서류: the link to the signed PDFs by SMS ---------------------------------------------------
    def set_sms_available(self, available: bool) -> None:
        self.sms_available = available
        self._show_send_link()

    def _show_send_link(self) -> None:
        self.send_link_button.setVisible(self.sms_available and self._has_signed)

    def show_document_link(self, out: DocumentLinkOut) -> None:
        until = clock.local(out.expires_at)
        self.link_result.setText(
            f"{out.to_masked}로 서류 링크와 확인 코드를 문자 두 통으로 따로 보냈어요. "
            f"{until.month}월 {until.day}일 {until:%H:%M}까지 쓸 수 있어요."
        )

    def show_document_link_refused(self, message_ko: str) -> None:
        self.link_result.setText(f"보내지 못했어요: {message_ko}")

    def show_revealed(self, person: PersonRevealed) -> None:
        self.identity.setText(
            self.identity.text() + f"\n\n[열람 기록됨] {person.name} · {person.rrn or '-'} · "
            f"{person.phone or '-'}"
        )

    def selected_document(self) -> str | None:
        row = self.documents.currentRow()
        if 0 <= row < len(self.document_ids):
            return self.document_ids[row]
        return self.document_ids[-1] if self.document_ids else None

    def wipe(self) -> None:
        self.identity.setText(NO_CASE)
        self.summary.setText(NO_CASE)
        self.next = None
        self.next_button.setText("다음 할 일")
        self.next_button.setEnabled(False)
        self.reveal_button.setEnabled(False)
        for table in (
            self.consent,
            self.answers,
            self.verdicts,
            self.documents,
            self.followups,
            self.history,
        ):
            table.setRowCount(0)
        self.notes.clear()
        self.document_ids = []
        self._has_signed = False
        self._show_send_link()
        self.link_result.setText("")
        self._shown_visit = None
        self.debts.wipe()
        self.consent_withdraw.wipe()
