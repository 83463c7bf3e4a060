"""The `kiosk` command: the composition root.

Each area registers its subcommands from its own module (``register(registry)``); the modules are
listed once, below, and every one is imported on every run, so a broken command module stops
``kiosk --help`` with its name instead of quietly taking its commands away. Only this module and ``ui``
may import PySide6; Qt commands live in ``ui.commands``.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import Any

from config import ConfigError
from kiosk.context import AppContext

# Every command module, in the order their help appears. Each must import; none is optional.
COMMAND_MODULES = (
    "kiosk.commands.config_cmd",
    "kiosk.commands.db_cmd",
    "kiosk.commands.keys_cmd",
    "kiosk.commands.audit_cmd",
    "kiosk.commands.print_cmd",
    "kiosk.commands.signature_cmd",
    "kiosk.commands.id_cmd",
    "kiosk.commands.match_cmd",
    "kiosk.commands.debt_cmd",
    "kiosk.commands.chat_cmd",
    "kiosk.commands.hub_cmd",
    "kiosk.commands.outbox_cmd",
    "kiosk.commands.sms_cmd",
    "kiosk.commands.aftercare_cmd",
    "kiosk.commands.faults_cmd",
    "kiosk.commands.web_cmd",
    "kiosk.commands.hq_cmd",
    "kiosk.commands.hq_sync_cmd",
    "kiosk.commands.hq_person_cmd",
    "ui.commands.lobby",
    "ui.commands.soak",
    "ui.commands.center",
)

Handler = Callable[[argparse.Namespace, AppContext], int | None]


class CommandModuleError(Exception):
    """A command module that failed to import or register: a broken install or a bug, never optional."""

    def __init__(self, module_name: str) -> None:
        self.module_name = module_name
        super().__init__(f"명령 모듈을 불러오지 못했어요 (command module failed to load): {module_name}")


class CommandRegistry:
    """Hands out argparse sub-parsers; groups such as `devices` or `bench` are shared between areas."""

    def __init__(self, parser: argparse.ArgumentParser) -> None:
        self.top = parser.add_subparsers(dest="command", metavar="COMMAND")
        self._groups: dict[str, Any] = {}

    def command(self, name: str, help: str, handler: Handler) -> argparse.ArgumentParser:
        sub = self.top.add_parser(name, help=help, description=help)
        sub.set_defaults(handler=handler)
        return sub

    def group(self, name: str, help: str = "") -> Any:
        if name not in self._groups:
            parent = self.top.add_parser(name, help=help or name, description=help or name)
            parent.set_defaults(handler=None, group_parser=parent)
            self._groups[name] = parent.add_subparsers(dest=f"{name}_command", metavar="SUBCOMMAND")
        return self._groups[name]

    def subcommand(self, group: str, name: str, help: str, handler: Handler) -> argparse.ArgumentParser:
        sub = self.group(group).add_parser(name, help=help, description=help)
        sub.set_defaults(handler=handler)
        return sub


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk", description="paperless-kiosk: 서민금융통합지원센터 페이퍼리스"
    )
    parser.add_argument("--config", default=os.environ.get("KIOSK_CONFIG"), help="site settings file (TOML)")
    parser.add_argument("--db", default=os.environ.get("KIOSK_DB_URL"), help="SQLAlchemy database URL")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at debug level")
    registry = CommandRegistry(parser)
    registry.group("bench", "benchmarks; print figures, --json for machines")
    registry.group("devices", "device drivers and their emulators")
    for module_name in COMMAND_MODULES:
        try:
            importlib.import_module(module_name).register(registry)
        except Exception as exc:  # re-raised with the module's name: argparse has no say yet
            raise CommandModuleError(module_name) from exc
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from kiosk.logging_setup import configure_logging

    os.umask(0o077)  # before any file is opened: databases, WAL, keys, logs, archives are ours alone
    try:
        parser = build_parser()
    except CommandModuleError as exc:
        # First line: which module; then its traceback, so the fix starts from the right file.
        cause = exc.__cause__ or exc
        print(f"kiosk: {exc}: {type(cause).__name__}: {cause}", file=sys.stderr)
        traceback.print_exception(cause, file=sys.stderr)
        return 1
    args = parser.parse_args(argv)
    configure_logging(verbose=args.verbose)
    handler = getattr(args, "handler", None)
    if handler is None:
        (getattr(args, "group_parser", None) or parser).print_help()
        return 2
    ctx = AppContext(config_file=args.config, db_url_option=args.db)
    try:
        return int(handler(args, ctx) or 0)
    except ConfigError as exc:
        print(f"설정 오류 (configuration error): {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception:
        logging.getLogger("kiosk").exception("command failed")
        raise


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
