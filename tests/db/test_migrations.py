"""Alembic: `upgrade head` builds the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

import db.models
from db.migrate import MIGRATIONS_DIR, UnversionedSchema, current_revision, drift, head_revision, upgrade
from db.session import make_engine
from kiosk.cli import main


def test_revisions_form_one_line_from_the_initial_schema() -> None:
    """Numbered files, each revising the one before: one head, so no upgrade has to choose."""
    from alembic.script import ScriptDirectory

    from db.migrate import alembic_config

    files = sorted(p.name for p in (MIGRATIONS_DIR / "versions").glob("*.py"))
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1
    chain = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert chain == [f"{n:04d}" for n in range(1, len(files) + 1)]
    assert [name[:4] for name in files] == chain
    assert head_revision() == chain[-1]


def test_upgrade_matches_the_models_and_is_repeatable(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) is None
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        assert drift(engine) == []
        assert set(db.models.Base.metadata.tables) <= set(inspect(engine).get_table_names())
        upgrade(engine)  # a second run changes nothing
        assert drift(engine) == []
    finally:
        engine.dispose()


def test_drift_is_detected_when_the_schema_lags(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE web_link")  # a table nothing else points at
        assert any("web_link" in str(diff) for diff in drift(engine))
    finally:
        engine.dispose()


def test_kiosk_db_upgrade_and_check_from_the_command_line(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade", "--db", db_url]) == 0
    assert f"-> {head_revision()}" in capsys.readouterr().out
    assert main(["--db", db_url, "db", "upgrade"]) == 0
    assert f"already at {head_revision()}" in capsys.readouterr().out
    assert main(["db", "check", "--db", db_url]) == 0
    assert "in step" in capsys.readouterr().out


def test_a_create_all_database_is_stamped_not_recreated(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        db.models.Base.metadata.create_all(engine)
        upgrade(engine)
        assert current_revision(engine) == head_revision() and drift(engine) == []
    finally:
        engine.dispose()


def test_an_unversioned_schema_that_differs_is_refused(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = make_engine(db_url)
    try:
        db.models.Base.metadata.create_all(engine)
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE web_link")  # a table nothing else points at
        with pytest.raises(UnversionedSchema):
            upgrade(engine)
        assert current_revision(engine) is None
    finally:
        engine.dispose()
    assert main(["db", "upgrade", "--db", db_url]) == 2
    assert "web_link" in capsys.readouterr().out
