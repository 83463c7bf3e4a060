"""web links: the tokens a citizen's phone presents (a ticket's QR), stored only as SHA-256

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

New table only (kiosk.web): nothing stored before changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "web_link",
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("center_id", sa.Uuid(), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["center_id"], ["center.id"], name=op.f("fk_web_link_center_id_center")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_link")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_web_link_token_sha256")),
    )
    op.create_index(op.f("ix_web_link_subject_id"), "web_link", ["subject_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_web_link_subject_id"), table_name="web_link")
    op.drop_table("web_link")
