"""Alembic, configured in code: upgrade a database, check it matches the models.

python -m db.migrate check URL    # print differences between URL's schema and db.models

Revisions are added one after another (db/migrations/README.md), never regenerated: a center's stored
data has to be carried forward by each of them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

import db.models
from db.session import make_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str = "", connection: Any = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", str(MIGRATIONS_DIR / "versions"))
    # Generated revisions get a readable, sortable file name.
    cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


class UnversionedSchema(RuntimeError):
    """Tables exist without an Alembic version and do not match the models: a person must decide."""


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema of engine's database to revision (default: the newest).

    A database whose tables were made by ``Base.metadata.create_all`` (tests, early demos) has no
    version row: if it matches the models exactly it is stamped as head, otherwise UnversionedSchema.
    """
    ours = set(db.models.Base.metadata.tables)
    if current_revision(engine) is None and ours & set(inspect(engine).get_table_names()):
        differences = drift(engine)
        if differences:
            raise UnversionedSchema(
                f"tables exist without a migration version and differ from the models "
                f"({len(differences)} difference(s), first: {differences[0]})"
            )
        with engine.begin() as conn:
            command.stamp(alembic_config(connection=conn), "head")
        return
    with engine.begin() as conn:
        command.upgrade(alembic_config(connection=conn), revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def drift(engine: Engine) -> list[Any]:
    """Differences autogenerate finds between the database and db.models (empty: in step)."""
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, db.models.Base.metadata))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["check"] and len(args) == 2:
        engine = make_engine(args[1])
        differences = drift(engine)
        engine.dispose()
        for diff in differences:
            print(diff)
        print("in step with db.models" if not differences else f"{len(differences)} difference(s)")
        return 1 if differences else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
