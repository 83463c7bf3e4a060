"""Assemble the lobby: window, screens, idle watch, language. ``build_lobby`` is what the CLI, the
screenshot tour, the bench and the tests call."""

from __future__ import annotations

import gc
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from config import Settings
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

if TYPE_CHECKING:
    from ui.chat import ChatPanel

log = logging.getLogger(__name__)
VISIT_SCREENS = ("welcome", "identify", "consent", "needs", "results", "ticket", "goodbye")


def _chat_panel(window: LobbyWindow) -> ChatPanel | None:
    from ui.chat import ChatPanel  # loaded only for a lobby with the assistant

    try:
        return ChatPanel(text_px=window.sizes.body)
    except Exception:  # the assistant is optional for the kiosk: log and go on without it
        log.exception("chat panel failed to start")
        return None


WARM_UP_DELAY_MS = 400


def _warm_up(settings: Settings) -> None:
    """Pay the first visit's one-time costs while the kiosk idles on the welcome screen.

    Imports alone are not enough: python-escpos's printer profiles, the receipt fonts, the OpenCV
    kernels and the catalogue are parsed on first *use*, in C code that holds the interpreter lock for
    tens of milliseconds — which a first visitor would otherwise feel as a frozen screen.
    """
    import importlib

    for name in (
        "cv2",
        "qrcode",
        "kiosk.visit",
        "kiosk.matching.engine",
        "kiosk.signatures",
        "devices.id.image.pipeline",
        "printers.escpos.receipt",
        "printers.escpos.spool",
        "PySide6.QtGui",
    ):
        importlib.import_module(name)  # all hard dependencies: a failure here is a broken install
    for step in (_warm_receipt, _warm_id_pipeline, _warm_catalogue):
        try:
            step(settings)
        except Exception as exc:  # warming is best effort; the real call reports real errors
            log.info("warm-up: %s skipped (%s)", step.__name__, type(exc).__name__)


def _warm_receipt(settings: Settings) -> None:
    from printers.escpos.models import load_model
    from printers.escpos.receipt import render_receipt
    from printers.escpos.samples import SAMPLE_FIELDS

    render_receipt("ticket", SAMPLE_FIELDS["ticket"], load_model(settings.printer.model))


def _warm_id_pipeline(settings: Settings) -> None:
    import numpy as np

    from devices.id.factory import image_pipeline
    from devices.id.model import IdError

    try:  # an empty glass: detection and quality checks run, and answer "no card"
        image_pipeline(settings).read(np.full((480, 640, 3), 40, dtype=np.uint8))
    except IdError:
        pass


def _warm_catalogue(settings: Settings) -> None:
    from kiosk.matching.catalogue import shipped_catalogue

    shipped_catalogue()


def _settle(window: LobbyWindow) -> None:
    """Last start-up step, on the GUI thread while the kiosk idles on the welcome screen: paint every
    screen once off-screen (first polish and glyph caches for the large Hangul sizes), then freeze the
    start-up heap so the collector's full passes stop re-scanning it. Both used to land on the first
    visitor as 30–80 ms frozen frames."""
    for screen in window.screens.values():
        screen.grab()
    gc.collect()
    gc.freeze()
    window.warmed_up = True


class _WarmUp(QObject):
    """The warm-up job, a child of the window: a window closed before the timer fires takes it along,
    which cancels the timer (slots, not lambdas, so nothing outlives the window)."""

    def __init__(self, window: LobbyWindow, settings: Settings) -> None:
        super().__init__(window)
        self._window, self._settings = window, settings

    def start(self) -> None:
        self._window.worker.submit(self._run, self._done, self._failed)

    def _run(self) -> None:
        _warm_up(self._settings)

    def _done(self, _result: object) -> None:
        _settle(self._window)

    def _failed(self, error: Exception) -> None:
        log.warning("warm-up failed: %s", error)


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
    window.watch_idle(
        idle_ms=idle_ms if idle_ms is not None else cfg.idle_seconds * 1000,
        warning_s=warning_s if warning_s is not None else cfg.warning_seconds,
        tick_ms=tick_ms,
    )
    window.set_language(cfg.default_language)  # also undoes a language left by an earlier window
    # Load what the first visit will need on the worker thread, so that visitor meets no hitch.
    # (after the first frame: the import would otherwise compete with start-up for the interpreter)
    # (the window is the timer's context: a window closed before then cancels it)
    QTimer.singleShot(WARM_UP_DELAY_MS, _WarmUp(window, services.settings).start)
    window.retranslate()
    window.go("welcome", remember=False)
    return window
