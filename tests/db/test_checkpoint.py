"""WAL checkpoints on their own thread: commits never stop to checkpoint, and the log still drains."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import Engine, text

from db.checkpoint import checkpoint_in_background, checkpoint_once
from db.session import make_engine

PAGE = 4096


def _wait_until(condition: object, timeout_s: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def test_commits_leave_checkpoints_to_the_background_thread(tmp_path: Path) -> None:
    db = tmp_path / "hub.db"
    engine = make_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE blob (id INTEGER PRIMARY KEY, data BLOB)"))
    assert checkpoint_in_background(engine, interval_s=0.2)
    assert checkpoint_in_background(engine)  # once per engine
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA wal_autocheckpoint")).scalar() == 0
        # 2,000 pages in 40 commits: SQLite's own rule would have checkpointed at 1,000.
        for _ in range(40):
            conn.execute(text("INSERT INTO blob (data) VALUES (randomblob(:n))"), [{"n": PAGE}] * 50)
            conn.commit()
        assert Path(f"{db}-wal").stat().st_size > 1_500 * PAGE  # no commit reset the log
    # ...and the thread copies the log into the database file by itself.
    assert _wait_until(lambda: db.stat().st_size > 1_900 * PAGE)
    engine.dispose()


def test_only_sqlite_files_get_a_checkpointer(tmp_path: Path, engine: Engine) -> None:
    memory = make_engine("sqlite://")
    assert not checkpoint_in_background(memory)
    if engine.dialect.name == "postgresql":
        assert not checkpoint_in_background(engine)


def test_a_removed_database_is_not_created_again(tmp_path: Path) -> None:
    gone = tmp_path / "gone.db"
    assert checkpoint_once(str(gone)) is None
    assert not gone.exists()
