"""device health: each device's last report (version, printer, reader) for the fleet view and its alert

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03

A new table only (db.models.devices_health): devices appear in it with their first report after the
upgrade; nothing stored before changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "device_health",
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("center_id", sa.Uuid(), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("printer", sa.String(length=20), nullable=False),
        sa.Column("printer_since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reader", sa.Boolean(), nullable=True),
        sa.Column("reader_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("alerted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["center_id"], ["center.id"], name=op.f("fk_device_health_center_id_center")),
        sa.ForeignKeyConstraint(["device_id"], ["device.id"], name=op.f("fk_device_health_device_id_device")),
        sa.PrimaryKeyConstraint("device_id", name=op.f("pk_device_health")),
    )
    with op.batch_alter_table("device_health", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_device_health_center_id"), ["center_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("device_health", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_device_health_center_id"))
    op.drop_table("device_health")
