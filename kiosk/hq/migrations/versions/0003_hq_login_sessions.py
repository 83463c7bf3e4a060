"""HQ staff login sessions: the SHA-256 of each browser's cookie token, its account and its expiry

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03

Written from kiosk.hq.models.HqLoginSession; tests/kiosk/hq/test_schema.py checks it matches them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hq_login_session",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["hq_account.id"], name=op.f("fk_hq_login_session_account_id_hq_account")
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_hq_login_session")),
    )
    op.create_index("ix_hq_login_session_account", "hq_login_session", ["account_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_hq_login_session_account", table_name="hq_login_session")
    op.drop_table("hq_login_session")
