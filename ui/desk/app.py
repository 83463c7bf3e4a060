"""`kiosk desk`: enroll (once, with a one-time code), log in, open the desk window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit

from config import Settings
from kiosk.client import HubClient, HubRefused, HubUnavailable
from kiosk.client.hub_client import HubNotTrusted
from kiosk.client.pinned_ca import read_pinned_ca, remember_pinned_ca
from ui.adapters.hub_adapter import HubAdapter
from ui.desk.window import DeskWindow


class LoginDialog(QDialog):
    """Username and password; the hub checks them (argon2) and throttles failures."""

    def __init__(self, client: HubClient, desk_token: str | None) -> None:
        super().__init__()
        self.client, self.desk_token = client, desk_token
        self.setWindowTitle("상담사 로그인 · Counselor login")
        form = QFormLayout(self)
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel("")
        form.addRow("아이디 Username", self.username)
        form.addRow("비밀번호 Password", self.password)
        form.addRow(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.counselor_name = ""

    def try_login(self) -> None:
        # A short blocking call on purpose: nothing else is on screen until the counselor is in.
        try:
            out = self.client.login(self.username.text(), self.password.text(), self.desk_token)
        except HubRefused as exc:
            self.message.setText(exc.message_ko)
            return
        except HubUnavailable:
            self.message.setText(HubUnavailable.message_ko)
            return
        self.counselor_name = out.counselor.display_name
        self.accept()


def run_desk_app(
    settings: Settings, *, hub: str | None, desk_token: str | None, enroll_code: str | None, desk_label: str
) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    url = hub or settings.hub.url
    ca_pem = read_pinned_ca(settings)
    if enroll_code:
        enrolling = HubClient(url, ca_pem=ca_pem)
        try:
            desk_token = enrolling.enroll(enroll_code).token
        except HubNotTrusted as exc:
            print(f"등록하지 않았어요 (not enrolled): {exc.message_ko} ({exc.message_en})", file=sys.stderr)
            return 2
        ca_pem = remember_pinned_ca(settings, enrolling.ca_pem, ca_pem)
        enrolling.close()
        print(f"이 상담석의 기기 토큰 (keep it in the site config): {desk_token}")
    client = HubClient(url, ca_pem=ca_pem, timeout_s=settings.hub.request_timeout_seconds)
    login = LoginDialog(client, desk_token)
    if login.exec() != QDialog.DialogCode.Accepted:
        return 1
    window = DeskWindow(HubAdapter(client), desk_label, login.counselor_name)
    window.show()
    window.start()
    return int(app.exec())
