"""Engines and sessions: SQLite (WAL, foreign keys on) by default, any SQLAlchemy URL accepted.

Durability: SQLite runs with ``synchronous=FULL``, so a commit returns only once its WAL frames are on
disk (fsync): an answer the hub gave survives a power cut. NORMAL would sync only at checkpoints and
could lose the last commits. The hub's group commit (kiosk.hub.group_commit) makes one fsync cover the
many visits written together, so FULL costs little (kiosk/hub/README.md has the measured figures).

Privacy on disk: the data directory is 0700 and the database, its -wal and -shm are 0600. SQLite gives
the -wal and -shm files the mode of the database file, so setting the database file's mode on the first
connection covers them too; ``kiosk`` also sets a process umask of 077 (kiosk.cli).
"""

from __future__ import annotations

import os
import stat
from functools import partial
from pathlib import Path
from typing import Any, Literal

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

APP_NAME = "paperless-kiosk"
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
Synchronous = Literal["FULL", "NORMAL"]


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) as 0700; an existing folder of ours loses group/other access.

    Only folders owned by this user are tightened: a shared parent such as /tmp is never touched.
    """
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_DIR, exist_ok=True)
    info = path.stat()
    if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
        path.chmod(stat.S_IMODE(info.st_mode) & PRIVATE_DIR)
    return path


def data_dir(configured: str = "") -> Path:
    """The directory for the database, keys and archives (created on first use, 0700)."""
    path = Path(configured) if configured else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return private_dir(path)


def default_url(configured_data_dir: str = "") -> str:
    return f"sqlite:///{data_dir(configured_data_dir) / 'kiosk.db'}"


def _private_sqlite_files(database: str) -> None:
    """The database, -wal and -shm files as 0600 (those SQLite makes later copy the database's mode)."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    for name in (database, database + "-wal", database + "-shm"):
        try:
            info = os.stat(name)
        except FileNotFoundError:
            continue
        if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
            os.chmod(name, stat.S_IMODE(info.st_mode) & PRIVATE_FILE)


def _sqlite_pragmas(database: str, synchronous: Synchronous, dbapi_connection: Any, _record: Any) -> None:
    _private_sqlite_files(database)  # before the pragmas: journal_mode=WAL makes the -wal and -shm files
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA synchronous={synchronous}")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str, echo: bool = False, synchronous: Synchronous = "FULL") -> Engine:
    """Create an engine; SQLite files get WAL, enforced foreign keys, private modes and ``synchronous``.

    FULL (the default, and what the hub and the lobbies use): a committed transaction is on disk.
    NORMAL exists for throwaway databases and for measuring what FULL costs (``kiosk bench hub``).
    """
    if synchronous not in ("FULL", "NORMAL"):
        raise ValueError(f"synchronous must be FULL or NORMAL, not {synchronous!r}")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    kwargs: dict[str, Any] = {"echo": echo, "future": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        database = engine.url.database or ""
        event.listen(engine, "connect", partial(_sqlite_pragmas, database, synchronous))
    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
