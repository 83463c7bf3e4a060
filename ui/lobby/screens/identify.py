"""Identify: ID card on the scanner, passport chip, mobile-ID QR, or typing it in by hand.

Reader events arrive through ``IdReaderAdapter`` (queued signals). Guidance from the reader
("카드를 조금 더 가까이", "빛 반사가 있어요") is shown and spoken as it comes. What was read is shown
masked for the visitor to confirm; manual entry is marked unverified and checked at the desk.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QLineEdit, QStackedWidget, QVBoxLayout, QWidget

from config import clock
from db.pii import full_age, mask_name, mask_phone
from ui.adapters.id_reader_adapter import IdReaderAdapter
from ui.lobby.flow import run_step
from ui.lobby.screens.base import LobbyScreen
from ui.widgets.buttons import set_icon, set_label, touch_button

if TYPE_CHECKING:
    from ui.lobby.screens.host import LobbyHost


class IdentifyScreen(LobbyScreen):
    step = "identify"

    def __init__(self, lobby: LobbyHost) -> None:
        super().__init__(lobby)
        # One adapter per way in (scanner, passport chip, mobile-ID QR); ``adapter`` is the one in use.
        self.adapters: dict[str, IdReaderAdapter] = {}
        services = lobby.services
        for how, reader in (
            ("scan", services.id_reader),
            ("chip", services.chip_reader),
            ("qr", services.qr_reader),
        ):
            if reader is None:
                continue
            adapter = IdReaderAdapter(reader, self)
            adapter.guidance.connect(self._guidance)
            adapter.reading.connect(self._reading)
            adapter.documentRead.connect(self._document)
            adapter.readFailed.connect(self._failed)
            self.adapters[how] = adapter
        self.adapter: IdReaderAdapter | None = self.adapters.get("scan")
        self.pages = QStackedWidget()
        self.body.addWidget(self.pages)
        self.mode = "choose"  # choose | waiting | confirm | manual

        # Page 0: how do you want to identify?
        choose = QWidget()
        layout = QVBoxLayout(choose)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.scan = touch_button(role="big", name="IdScan")
        self.chip = touch_button(role="big", name="IdChip")
        self.qr = touch_button(role="big", name="IdQr")
        self.manual = touch_button(role="big", name="IdManual")
        self.scan.clicked.connect(lambda: self._start_read("scan"))
        self.chip.clicked.connect(self._chip)
        self.qr.clicked.connect(lambda: self._start_read("qr"))
        self.manual.clicked.connect(self._manual)
        for button in (self.scan, self.chip, self.qr, self.manual):
            layout.addWidget(button)
        layout.addStretch(1)
        self.pages.addWidget(choose)

        # Page 1: waiting for the reader, with live guidance.
        waiting = QWidget()
        layout = QVBoxLayout(waiting)
        self.wait_text = QLabel()
        self.wait_text.setWordWrap(True)
        self.wait_text.setProperty("role", "title")
        layout.addWidget(self.wait_text)
        self.guidance = QLabel()
        self.guidance.setObjectName("ReaderGuidance")
        self.guidance.setProperty("role", "guidance")
        self.guidance.setWordWrap(True)
        layout.addWidget(self.guidance)
        layout.addStretch(1)
        self.pages.addWidget(waiting)

        # Page 2: confirm what was read (masked).
        confirm = QFrame()
        confirm.setProperty("role", "card")
        self.confirm_form = QFormLayout(confirm)
        self.name_value = QLabel()
        self.birth_value = QLabel()
        self.rrn_value = QLabel()
        self.name_caption, self.birth_caption, self.rrn_caption = QLabel(), QLabel(), QLabel()
        self.confirm_form.addRow(self.name_caption, self.name_value)
        self.confirm_form.addRow(self.birth_caption, self.birth_value)
        self.confirm_form.addRow(self.rrn_caption, self.rrn_value)
        self.confirm_note = QLabel()
        self.confirm_note.setWordWrap(True)
        self.confirm_form.addRow(self.confirm_note)
        self.reread = touch_button(role="secondary", name="IdReread")
        self.reread.clicked.connect(self._choose)
        self.confirm_form.addRow(self.reread)
        self.pages.addWidget(confirm)

        # Page 3: manual entry (Hangul through the virtual keyboard on a real kiosk).
        manual = QWidget()
        form = QFormLayout(manual)
        self.manual_note = QLabel()
        self.manual_note.setWordWrap(True)
        form.addRow(self.manual_note)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("ManualName")
        self.birth_edit = QLineEdit()
        self.birth_edit.setObjectName("ManualBirth")
        self.birth_edit.setInputMask("9999-99-99;_")
        self.phone_edit = QLineEdit()
        self.phone_edit.setObjectName("ManualPhone")
        self.phone_edit.setInputMask("999-9999-9999;_")
        self.name_label, self.birth_label, self.phone_label = QLabel(), QLabel(), QLabel()
        form.addRow(self.name_label, self.name_edit)
        form.addRow(self.birth_label, self.birth_edit)
        form.addRow(self.phone_label, self.phone_edit)
        for edit in (self.name_edit, self.birth_edit, self.phone_edit):
            edit.textChanged.connect(lambda _t: self.chromeChanged.emit())
        self.pages.addWidget(manual)

        # Page 4: the passport chip's access key (BAC) from the MRZ: document number, birth, expiry.
        chip_key = QWidget()
        form = QFormLayout(chip_key)
        self.chip_note = QLabel()
        self.chip_note.setWordWrap(True)
        form.addRow(self.chip_note)
        self.passport_number_edit = QLineEdit()
        self.passport_number_edit.setObjectName("PassportNumber")
        self.passport_number_edit.setMaxLength(9)
        self.passport_birth_edit = QLineEdit()
        self.passport_birth_edit.setObjectName("PassportBirth")
        self.passport_birth_edit.setInputMask("999999;_")
        self.passport_expiry_edit = QLineEdit()
        self.passport_expiry_edit.setObjectName("PassportExpiry")
        self.passport_expiry_edit.setInputMask("999999;_")
        self.passport_number_label, self.passport_birth_label = QLabel(), QLabel()
        self.passport_expiry_label = QLabel()
        form.addRow(self.passport_number_label, self.passport_number_edit)
        form.addRow(self.passport_birth_label, self.passport_birth_edit)
        form.addRow(self.passport_expiry_label, self.passport_expiry_edit)
        for edit in (self.passport_number_edit, self.passport_birth_edit, self.passport_expiry_edit):
            edit.textChanged.connect(lambda _t: self.chromeChanged.emit())
        self.pages.addWidget(chip_key)
        self.retranslate()

    # -- reader -------------------------------------------------------------------------------------------
    def _start_read(self, how: str) -> None:
        self.mode = "waiting"
        self.pages.setCurrentIndex(1)
        self.guidance.hide()
        self.wait_text.setText(
            {
                "scan": self.tr("신분증을 스캐너 위에 올려 주세요."),
                "chip": self.tr("여권을 리더기 위에 올려 주세요."),
                "qr": self.tr("모바일 신분증 QR을 카메라에 보여 주세요."),
            }[how]
        )
        self.lobby.voice.say(self.wait_text.text())
        self._stop_readers()
        self.adapter = self.adapters.get(how)
        if self.adapter is None:
            if how == "chip" and self.lobby.services.chip_unavailable:
                self._failed("no_reader", self.tr("여권 리더를 지금 쓸 수 없어요."))
            else:
                self._failed("reader_unavailable", self.tr("신분증 리더를 쓸 수 없어요."))
            return
        self.adapter.start()
        services = self.lobby.services
        present = {"scan": services.present_card, "qr": services.present_mobile_id}.get(how)
        if present is not None:
            self.lobby.worker.submit(present)  # emulated: a synthetic card / phone in front of the reader
        self.chromeChanged.emit()

    def _chip(self) -> None:
        """The chip needs its access key first: from a passport page just scanned, else typed in."""
        key_slot = self.lobby.services.chip_key
        if "chip" not in self.adapters or key_slot is None:
            self._start_read("chip")  # says calmly that the chip reader is not there
            return
        document = self.lobby.draft.document
        if document is not None and getattr(document, "document_number", None):
            from devices.id.model import IdError
            from devices.id.pcsc.emrtd import bac_key_from_document

            try:
                key_slot.set(bac_key_from_document(document))
            except IdError:  # an incomplete MRZ: ask for the three fields instead
                key_slot.clear()
            else:
                self._start_read("chip")
                return
        self.mode = "chip_key"
        self.pages.setCurrentIndex(4)
        self.passport_number_edit.setFocus()
        self.chromeChanged.emit()

    def _chip_key_fields(self) -> tuple[str, str, str]:
        number = self.passport_number_edit.text().strip().upper()
        birth = "".join(c for c in self.passport_birth_edit.text() if c.isdigit())
        expiry = "".join(c for c in self.passport_expiry_edit.text() if c.isdigit())
        return number, birth, expiry

    def _guidance(self, code: str, message_ko: str) -> None:
        if self.mode != "waiting":
            return
        text = message_ko if self.lobby.language.language == "ko" else _english(code, message_ko)
        self.guidance.setText(text)
        self.guidance.setAccessibleName(text)
        self.guidance.show()
        self.lobby.voice.say(text)

    def _reading(self) -> None:
        if self.mode == "waiting":
            self._guidance("reading", self.tr("읽고 있어요. 카드를 움직이지 말아 주세요."))

    def _document(self, document: Any) -> None:
        if self.mode != "waiting":
            return
        self.lobby.draft.document = document
        birth = document.birth_date.strftime("%Y-%m-%d") if document.birth_date else ""
        display = {"name": mask_name(document.name), "birth": birth, "rrn": document.rrn_masked}
        self.lobby.draft.identity_display = display
        self.name_value.setText(display["name"])
        self.birth_value.setText(display["birth"])
        self.rrn_value.setText(display["rrn"])
        self.mode = "confirm"
        self.pages.setCurrentIndex(2)
        self.lobby.voice.say(self.tr("읽은 내용이 맞는지 확인해 주세요."))
        self.chromeChanged.emit()

    def _failed(self, code: str, message_ko: str) -> None:
        # Calm words and a way forward: try again, or type it in.
        text = message_ko if self.lobby.language.language == "ko" else _english(code, message_ko)
        self.lobby.show_notice(
            text + " " + self.tr("다시 해 보시거나 '직접 입력하기'를 눌러 주세요."), kind="error"
        )
        self._choose()

    def _take_card_away(self) -> None:
        remove = self.lobby.services.remove_card
        if remove is not None:
            remove()

    def _choose(self) -> None:
        self._take_card_away()
        self._stop_readers()
        self.mode = "choose"
        self.pages.setCurrentIndex(0)
        self.chromeChanged.emit()

    def _stop_readers(self) -> None:
        for adapter in self.adapters.values():
            adapter.stop()

    def _manual(self) -> None:
        self._stop_readers()
        self.mode = "manual"
        self.pages.setCurrentIndex(3)
        self.name_edit.setFocus()
        self.chromeChanged.emit()

    # -- LobbyScreen ------------------------------------------------------------------------------------
    def title(self) -> str:
        return {
            "confirm": self.tr("이 정보가 맞나요?"),
            "manual": self.tr("이름과 생년월일을 입력해 주세요"),
            "chip_key": self.tr("여권 정보를 입력해 주세요"),
        }.get(self.mode, self.tr("본인 확인을 해 주세요"))

    def voice_text(self) -> str:
        return self.tr("본인 확인을 해 주세요. 신분증을 스캐너에 올리거나, 직접 입력할 수 있어요.")

    def primary_text(self) -> str | None:
        if self.mode == "confirm":
            return self.tr("네, 맞아요")
        if self.mode == "manual":
            return self.tr("입력 완료")
        if self.mode == "chip_key":
            return self.tr("여권 읽기")
        return None

    def primary_enabled(self) -> bool:
        if self.mode == "manual":
            digits = "".join(c for c in self.birth_edit.text() if c.isdigit())
            return bool(self.name_edit.text().strip()) and len(digits) == 8
        if self.mode == "chip_key":
            number, birth, expiry = self._chip_key_fields()
            return number.isalnum() and len(birth) == 6 and len(expiry) == 6
        return True

    def on_primary(self) -> None:
        draft = self.lobby.draft
        if self.mode == "chip_key":
            from devices.id.pcsc.emrtd import BacKey

            slot = self.lobby.services.chip_key
            if slot is not None:  # the chip_key page is only shown when there is a slot (see _chip)
                slot.set(BacKey(*self._chip_key_fields()))
            self._start_read("chip")
            return
        if self.mode == "manual":
            phone = "".join(c for c in self.phone_edit.text() if c.isdigit())
            draft.manual = {
                "name": self.name_edit.text().strip(),
                "birth": self.birth_edit.text(),
                "phone": phone,
            }
            draft.identity_display = {
                "name": mask_name(draft.manual["name"]),
                "birth": draft.manual["birth"],
                "phone": mask_phone(phone) if phone else "",
            }
        age = age_from_birth(draft)
        if age is not None:
            draft.answers["age"] = age  # never ask what the ID card already told us
        summary = identity_summary(draft)
        run_step(self.lobby, lambda flow: flow.complete_identify(summary), name="identify")
        self._stop_readers()
        self._take_card_away()
        self.lobby.go("consent")

    def handle_back(self) -> bool:
        if self.mode == "choose":
            return False
        self._choose()
        return True

    def enter(self) -> None:
        if self.mode not in ("confirm", "manual"):
            self._choose()

    def wipe(self) -> None:
        self._take_card_away()
        self._stop_readers()
        for label in (self.name_value, self.birth_value, self.rrn_value, self.guidance):
            label.clear()
            label.setAccessibleName("")
        for edit in (
            self.name_edit,
            self.birth_edit,
            self.phone_edit,
            self.passport_number_edit,
            self.passport_birth_edit,
            self.passport_expiry_edit,
        ):
            edit.clear()
        if self.lobby.services.chip_key is not None:
            self.lobby.services.chip_key.clear()  # the MRZ triple opens the chip: never kept past a visit
        self.mode = "choose"
        self.pages.setCurrentIndex(0)

    def shutdown(self) -> None:
        for adapter in self.adapters.values():
            adapter.close()

    def retranslate(self) -> None:
        self.intro.setText(self.tr("편한 방법을 하나 골라 주세요."))
        set_label(self.scan, self.tr("신분증 올려놓기\n(주민등록증 · 운전면허증)"))
        set_label(self.chip, self.tr("여권 IC칩 읽히기"))
        set_label(self.qr, self.tr("모바일 신분증 QR 보여 주기"))
        set_label(self.manual, self.tr("직접 입력하기"))
        px = self.lobby.sizes.title
        colour = self.lobby.icon_colour()
        for button, icon in (
            (self.scan, "mdi6.card-account-details-outline"),
            (self.chip, "mdi6.passport"),
            (self.qr, "mdi6.qrcode-scan"),
            (self.manual, "mdi6.keyboard-outline"),
        ):
            set_icon(button, icon, colour, px * 2)
        self.name_caption.setText(self.tr("이름"))
        self.birth_caption.setText(self.tr("생년월일"))
        self.rrn_caption.setText(self.tr("주민등록번호"))
        self.confirm_note.setText(self.tr("개인정보 보호를 위해 일부만 보여 드려요."))
        set_label(self.reread, self.tr("다시 읽기"))
        self.manual_note.setText(self.tr("직접 입력한 정보는 상담 창구에서 신분증으로 한 번 더 확인해요."))
        self.name_label.setText(self.tr("이름"))
        self.birth_label.setText(self.tr("생년월일 (예: 1960-03-15)"))
        self.phone_label.setText(self.tr("휴대전화 (선택)"))
        self.name_edit.setAccessibleName(self.tr("이름"))
        self.birth_edit.setAccessibleName(self.tr("생년월일"))
        self.phone_edit.setAccessibleName(self.tr("휴대전화"))
        self.chip_note.setText(
            self.tr("여권 사진 면 아래 두 줄에 있는 정보를 입력해 주세요. 칩을 여는 데만 써요.")
        )
        self.passport_number_label.setText(self.tr("여권 번호 (예: M12345678)"))
        self.passport_birth_label.setText(self.tr("생년월일 6자리 (예: 600315)"))
        self.passport_expiry_label.setText(self.tr("만료일 6자리 (예: 330101)"))
        self.passport_number_edit.setAccessibleName(self.tr("여권 번호"))
        self.passport_birth_edit.setAccessibleName(self.tr("생년월일 6자리"))
        self.passport_expiry_edit.setAccessibleName(self.tr("만료일 6자리"))


def age_from_birth(draft: Any, today: date | None = None) -> int | None:
    """만 나이 from the card's birth date (or the typed one); None when unknown or implausible."""
    birth: date | None = getattr(draft.document, "birth_date", None) if draft.document is not None else None
    if birth is None and draft.manual.get("birth"):
        try:
            birth = date.fromisoformat(draft.manual["birth"])
        except ValueError:
            return None
    if birth is None:
        return None
    today = today or clock.today()
    age = full_age(birth, today)
    return age if 14 <= age <= 120 else None


# The reader's source → how the identify step read the person (kiosk.visit.IdentityMethod's values).
_METHODS = {"image": "image", "chip": "ic_chip", "qr": "mobile", "manual": "manual"}


def identity_summary(draft: Any) -> Any:
    """The workflow's IdentitySummary: the document (RRN in memory only) or the typed fields."""
    from kiosk.visit import IdentityMethod, IdentityResult, IdentitySummary

    document = draft.document
    if document is not None:
        return IdentitySummary(
            method=IdentityMethod(_METHODS.get(getattr(document, "source", "") or "image", "image")),
            document_kind=str(getattr(document.kind, "value", document.kind)),
            result=IdentityResult.VERIFIED
            if getattr(document, "verified", False)
            else IdentityResult.NOT_CHECKED,
            confidence={k: round(float(v), 3) for k, v in getattr(document, "confidence", {}).items()},
            name=document.name or None,
            rrn=document.rrn,
            birth_date=document.birth_date,
            masked_image_png=_png(getattr(document, "masked_image", None)),
        )
    birth = draft.manual.get("birth", "")
    try:
        born: date | None = date.fromisoformat(birth)
    except ValueError:
        born = None
    return IdentitySummary(
        method=IdentityMethod.MANUAL,
        document_kind="manual",
        result=IdentityResult.UNVERIFIED,
        name=draft.manual.get("name") or None,
        phone=draft.manual.get("phone") or None,
        birth_date=born,
    )


def _png(image: Any) -> bytes | None:
    """The card image with the RRN back digits already blacked out by the reader, as PNG."""
    if image is None:
        return None
    import cv2

    ok, buffer = cv2.imencode(".png", image)
    return bytes(buffer) if ok else None


def _english(code: str, fallback: str) -> str:
    """The reader's English text for its code; a code of the screen's own (e.g. "reading") keeps the
    screen's message, which `tr()` has already translated, rather than "Unexpected error"."""
    from devices.id.model import MESSAGES

    known = MESSAGES.get(code)
    return known[1] if known else fallback
