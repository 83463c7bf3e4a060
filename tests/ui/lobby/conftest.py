"""Lobby fixtures: a real LobbyWindow (offscreen) with only the services a test asks for."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from config import Settings, load_settings
from kiosk.context import AppContext
from tests.kiosk.hub.conftest import center_tls  # noqa: F401  - the center CA the lobby's hub serves TLS with


@pytest.fixture
def lobby_settings() -> Settings:
    return load_settings()


@pytest.fixture
def make_lobby(qtbot: QtBot, lobby_settings: Settings, tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """Build a lobby window; every window and its threads are shut down in teardown."""
    from ui.lobby.app import build_lobby
    from ui.lobby.services import LobbyServices

    built: list[tuple[Any, Any]] = []

    def make(services: LobbyServices | None = None, **options: Any) -> Any:
        services = services or LobbyServices(settings=lobby_settings)
        if services.voice_record_dir is None:  # no sound card here: voice goes to WAV files
            services.voice_record_dir = tmp_path / "voice"
        options.setdefault("with_chat", False)
        window = build_lobby(services, **options)
        qtbot.addWidget(window)
        window.show()
        built.append((window, services))
        return window

    yield make
    for window, services in built:
        window.shutdown()
        services.close()


@pytest.fixture
def lobby(make_lobby: Callable[..., Any]) -> Any:
    """A lobby with the questionnaire wired (no devices, no workflow service)."""
    from kiosk.visit.questionnaire import load_questionnaire
    from ui.lobby.services import LobbyServices

    services = LobbyServices(settings=load_settings(), questionnaire=load_questionnaire())
    return make_lobby(services)


@pytest.fixture
def emulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Every device emulated (printer and pad on ptys, virtual scanner) on a scratch SQLite database."""
    from ui.lobby.emulated import emulated_services

    monkeypatch.setenv("KIOSK_PRINTER__GIVE_UP_AFTER_S", "20")
    ctx = AppContext(db_url_option=f"sqlite:///{tmp_path / 'lobby.db'}")
    services = emulated_services(load_settings(), ctx)
    services.voice_record_dir = tmp_path / "voice"
    yield services, ctx
    services.close()
    ctx.engine.dispose()
