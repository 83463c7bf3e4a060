"""`kiosk config check [FILE]`: validate the settings a process would run with, print a summary."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

from config import load_settings
from config.centers import center_by_code, load_centers
from db.crypto import ENV_VAR as KEYS_ENV_VAR
from db.crypto import key_file_for, read_keyring
from db.session import default_url
from kiosk.commands.db_cmd import accept_global_options

if TYPE_CHECKING:
    from kiosk.cli import CommandRegistry
    from kiosk.context import AppContext


def _check(args: argparse.Namespace, ctx: AppContext) -> int:
    site = args.file or ctx.config_file
    settings = load_settings(site)  # ConfigError -> one line and exit 2 (kiosk.cli)
    centers = load_centers()
    center = center_by_code(settings.app.center_code, centers)
    url = ctx.db_url_option or settings.db.url or default_url(settings.app.data_dir)
    shown_url = make_url(url).render_as_string(hide_password=True)
    key_file = key_file_for(settings)
    # Only reads (validates JSON, key sizes, 0600 permissions: ConfigError); a check never makes a key.
    ring = read_keyring(key_file)
    if ring is not None:
        keys = f"{ring.source or 'environment ' + KEYS_ENV_VAR}, current key {ring.current_key_id}"
        if ring.rotation_target:
            keys += " (unfinished rotation: run `kiosk keys rotate`)"
    else:
        keys = (
            f"{key_file} (none yet: created 0600 on first use while the database holds no encrypted data, "
            "or by `kiosk keys init`; with encrypted data: `kiosk keys restore FILE`)"
        )
    print(f"OK: {site or '(packaged defaults + environment)'}")
    print(f"  center     {center.code} ({center.name_ko}, {center.region}); {len(centers)} centers known")
    print(f"  database   {shown_url}")
    print(f"  keys       {keys}")
    print(f"  retention  {settings.privacy.retention_years} years after a case ends")
    print(f"  language   {settings.app.language}, times in {settings.app.timezone}")
    return 0


def register(registry: CommandRegistry) -> None:
    registry.group("config", "settings: check a site file")
    sub = registry.subcommand(
        "config", "check", "validate settings (defaults, FILE or --config, KIOSK_* variables)", _check
    )
    sub.add_argument("file", nargs="?", help="site settings file (TOML); default: --config / KIOSK_CONFIG")
    accept_global_options(sub)
