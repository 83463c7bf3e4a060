"""The windows of `kiosk demo` and what connects them (ui.desk.center_demo runs it).

One center: the hub (kiosk.demo.center) with a lobby kiosk, a desk, a counter and a hall display
enrolled; each client talks to the hub only through its HubAdapter. The center's SMS goes to an
emulated SMSC; the "휴대전화 (에뮬레이터)" window (ui.desk.phone_inbox) shows what its phones received.
The layout comes from the screen's available area (ui.desk.demo_layout); Autoplay (ui.desk.demo_autoplay
+ demo_script) presses the real buttons of these windows.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QSize, QTimer
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QWidget

from config import Settings
from devices.signature.emulator import EmulatedPad
from devices.signature.pad import SignaturePad
from kiosk.client import HubClient
from kiosk.context import AppContext
from kiosk.demo.center import start_demo_center
from kiosk.demo.scripted_kiosk import ScriptedKiosk
from ui.adapters.hub_adapter import HubAdapter
from ui.adapters.signature_pad_adapter import SignaturePadAdapter
from ui.counter.window import CounterWindow
from ui.desk.demo_autoplay import Autoplay, HandsOn, Script
from ui.desk.demo_control import DemoControlWindow
from ui.desk.demo_hall import HallDisplayWindow
from ui.desk.demo_layout import WINDOWS, Rect, plan_layout
from ui.desk.demo_place import available, compose, host, outer, place
from ui.desk.demo_script import DOCUMENTS, VERDICTS, DemoParts, desk_pushes, lobby_visit, walk_ins
from ui.desk.demo_view import ScaledScreenView
from ui.desk.device_windows import PadWindow, PrinterPaperWindow, ScannerWindow
from ui.desk.phone_inbox import PhoneInboxWindow
from ui.desk.window import DeskWindow
from ui.lobby.services import LobbyServices
from ui.lobby.window import LobbyWindow
from ui.voice import VoiceGuide

COUNTER_DESIGN = QSize(1280, 800)  # the counter screen's own landscape size
TITLES = {
    "lobby": "로비 키오스크 (축소 화면) · Lobby kiosk (scaled)",
    "counter": "창구 화면 (축소 화면) · Counter screen (scaled)",
}


class CenterDemo:
    def __init__(
        self, settings: Settings, out: Path, *, screen: Rect | None = None, pace: float = 1.0
    ) -> None:
        self.settings, self.out = settings, out
        self.area = screen or available()
        self.plan = plan_layout(self.area)
        self.center = start_demo_center(settings, out)
        url = self.center.url
        self.desk = DeskWindow(HubAdapter(self.center.desk_client()), "3", "시연 상담사")
        self.counter_pad = EmulatedPad(settings=settings.signature)
        pad_adapter = SignaturePadAdapter(SignaturePad(self.counter_pad.port_name, settings.signature))
        self.counter = CounterWindow(
            HubAdapter(HubClient(url, self.center.counter_token)),
            settings,
            paired=True,
            voice=VoiceGuide(),
            pad_adapter=pad_adapter,
        )
        self.hall = HallDisplayWindow(HubAdapter(HubClient(url, self.center.display_token)))
        self.lobby_adapter = HubAdapter(HubClient(url, self.center.lobby_token))
        self.lobby_ctx = AppContext(db_url_option=f"sqlite:///{out / 'lobby-window.db'}")
        self.lobby, self.lobby_services = self._lobby()
        self.control = DemoControlWindow(url, str(out))
        self.windows: dict[str, QWidget] = self._windows()
        self.autoplay = Autoplay(pace)
        self.hands_on = HandsOn(self.autoplay, self.control)
        self.parts = DemoParts(
            self.lobby,
            self.desk,
            self.counter,
            self.counter_pad,
            self.lobby_services.emulators.get("pad"),
            self.lobby_services.emulators.get("printer"),
            visible_taps=pace >= 0.5,
            mark_tap=self._mark_tap,
        )
        self._walker: ScriptedKiosk | None = None
        self._stable_ticks, self._ticks = 0, 0
        self._settle = QTimer(self.control)
        self._settle.setInterval(250)
        self._settle.timeout.connect(self._settle_tick)
        self._wire()

    # --- parts ----------------------------------------------------------------------------------------
    def _lobby(self) -> tuple[LobbyWindow, LobbyServices]:
        from ui.lobby.app import build_lobby
        from ui.lobby.emulated import attach_hub, emulated_services

        services = emulated_services(self.settings, self.lobby_ctx)
        # The lobby window is a kiosk of this center: its visits, ticket numbers, steps and 직원 호출
        # go to the hub with its own device token (ui.lobby.hub_link; offline → outbox).
        attach_hub(services, self.center.url, self.center.lobby_token)
        return build_lobby(services, kiosk_mode=False), services

    def _windows(self) -> dict[str, QWidget]:
        lobby_cfg = self.settings.lobby
        emulators = self.lobby_services.emulators
        pads = {"창구 패드 counter pad": self.counter_pad}
        if "pad" in emulators:
            pads["로비 패드 lobby pad"] = emulators["pad"]
        windows: dict[str, QWidget] = {
            "lobby": ScaledScreenView(
                self.lobby, QSize(lobby_cfg.window_width_px, lobby_cfg.window_height_px), TITLES["lobby"]
            ),
            "desk": host(self.desk, self.plan["desk"]),
            "control": self.control,
            "hall": self.hall,
            "counter": ScaledScreenView(self.counter, COUNTER_DESIGN, TITLES["counter"]),
            "pads": PadWindow(pads),
        }
        if self.center.sms is not None:  # the phone the demo visitor holds: the SMS they received
            windows["phone"] = PhoneInboxWindow(self.center.sms)
        if "printer" in emulators:
            windows["printer"] = PrinterPaperWindow(emulators["printer"])
        if "scanner" in emulators:
            windows["scanner"] = ScannerWindow(emulators["scanner"])
        return {name: windows[name] for name in WINDOWS if name in windows}

    def _wire(self) -> None:
        self.control.autoplayRequested.connect(self.play)
        self.control.stopRequested.connect(self.stop_autoplay)
        self.control.walkInRequested.connect(self.scripted_walk_in)
        self.autoplay.narrated.connect(self.control.narrate)
        self.autoplay.runningChanged.connect(self.control.set_running)
        self.autoplay.failed.connect(self._autoplay_failed)
        self.hands_on.tookOver.connect(self._took_over)

    # --- layout ---------------------------------------------------------------------------------------
    def show(self) -> None:
        for name, window in self.windows.items():
            place(window, self.plan[name])
            window.show()
        # A window manager frames the windows some time after they are mapped (and only once the event
        # loop runs): look again until every frame sits in its slot for a second, then say so.
        self._stable_ticks, self._ticks = 0, 0
        self._settle.start()

    def relayout(self) -> bool:
        """Put every window back in its slot; True when all already were."""
        moved = False
        for name, window in self.windows.items():
            if outer(window) != self.plan[name]:
                place(window, self.plan[name])
                moved = True
        return not moved

    def _settle_tick(self) -> None:
        self._ticks += 1
        self._stable_ticks = self._stable_ticks + 1 if self.relayout() else 0
        if self._stable_ticks >= 4 or self._ticks >= 40:
            self._settle.stop()
            area = self.area
            print(f"창을 모두 놓았어요 · {len(self.windows)} windows placed on {area.w}×{area.h}", flush=True)

    def describe(self, *, temporary: bool) -> str:
        kept = (
            "임시 폴더, 끝나도 남아요 · a temporary folder, kept" if temporary else "--out 폴더 · your --out"
        )
        names = " · ".join(window.windowTitle().split(" · ")[0] for window in self.windows.values())
        return "\n".join(
            [
                "kiosk demo — 센터 한 곳이 이 화면에서 돌아가요 · one whole center on this screen",
                f"  허브 hub      {self.center.url}  (SQLite {self.out / 'center.db'})",
                f"  창 windows    {names}",
                f"  데이터 data   {self.out}  ({kept}; 영수증 receipts, PDF, *.db)",
                "  시작 start    '시연 제어' 창의 '자동 시연 · Autoplay', 또는 키오스크를 직접 눌러요",
                "  멈추기 stop   여기서 Ctrl+C, 또는 '시연 제어' 창을 닫아요 · Ctrl+C or close Demo control",
            ]
        )

    # --- actions --------------------------------------------------------------------------------------
    def start(self) -> None:
        self.desk.start()
        self.counter.start()
        self.hall.start()

    def play(self, count: int) -> None:
        """Autoplay ``count`` walk-ins; a person may press Stop at any moment and carry on."""
        self.autoplay.start(walk_ins(self.parts, count))

    def autoplay_default(self) -> None:
        self.play(2)

    def stop_autoplay(self) -> None:
        self.autoplay.stop()
        self.control.narrate("멈췄어요 — 이제 직접 눌러 보세요 · Stopped: the windows are yours")

    def _took_over(self) -> None:
        self.control.narrate("직접 누르셨어요 — 자동 시연을 멈췄어요 · You took over: Autoplay stopped")

    def _mark_tap(self, target: QWidget) -> None:
        for window in self.windows.values():
            if isinstance(window, ScaledScreenView) and window.hosted is target.window():
                window.show_tap(target)

    def _autoplay_failed(self, message: str) -> None:
        self.control.narrate(f"자동 시연이 멈췄어요: {message}")

    def scripted_walk_in(self) -> None:
        """A synthetic person goes through a second (scripted, unseen) kiosk: card, consent, needs, ticket."""
        self.control.walk_button.setEnabled(False)
        self.control.walk_status.setText("다른 키오스크에서 접수 중이에요… · a scripted kiosk is running")
        self.lobby_adapter.call(self._walk, done=self._walked, failed=self._walk_failed)

    def _walk(self) -> dict[str, Any]:
        """On a worker thread: the scripted kiosk (made on first use) serves one more synthetic person."""
        if self._walker is None:
            sms = self.center.sms
            self._walker = ScriptedKiosk.start(
                self.settings,
                self.center.url,
                self.center.lobby_token,
                self.out,
                phone_inbox=sms.inbox if sms is not None else None,
            )
        return self._walker.walk_in_next()

    def _walked(self, result: dict[str, Any]) -> None:
        self.control.walk_button.setEnabled(True)
        # Who could not sign consented by the code on the phone window: say so, that is where to look.
        how = "문자 인증으로 동의(휴대전화 창) · " if result.get("consent_sms") else ""
        self.control.walk_status.setText(
            f"{how}번호표 {result['ticket']['display']} 발급 · 상담석에서 '다음 번호 호출'(Ctrl+N)로 불러요"
        )
        self.desk.refresh_queue()

    def _walk_failed(self, code: str, message: str) -> None:
        self.control.walk_button.setEnabled(True)
        self.control.walk_status.setText(f"{message} [{code}]")

    # --- screenshots ----------------------------------------------------------------------------------
    def screenshot_tour(self, directory: Path) -> int:
        """One walk-in up to the document on the counter, then every window and the screen as PNG."""
        directory.mkdir(parents=True, exist_ok=True)
        self.start()
        self.parts.visible_taps = False
        self.autoplay.pace = 0.1
        error = self.play_and_wait(self._tour(), timeout_ms=600_000)
        if error:
            print(f"screenshot tour stopped: {error}", file=sys.stderr)
            return 1
        if "phone" in self.windows:  # someone who cannot sign, at the second kiosk: their code arrives
            error = self.walk_in_and_wait(timeout_ms=120_000)
            if error:
                print(f"screenshot walk-in stopped: {error}", file=sys.stderr)
                return 1
        self.screen_image().save(str(directory / "demo-screen.png"))
        for name, window in self.windows.items():
            window.grab().save(str(directory / f"demo-{name}.png"))
        self.desk.tabs.setCurrentIndex(VERDICTS)
        for name, widget in (("lobby", self.lobby), ("desk", self.desk), ("counter", self.counter)):
            widget.grab().save(str(directory / f"demo-{name}.png"))  # close-ups at the screens' own size
        self.desk.tabs.setCurrentIndex(DOCUMENTS)
        self.desk.grab().save(str(directory / "demo-desk-documents.png"))
        return 0

    def _tour(self) -> Script:
        number = yield from lobby_visit(self.parts, 1)
        yield from desk_pushes(self.parts, number)

    def screen_image(self) -> QImage:
        """The whole screen: grabbed from the X server when there is one, else drawn from the windows."""
        screen = QGuiApplication.primaryScreen()
        if QGuiApplication.platformName() == "xcb" and screen is not None:
            return screen.grabWindow(0).toImage()
        return compose(list(self.windows.values()), self.area)

    def walk_in_and_wait(self, timeout_ms: int) -> str:
        """One scripted walk-in (on a worker thread) while the windows keep drawing; '' when it is done."""
        outcome: list[str] = []
        loop = QEventLoop()

        def done(result: dict[str, Any]) -> None:
            self._walked(result)
            outcome.append("")
            loop.quit()

        def failed(code: str, message: str) -> None:
            self._walk_failed(code, message)
            outcome.append(f"{message} [{code}]")
            loop.quit()

        QTimer.singleShot(timeout_ms, loop.quit)
        self.lobby_adapter.call(self._walk, done=done, failed=failed)
        loop.exec()
        if not outcome:
            return "timed out"
        if not outcome[0] and "phone" in self.windows:
            phone = self.windows["phone"]
            if isinstance(phone, PhoneInboxWindow):
                phone.refresh()  # the code is on the phone now: show it before the grab
        # Let the layouts take the new words (the walk-in's status, the phone's message) before a grab.
        settle = QEventLoop()
        QTimer.singleShot(300, settle.quit)
        settle.exec()
        return outcome[0]

    def play_and_wait(self, script: Script, timeout_ms: int) -> str:
        """Run a script to its end (screenshot runs and tests); '' when it finished, else what failed."""
        outcome: list[str] = []
        loop = QEventLoop()
        self.autoplay.finished.connect(loop.quit)
        self.autoplay.failed.connect(outcome.append)
        self.autoplay.failed.connect(loop.quit)
        QTimer.singleShot(timeout_ms, loop.quit)
        self.autoplay.start(script)
        loop.exec()
        if self.autoplay.running:
            self.autoplay.stop()
            return "timed out"
        return outcome[0] if outcome else ""

    def close(self) -> None:
        self.autoplay.stop()
        for window in self.windows.values():
            window.close()
        self.lobby.shutdown()
        self.lobby_services.close()
        self.lobby_adapter.stop()
        if self._walker is not None:
            self._walker.close()
        self.counter_pad.close()
        self.center.close()
