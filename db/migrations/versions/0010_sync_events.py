"""sync events: the center's domain events for HQ (numbered per center) and HQ's last acknowledgement

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03

New tables only (db.sync_log, kiosk.hq_sync): nothing stored before changes. Events start at the
upgrade; what happened earlier is not replayed to HQ.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_event",
        sa.Column("center_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=True),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["center_id"], ["center.id"], name=op.f("fk_sync_event_center_id_center")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_event")),
        sa.UniqueConstraint("center_id", "seq", name=op.f("uq_sync_event_center_id")),
    )
    op.create_table(
        "sync_cursor",
        sa.Column("center_id", sa.Uuid(), nullable=False),
        sa.Column("events_acked", sa.BigInteger(), nullable=False),
        sa.Column("audit_acked", sa.BigInteger(), nullable=False),
        sa.Column("last_ok_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["center_id"], ["center.id"], name=op.f("fk_sync_cursor_center_id_center")),
        sa.PrimaryKeyConstraint("center_id", name=op.f("pk_sync_cursor")),
    )


def downgrade() -> None:
    op.drop_table("sync_cursor")
    op.drop_table("sync_event")
