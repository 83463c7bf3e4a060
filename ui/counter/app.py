"""`kiosk counter`: enroll once with a one-time code, then show pushed documents and take signatures."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from config import Settings
from kiosk.client import HubClient
from kiosk.client.hub_client import HubNotTrusted
from kiosk.client.pinned_ca import read_pinned_ca, remember_pinned_ca
from ui.adapters.hub_adapter import HubAdapter
from ui.counter.window import CounterWindow


def run_counter_app(
    settings: Settings, *, hub: str | None, token: str | None, enroll_code: str | None
) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    ca_pem = read_pinned_ca(settings)
    client = HubClient(
        hub or settings.hub.url, token, ca_pem=ca_pem, timeout_s=settings.hub.request_timeout_seconds
    )
    if enroll_code:
        try:
            token = client.enroll(enroll_code).token
        except HubNotTrusted as exc:
            print(f"등록하지 않았어요 (not enrolled): {exc.message_ko} ({exc.message_en})", file=sys.stderr)
            return 2
        remember_pinned_ca(settings, client.ca_pem, ca_pem)
        print(f"이 창구 화면의 기기 토큰 (keep it in the site config): {token}")
    if not client.token:
        print("기기 토큰이 없어요: --token 또는 --enroll-code 를 주세요 (no device token)")
        return 2
    paired = client.me().paired_device_id is not None
    from ui.voice import VoiceGuide

    window = CounterWindow(HubAdapter(client), settings, paired=paired, voice=VoiceGuide())
    window.show()
    window.start()
    return int(app.exec())
