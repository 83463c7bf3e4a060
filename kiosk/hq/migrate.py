"""HQ's Alembic, configured in code like db.migrate, with its own scripts and its own version table.

A separate version table (hq_alembic_version) lets HQ's schema live in a database that also holds
other things without either Alembic history stepping on the other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from kiosk.hq.models import HqBase

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "hq_alembic_version"


def alembic_config(connection: Any = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", str(MIGRATIONS_DIR / "versions"))
    cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    if engine.dialect.name != "postgresql":
        raise ValueError("HQ runs on PostgreSQL only (postgresql+psycopg://…)")
    with engine.begin() as conn:
        command.upgrade(alembic_config(connection=conn), revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE}).get_current_revision()


def drift(engine: Engine) -> list[Any]:
    """Differences between the database and kiosk.hq.models (empty: the migrations are in step)."""
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "version_table": VERSION_TABLE}
        )
        return list(compare_metadata(context, HqBase.metadata))
