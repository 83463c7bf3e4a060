"""outbox: per-entry retry, quarantine, auth hold, and the payload encrypted

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27

Rows written before this revision keep their clear ``body`` until the lobby starts and seals them
(kiosk.client.outbox encrypts each into ``payload_enc``); the migration cannot, it has no key. Entries
marked ``failed`` by the old outbox become ``quarantined``: staff see them and can send them again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("visit_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("payload_enc", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("payload_sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("last_error", sa.String(length=60), nullable=True))
    op.execute("UPDATE outbox SET status = 'quarantined', last_error = 'refused' WHERE status = 'failed'")


def downgrade() -> None:
    op.execute("UPDATE outbox SET status = 'failed' WHERE status IN ('quarantined', 'held_auth')")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("last_error")
        batch_op.drop_column("next_attempt_at")
        batch_op.drop_column("payload_sha256")
        batch_op.drop_column("payload_enc")
        batch_op.drop_column("visit_id")
