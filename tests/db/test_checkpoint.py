"""WAL checkpoints on their own thread: commits never stop to checkpoint, and the log still drains."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, text

from db.checkpoint import checkpoint_in_background, checkpoint_once
from db.session import make_engine
from tests.polling import wait_until

PAGE = 4096


def _fill(engine: Engine, pages: int) -> None:
    with engine.connect() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS blob (id INTEGER PRIMARY KEY, data BLOB)"))
        conn.commit()
        for _ in range(pages // 50):
            conn.execute(text("INSERT INTO blob (data) VALUES (randomblob(:n))"), [{"n": PAGE}] * 50)
            conn.commit()


def test_no_commit_stops_to_checkpoint(tmp_path: Path) -> None:
    db = tmp_path / "hub.db"
    engine = make_engine(f"sqlite:///{db}")
    assert checkpoint_in_background(engine, interval_s=3600)  # the thread stays out of the way here
    assert checkpoint_in_background(engine)  # once per engine
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA wal_autocheckpoint")).scalar() == 0
    # 2,000 pages in 40 commits: SQLite's own rule would have checkpointed (and reused the log) at 1,000.
    _fill(engine, 2_000)
    assert Path(f"{db}-wal").stat().st_size > 1_500 * PAGE
    busy, log, done = checkpoint_once(str(db)) or (1, 0, 0)
    assert busy == 0 and log == done > 1_500  # everything was still in the log, and now is in the file
    engine.dispose()


def test_the_thread_drains_the_log_into_the_database_file(tmp_path: Path) -> None:
    db = tmp_path / "hub.db"
    engine = make_engine(f"sqlite:///{db}")
    assert checkpoint_in_background(engine, interval_s=0.2)
    _fill(engine, 2_000)
    wait_until(lambda: db.stat().st_size > 1_900 * PAGE, 15.0, message="the log never reached the file")
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
