"""the provider's webhooks taken, by id: any hub worker may receive them, each is handled once

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03

A new table only (db.models.sms_webhook; kiosk.sms.http.webhook_shared); nothing stored before changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sms_webhook",
        sa.Column("webhook_id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("webhook_id", name=op.f("pk_sms_webhook")),
    )
    with op.batch_alter_table("sms_webhook", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sms_webhook_at"), ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sms_webhook", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sms_webhook_at"))
    op.drop_table("sms_webhook")
