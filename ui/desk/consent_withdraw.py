"""동의 철회 at the desk: the citizen, at the desk, asks to withdraw their consent (PIPA §37).

`ConsentWithdrawPanel` sits under the consent table of the case: where the consent stands (agreed,
partly withdrawn, withdrawn and when) and a "동의 철회" button. The button opens `WithdrawDialog` —
everything, or only optional items — which says in plain Korean what withdrawing stops, before anything
is sent. The hub call runs on the adapter's worker threads, never on the GUI thread; the hub's answer
(or its refusal, in its own Korean words) shows in the panel.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from config import clock
from config.consent import consent_set
from kiosk.api import CaseView
from kiosk.api.consents import ConsentWithdrawnOut
from ui.adapters.hub_adapter import HubAdapter

ALL_KO = (
    "철회하면 이 방문에서 받은 개인(신용)정보를 더 이상 새로운 일에 쓰지 않아요. "
    "신용정보 조회를 더 할 수 없고, 사후관리 안내 문자와 번호표 알림 문자도 더 이상 보내지 않아요. "
    "이미 작성한 상담 기록과 서명한 서류는 법에서 정한 기간 동안 보관돼요."
)
SOME_KO = "철회하면 고른 선택 항목은 더 이상 쓰지 않아요. 상담은 그대로 이어가요."
PRESENT_KO = "본인이 앞에 계시고 철회를 원하시는지 확인한 뒤 눌러 주세요."


def _titles() -> dict[str, tuple[str, bool]]:
    return {item.id: (item.title_ko, item.required) for item in consent_set().items}


def _required(item_id: str, stored: Any) -> bool:
    known = _titles().get(item_id)
    if known is not None:
        return known[1]
    return isinstance(stored, Mapping) and stored.get("required") is True


def _when(text: str) -> str:
    try:
        return clock.local(datetime.fromisoformat(text)).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return ""


class WithdrawDialog(QDialog):
    """Everything, or some optional items; ``chosen()`` is None for everything, else the item ids."""

    def __init__(self, optional: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("동의 철회")
        box = QVBoxLayout(self)
        self.all_items = QRadioButton("모든 동의 철회 (필수 항목 포함 — 새로운 처리가 모두 멈춰요)")
        self.some_items = QRadioButton("선택 항목만 철회")
        group = QButtonGroup(self)
        group.addButton(self.all_items)
        group.addButton(self.some_items)
        self.all_items.setChecked(True)
        box.addWidget(self.all_items)
        box.addWidget(self.some_items)
        titles = _titles()
        self.item_boxes: dict[str, QCheckBox] = {}
        for item_id in optional:
            check = QCheckBox(titles.get(item_id, (item_id, False))[0])
            check.setEnabled(False)
            self.item_boxes[item_id] = check
            box.addWidget(check)
        self.some_items.setEnabled(bool(optional))
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.explain.setObjectName("withdrawExplain")
        box.addWidget(self.explain)
        buttons = QDialogButtonBox()
        self.withdraw_button = buttons.addButton("철회해요", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton("취소", QDialogButtonBox.ButtonRole.RejectRole)
        self.withdraw_button.setAutoDefault(False)  # Enter by habit must not withdraw anything
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
        self.some_items.toggled.connect(self._update)
        for check in self.item_boxes.values():
            check.toggled.connect(self._update)
        self._update()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.cancel_button.setDefault(True)  # the button box picks its own default when shown

    def chosen(self) -> list[str] | None:
        if self.all_items.isChecked():
            return None
        return [item_id for item_id, check in self.item_boxes.items() if check.isChecked()]

    def _update(self) -> None:
        some = self.some_items.isChecked()
        for check in self.item_boxes.values():
            check.setEnabled(some)
        self.explain.setText(f"{SOME_KO if some else ALL_KO}\n\n{PRESENT_KO}")
        self.withdraw_button.setEnabled(not some or any(c.isChecked() for c in self.item_boxes.values()))


class ConsentWithdrawPanel(QWidget):
    withdrawn = Signal(object)  # ConsentWithdrawnOut: the case should be read again

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 4, 0, 0)
        self.state = QLabel("")
        self.state.setObjectName("consentState")
        self.state.setWordWrap(True)
        self.button = QPushButton("동의 철회")
        self.button.setToolTip("본인이 요청할 때: 동의를 철회하면 그 뒤로 정보를 새로 쓰지 않아요")
        self.button.setEnabled(False)
        row.addWidget(self.state, 1)
        row.addWidget(self.button)
        self.adapter: HubAdapter | None = None
        self.visit_id: uuid.UUID | None = None
        self._optional: list[str] = []
        self.dialog: WithdrawDialog | None = None
        self.button.clicked.connect(self.ask)

    def attach(self, adapter: HubAdapter) -> None:
        self.adapter = adapter

    def show_case(self, case: CaseView) -> None:
        self.visit_id = case.visit_id
        items = case.consent.items if case.consent is not None else {}
        ended = [
            str(v.get("withdrawn_at"))
            for k, v in items.items()
            if isinstance(v, Mapping) and v.get("withdrawn_at") and _required(k, v)
        ]
        gone = [k for k, v in items.items() if isinstance(v, Mapping) and v.get("withdrawn_at")]
        self._optional = [
            k
            for k, v in items.items()
            if isinstance(v, Mapping) and v.get("granted") is True and not _required(k, v)
        ]
        if not items:
            self.state.setText("받은 동의가 없어요.")
        elif ended:
            self.state.setText(f"동의를 {_when(ended[0])}에 철회했어요. 이 방문의 정보는 새로 쓰지 않아요.")
        elif gone:
            self.state.setText(f"선택 항목 {len(gone)}개를 철회했어요. 나머지 동의는 그대로예요.")
        else:
            self.state.setText("동의 받음")
        self.button.setEnabled(bool(items) and not ended and self.adapter is not None)

    def wipe(self) -> None:
        self.visit_id, self._optional = None, []
        self.state.setText("")
        self.button.setEnabled(False)

    def ask(self) -> WithdrawDialog:
        """The confirmation first; nothing goes to the hub until the counselor presses 철회해요."""
        dialog = WithdrawDialog(self._optional, self)
        self.dialog = dialog
        dialog.accepted.connect(self._confirmed)
        dialog.open()  # window-modal, not blocking: hub events keep arriving meanwhile
        return dialog

    def _confirmed(self) -> None:
        if self.dialog is not None:
            self._send(self.dialog.chosen())

    def _send(self, items: list[str] | None) -> None:
        if self.adapter is None or self.visit_id is None:
            return
        self.button.setEnabled(False)
        self.state.setText("철회하는 중…")
        self.adapter.call(
            self.adapter.client.withdraw_consent,
            self.visit_id,
            items,
            done=self._done,
            failed=self._refused,
        )

    def _done(self, out: ConsentWithdrawnOut) -> None:
        if out.processing_ended:
            when = clock.local(out.withdrawn_at).strftime("%H:%M")
            text = f"동의를 철회했어요 ({when}). 이 방문의 정보는 더 이상 새로 쓰지 않아요."
            if out.sms_stopped:
                text += f" 보내려던 문자 {out.sms_stopped}건도 보내지 않아요."
        else:
            text = f"선택 항목 {len(out.withdrawn_items)}개를 철회했어요. 상담은 그대로 이어가요."
        self.state.setText(text)
        self.button.setEnabled(not out.processing_ended)
        self.withdrawn.emit(out)

    def _refused(self, code: str, message_ko: str) -> None:
        self.state.setText(f"{message_ko} [{code}]")
        self.button.setEnabled(code != "consent_already_withdrawn")
