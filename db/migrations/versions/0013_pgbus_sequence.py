"""the live events' sequence: kiosk_event_seq, which every hub worker numbers its events from

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03

PostgreSQL only (kiosk.hub.pg_bus; db.models.event_seq). Before this revision the bus made the sequence
itself on first start, so a database that has it already keeps it (IF NOT EXISTS) and its numbers.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE SEQUENCE IF NOT EXISTS kiosk_event_seq")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP SEQUENCE IF EXISTS kiosk_event_seq")
