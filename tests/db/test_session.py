"""Engines: SQLite in the data directory by default, WAL and enforced foreign keys; any URL accepted."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from db.models import Visit
from db.session import default_url, make_engine, make_sessionmaker
from kiosk.cli import main


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_a_dangling_reference_is_refused_on_both_engines(engine: Engine) -> None:
    with make_sessionmaker(engine)() as session:
        session.add(Visit(person_id=uuid.uuid4()))
        with pytest.raises(IntegrityError):
            session.commit()


def test_default_database_lives_in_the_data_directory(
    isolated_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert default_url(str(isolated_data_dir)) == f"sqlite:///{isolated_data_dir / 'kiosk.db'}"
    assert main(["db", "upgrade"]) == 0
    assert str(isolated_data_dir / "kiosk.db") in capsys.readouterr().out
    assert (isolated_data_dir / "kiosk.db").exists()


def test_postgresql_short_url_gets_the_psycopg_driver() -> None:
    engine = make_engine("postgresql://postgres@127.0.0.1:5432/test")
    assert engine.dialect.driver == "psycopg"
    engine.dispose()
