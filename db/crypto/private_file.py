"""Owner-only JSON files (the key file and its backups): written atomically, read only when private."""

from __future__ import annotations

import json
import os
import secrets
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from config import ConfigError


def read_private_json(path: Path, restore_hint: str) -> Any:
    """The decoded JSON of path; ConfigError when others may read it or it is not JSON.

    ``restore_hint`` says how to get a good file back (it ends the message of a malformed file)."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConfigError(str(path), "(permissions)", oct(mode), "0o600: owner read/write only (chmod 600)")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(str(path), "(syntax)", str(exc).splitlines()[0], restore_hint) from None


def write_private_json(path: Path, doc: Mapping[str, Any], replace: bool) -> bool:
    """Write doc to path via a 0600 temp file. With replace=False, never overwrite: returns False then.

    The key file and its backups both go through here: a crash leaves the old file or the new one, never
    half of either.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(doc, handle, indent=2, sort_keys=True)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # atomic and fails if another process created the file first
            except FileExistsError:
                return False
            finally:
                tmp.unlink(missing_ok=True)
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        return True
    finally:
        tmp.unlink(missing_ok=True)
