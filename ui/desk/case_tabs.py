"""The case in tabs (identity, consent, answers, verdicts, documents, notes, after-care, history).

Everything shown here comes from the hub's CaseView, which is already masked; the full identity appears
only after "개인정보 보기", which the hub audits.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from config import clock
from kiosk.api import CaseView, PersonRevealed

VERDICT_WORDS = {"eligible": "✔ 신청 가능", "maybe": "△ 서류 확인 필요", "ineligible": "✖ 지금은 어려움"}
DOC_STATUS = {
    "generated": "생성됨",
    "pushed": "창구로 보냄 · 서명 대기",
    "signed": "서명 완료",
    "archived": "보관됨",
}


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.horizontalHeader().setStretchLastSection(True)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    return table


def _fill(table: QTableWidget, rows: list[list[Any]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
    table.resizeColumnsToContents()


class CaseTabs(QTabWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.identity = QLabel("호출한 번호가 없어요 (no case open)")
        self.identity.setWordWrap(True)
        self.reveal_button = QPushButton("개인정보 보기 (기록됨) · Reveal (audited)")
        self.reveal_button.setEnabled(False)
        identity_page = QWidget()
        box = QVBoxLayout(identity_page)
        box.addWidget(self.identity)
        box.addWidget(self.reveal_button)
        box.addStretch()
        self.addTab(identity_page, "신원 Identity")
        self.consent = _table(["항목 Item", "필수 Required", "동의 Granted"])
        self.addTab(self.consent, "동의 Consent")
        self.answers = _table(["질문 Question", "답 Answer"])
        self.addTab(self.answers, "답변 Answers")
        self.verdicts = _table(["제도 Program", "결과 Verdict", "이유 Reasons"])
        self.addTab(self.verdicts, "결과 Verdicts")
        documents_page = QWidget()
        docs = QVBoxLayout(documents_page)
        row = QHBoxLayout()
        self.generate_consent = QPushButton("동의서 만들기")
        self.generate_summary = QPushButton("신청서 만들기")
        self.push_button = QPushButton("창구로 보내기 Push")
        self.archive_button = QPushButton("보관 Archive")
        for button in (self.generate_consent, self.generate_summary, self.push_button, self.archive_button):
            button.setEnabled(False)
            row.addWidget(button)
        docs.addLayout(row)
        self.documents = _table(["문서 Document", "상태 Status", "SHA-256"])
        self.documents.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        docs.addWidget(self.documents)
        self.addTab(documents_page, "문서 Documents")
        notes_page = QWidget()
        notes = QVBoxLayout(notes_page)
        self.notes = QListWidget()
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText("상담 메모 (개인정보는 적지 마세요)")
        self.note_edit.setMaximumHeight(80)
        self.add_note = QPushButton("메모 저장 Save note")
        self.add_note.setEnabled(False)
        for widget in (self.notes, self.note_edit, self.add_note):
            notes.addWidget(widget)
        self.addTab(notes_page, "메모 Notes")
        aftercare_page = QWidget()
        after = QVBoxLayout(aftercare_page)
        self.plan_button = QPushButton("사후관리 계획 Plan follow-ups")
        self.plan_button.setEnabled(False)
        self.followups = _table(["예정일 Due", "종류 Kind", "상태 Status"])
        self.due = _table(["예정일 Due", "종류 Kind", "상태 Status"])
        after.addWidget(self.plan_button)
        after.addWidget(self.followups)
        after.addWidget(QLabel("내 사후관리 일정 (7일 이내) · My follow-ups due"))
        after.addWidget(self.due)
        self.addTab(aftercare_page, "사후관리 After-care")
        self.history = _table(["방문 Visit", "일시 When", "결과 Outcome"])
        self.addTab(self.history, "이력 History")
        self.document_ids: list[str] = []

    def show_case(self, case: CaseView) -> None:
        person = case.person
        lines = [f"방문 {str(case.visit_id)[:8]} · 상태 {case.status}"]
        if person is not None:
            lines.append(f"이름 {person.name_masked} · 주민등록번호 {person.rrn_masked or '-'}")
            lines.append(
                "진위 확인: " + ("확인됨" if person.verified else "확인 안 됨 (emulated/not checked)")
            )
        for check in case.identity:
            lines.append(f"확인 방법 {check.method} · {check.document_kind} · 결과 {check.result}")
        self.identity.setText("\n".join(lines))
        self.reveal_button.setEnabled(person is not None)
        for button in (self.generate_consent, self.generate_summary, self.add_note, self.plan_button):
            button.setEnabled(True)
        if case.consent is not None:
            _fill(
                self.consent,
                [
                    [k, "필수" if v.get("required") else "선택", "동의" if v.get("granted") else "거부"]
                    for k, v in case.consent.items.items()
                ],
            )
        _fill(self.answers, [[k, v] for k, v in case.answers.items()])
        _fill(
            self.verdicts,
            [
                [
                    v.get("name_ko") or v.get("id"),
                    VERDICT_WORDS.get(v.get("verdict", ""), ""),
                    " / ".join(r.get("ko", "") for r in v.get("reasons", [])[:3]),
                ]
                for v in case.verdicts
            ],
        )
        self.show_documents([d.model_dump() for d in case.documents])
        self.notes.clear()
        self.notes.addItems([n.text for n in case.notes])
        _fill(self.followups, [[f.due_date, f.kind, f.status] for f in case.followups])
        _fill(
            self.history,
            [
                [str(v.visit_id)[:8], clock.local_date(v.at).isoformat(), v.outcome or "-"]
                for v in case.earlier_visits
            ],
        )

    def show_documents(self, documents: list[dict[str, Any]]) -> None:
        self.document_ids = [str(d["id"]) for d in documents]
        _fill(
            self.documents,
            [
                [d["template"], DOC_STATUS.get(d["status"], d["status"]), d["sha256"][:16] + "…"]
                for d in documents
            ],
        )
        self.push_button.setEnabled(bool(documents))
        self.archive_button.setEnabled(any(d["status"] == "signed" for d in documents))

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
        self.identity.setText("호출한 번호가 없어요 (no case open)")
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
