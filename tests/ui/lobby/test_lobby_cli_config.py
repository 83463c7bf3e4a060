"""The lobby's settings refuse bad values with a clear message; the CLI hashes a staff PIN."""

from __future__ import annotations

import io
import sys

import pytest

from config import ConfigError, load_settings
from kiosk.cli import main


@pytest.mark.parametrize(
    ("variable", "value", "key"),
    [
        ("KIOSK_LOBBY__TEXT_MM__LARGE", "5.0", "lobby.text_mm"),  # not bigger than normal
        ("KIOSK_LOBBY__TEXT_MM__NORMAL", "3.0", "lobby.text_mm.normal"),  # under KS X 9211's 4.8 mm
        ("KIOSK_LOBBY__STAFF_PIN", '"12ab"', "lobby.staff_pin"),
        ("KIOSK_LOBBY__SCREEN_DPI", "0", "lobby.screen_dpi"),
        ("KIOSK_LOBBY__WARNING_SECONDS", "1", "lobby.warning_seconds"),
        ("KIOSK_LOBBY__DEFAULT_LANGUAGE", '"jp"', "lobby.default_language"),
        ("KIOSK_LOBBY__HOVER_EFFECTS", "true", "lobby.hover_effects"),  # unknown key
    ],
)
def test_bad_lobby_settings_name_the_key(variable: str, value: str, key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(environ={variable: value})
    assert caught.value.key.startswith(key)


def test_defaults_are_the_documented_ones() -> None:
    lobby = load_settings(environ={}).lobby
    assert lobby.warning_seconds == 20 and lobby.min_touch_mm == 15.0
    assert (lobby.text_mm.normal, lobby.text_mm.large, lobby.text_mm.extra_large) == (6.0, 8.0, 10.0)


def test_hash_pin_prints_an_argon2_hash_that_verifies(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ui.lobby.screens.staff import pin_matches

    monkeypatch.setattr(sys, "stdin", io.StringIO("482913\n"))
    assert main(["lobby", "--hash-pin"]) == 0
    hashed = capsys.readouterr().out.strip()
    assert hashed.startswith("$argon2") and pin_matches("482913", pin="", pin_hash=hashed)
    monkeypatch.setattr(sys, "stdin", io.StringIO("12ab\n"))
    assert main(["lobby", "--hash-pin"]) == 2
