"""The desk's phone-counseling mode (issue 18 item 4): consent by SMS code for someone on the phone.

The counselor types the caller's number, reads each consent item out (the same texts the kiosk shows,
config.consent), ticks what the caller agreed to and sends the code; the caller gets an LMS summing up
those items with a 6-digit code and reads it back. Once the code is confirmed the hub records the
consent (method sms) on the phone visit and the desk opens its case like a called visit's. Nobody saw
an ID card, and the dialog says so.

Every hub call goes through the desk's HubAdapter (worker threads). After sending, the number is shown
masked only; the digits stay in memory for "다시 보내기" and are dropped when the dialog closes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QRegularExpression, QTimer, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from config import clock
from config.consent import ConsentItem, consent_set
from kiosk.api import errors as codes
from kiosk.api.phone import PHONE_IDENTITY_KO, PhoneConsentOut, PhoneConsultationOut
from kiosk.client import HubClient, HubRefused, HubUnavailable
from kiosk.sms.numbers import InvalidMobile, mask_phone, normalize_mobile
from ui.adapters.hub_adapter import HubAdapter

NO_SMS_KO = "문자 서비스를 지금 쓸 수 없어요. 전화 상담 동의는 문자 인증이 있어야 받을 수 있어요."
REQUIRED_MISSING_KO = "필수 항목에 모두 동의해야 상담을 이어갈 수 있어요."
EXPIRED_KO = "인증번호의 3분이 지났어요. '다시 보내기'를 눌러 주세요."


def script_text(item: ConsentItem) -> str:
    """What the counselor reads out for one item: its opening sentence and the right to refuse (PIPA
    §22: the person must hear that they may refuse, and what follows) — the rest is in the tooltip."""
    lines = [line.strip() for line in item.text_ko.splitlines() if line.strip()]
    refuse = next((line for line in lines if "거부" in line), "")
    return "\n".join(part for part in (lines[0], refuse) if part)


def _title(label: QLabel) -> None:
    """A page's one-line title: bold and larger than the text (the desk has no theme rule for it)."""
    label.setObjectName("phoneTitle")
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.3)
    label.setFont(font)


def _new_key() -> str:
    return f"phone-open-{uuid.uuid4()}"


@dataclass(frozen=True)
class CodeSent:
    challenge_id: uuid.UUID
    to_masked: str
    expires_at: datetime


def _unavailable_as_refusal(exc: HubUnavailable) -> Exception:
    """The hub's 503 means "no SMS here" on these routes; a missing hub stays what it is."""
    if exc.status == 503:
        return HubRefused(503, codes.SMS_UNAVAILABLE, NO_SMS_KO, "SMS unavailable")
    return exc


def open_visit(client: HubClient, phone: str, name: str, open_key: str) -> PhoneConsultationOut:
    """Worker job: the phone visit, once (``open_key`` makes a retry after a lost answer the same one)."""
    try:
        return client.open_phone_consultation(phone, name, open_key)
    except HubUnavailable as exc:
        raise _unavailable_as_refusal(exc) from None


def send_code(client: HubClient, visit_id: uuid.UUID, phone: str, items: dict[str, bool]) -> CodeSent:
    """Worker job: a consent code for the phone visit (each "다시 보내기" a new one)."""
    texts = consent_set()
    try:
        out = client.request_consent_code(
            phone, "phone_counseling", texts.version, texts.sha256, items, visit_id=visit_id
        )
    except HubUnavailable as exc:
        raise _unavailable_as_refusal(exc) from None
    return CodeSent(out.challenge_id, out.to_masked, out.expires_at)


def confirm_and_record(
    client: HubClient, visit_id: uuid.UUID, challenge_id: uuid.UUID, code: str
) -> PhoneConsentOut:
    """Worker job: the code back to the hub, then the visit's consent from the confirmed challenge. A
    confirm that went through before a lost answer is "already used": the record step still follows."""
    try:
        try:
            client.confirm_consent_code(challenge_id, code)
        except HubRefused as exc:
            if exc.code != codes.SMS_CODE_USED:
                raise
        return client.record_phone_consent(visit_id, challenge_id)
    except HubUnavailable as exc:
        raise _unavailable_as_refusal(exc) from None


def record(client: HubClient, visit_id: uuid.UUID, challenge_id: uuid.UUID) -> PhoneConsentOut:
    """Worker job: the caller confirmed the code on the consent page; the visit's consent follows."""
    try:
        return client.record_phone_consent(visit_id, challenge_id)
    except HubUnavailable as exc:
        raise _unavailable_as_refusal(exc) from None


class PhoneModeDialog(QDialog):
    """전화 상담: number and items → code sent → confirmed. `opened` carries the visit whose case opens."""

    opened = Signal(object)  # uuid.UUID of the phone visit, once its consent is recorded

    def __init__(self, adapter: HubAdapter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.adapter = adapter
        self.setWindowTitle("전화 상담 · 문자 인증 동의")
        self.resize(720, 760)
        self.visit_id: uuid.UUID | None = None
        self.sent: CodeSent | None = None
        self._on_page = False  # the caller confirmed on the consent page: their own choices count
        self._digits = ""
        self._open_key = _new_key()
        self.texts = consent_set()
        self.pages = QStackedWidget()
        box = QVBoxLayout(self)
        box.addWidget(self.pages)
        # One message line, moved into the page on show: right under what it is about.
        self.message = QLabel("")
        self.message.setObjectName("phoneMessage")
        self.message.setWordWrap(True)
        self._message_slots: list[tuple[QVBoxLayout, int]] = []
        self._number_page()
        self._code_page()
        self._done_page()
        self._show_page(0)
        self.countdown = QTimer(self)
        self.countdown.setInterval(1000)
        self.countdown.timeout.connect(self._tick)
        self._update_send()

    # --- pages --------------------------------------------------------------------------------------
    def _number_page(self) -> None:
        page = QWidget()
        box = QVBoxLayout(page)
        title = QLabel("전화 상담 — 번호와 동의 항목")
        _title(title)
        box.addWidget(title)
        box.addWidget(
            QLabel(
                "전화한 분의 휴대전화 번호를 넣고, 항목을 하나씩 읽어 드린 뒤 동의한 항목에 표시해 주세요."
            )
        )
        form = QFormLayout()
        self.phone_edit = QLineEdit()
        self.phone_edit.setPlaceholderText("010-1234-5678")
        self.phone_edit.setMaxLength(20)
        self.phone_hint = QLabel("")
        self.phone_hint.setObjectName("phoneHint")
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(100)
        self.name_edit.setPlaceholderText("기록용, 적지 않아도 돼요 (숫자는 넣을 수 없어요)")
        self.name_edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"[^0-9０-９]*")))
        form.addRow("휴대전화 번호", self.phone_edit)
        form.addRow("", self.phone_hint)
        form.addRow("이름 (선택)", self.name_edit)
        box.addLayout(form)
        box.addWidget(QLabel(f"읽어 드릴 동의 항목 (동의서 {self.texts.version})"))
        script = QWidget()
        items_box = QVBoxLayout(script)
        self.item_boxes: dict[str, QCheckBox] = {}
        for item in self.texts.items:
            mark = "필수" if item.required else "선택"
            named = item.title_ko if f"({mark})" in item.title_ko else f"{item.title_ko} ({mark})"
            check = QCheckBox(f"{named} — 동의해요")
            check.setToolTip(item.text_ko)
            read = QLabel(script_text(item))
            read.setWordWrap(True)
            read.setObjectName("phoneScript")
            items_box.addWidget(check)
            items_box.addWidget(read)
            self.item_boxes[item.id] = check
            check.toggled.connect(self._update_send)
        items_box.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(script)
        box.addWidget(scroll, 1)
        buttons = QHBoxLayout()
        self.close_button = QPushButton("닫기")
        self.send_button = QPushButton("인증번호 보내기")
        self.send_button.setDefault(True)
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        buttons.addWidget(self.send_button)
        box.addLayout(buttons)
        self.phone_edit.textChanged.connect(self._update_send)
        self.send_button.clicked.connect(self.send_code)
        self.close_button.clicked.connect(self.reject)
        self._add_page(page, box, box.count() - 1)

    def _code_page(self) -> None:
        page = QWidget()
        box = QVBoxLayout(page)
        title = QLabel("인증번호 확인")
        _title(title)
        box.addWidget(title)
        self.sent_label = QLabel("")
        self.sent_label.setWordWrap(True)
        box.addWidget(self.sent_label)
        self.time_label = QLabel("")
        self.time_label.setObjectName("phoneCountdown")
        box.addWidget(self.time_label)
        row = QHBoxLayout()
        self.code_edit = QLineEdit()
        self.code_edit.setMaxLength(6)
        self.code_edit.setPlaceholderText("6자리 숫자")
        self.code_edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,6}")))
        self.confirm_button = QPushButton("인증하기")
        self.resend_button = QPushButton("다시 보내기")
        row.addWidget(QLabel("인증번호"))
        row.addWidget(self.code_edit, 1)
        row.addWidget(self.confirm_button)
        row.addWidget(self.resend_button)
        box.addLayout(row)
        box.addWidget(QLabel(f"본인 확인: {PHONE_IDENTITY_KO} — 신분증을 보지 않은 상담으로 기록돼요."))
        slot = box.count()
        box.addStretch(1)
        self.code_edit.textChanged.connect(self._update_confirm)
        self.code_edit.returnPressed.connect(self.confirm_code)
        self.confirm_button.clicked.connect(self.confirm_code)
        self.resend_button.clicked.connect(self.send_code)
        self._update_confirm()
        self._add_page(page, box, slot)

    def _done_page(self) -> None:
        page = QWidget()
        box = QVBoxLayout(page)
        title = QLabel("동의를 받았어요")
        _title(title)
        box.addWidget(title)
        self.done_label = QLabel("")
        self.done_label.setWordWrap(True)
        box.addWidget(self.done_label)
        box.addStretch(1)
        self.continue_button = QPushButton("상담 이어가기")
        self.continue_button.clicked.connect(self.accept)
        box.addWidget(self.continue_button)
        self._add_page(page, box, 2)

    def _add_page(self, page: QWidget, box: QVBoxLayout, message_at: int) -> None:
        self.pages.addWidget(page)
        self._message_slots.append((box, message_at))

    def _show_page(self, index: int) -> None:
        box, at = self._message_slots[index]
        box.insertWidget(at, self.message)
        self.pages.setCurrentIndex(index)

    # --- number and items ---------------------------------------------------------------------------
    def granted(self) -> dict[str, bool]:
        return {item_id: box.isChecked() for item_id, box in self.item_boxes.items()}

    def _number(self) -> str | None:
        try:
            return normalize_mobile(self.phone_edit.text())
        except InvalidMobile as exc:
            if self.phone_edit.text().strip():
                self.phone_hint.setText(exc.message_ko)
            else:
                self.phone_hint.setText("")
            return None

    def _update_send(self, *_args: object) -> None:
        number = self._digits if self.visit_id is not None else self._number()
        if number is not None:
            self.phone_hint.setText(f"{mask_phone(number)}로 보내요")
        required_ok = all(self.granted()[item_id] for item_id in self.texts.required_ids())
        self.send_button.setEnabled(number is not None and required_ok)
        self.send_button.setToolTip("" if required_ok else REQUIRED_MISSING_KO)

    def send_code(self) -> None:
        number = self._digits or self._number()
        if number is None:
            return
        self._digits = number
        self.send_button.setEnabled(False)
        self.resend_button.setEnabled(False)
        self.message.setText("인증번호를 보내는 중이에요…")
        if self.visit_id is None:
            name = self.name_edit.text().strip()
            self.adapter.call(
                open_visit,
                self.adapter.client,
                number,
                name,
                self._open_key,
                done=self._visit_opened,
                failed=self._send_failed,
            )
        else:
            self._request_code()

    def _visit_opened(self, out: PhoneConsultationOut) -> None:
        self.visit_id = out.visit_id  # kept: a code refused now (a throttle) leaves this visit to use
        self._request_code()

    def _request_code(self) -> None:
        assert self.visit_id is not None
        self.adapter.call(
            send_code,
            self.adapter.client,
            self.visit_id,
            self._digits,
            self.granted(),
            done=self._code_sent,
            failed=self._send_failed,
        )

    def _code_sent(self, sent: CodeSent) -> None:
        self.sent = sent
        self.phone_edit.clear()  # from here on the number is shown masked only
        for box in self.item_boxes.values():
            box.setEnabled(False)
        self.sent_label.setText(
            f"{sent.to_masked}로 인증번호를 보냈어요. 전화한 분이 불러 주는 6자리 번호를 넣어 주세요."
        )
        self.message.setText("")
        self.code_edit.clear()
        self.code_edit.setFocus()
        self.resend_button.setEnabled(True)
        self._show_page(1)
        self.countdown.start()
        self._tick()

    def _send_failed(self, code: str, message_ko: str) -> None:
        self.message.setText(f"⚠ {message_ko}")
        self.resend_button.setEnabled(True)
        if self.visit_id is None:
            self._digits = ""  # no visit known yet: the number may still be corrected
            if code != "hub_unavailable":  # refused: nothing was opened, a new number is a new request
                self._open_key = _new_key()
        elif self.pages.currentIndex() == 0:
            # The visit is open for this number (its first code was refused): only the code is asked again.
            self.phone_edit.clear()
            self.phone_edit.setEnabled(False)
        self._update_send()

    # --- the code -----------------------------------------------------------------------------------
    def seconds_left(self) -> int:
        if self.sent is None:
            return 0
        return max(0, int((self.sent.expires_at - clock.now()).total_seconds()))

    def _tick(self) -> None:
        left = self.seconds_left()
        self.time_label.setText(f"남은 시간 {left // 60}:{left % 60:02d}")
        if left == 0:
            self.countdown.stop()
            self.message.setText(f"⚠ {EXPIRED_KO}")
        self._update_confirm()

    def _update_confirm(self, *_args: object) -> None:
        ready = len(self.code_edit.text()) == 6 and self.seconds_left() > 0
        self.confirm_button.setEnabled(ready)

    def confirm_code(self) -> None:
        if self.sent is None or self.visit_id is None or not self.confirm_button.isEnabled():
            return
        self.confirm_button.setEnabled(False)
        self.message.setText("확인하는 중이에요…")
        self.adapter.call(
            confirm_and_record,
            self.adapter.client,
            self.visit_id,
            self.sent.challenge_id,
            self.code_edit.text(),
            done=self._confirmed,
            failed=self._confirm_failed,
        )

    def _confirm_failed(self, code: str, message_ko: str) -> None:
        self.message.setText(f"⚠ {message_ko}")  # a wrong code's message says how many tries are left
        self.code_edit.clear()
        self.code_edit.setFocus()
        self._update_confirm()

    def on_code_confirmed(self, data: dict[str, object]) -> None:
        """The hub says the caller confirmed this dialog's code on the consent page (/m/c/…): record the
        consent now, with the items the caller chose there, without waiting for the code read back."""
        if (
            self.sent is None
            or self.visit_id is None
            or str(data.get("challenge_id")) != str(self.sent.challenge_id)
        ):
            return
        if self.pages.currentIndex() != 1:
            return
        self.confirm_button.setEnabled(False)
        self._on_page = True
        self.message.setText("전화한 분이 문자 링크에서 인증번호를 확인했어요. 동의를 기록하는 중이에요…")
        self.adapter.call(
            record,
            self.adapter.client,
            self.visit_id,
            self.sent.challenge_id,
            done=self._confirmed,
            failed=self._confirm_failed,
        )

    def _confirmed(self, out: PhoneConsentOut) -> None:
        self.countdown.stop()
        self.message.setText("")
        agreed = [item.title_ko for item in self.texts.items if self.granted()[item.id]]
        chosen = (
            "동의 항목: 전화한 분이 문자 링크에서 하나씩 골랐어요 (상담 화면의 동의 기록에서 볼 수 있어요)"
            if self._on_page
            else f"동의한 항목: {', '.join(agreed)}"
        )
        self.done_label.setText(
            f"{out.to_masked} 휴대전화 문자 인증으로 동의를 받았어요.\n"
            f"{chosen}\n"
            f"본인 확인: {PHONE_IDENTITY_KO} — 신분증으로 확인하지 않았어요.\n"
            "상담 화면이 열렸어요. 메모, 상담 결과, 사후관리를 이어서 기록해 주세요."
        )
        self._show_page(2)
        self._digits = ""
        self.opened.emit(out.visit_id)

    def done(self, result: int) -> None:
        self.countdown.stop()
        self._digits = ""
        self.phone_edit.clear()
        super().done(result)
