"""Where a key ring comes from: ``KIOSK_KEYS`` first, else the key file the settings name.

Keys come from, in order: the environment variable ``KIOSK_KEYS`` (the key-file JSON, raw or base64),
or a key file (``privacy.key_file`` or ``<data_dir>/keys.json``, mode 0600).

A process never calls ``load_keyring`` to start: it calls ``db.key_guard.open_keyring`` (or
``open_site_keyring``), which creates a key file only while the database holds no encrypted value, and
otherwise refuses to start without the keys that made them. ``read_keyring`` only reads;
``load_keyring`` (read or create) is for tests and throwaway rings.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Mapping
from pathlib import Path

import db.crypto.private_file as private_file
from config import ConfigError, Settings
from db.crypto.keyring import ENV_VAR, KeyRing, load_file, parse_document


def keyring_from_environment(environ: Mapping[str, str] | None = None) -> KeyRing | None:
    """The ring in ``KIOSK_KEYS`` (key-file JSON, raw or base64), or None when the variable is unset."""
    environ = os.environ if environ is None else environ
    raw_env = environ.get(ENV_VAR)
    if not raw_env:
        return None
    text = raw_env.strip()
    if not text.startswith("{"):
        try:
            text = base64.b64decode(text, validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            raise ConfigError(ENV_VAR, "(value)", "(hidden)", "key-file JSON, raw or base64") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(ENV_VAR, "(syntax)", exc.msg, "key-file JSON, raw or base64") from None
    return parse_document(doc, ENV_VAR)


def read_keyring(key_file: Path, environ: Mapping[str, str] | None = None) -> KeyRing | None:
    """The ring from ``KIOSK_KEYS`` if set, else from key_file; None when neither exists. Never writes."""
    from_env = keyring_from_environment(environ)
    if from_env is not None:
        return from_env
    key_file = Path(key_file)
    if not key_file.exists():
        return None
    return load_file(key_file)


def create_key_file(key_file: Path) -> tuple[KeyRing, bool]:
    """Write a fresh ring to key_file unless the file exists; (the ring in the file, whether we made it).

    Two processes starting at once end up with the same ring: the second one loads the first one's file.
    Callers decide *whether* a new key may be made (db.key_guard); this only makes it safely.
    """
    key_file = Path(key_file)
    fresh = KeyRing.generate(source=key_file)
    created = private_file.write_private_json(key_file, fresh.to_document(), replace=False)
    return load_file(key_file), created


def load_keyring(key_file: Path | None = None, environ: Mapping[str, str] | None = None) -> KeyRing:
    """The key ring from ``KIOSK_KEYS`` if set, else from key_file, which is created when missing.

    For tests and throwaway rings only: a process starting on a database uses db.key_guard.open_keyring,
    which never makes a new key while encrypted data exists. Without key_file: ``privacy.key_file`` or
    ``<data_dir>/keys.json`` of the settings that ``config.load_settings`` builds from the same environment.
    """
    environ = os.environ if environ is None else environ
    from_env = keyring_from_environment(environ)
    if from_env is not None:
        return from_env
    if key_file is None:
        from config import load_settings

        key_file = key_file_for(load_settings(environ=environ))
    key_file = Path(key_file)
    if key_file.exists():
        return load_file(key_file)
    return create_key_file(key_file)[0]


def key_file_for(settings: Settings) -> Path:
    """``privacy.key_file``, or keys.json in the data directory: the one place this is decided."""
    from db.session import data_dir

    if settings.privacy.key_file:
        return Path(settings.privacy.key_file)
    return data_dir(settings.app.data_dir) / "keys.json"


def keyring_for(settings: Settings, environ: Mapping[str, str] | None = None) -> KeyRing:
    """The key ring this installation's settings point at (created when missing, like load_keyring).

    Start-up code goes through db.key_guard.open_site_keyring first, so by the time this runs the file
    exists or the process has refused to start.
    """
    return load_keyring(key_file_for(settings), environ)
