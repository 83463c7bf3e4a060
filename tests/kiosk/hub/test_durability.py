"""A 2xx from the hub means the rows are on disk: its SQLite engine commits with synchronous=FULL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from db.session import make_engine
from kiosk.context import AppContext

FULL, NORMAL = 2, 1  # what PRAGMA synchronous reports


def test_the_hubs_engine_syncs_every_commit(tmp_path: Path) -> None:
    # The engine `kiosk hub` serves from (kiosk.commands.hub_cmd builds its app on ctx.sessions).
    ctx = AppContext(db_url_option=f"sqlite:///{tmp_path / 'hub.db'}")
    try:
        with ctx.sessions() as session:
            assert session.execute(text("PRAGMA synchronous")).scalar() == FULL
            assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        with ctx.engine.connect() as conn:  # every pooled connection, not only the first
            assert conn.execute(text("PRAGMA synchronous")).scalar() == FULL
    finally:
        ctx.engine.dispose()


def test_normal_is_only_on_request_and_nonsense_is_refused(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'scratch.db'}", synchronous="NORMAL")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA synchronous")).scalar() == NORMAL
    finally:
        engine.dispose()
    for bad in ("OFF", "full; DROP TABLE visit", ""):
        with pytest.raises(ValueError, match="FULL or NORMAL"):
            make_engine(f"sqlite:///{tmp_path / 'x.db'}", synchronous=bad)  # type: ignore[arg-type]
