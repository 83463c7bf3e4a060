"""`kiosk demo`: one center on one screen — the hub on 127.0.0.1 with SQLite, the lobby kiosk (scaled),
the desk (demo counselor logged in), the counter (scaled), the hall display, the device panels, the
emulated phone's inbox (the SMS the center sent) and a control window with "자동 시연 · Autoplay" and a
scripted walk-in.

The windows are laid out from `QScreen.availableGeometry()` (ui.desk.demo_layout) so each is whole and
none covers another, with or without a window manager. The lobby window is the lobby area's own
(ui.lobby) on emulated devices, enrolled with the hub like any kiosk (ui.lobby.hub_link).
`--screenshots DIR` plays one walk-in up to the document on the counter, saves every window and the
whole screen as PNG and exits.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
from pathlib import Path
from typing import Any

from config import Settings
from ui.desk.demo_layout import Rect

SCREENSHOT_SCREEN = Rect(0, 0, 1920, 1080)


def run_gui_demo(
    settings: Settings, *, out: Path | None, screenshots: Path | None, autoplay: bool = False
) -> int:
    if screenshots is not None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    temporary = out is None
    out = out or Path(tempfile.mkdtemp(prefix="kiosk-demo-"))
    from ui.desk.demo_center import CenterDemo
    from ui.desk.demo_layout import ScreenTooSmall

    try:
        demo = CenterDemo(settings, out, screen=SCREENSHOT_SCREEN if screenshots is not None else None)
    except ScreenTooSmall as exc:
        print(f"화면이 너무 작아요 · {exc}", file=sys.stderr)
        return 2
    try:
        demo.show()
        if screenshots is not None:
            return demo.screenshot_tour(screenshots)
        print(demo.describe(temporary=temporary), flush=True)
        demo.control.closed.connect(app.quit)
        _quit_on_ctrl_c(app)
        QTimer.singleShot(0, demo.start)
        if autoplay:
            QTimer.singleShot(1500, demo.autoplay_default)
        code = int(app.exec())
        print("시연을 끝냈어요 · demo stopped", flush=True)
        return code
    finally:
        demo.close()


def _quit_on_ctrl_c(app: Any) -> None:
    """Ctrl+C (or SIGTERM) in the terminal ends the demo cleanly: windows close, hub stops."""
    from PySide6.QtCore import QTimer

    def quit_app(_signum: int, _frame: object) -> None:
        app.quit()

    signal.signal(signal.SIGINT, quit_app)
    signal.signal(signal.SIGTERM, quit_app)
    # Python runs signal handlers only between bytecodes; a light timer lets it look while Qt waits.
    ticker = QTimer(app)
    ticker.timeout.connect(_noop)
    ticker.start(200)


def _noop() -> None:
    return None
