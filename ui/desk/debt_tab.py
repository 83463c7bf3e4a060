"""채무: the case's creditor table beside its repayment plan, with a term slider that moves the payment.

The list comes from the hub (its source said above the table: the credit-information port — "에뮬레이터
데이터예요" when the port is the emulator —, the counselor, or the kiosk's totals); the counselor edits it
in place and 저장 sends it (the hub checks it like ``kiosk debt plan`` and its Korean refusal is shown
as it came). The plan is worked out HERE with ``kiosk.debt`` (pure, well under a millisecond), from the
table as it is and the case's answers, so every edit and every slider tick repaints at once without a
hub call; only when the slider comes to rest is the term told to the hub (``debt_plan``), which makes
it the term of the 채무조정 신청서. Every hub call goes through the HubAdapter's workers.
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSlider,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from config import clock
from kiosk.api import CaseView
from kiosk.api.debts import DebtIn, DebtListOut
from kiosk.client import HubClient, HubUnavailable
from kiosk.debt import (
    DebtEstimate,
    DebtorInput,
    InvalidDebts,
    PlanRules,
    ProgramPlan,
    estimate,
    validate_debtor,
)
from kiosk.debt.assumptions import with_totals_assumptions
from kiosk.debt.from_answers import profile_from_answers
from kiosk.debt.inputs import KIND_WORDS
from kiosk.debt.visit_list import low_high, plan_rules
from kiosk.debt.wording import ESTIMATE_ONLY
from ui.adapters.hub_adapter import HubAdapter

HEADERS = ["채권자", "종류", "원금 (원)", "연이율 (%)", "연체일", "상각 여부"]
CREDITOR, KIND, PRINCIPAL, RATE, OVERDUE, WRITTEN_OFF = range(6)
PLAN_HEADERS = ["제도", "원금 (전 → 후)", "이율", "기간", "월 납입액", "총액"]
KINDS = tuple(KIND_WORDS)  # card, unsecured_loan, secured_loan, other — the combo's order
SOURCE_WORDS = {
    "credit_port": "신용정보 조회",
    "counselor": "상담사 입력",
    "kiosk_totals": "키오스크 답변 (합계 — 이율은 가정치예요)",
}
EMULATED = "에뮬레이터 데이터예요"
NO_PROFILE = "소득이나 가구원 수 답변이 없어서 계획을 셈할 수 없어요."
REST_MS = 500  # the slider at rest this long: its term goes to the hub (not on every tick)


def won(amount: int | None) -> str:
    return "-" if amount is None else f"{amount:,}원"


def months_words(months: int | None) -> str:
    if months is None:
        return "-"
    years, rest = divmod(months, 12)
    span = " ".join(([f"{years}년"] if years else []) + ([f"{rest}개월"] if rest else []))
    return f"{months}개월 ({span})" if years else span


def pct(rate: float | None) -> str:
    return "-" if rate is None else (f"{rate * 100:.2f}".rstrip("0").rstrip(".") + "%")


@dataclass(frozen=True)
class PortFailed:
    """The hub is up but its credit-information port failed (502) or is off (503): the hub client's
    own sentence for it, which the adapter's generic "허브에 연결할 수 없어요" would hide."""

    message_ko: str


def fetch_list(client: HubClient, visit_id: uuid.UUID) -> DebtListOut | PortFailed:
    """Worker job: 불러오기."""
    try:
        return client.fetch_debts(visit_id)
    except HubUnavailable as exc:
        if exc.status in (502, 503):
            return PortFailed(exc.message_ko)
        raise


class RowProblem(ValueError):
    """A cell the table cannot read as its kind of value (the Korean sentence names the line)."""


def _number(text: str, row: int, what: str) -> float:
    cleaned = text.replace(",", "").replace("원", "").replace("%", "").replace("일", "").strip()
    try:
        return float(cleaned)
    except ValueError:
        raise RowProblem(f"{row + 1}번째 줄의 {what}을(를) 숫자로 적어 주세요") from None


def _whole(text: str, row: int, what: str) -> int:
    value = _number(text, row, what)
    if value != int(value):
        raise RowProblem(f"{row + 1}번째 줄의 {what}은(는) 정수로 적어 주세요")
    return int(value)


class KindBox(QComboBox):
    """The kind of one line, in Korean; its value is the plan's kind."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        for value in KINDS:
            self.addItem(KIND_WORDS[value][0], value)
        index = self.findData(kind)
        self.setCurrentIndex(index if index >= 0 else KINDS.index("other"))

    @property
    def kind(self) -> str:
        return str(self.currentData())


class DebtTab(QWidget):
    documentMade = Signal()  # a 채무조정 신청서 was generated: the case's documents changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.adapter: HubAdapter | None = None
        self.visit_id: uuid.UUID | None = None
        self.profile: dict[str, Any] | None = None
        # The list's source and whether the kiosk's answers gave the days overdue: a list that is the
        # kiosk's totals, as loaded, says in its reasons what it assumed (kiosk.debt.assumptions).
        self.list_source: str | None = None
        self.overdue_known = True
        self.rules: PlanRules = plan_rules()
        self.result: DebtEstimate | None = None
        self.debtor: DebtorInput | None = None  # the input of ``result``
        self.chosen: str | None = None  # the program the slider and the reasons are for
        self.term: int | None = None  # the counselor's term for it (None: the plan's own)
        self.dirty = False
        self.repaint_ms: list[float] = []  # each slider move: plan worked out and shown
        self._filling = False
        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.fetch_button = QPushButton("불러오기 (신용정보 조회)")
        self.fetch_button.setToolTip("동의한 신용정보 조회로 채권자 목록을 받아요")
        self.add_button = QPushButton("줄 추가")
        self.remove_button = QPushButton("줄 삭제")
        self.save_button = QPushButton("저장")
        self.save_button.setToolTip("고친 목록을 허브에 저장해요 (바뀐 줄마다 기록이 남아요)")
        self.apply_button = QPushButton("채무조정 신청서 만들기")
        self.apply_button.setToolTip("저장한 목록과 고른 기간으로 신청서를 만들어요 (문서에서 창구로 보내요)")
        for button in self._buttons():
            button.setEnabled(False)
            bar.addWidget(button)
        bar.addStretch()
        outer.addLayout(bar)
        self.source = QLabel("")
        self.source.setObjectName("debtSource")
        self.source.setWordWrap(True)
        self.emulated = QLabel(EMULATED)
        self.emulated.setObjectName("debtEmulated")
        self.emulated.setStyleSheet("font-weight: bold;")
        self.emulated.hide()
        self.message = QLabel("")
        self.message.setObjectName("debtMessage")
        self.message.setWordWrap(True)
        for label in (self.source, self.emulated, self.message):
            outer.addWidget(label)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(CREDITOR, QHeaderView.ResizeMode.Stretch)
        split.addWidget(self.table)
        split.addWidget(self._plan_side())
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)  # the plan's six columns need the room
        outer.addWidget(split, 1)
        self.rest_timer = QTimer(self)
        self.rest_timer.setSingleShot(True)
        self.rest_timer.setInterval(REST_MS)
        self._wire()

    def _plan_side(self) -> QWidget:
        side = QWidget()
        box = QVBoxLayout(side)
        box.setContentsMargins(0, 0, 0, 0)
        self.plan_table = QTableWidget(0, len(PLAN_HEADERS))
        self.plan_table.setHorizontalHeaderLabels(PLAN_HEADERS)
        self.plan_table.verticalHeader().setVisible(False)
        self.plan_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.plan_table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.plan_table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.plan_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.plan_table.horizontalHeader().setStretchLastSection(True)
        box.addWidget(self.plan_table)
        slider_row = QHBoxLayout()
        self.slider_label = QLabel("기간")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("debtTermSlider")
        self.slider.setEnabled(False)
        self.slider.setPageStep(12)
        self.term_label = QLabel("-")
        self.term_label.setObjectName("debtTerm")
        slider_row.addWidget(self.slider_label)
        slider_row.addWidget(self.slider, 1)
        slider_row.addWidget(self.term_label)
        box.addLayout(slider_row)
        self.payment = QLabel("")
        self.payment.setObjectName("debtPayment")
        font = self.payment.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.payment.setFont(font)
        box.addWidget(self.payment)
        self.reasons = QLabel("")
        self.reasons.setObjectName("debtReasons")
        self.reasons.setWordWrap(True)
        self.reasons.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.reasons.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(self.reasons, 1)
        notice = QLabel(ESTIMATE_ONLY[0])
        notice.setWordWrap(True)
        box.addWidget(notice)
        return side

    def _wire(self) -> None:
        self.fetch_button.clicked.connect(self.fetch)
        self.save_button.clicked.connect(self.save)
        self.apply_button.clicked.connect(self.make_application)
        self.add_button.clicked.connect(self.add_line)
        self.remove_button.clicked.connect(self.remove_line)
        self.table.itemChanged.connect(self._edited)
        self.plan_table.cellClicked.connect(self._choose_row)
        self.slider.valueChanged.connect(self.slide)
        self.rest_timer.timeout.connect(self._tell_term)

    def attach(self, adapter: HubAdapter) -> None:
        self.adapter = adapter

    # --- the case and its list ------------------------------------------------------------------------
    def show_case(self, case: CaseView) -> None:
        if case.visit_id != self.visit_id:
            self.wipe()
            self.visit_id = case.visit_id
        self.profile = profile_from_answers(case.answers)
        self.overdue_known = low_high(case.answers.get("delinquency_days")) is not None
        for button in self._buttons():
            button.setEnabled(True)
        if not self.dirty:
            self.load()

    def load(self) -> None:
        if self.adapter is None or self.visit_id is None:
            return
        self.adapter.call(
            self.adapter.client.get_debts, self.visit_id, done=self.show_list, failed=self.refused
        )

    def fetch(self) -> None:
        if self.adapter is None or self.visit_id is None:
            return
        self.message.setText("신용정보를 조회하는 중이에요…")
        self.adapter.call(
            fetch_list, self.adapter.client, self.visit_id, done=self._fetched, failed=self.refused
        )

    def _fetched(self, out: DebtListOut | PortFailed) -> None:
        if isinstance(out, PortFailed):
            self.message.setText(out.message_ko)
            return
        self.dirty = False
        self.show_list(out)
        self.message.setText(f"채권자 {len(out.debts)}곳을 불러왔어요.")

    def save(self) -> None:
        if self.adapter is None or self.visit_id is None:
            return
        try:
            lines = self.lines()
        except RowProblem as problem:
            self.message.setText(str(problem))
            return
        body = []
        for row, line in enumerate(lines):
            try:
                body.append(DebtIn.model_validate(line))
            except ValidationError:
                self.message.setText(f"{row + 1}번째 줄을 다시 확인해 주세요 (채권자 이름과 숫자)")
                return
        self.message.setText("저장하는 중이에요…")
        self.adapter.call(
            self.adapter.client.put_debts, self.visit_id, body, done=self._saved, failed=self.refused
        )

    def _saved(self, out: DebtListOut) -> None:
        self.dirty = False
        self.show_list(out)
        self.message.setText("저장했어요.")

    def refused(self, code: str, message_ko: str) -> None:
        """The hub's own Korean sentence, as it came (the code is for the log and the status bar)."""
        self.message.setText(f"{message_ko} [{code}]")

    def on_updated(self, visit_id: str) -> None:
        """debts.updated from the hub (another window fetched or saved): reload unless mid-edit."""
        if self.visit_id is None or visit_id != str(self.visit_id):
            return
        if self.dirty:
            self.message.setText("다른 곳에서 목록이 바뀌었어요. 저장하거나 다시 불러오면 맞춰져요.")
        else:
            self.load()

    def show_list(self, out: DebtListOut) -> None:
        self._filling = True
        self.table.setRowCount(0)
        for debt in out.debts:
            self._append(
                debt.id, debt.creditor, debt.kind, debt.principal_krw, debt.annual_rate,
                debt.overdue_days, debt.written_off,
            )  # fmt: skip
        self._filling = False
        when = f" · 조회 {clock.local(out.fetched_at):%Y-%m-%d %H:%M}" if out.fetched_at else ""
        self.source.setText(f"출처: {SOURCE_WORDS.get(out.source, out.source)}{when}")
        self.list_source = out.source
        self.emulated.setVisible(out.emulated)
        self.recompute()

    def _append(
        self,
        line_id: uuid.UUID | None,
        creditor: str,
        kind: str,
        principal: int,
        rate: float,
        overdue: int,
        written_off: bool,
    ) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        name = QTableWidgetItem(creditor)
        name.setData(Qt.ItemDataRole.UserRole, str(line_id) if line_id else None)
        self.table.setItem(row, CREDITOR, name)
        box = KindBox(kind)
        box.currentIndexChanged.connect(self._kind_changed)
        self.table.setCellWidget(row, KIND, box)
        self.table.setItem(row, PRINCIPAL, QTableWidgetItem(f"{principal:,}"))
        self.table.setItem(row, RATE, QTableWidgetItem(pct(rate).rstrip("%")))
        self.table.setItem(row, OVERDUE, QTableWidgetItem(str(overdue)))
        check = QTableWidgetItem("상각")
        check.setFlags(check.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        check.setFlags(check.flags() & ~Qt.ItemFlag.ItemIsEditable)
        check.setCheckState(Qt.CheckState.Checked if written_off else Qt.CheckState.Unchecked)
        self.table.setItem(row, WRITTEN_OFF, check)

    def add_line(self) -> None:
        self._filling = True
        self._append(None, "", "card", 0, 0.0, 0, False)
        self._filling = False
        self.table.setCurrentCell(self.table.rowCount() - 1, CREDITOR)
        item = self.table.item(self.table.rowCount() - 1, CREDITOR)
        if item is not None:
            self.table.editItem(item)
        self._changed()

    def remove_line(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < self.table.rowCount():
            self.table.removeRow(row)
            self._changed()

    def lines(self) -> list[dict[str, Any]]:
        """The table as the hub's DebtIn lines (RowProblem for a cell that is not a number)."""
        out = []
        for row in range(self.table.rowCount()):
            box = self.table.cellWidget(row, KIND)
            name = self.table.item(row, CREDITOR)
            line_id = name.data(Qt.ItemDataRole.UserRole) if name is not None else None
            out.append(
                {
                    **({"id": line_id} if line_id else {}),
                    "creditor": name.text().strip() if name is not None else "",
                    "kind": box.kind if isinstance(box, KindBox) else "other",
                    "principal_krw": _whole(self._text(row, PRINCIPAL), row, "원금"),
                    "annual_rate": round(_number(self._text(row, RATE), row, "연이율") / 100, 6),
                    "overdue_days": _whole(self._text(row, OVERDUE), row, "연체일"),
                    "written_off": self._checked(row),
                }
            )
        return out

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def _checked(self, row: int) -> bool:
        item = self.table.item(row, WRITTEN_OFF)
        return item is not None and item.checkState() == Qt.CheckState.Checked

    def _edited(self, _item: QTableWidgetItem) -> None:
        if not self._filling:
            self._changed()

    def _kind_changed(self, _index: int) -> None:
        if not self._filling:
            self._changed()

    def _changed(self) -> None:
        self.dirty = True
        self.message.setText("고친 내용이 아직 저장되지 않았어요.")
        self.recompute()

    # --- the plan, worked out here ----------------------------------------------------------------------
    def recompute(self) -> None:
        """Every program's plan from the table as it is (its own term), then the chosen one's."""
        self.result, self.debtor = None, None
        try:
            lines = self.lines()
            if self.profile is None:
                raise RowProblem(NO_PROFILE)
            debtor = validate_debtor({**self.profile, "debts": [_plan_line(line) for line in lines]})
        except RowProblem as problem:
            return self._no_plan(str(problem))
        except InvalidDebts as invalid:
            return self._no_plan("\n".join(p.ko for p in invalid.problems[:3]))
        self.debtor = debtor
        self.result = self._worked_out(debtor)
        if self.chosen is None or self.result.plan(self.chosen).term_months is None:
            self.chosen, self.term = _default_program(self.result), None
        self._fill_plans()
        self._set_slider()
        self._show_chosen()

    def _no_plan(self, why: str) -> None:
        self.plan_table.setRowCount(0)
        self.slider.setEnabled(False)
        self.term_label.setText("-")
        self.payment.setText("")
        self.reasons.setText(why)

    def _fill_plans(self) -> None:
        assert self.result is not None
        self.plan_table.setRowCount(len(self.result.plans))
        for row, plan in enumerate(self.result.plans):
            self._plan_row(row, plan)
        self.plan_table.resizeColumnsToContents()

    def _plan_row(self, row: int, plan: ProgramPlan) -> None:
        mark = "▶ " if plan.program == self.chosen else ""
        fits = "" if plan.term_months is None else (" ✔" if plan.fits_capacity else " (소득 초과)")
        cells = [
            f"{mark}{plan.name_ko}{fits}" if plan.term_months else f"{plan.name_ko} — 해당 없음",
            f"{won(plan.principal_before_krw)} → {won(plan.principal_after_krw)}"
            if plan.principal_after_krw is not None
            else won(plan.principal_before_krw),
            pct(plan.annual_rate),
            months_words(plan.term_months),
            won(plan.monthly_payment_krw),
            won(plan.total_repaid_krw),
        ]
        for column, text in enumerate(cells):
            item = self.plan_table.item(row, column)
            if item is None:
                self.plan_table.setItem(row, column, QTableWidgetItem(text))
            else:
                item.setText(text)

    def _set_slider(self) -> None:
        if self.chosen is None or self.result is None or self.debtor is None:
            self.slider.setEnabled(False)
            return
        program = self.rules.program(self.chosen)
        plan = self.result.plan(self.chosen)
        self.slider.blockSignals(True)
        self.slider.setRange(program.term_months_min, program.term_cap(self.debtor.livelihood_status))
        self.slider.setValue(self.term or plan.term_months or program.term_months_min)
        self.slider.blockSignals(False)
        self.slider.setEnabled(True)

    def _choose_row(self, row: int, _column: int) -> None:
        if self.result is None or not 0 <= row < len(self.result.plans):
            return
        plan = self.result.plans[row]
        if plan.term_months is None or plan.program == self.chosen:
            return
        self.chosen, self.term = plan.program, None
        self._fill_plans()
        self._set_slider()
        self._show_chosen()

    def slide(self, months: int) -> None:
        """A slider tick: the chosen program's plan for this term, worked out and shown now."""
        if self.result is None or self.chosen is None:
            return
        began = time.perf_counter()
        self.term = months
        self._show_chosen()
        self.repaint_ms.append((time.perf_counter() - began) * 1000)
        self.rest_timer.start()  # the hub hears the term once the slider rests

    def _show_chosen(self) -> None:
        if self.result is None or self.chosen is None:
            return
        plan = self.chosen_plan()
        if plan is None:
            return
        self._plan_row([p.program for p in self.result.plans].index(self.chosen), plan)
        self.term_label.setText(months_words(plan.term_months))
        tight = "" if plan.fits_capacity else " — 갚을 수 있는 돈을 넘어요"
        self.payment.setText(
            f"{plan.name_ko}: 매달 {won(plan.monthly_payment_krw)} · {months_words(plan.term_months)} · "
            f"모두 {won(plan.total_repaid_krw)}{tight}"
        )
        self.reasons.setText("\n".join(f"• {reason}" for reason in plan.reasons_ko))

    def chosen_plan(self) -> ProgramPlan | None:
        if self.result is None or self.chosen is None or self.debtor is None:
            return None
        if self.term is None:
            return self.result.plan(self.chosen)
        return self._worked_out(self.debtor, self.term).plan(self.chosen)

    def _worked_out(self, debtor: DebtorInput, term: int | None = None) -> DebtEstimate:
        result = estimate(debtor, self.rules, term_months=term)
        if self.list_source == "kiosk_totals" and not self.dirty:
            # Untouched totals carry the assumed rate; once the counselor types, the figures are theirs.
            result = with_totals_assumptions(result, self.rules, debtor, overdue_known=self.overdue_known)
        return result

    def _tell_term(self) -> None:
        """The slider at rest: ask the hub's plan for this term, which the application then carries."""
        if self.adapter is None or self.visit_id is None or self.term is None or self.dirty:
            return
        self.adapter.call(
            self.adapter.client.debt_plan,
            self.visit_id,
            self.term,
            done=self._term_told,
            failed=self.refused,
        )

    def _term_told(self, _plan: object) -> None:
        self.message.setText(f"신청서에는 {months_words(self.term)}으로 들어가요.")

    def wipe(self) -> None:
        self.rest_timer.stop()
        self.visit_id, self.profile, self.result, self.chosen, self.term = None, None, None, None, None
        self.list_source, self.overdue_known = None, True
        self.dirty = False
        self.table.setRowCount(0)
        self.plan_table.setRowCount(0)
        self.source.setText("")
        self.emulated.hide()
        self.message.setText("")
        self.payment.setText("")
        self.reasons.setText("")
        self.term_label.setText("-")
        self.slider.setEnabled(False)
        for button in self._buttons():
            button.setEnabled(False)

    def _buttons(self) -> tuple[QPushButton, ...]:
        return (self.fetch_button, self.add_button, self.remove_button, self.save_button, self.apply_button)

    def make_application(self) -> None:
        """채무조정 신청서: generated by the hub from the stored list and the last term told to it."""
        if self.adapter is None or self.visit_id is None:
            return
        if self.dirty:
            self.message.setText("고친 목록을 먼저 저장해 주세요. 신청서는 저장된 목록으로 만들어요.")
            return
        self.adapter.call(
            self.adapter.client.generate_document,
            self.visit_id,
            "debt_application",
            done=self._application_made,
            failed=self.refused,
        )

    def _application_made(self, _document: object) -> None:
        self.message.setText("채무조정 신청서를 만들었어요. '문서'에서 창구로 보내 주세요.")
        self.documentMade.emit()


def _plan_line(line: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in line.items() if key not in ("id", "since")}


def _default_program(result: DebtEstimate) -> str | None:
    """The hub's choice for the application (visit_list.chosen_plan): the first that fits, else the
    first whose window the debts are in."""
    fitting = [p for p in result.plans if p.eligible]
    if fitting:
        return fitting[0].program
    return next((p.program for p in result.plans if p.monthly_payment_krw is not None), None)


def measure_slider_repaint(tab: DebtTab) -> dict[str, Any]:
    """For the bench: sweep the slider over its whole range, each tick worked out AND painted — the
    event loop runs until the updates the tick asked for are painted, as on a screen (the tab must be
    shown and exposed); milliseconds per tick."""
    if not tab.slider.isEnabled():
        raise ValueError("the tab has no plan to slide")
    each: list[float] = []
    low, high = tab.slider.minimum(), tab.slider.maximum()
    for value in [*range(low, high + 1), *range(high, low - 1, -1)]:
        began = time.perf_counter()
        tab.slider.setValue(value)
        QCoreApplication.processEvents()  # the UpdateRequest: the changed labels and row repainted
        each.append((time.perf_counter() - began) * 1000)
    tab.rest_timer.stop()
    each.sort()
    return {
        "ticks": len(each),
        "median_ms": round(statistics.median(each), 3),
        "p95_ms": round(each[min(len(each) - 1, int(len(each) * 0.95))], 3),
        "max_ms": round(each[-1], 3),
    }


def bench_slider(creditors: int = 20, seed: int = 5) -> dict[str, Any]:
    """`kiosk bench desk-slider`: the 채무 section offscreen with a 20-creditor workout list, its slider
    swept end to end and back (needs a QApplication; the command makes one)."""
    import random

    from kiosk.api.debts import DebtOut
    from kiosk.debt.bench import random_debtor

    raw = random_debtor(random.Random(seed), creditors)
    raw["monthly_income_krw"] = 6_000_000  # a payment that fits, so every tick shows a real plan
    for index, line in enumerate(raw["debts"]):
        line["overdue_days"] = 400 if index == 0 else line["overdue_days"]  # the workout's window
        line["kind"] = "card" if line["kind"] == "secured_loan" else line["kind"]  # within the caps
    tab = DebtTab()
    tab.resize(1200, 760)
    tab.show()
    QTest.qWaitForWindowExposed(tab)
    tab.profile = {k: v for k, v in raw.items() if k != "debts"}
    tab.show_list(
        DebtListOut(
            source="counselor",
            emulated=False,
            fetched_at=None,
            debts=[DebtOut(id=None, since=None, **line) for line in raw["debts"]],
        )
    )
    try:
        figures = measure_slider_repaint(tab)
    finally:
        tab.close()
    return {"bench": "desk_slider", "creditors": creditors, "program": tab.chosen, **figures}
