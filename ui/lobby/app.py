"""Assemble the lobby: window, screens, idle watch, language. ``build_lobby`` is what the CLI, the
screenshot tour, the bench and the tests call."""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer

from ui.lobby.idle import IdleWatcher
from ui.lobby.screens.consent import ConsentScreen
from ui.lobby.screens.goodbye import GoodbyeScreen
from ui.lobby.screens.identify import IdentifyScreen
from ui.lobby.screens.needs import NeedsScreen
from ui.lobby.screens.results import ResultsScreen
from ui.lobby.screens.staff import StaffPinScreen, StaffScreen
from ui.lobby.screens.ticket import TicketScreen
from ui.lobby.screens.welcome import WelcomeScreen
from ui.lobby.services import LobbyServices
from ui.lobby.window import LobbyWindow

log = logging.getLogger(__name__)
VISIT_SCREENS = ("welcome", "identify", "consent", "needs", "results", "ticket", "goodbye")


def _chat_panel(window: LobbyWindow) -> object | None:
    try:
        from ui.chat import ChatPanel
    except ImportError:
        return None
    try:
        return ChatPanel(text_px=window.sizes.body)
    except Exception:  # the assistant is optional for the kiosk: log and go on without it
        log.exception("chat panel failed to start")
        return None


WARM_UP_DELAY_MS = 400


def _warm_up() -> None:
    import importlib

    for name in (
        "cv2",
        "qrcode",
        "kiosk.visit",
        "kiosk.matching.engine",
        "devices.signature.store",
        "devices.id.image.pipeline",
        "PySide6.QtGui",
    ):
        try:
            importlib.import_module(name)
        except ImportError:  # an optional part not installed: its screen says so when used
            log.info("warm-up: %s not available", name)


def build_lobby(
    services: LobbyServices,
    *,
    kiosk_mode: bool = False,
    idle_ms: int | None = None,
    warning_s: int | None = None,
    tick_ms: int = 1000,
    with_chat: bool = True,
) -> LobbyWindow:
    """A ready LobbyWindow on the welcome screen. Call ``window.shutdown()`` before quitting."""
    cfg = services.settings.lobby
    window = LobbyWindow(services, kiosk_mode=kiosk_mode)
    window.add_screen("welcome", WelcomeScreen(window))
    window.add_screen("identify", IdentifyScreen(window))
    window.add_screen("consent", ConsentScreen(window))
    window.add_screen("needs", NeedsScreen(window))
    window.add_screen("results", ResultsScreen(window))
    window.add_screen("ticket", TicketScreen(window))
    window.add_screen("goodbye", GoodbyeScreen(window))
    window.add_screen("staff_pin", StaffPinScreen(window))
    window.add_screen("staff", StaffScreen(window))
    panel = _chat_panel(window) if with_chat else None
    if panel is not None:
        from ui.lobby.screens.chat import ChatScreen

        window.add_screen("chat", ChatScreen(window, panel))
    window.idle_watcher = IdleWatcher(  # type: ignore[attr-defined]
        window,
        idle_ms=idle_ms if idle_ms is not None else cfg.idle_seconds * 1000,
        warning_s=warning_s if warning_s is not None else cfg.warning_seconds,
        tick_ms=tick_ms,
    )
    window.set_language(cfg.default_language)  # also undoes a language left by an earlier window
    # Load what the first visit will need on the worker thread, so that visitor meets no hitch.
    # (after the first frame: the import would otherwise compete with start-up for the interpreter)
    # (the window is the timer's context: a window closed before then cancels it)
    QTimer.singleShot(
        WARM_UP_DELAY_MS,
        window,
        lambda: window.worker.submit(_warm_up, on_error=lambda e: log.warning("warm-up failed: %s", e)),
    )
    window.retranslate()
    window.go("welcome", remember=False)
    return window
