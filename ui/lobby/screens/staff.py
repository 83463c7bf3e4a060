"""Staff mode, behind a hidden gesture (5 taps on the centre's name) and the PIN from config:
device health, a test print, reloading the configuration, leaving kiosk mode."""

from __future__ import annotations

import hmac
import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit

from ui.lobby.screens.base import LobbyScreen
from ui.widgets.buttons import set_label, touch_button
from ui.widgets.keypad import AmountKeypad

if TYPE_CHECKING:
    from ui.lobby.screens.host import LobbyHost

log = logging.getLogger(__name__)


def pin_matches(entered: str, *, pin: str, pin_hash: str) -> bool:
    """argon2 hash when configured (slow on purpose: run it off the GUI thread), else the plain PIN."""
    if not entered:
        return False
    if pin_hash:
        from argon2 import PasswordHasher
        from argon2.exceptions import InvalidHashError, VerificationError

        try:
            return PasswordHasher().verify(pin_hash, entered)
        except (VerificationError, InvalidHashError):
            return False
    return bool(pin) and hmac.compare_digest(entered.encode(), pin.encode())


class StaffPinScreen(LobbyScreen):
    def __init__(self, lobby: LobbyHost) -> None:
        super().__init__(lobby)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.body.addWidget(self.hint)
        self.keypad = AmountKeypad("count")
        self.keypad.setObjectName("StaffPinPad")
        self.keypad.valueChanged.connect(self._mask)
        self.body.addStretch(1)
        self.body.addWidget(self.keypad)
        self.entered = ""
        self.retranslate()

    def _mask(self, _value: int) -> None:
        digits = self.keypad._digits  # the keypad's digits, shown only as dots
        self.entered = digits
        self.keypad.display.setText("●" * len(digits))
        self.keypad.display.setAccessibleName(self.tr("비밀번호 %1자리").replace("%1", str(len(digits))))
        self.chromeChanged.emit()  # 확인 is enabled once digits are in

    def title(self) -> str:
        return self.tr("직원 확인")

    def primary_text(self) -> str:
        return self.tr("확인")

    def primary_enabled(self) -> bool:
        return len(self.entered) >= 4

    def on_primary(self) -> None:
        cfg = self.lobby.services.settings.lobby
        entered = self.entered
        self.wipe()
        self.lobby.worker.submit(
            lambda: pin_matches(entered, pin=cfg.staff_pin, pin_hash=cfg.staff_pin_hash), self._checked
        )

    def _checked(self, ok: bool) -> None:
        if ok:
            self.lobby.go("staff", remember=False)
        else:
            self.lobby.show_notice(self.tr("비밀번호가 맞지 않아요."), kind="error")

    def enter(self) -> None:
        self.wipe()

    def wipe(self) -> None:
        self.keypad.clear()
        self.entered = ""
        self.keypad.display.setText("")

    def retranslate(self) -> None:
        self.hint.setText(self.tr("직원용 화면이에요. 비밀번호를 눌러 주세요."))


class StaffScreen(LobbyScreen):
    def __init__(self, lobby: LobbyHost) -> None:
        super().__init__(lobby)
        self.health = QPlainTextEdit()
        self.health.setObjectName("DeviceHealth")
        self.health.setReadOnly(True)
        self.body.addWidget(self.health, 1)
        self.refresh = touch_button(role="staff", name="StaffRefresh")
        self.test_print = touch_button(role="staff", name="StaffTestPrint")
        self.reload = touch_button(role="staff", name="StaffReload")
        self.quit = touch_button(role="staff", name="StaffQuit")
        self.refresh.clicked.connect(self.update_health)
        self.test_print.clicked.connect(self._test_print)
        self.reload.clicked.connect(self._reload)
        self.quit.clicked.connect(self._quit)
        for button in (self.refresh, self.test_print, self.reload, self.quit):
            self.body.addWidget(button)
        self.retranslate()

    def update_health(self) -> None:
        services = self.lobby.services

        def collect() -> list[str]:
            lines = []
            reader = services.id_reader
            lines.append(f"id_reader: {type(reader).__name__ if reader is not None else 'not configured'}")
            pad = services.pad
            lines.append(
                f"signature_pad: {getattr(pad, 'port', type(pad).__name__) if pad else 'not configured'}"
            )
            status = services.printer_status() if services.printer_status else "not configured"
            lines.append(f"printer: {status}")
            lines.append(f"workflow: {'ready' if services.visits is not None else 'not configured'}")
            lines.append(
                f"questionnaire: {'ready' if services.questionnaire is not None else 'not configured'}"
            )
            lines.append(f"staff calls this session: {len(services.staff_calls)}")
            if services.hub is not None:  # what still has to reach the hub: counts, never contents
                lines.append(f"outbox: {services.hub.outbox.health().message}")
            return lines

        self.lobby.worker.submit(collect, lambda lines: self.health.setPlainText("\n".join(lines)))

    def _test_print(self) -> None:
        test = self.lobby.services.test_print
        if test is None:
            self.lobby.show_notice(self.tr("프린터가 설정되지 않았어요."), kind="error")
            return
        self.lobby.worker.submit(
            test,
            lambda _r: self.lobby.show_notice(self.tr("시험 인쇄를 보냈어요.")),
            lambda e: self.lobby.show_notice(
                self.tr("시험 인쇄 실패: %1").replace("%1", str(e)), kind="error"
            ),
        )

    def _reload(self) -> None:
        reload = self.lobby.services.reload_settings
        if reload is None:
            return

        def done(settings: Any) -> None:
            self.lobby.services.settings = settings
            self.lobby.apply_look()
            self.lobby.show_notice(self.tr("설정을 다시 읽었어요."))

        self.lobby.worker.submit(
            reload,
            done,
            lambda e: self.lobby.show_notice(self.tr("설정 오류: %1").replace("%1", str(e)), kind="error"),
        )

    def _quit(self) -> None:
        self.lobby.allow_closing()
        app = QApplication.instance()
        if app is not None:
            app.quit()

    def title(self) -> str:
        return self.tr("직원 모드")

    def primary_text(self) -> str:
        return self.tr("키오스크로 돌아가기")

    def on_primary(self) -> None:
        self.lobby.wipe_visit(reason="staff_exit")

    def enter(self) -> None:
        self.update_health()

    def wipe(self) -> None:
        self.health.clear()

    def retranslate(self) -> None:
        set_label(self.refresh, self.tr("기기 상태 새로 보기"))
        set_label(self.test_print, self.tr("시험 인쇄"))
        set_label(self.reload, self.tr("설정 다시 읽기"))
        set_label(self.quit, self.tr("프로그램 끝내기"))
        self.health.setAccessibleName(self.tr("기기 상태"))
