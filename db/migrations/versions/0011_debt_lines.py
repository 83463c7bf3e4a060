"""debt lines: a visit's creditor list (issue 21) and where it came from

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03

New tables only (db.models.debts): visits stored before have no list, and the hub then reads the
kiosk's totals from their answers as it does for any visit without one.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "debt_line",
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("creditor", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("principal_krw", sa.BigInteger(), nullable=False),
        sa.Column("annual_rate", sa.Float(), nullable=False),
        sa.Column("overdue_days", sa.Integer(), nullable=False),
        sa.Column("written_off", sa.Boolean(), nullable=False),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_debt_line_visit_id_visit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_debt_line")),
    )
    with op.batch_alter_table("debt_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_debt_line_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "debt_list",
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("emulated", sa.Boolean(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("plan_term_months", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_debt_list_visit_id_visit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("visit_id", name=op.f("pk_debt_list")),
    )


def downgrade() -> None:
    op.drop_table("debt_list")
    with op.batch_alter_table("debt_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_debt_line_visit_id"))

    op.drop_table("debt_line")
