"""The command registry is static: every listed module loads, and a broken one stops `kiosk` by name.

Before issue 14 a command module that failed to be found was skipped, so a renamed or broken module
quietly took its commands out of `kiosk --help`.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from kiosk import cli


def run(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = cli.main(list(args))
    except SystemExit as exc:  # argparse --help
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_help_lists_a_command_from_every_area(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run("--help", capsys=capsys)
    assert code == 0
    for command in ("config", "db", "keys", "audit", "hub", "outbox", "lobby", "demo", "bench", "devices"):
        assert f"    {command}" in out, command


def test_shared_groups_hold_subcommands_from_several_modules(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run("bench", "--help", capsys=capsys)
    assert code == 0
    # `bench db` comes from kiosk.commands.db_cmd, `bench ui` from ui.commands.lobby: one shared group.
    assert "    db" in out and "    ui" in out
    code, out, _ = run("devices", capsys=capsys)
    assert code == 2  # a group without its subcommand prints the group's help
    assert "SUBCOMMAND" in out


def test_a_missing_command_module_fails_help_and_names_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "COMMAND_MODULES", (*cli.COMMAND_MODULES, "kiosk.commands.no_such_cmd"))
    code, out, err = run("--help", capsys=capsys)
    assert code != 0
    first_line = err.splitlines()[0]
    assert "kiosk.commands.no_such_cmd" in first_line
    assert "ModuleNotFoundError" in first_line
    assert out == ""  # no help that pretends the commands are all there


def test_a_command_module_that_raises_on_import_fails_help_with_its_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A module that exists but is broken inside: it imports a name that moved away.
    (tmp_path / "broken_cmd.py").write_text(
        "from kiosk.visit import NoSuchThing\n\ndef register(registry):\n    pass\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "broken_cmd", raising=False)
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("kiosk.commands.config_cmd", "broken_cmd"))
    code, out, err = run("--help", capsys=capsys)
    assert code != 0
    assert out == ""
    first_line = err.splitlines()[0]
    assert "broken_cmd" in first_line and "NoSuchThing" in first_line
    assert "Traceback" in err and "broken_cmd.py" in err  # the traceback points at the broken file


def test_a_command_module_without_register_is_named_too(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "kiosk.commands.half_done_cmd", types.ModuleType("half_done_cmd"))
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("kiosk.commands.half_done_cmd",))
    code, _, err = run("config", "check", capsys=capsys)
    assert code != 0
    assert "kiosk.commands.half_done_cmd" in err.splitlines()[0]
    assert "AttributeError" in err.splitlines()[0]
