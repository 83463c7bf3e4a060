"""Alembic environment, configured in code by db.migrate (no alembic.ini).

The caller passes an open connection in ``config.attributes["connection"]`` (so SQLite gets the WAL and
foreign-key pragmas of db.session), or a URL as the ``sqlalchemy.url`` option.
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from sqlalchemy import Connection

import db.models
from db.base import UTCDateTime
from db.models.enums import EnumString
from db.session import make_engine

target_metadata = db.models.Base.metadata


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    # Our TypeDecorator stores as DateTime(timezone=True); migrations need no import of db.base.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    # An enum column is the plain VARCHAR it stores; a migration needs no import of the enum either.
    if type_ == "type" and isinstance(obj, EnumString):
        return f"sa.String(length={obj.length})"
    return False


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(context.config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.connect() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run `kiosk db upgrade`")
run_migrations_online()
