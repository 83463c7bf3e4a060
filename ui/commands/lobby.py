"""``kiosk lobby [--emulated] [--screenshot-tour DIR]`` and ``kiosk bench ui --json``."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication

    from config import Settings
    from kiosk.cli import CommandRegistry
    from kiosk.context import AppContext
    from ui.lobby.services import LobbyServices
    from ui.lobby.window import LobbyWindow

log = logging.getLogger(__name__)


def register(registry: CommandRegistry) -> None:
    lobby = registry.command("lobby", "the lobby kiosk (touch UI for walk-ins)", run_lobby)
    lobby.add_argument(
        "--emulated", action="store_true", help="use the device emulators instead of real ports"
    )
    lobby.add_argument(
        "--screenshot-tour", metavar="DIR", help="render every screen offscreen to PNGs in DIR"
    )
    lobby.add_argument("--windowed", action="store_true", help="a normal window instead of kiosk full screen")
    lobby.add_argument(
        "--hash-pin",
        action="store_true",
        help="read a staff PIN on stdin, print its argon2 hash for the site file",
    )
    bench = registry.subcommand("bench", "ui", "lobby UI: first frame, transitions, GUI stalls", run_bench)
    bench.add_argument("--json", action="store_true", help="print one JSON object")


def _app(offscreen: bool) -> QCoreApplication:
    # Device threads (OCR, spool, pad) run Python too; hand the interpreter back to the GUI thread
    # every millisecond instead of every 5 ms so a touch is answered while they work.
    sys.setswitchinterval(0.001)
    if offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    else:
        # Hangul input for manual entry through Qt Virtual Keyboard (PySide6-Addons).
        os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("paperless-kiosk lobby")
    return app


def _hash_pin() -> int:
    from argon2 import PasswordHasher

    pin = sys.stdin.readline().strip()
    if not pin.isdigit() or not 4 <= len(pin) <= 12:
        print("PIN은 숫자 4~12자리여야 해요 (the PIN must be 4 to 12 digits)", file=sys.stderr)
        return 2
    print(PasswordHasher().hash(pin))
    return 0


def run_lobby(args: argparse.Namespace, ctx: AppContext) -> int:
    if args.hash_pin:
        return _hash_pin()
    tour_dir = Path(args.screenshot_tour) if args.screenshot_tour else None
    app = _app(offscreen=tour_dir is not None)
    from ui.lobby.app import build_lobby
    from ui.lobby.emulated import emulated_services, real_services

    settings = ctx.settings
    emulated = args.emulated or tour_dir is not None
    if tour_dir is not None:
        # A scripted visit must not land in the kiosk's real database or key file.
        settings, ctx = _scratch(settings, ctx, tour_dir / ".tour-data")
    # Before any service loads keys: stored data under a key that is gone stops here (exit 2), and a
    # new key is made only on a database without encrypted data.
    ctx.keyring()
    services = emulated_services(settings, ctx) if emulated else real_services(settings, ctx)
    try:
        if tour_dir is not None:
            return _tour(build_lobby, services, tour_dir)
        kiosk_mode = settings.lobby.fullscreen and not args.windowed
        window = build_lobby(services, kiosk_mode=kiosk_mode)
        window.show()
        code = int(app.exec())
        window.shutdown()
        return code
    finally:
        services.close()


def _scratch(settings: Settings, ctx: AppContext, folder: Path) -> tuple[Settings, AppContext]:
    """Settings and context whose data directory and database live in ``folder`` (fresh each run)."""
    import shutil

    from kiosk.context import AppContext

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    app = settings.app.model_copy(update={"data_dir": str(folder)})
    scratch = settings.model_copy(update={"app": app})
    scratch_ctx = AppContext(config_file=ctx.config_file, db_url_option=f"sqlite:///{folder / 'kiosk.db'}")
    scratch_ctx.__dict__["settings"] = scratch  # cached_property: the context hands out these settings
    return scratch, scratch_ctx


def _tour(build_lobby: Callable[..., LobbyWindow], services: LobbyServices, out: Path) -> int:
    from ui.lobby.tour import extra_screens, run_tour

    out.mkdir(parents=True, exist_ok=True)
    window = build_lobby(services, kiosk_mode=False)
    window.show()
    shots: list[Path] = []
    try:
        for language, variants in (("ko", True), ("en", True)):
            shots += run_tour(window, out, language=language, variants=variants)
            shots += extra_screens(window, out, language)
            window.set_language("ko")
    finally:
        window.shutdown()
    for path in shots:
        print(path)
    print(f"{len(shots)} screenshots in {out}", file=sys.stderr)
    return 0


def run_bench(args: argparse.Namespace, ctx: AppContext) -> int:
    _app(offscreen=True)
    import tempfile

    from ui.lobby.app import build_lobby
    from ui.lobby.bench import run_bench as bench
    from ui.lobby.emulated import emulated_services

    settings, scratch_ctx = _scratch(ctx.settings, ctx, Path(tempfile.mkdtemp(prefix="kiosk-bench-ui-")))
    services = emulated_services(settings, scratch_ctx)
    window = build_lobby(services, with_chat=False)
    window.show()
    try:
        result = bench(window)
    finally:
        window.shutdown()
        services.close()
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return 0
