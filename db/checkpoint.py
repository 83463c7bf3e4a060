"""SQLite WAL checkpoints on a thread of their own, so no writer's commit pays for one.

By default SQLite checkpoints inside the commit that takes the write-ahead log past 1,000 pages: that
commit copies the log into the database file and waits for the disk, 10–16 ms here instead of under
one. The hub writes lobby submissions on its event loop (kiosk/hub/group_commit.py), so such a commit
held up every request in flight. `checkpoint_in_background(engine)` turns the automatic checkpoints off
for the engine's connections and runs a PASSIVE checkpoint every half second on its own connection
instead; PASSIVE never blocks writers or readers, and sqlite3 releases the GIL while it works.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import urllib.parse
import weakref
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

_RUNNING: weakref.WeakKeyDictionary[Engine, threading.Event] = weakref.WeakKeyDictionary()


def _no_autocheckpoint(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")


def checkpoint_once(path: str) -> tuple[int, int, int] | None:
    """One PASSIVE checkpoint of the database file at `path`: (busy, log pages, checkpointed pages).

    None when the file is gone. Opened read-write without create, so a vanished file stays vanished.
    """
    if not Path(path).exists():
        return None
    uri = f"file:{urllib.parse.quote(path)}?mode=rw"
    with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=1)) as conn:
        row = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return (int(row[0]), int(row[1]), int(row[2]))


def _run(path: str, interval_s: float, stop: threading.Event) -> None:
    while not stop.wait(interval_s):
        try:
            if checkpoint_once(path) is None:
                return  # the database was removed (a test's temporary directory): nothing to keep up
        except sqlite3.Error:
            continue  # busy or briefly unavailable: the next round tries again


def checkpoint_in_background(engine: Engine, interval_s: float = 0.5) -> bool:
    """For a SQLite file engine: checkpoints on a daemon thread from now on (once per engine).

    Returns whether this engine now checkpoints in the background. The thread stops when the engine
    is garbage-collected or its file is removed.
    """
    path = engine.url.database
    if engine.dialect.name != "sqlite" or not path or path == ":memory:" or path.startswith("file:"):
        return False
    if engine in _RUNNING:
        return True
    event.listen(engine, "connect", _no_autocheckpoint)
    engine.dispose()  # pooled connections opened before keep SQLite's own checkpoints: start afresh
    stop = threading.Event()
    threading.Thread(
        target=_run, args=(str(Path(path).resolve()), interval_s, stop), name="wal-checkpoint", daemon=True
    ).start()
    weakref.finalize(engine, stop.set)
    _RUNNING[engine] = stop
    return True
