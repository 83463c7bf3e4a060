"""`kiosk demo`: the hub on 127.0.0.1 with SQLite, a lobby, a desk (demo counselor logged in), a counter,
plus a window per emulated device and a small control window that sends a scripted walk-in.

The lobby window is the lobby area's own (ui.lobby) on emulated devices, enrolled with the hub like any
kiosk (ui.lobby.hub_link): its visits and tickets reach the desk's queue (offline: reserved numbers and
the outbox), it reports its current step to the hub (the desk's live mirror) and 직원 호출 rings the desks.
`--screenshots DIR` sets up one visit (scripted walk-in, called, document pushed), saves every window
as PNG and exits.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from config import Settings


def run_gui_demo(settings: Settings, *, out: Path | None, screenshots: Path | None) -> int:
    if screenshots is not None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    out = out or Path(tempfile.mkdtemp(prefix="kiosk-demo-"))
    demo = CenterDemo(settings, out)
    try:
        demo.show()
        if screenshots is not None:
            demo.screenshot_tour(screenshots)
            return 0
        QTimer.singleShot(0, demo.start)
        return int(app.exec())
    finally:
        demo.close()


class CenterDemo:
    def __init__(self, settings: Settings, out: Path) -> None:
        from kiosk.client import HubClient
        from kiosk.context import AppContext
        from kiosk.demo.center import start_demo_center
        from ui.adapters.hub_adapter import HubAdapter
        from ui.counter.window import CounterWindow
        from ui.desk.window import DeskWindow

        self.settings, self.out = settings, out
        self.center = start_demo_center(settings, out)
        self.desk = DeskWindow(HubAdapter(self.center.desk_client()), "3", "시연 상담사")
        self.counter_pad, self.counter_pad_adapter = self._counter_pad()
        from ui.voice import VoiceGuide

        self.counter = CounterWindow(
            HubAdapter(HubClient(self.center.url, self.center.counter_token)),
            settings,
            paired=True,
            voice=VoiceGuide(),
            pad_adapter=self.counter_pad_adapter,
        )
        self.lobby_adapter = HubAdapter(HubClient(self.center.url, self.center.lobby_token))
        self.lobby_ctx = AppContext(db_url_option=f"sqlite:///{out / 'lobby-window.db'}")
        self.lobby, self.lobby_services = self._lobby()
        self.windows: dict[str, Any] = {"desk": self.desk, "counter": self.counter}
        if self.lobby is not None:
            self.windows["lobby"] = self.lobby
        self._device_windows()
        self._walker: Any = None

    # --- parts ----------------------------------------------------------------------------------------
    def _counter_pad(self) -> tuple[Any, Any]:
        from devices.signature.emulator import EmulatedPad
        from devices.signature.pad import SignaturePad
        from ui.adapters.signature_pad_adapter import SignaturePadAdapter

        emulator = EmulatedPad(settings=self.settings.signature)
        return emulator, SignaturePadAdapter(SignaturePad(emulator.port_name, self.settings.signature))

    def _lobby(self) -> tuple[Any, Any]:
        from ui.lobby.app import build_lobby
        from ui.lobby.emulated import attach_hub, emulated_services

        services = emulated_services(self.settings, self.lobby_ctx)
        # The lobby window is a kiosk of this center: its visits, ticket numbers, steps and 직원 호출
        # go to the hub with its own device token (ui.lobby.hub_link; offline → outbox).
        attach_hub(services, self.center.url, self.center.lobby_token)
        window = build_lobby(services, kiosk_mode=False)
        return window, services

    def _device_windows(self) -> None:
        from ui.desk.device_windows import PadWindow, PrinterPaperWindow, ScannerWindow

        emulators = self.lobby_services.emulators
        if "printer" in emulators:
            self.windows["printer"] = PrinterPaperWindow(emulators["printer"])
        pads = {"창구 패드 counter pad": self.counter_pad}
        if "pad" in emulators:
            pads["로비 패드 lobby pad"] = emulators["pad"]
        self.windows["pads"] = PadWindow(pads)
        if "scanner" in emulators:
            self.windows["scanner"] = ScannerWindow(emulators["scanner"])
        self.windows["control"] = self._control_window()

    def _control_window(self) -> Any:
        from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

        window = QWidget()
        window.setWindowTitle("시연 제어 · Demo control")
        layout = QVBoxLayout(window)
        layout.addWidget(QLabel(f"허브 hub: {self.center.url}\n데이터 data: {self.out}"))
        self.walk_button = QPushButton("시연 방문자 1명 보내기 · Send a scripted walk-in")
        self.walk_button.clicked.connect(self.scripted_walk_in)
        self.walk_status = QLabel("")
        layout.addWidget(self.walk_button)
        layout.addWidget(self.walk_status)
        return window

    # --- actions --------------------------------------------------------------------------------------
    def start(self) -> None:
        self.desk.start()
        self.counter.start()

    def show(self) -> None:
        for index, window in enumerate(self.windows.values()):
            window.move(40 + 60 * index, 40 + 40 * index)
            window.show()

    def scripted_walk_in(self) -> None:
        """A synthetic person goes through a second (scripted) lobby: card, consent, needs, ticket."""
        self.walk_button.setEnabled(False)
        self.walk_status.setText("방문자가 접수 중이에요… (scripted lobby running)")
        self.lobby_adapter.call(
            self._walk,
            done=self._walked,
            failed=lambda code, msg: self.walk_status.setText(f"{msg} [{code}]"),
        )

    def _walk(self) -> dict[str, Any]:
        import random

        from db.base import Base
        from db.session import make_engine, make_sessionmaker
        from devices.id.emulators.identities import generate_identity
        from kiosk.client import HubClient, LobbyOutbox
        from kiosk.demo.devices import DemoPad, DemoPrinter, DemoScanner
        from kiosk.demo.headless import answers_for
        from kiosk.demo.roles import LobbyRole

        if self._walker is None:
            engine = make_engine(f"sqlite:///{self.out / 'lobby-scripted.db'}")
            Base.metadata.create_all(engine)
            client = HubClient(self.center.url, self.center.lobby_token)
            self._walker = (
                LobbyRole(
                    client,
                    LobbyOutbox(make_sessionmaker(engine), client),
                    DemoScanner(),
                    DemoPad(self.settings),
                    DemoPrinter(self.settings),
                    "시연 센터",
                ),
                engine,
                0,
            )
        role, engine, count = self._walker
        self._walker = (role, engine, count + 1)
        identity = generate_identity(random.Random(100 + count))
        answers = answers_for(count, max(19, 2026 - identity.birth_date.year))
        return role.walk_in(identity, answers, 100 + count, self.out / "scripted")

    def _walked(self, result: dict[str, Any]) -> None:
        self.walk_button.setEnabled(True)
        self.walk_status.setText(
            f"번호표 {result['ticket']['display']} 발급 · 상담석에서 호출하세요 (Ctrl+N)"
        )
        self.desk.refresh_queue()

    def screenshot_tour(self, directory: Path) -> None:
        """One visit set up end to end, then every window saved as PNG."""
        from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

        def settle(ms: int) -> None:
            loop = QEventLoop()
            QTimer.singleShot(ms, loop.quit)
            loop.exec()

        def wait_until(predicate: Any, timeout_ms: int) -> None:
            waited = 0
            while not predicate() and waited < timeout_ms:
                settle(100)
                waited += 100

        directory.mkdir(parents=True, exist_ok=True)
        self.start()
        self.scripted_walk_in()
        wait_until(lambda: self.walk_button.isEnabled(), 120_000)
        index = self.desk.line_box.findData("B" if "B-" in self.walk_status.text() else "A")
        self.desk.line_box.setCurrentIndex(max(0, index))
        self.desk.call_next()
        wait_until(lambda: self.desk.case is not None, 20_000)
        self.desk.generate("consent")
        wait_until(lambda: self.desk.tabs.documents.rowCount() > 0, 20_000)
        self.desk.tabs.setCurrentIndex(3)  # verdicts
        self.desk.push()
        wait_until(lambda: self.counter.stack.currentIndex() == 2, 30_000)
        bar = self.counter.pages_scroll.verticalScrollBar()
        bar.setValue(bar.maximum())
        settle(800)
        QCoreApplication.processEvents()
        for name, window in self.windows.items():
            window.grab().save(str(directory / f"demo-{name}.png"))
        self.desk.tabs.setCurrentIndex(4)
        settle(300)
        self.desk.grab().save(str(directory / "demo-desk-documents.png"))

    def close(self) -> None:
        for window in self.windows.values():
            window.close()
        if self.lobby is not None:
            self.lobby.shutdown()
        self.lobby_services.close()
        self.lobby_adapter.stop()
        if self._walker is not None:
            role, engine, _ = self._walker
            for device in (role.pad, role.printer):
                device.close()
            engine.dispose()
        self.counter_pad.close()
        self.center.close()
