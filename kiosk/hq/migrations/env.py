"""Alembic environment for HQ, configured in code by kiosk.hq.migrate (no alembic.ini).

The caller passes an open connection in ``config.attributes["connection"]``.
"""

from __future__ import annotations

from alembic import context

from kiosk.hq.migrate import VERSION_TABLE
from kiosk.hq.models import HqBase

connection = context.config.attributes.get("connection")
if connection is None or context.is_offline_mode():
    raise SystemExit("HQ migrations run through `kiosk hq migrate --db URL`")
context.configure(
    connection=connection,
    target_metadata=HqBase.metadata,
    compare_type=True,
    version_table=VERSION_TABLE,
)
with context.begin_transaction():
    context.run_migrations()
