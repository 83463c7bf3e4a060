"""Identify: ID card on the scanner, passport chip, mobile-ID QR, or typing it in by hand.

Reader events arrive through ``IdReaderAdapter`` (queued signals). Guidance from the reader
("카드를 조금 더 가까이", "빛 반사가 있어요") is shown and spoken as it comes. What was read is shown
masked, large and centred, for the visitor to confirm (``identify_confirm``); manual entry builds its
document through ``devices.id.manual``, is marked unverified and checked at the desk (``identify_forms``).

The pages are widgets of their own; every string stays here, so ``self.tr`` keeps this screen's
translation context.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Literal

from PySide6.QtWidgets import QStackedWidget

from db.pii import mask_name
from devices.id.model import IdDocument
from ui.adapters.id_reader_adapter import IdReaderAdapter
from ui.lobby.flow import run_step
from ui.lobby.screens.base import LobbyScreen
from ui.lobby.screens.identify_choose import MethodChooser, ReaderWaiting
from ui.lobby.screens.identify_confirm import IdentityConfirmation
from ui.lobby.screens.identify_forms import ChipKeyForm, ManualEntryForm
from ui.lobby.screens.identify_summary import age_from_birth, identity_summary, reader_message_en
from ui.widgets.buttons import set_label

if TYPE_CHECKING:
    from kiosk.visit import IdentitySummary
    from kiosk.visit.flow import VisitFlow
    from ui.lobby.screens.host import LobbyHost

__all__ = ["IdentifyScreen", "age_from_birth", "identity_summary"]

Mode = Literal["choose", "waiting", "confirm", "manual", "chip_key"]
Way = Literal["scan", "chip", "qr"]
_PAGE: dict[Mode, int] = {"choose": 0, "waiting": 1, "confirm": 2, "manual": 3, "chip_key": 4}


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
        self.mode: Mode = "choose"

        self.chooser = MethodChooser()
        self.waiting = ReaderWaiting()
        self.confirmation = IdentityConfirmation()
        self.manual_form = ManualEntryForm()
        self.chip_form = ChipKeyForm()
        self.pages = QStackedWidget()
        for page in (self.chooser, self.waiting, self.confirmation, self.manual_form, self.chip_form):
            self.pages.addWidget(page)
        self.body.addWidget(self.pages)

        # The names the lobby's drivers and tests use for the pages' widgets.
        self.intro, self.scan, self.chip = self.chooser.intro, self.chooser.scan, self.chooser.chip
        self.qr, self.manual = self.chooser.qr, self.chooser.manual
        self.wait_text, self.guidance = self.waiting.text, self.waiting.guidance
        confirm = self.confirmation
        self.name_value, self.birth_value = confirm.name_value, confirm.birth_value
        self.rrn_value = confirm.rrn_value
        self.confirm_note, self.reread = confirm.note, confirm.reread
        form = self.manual_form
        self.manual_note = form.note
        self.name_edit, self.birth_edit, self.phone_edit = form.name_edit, form.birth_edit, form.phone_edit
        chip = self.chip_form
        self.passport_number_edit, self.passport_birth_edit = chip.number_edit, chip.birth_edit
        self.passport_expiry_edit = chip.expiry_edit

        self.scan.clicked.connect(self._scan)
        self.chip.clicked.connect(self._chip)
        self.qr.clicked.connect(self._qr)
        self.manual.clicked.connect(self._manual)
        self.reread.clicked.connect(self._choose)
        self.manual_form.changed.connect(self.chromeChanged)
        self.chip_form.changed.connect(self.chromeChanged)
        lobby.lookChanged.connect(self._apply_sizes)
        self._apply_sizes()
        self.retranslate()

    def _show(self, mode: Mode) -> None:
        self.mode = mode
        self.pages.setCurrentIndex(_PAGE[mode])

    # -- reader -------------------------------------------------------------------------------------------
    def _scan(self) -> None:
        self._start_read("scan")

    def _qr(self) -> None:
        self._start_read("qr")

    def _start_read(self, how: Way) -> None:
        self._show("waiting")
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
        if document is not None and document.document_number:
            from devices.id.model import IdError
            from devices.id.pcsc.emrtd import bac_key_from_document

            try:
                key_slot.set(bac_key_from_document(document))
            except IdError:  # an incomplete MRZ: ask for the three fields instead
                key_slot.clear()
            else:
                self._start_read("chip")
                return
        self._show("chip_key")
        self.passport_number_edit.setFocus()
        self.chromeChanged.emit()

    def _guidance(self, code: str, message_ko: str) -> None:
        if self.mode != "waiting":
            return
        text = message_ko if self.lobby.language.language == "ko" else reader_message_en(code, message_ko)
        self.guidance.setText(text)
        self.guidance.setAccessibleName(text)
        self.guidance.show()
        self.lobby.voice.say(text)

    def _reading(self) -> None:
        if self.mode == "waiting":
            self._guidance("reading", self.tr("읽고 있어요. 카드를 움직이지 말아 주세요."))

    def _document(self, document: IdDocument) -> None:
        if self.mode != "waiting":
            return
        draft = self.lobby.draft
        draft.document = document
        birth = document.birth_date.strftime("%Y-%m-%d") if document.birth_date else ""
        display = {"name": mask_name(document.name), "birth": birth, "rrn": document.rrn_masked}
        draft.identity_display = display
        self.confirmation.show_identity(display["name"], display["birth"], display["rrn"])
        self._show("confirm")
        self.lobby.voice.say(self.tr("읽은 내용이 맞는지 확인해 주세요."))
        self.chromeChanged.emit()

    def _failed(self, code: str, message_ko: str) -> None:
        # Calm words and a way forward: try again, or type it in.
        text = message_ko if self.lobby.language.language == "ko" else reader_message_en(code, message_ko)
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
        self._show("choose")
        self.chromeChanged.emit()

    def _stop_readers(self) -> None:
        for adapter in self.adapters.values():
            adapter.stop()

    def _manual(self) -> None:
        self._stop_readers()
        self._show("manual")
        self.name_edit.setFocus()
        self.chromeChanged.emit()

    def _typed_identity(self) -> bool:
        """The typed fields as the visit's document; False (the form says what to fix) when refused."""
        document = self.manual_form.document(self.lobby.language.language)
        if document is None:
            self.lobby.voice.say(self.manual_form.problem.text())
            return False
        draft = self.lobby.draft
        draft.document = document
        birth = document.birth_date.isoformat() if document.birth_date else ""
        draft.manual = {"name": document.name, "birth": birth, "phone": document.phone or ""}
        draft.identity_display = {
            "name": mask_name(document.name),
            "birth": birth,
            "phone": document.extra.get("phone_masked", ""),
        }
        return True

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
            return self.manual_form.complete()
        if self.mode == "chip_key":
            return self.chip_form.complete()
        return True

    def on_primary(self) -> None:
        draft = self.lobby.draft
        if self.mode == "chip_key":
            from devices.id.pcsc.emrtd import BacKey

            slot = self.lobby.services.chip_key
            if slot is not None:  # the chip_key page is only shown when there is a slot (see _chip)
                slot.set(BacKey(*self.chip_form.fields()))
            self._start_read("chip")
            return
        if self.mode == "manual" and not self._typed_identity():
            return
        age = age_from_birth(draft)
        if age is not None:
            draft.answers["age"] = age  # never ask what the ID card already told us
        document = draft.document
        if document is not None:
            run_step(self.lobby, partial(_complete_identify, identity_summary(document)), name="identify")
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
        self.confirmation.clear()
        self.guidance.clear()
        self.guidance.setAccessibleName("")
        self.manual_form.clear()
        self.chip_form.clear()
        if self.lobby.services.chip_key is not None:
            self.lobby.services.chip_key.clear()  # the MRZ triple opens the chip: never kept past a visit
        self._show("choose")

    def shutdown(self) -> None:
        for adapter in self.adapters.values():
            adapter.close()

    def _apply_sizes(self) -> None:
        sizes = self.lobby.sizes
        self.confirmation.apply_sizes(sizes)
        self.manual_form.apply_sizes(sizes)
        self.chip_form.apply_sizes(sizes)

    def retranslate(self) -> None:
        self.intro.setText(self.tr("편한 방법을 하나 골라 주세요."))
        set_label(self.scan, self.tr("신분증 올려놓기\n(주민등록증 · 운전면허증)"))
        set_label(self.chip, self.tr("여권 IC칩 읽히기"))
        set_label(self.qr, self.tr("모바일 신분증 QR 보여 주기"))
        set_label(self.manual, self.tr("직접 입력하기"))
        self.chooser.apply_icons(self.lobby.icon_colour(), self.lobby.sizes.title * 2)
        confirm = self.confirmation
        confirm.name_caption.setText(self.tr("이름"))
        confirm.birth_caption.setText(self.tr("생년월일"))
        confirm.rrn_caption.setText(self.tr("주민등록번호"))
        self.confirm_note.setText(self.tr("개인정보 보호를 위해 일부만 보여 드려요."))
        set_label(self.reread, self.tr("다시 읽기"))
        form = self.manual_form
        self.manual_note.setText(self.tr("직접 입력한 정보는 상담 창구에서 신분증으로 한 번 더 확인해요."))
        form.name_label.setText(self.tr("이름"))
        form.birth_label.setText(self.tr("생년월일 (예: 1960-03-15)"))
        form.phone_label.setText(self.tr("휴대전화 (선택)"))
        self.name_edit.setAccessibleName(self.tr("이름"))
        self.birth_edit.setAccessibleName(self.tr("생년월일"))
        self.phone_edit.setAccessibleName(self.tr("휴대전화"))
        chip = self.chip_form
        chip.note.setText(
            self.tr("여권 사진 면 아래 두 줄에 있는 정보를 입력해 주세요. 칩을 여는 데만 써요.")
        )
        chip.number_label.setText(self.tr("여권 번호 (예: M12345678)"))
        chip.birth_label.setText(self.tr("생년월일 6자리 (예: 600315)"))
        chip.expiry_label.setText(self.tr("만료일 6자리 (예: 330101)"))
        self.passport_number_edit.setAccessibleName(self.tr("여권 번호"))
        self.passport_birth_edit.setAccessibleName(self.tr("생년월일 6자리"))
        self.passport_expiry_edit.setAccessibleName(self.tr("만료일 6자리"))


def _complete_identify(summary: IdentitySummary, flow: VisitFlow) -> None:
    """The workflow's identify step, on the worker thread (the summary holds the RRN in memory only)."""
    flow.complete_identify(summary)
