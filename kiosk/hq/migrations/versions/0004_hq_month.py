"""HQ per-month aggregates (hq_month): hq_day's rows added up per center, local month, line, counselor

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03

Written from kiosk.hq.models.HqMonth; tests/kiosk/hq/test_schema.py checks it matches them. hq_month
starts empty here and is filled from the hq_day rows already held, so an HQ upgraded with data keeps
its figures.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hq_month",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("center_id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("line", sa.String(length=200), nullable=True),
        sa.Column("counselor_id", sa.String(length=200), nullable=True),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.Column("visits_eligible", sa.Integer(), nullable=False),
        sa.Column("programs_eligible", sa.Integer(), nullable=False),
        sa.Column("programs_maybe", sa.Integer(), nullable=False),
        sa.Column("eligible_by", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("maybe_by", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("outcomes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("tickets_issued", sa.Integer(), nullable=False),
        sa.Column("served", sa.Integer(), nullable=False),
        sa.Column("no_shows", sa.Integer(), nullable=False),
        sa.Column("transfers", sa.Integer(), nullable=False),
        sa.Column("wait_n", sa.Integer(), nullable=False),
        sa.Column("wait_sum_s", sa.Float(), nullable=False),
        sa.Column("waits_s", postgresql.ARRAY(sa.Float()), nullable=False),
        sa.Column("service_n", sa.Integer(), nullable=False),
        sa.Column("service_sum_s", sa.Float(), nullable=False),
        sa.Column("followups_due", sa.Integer(), nullable=False),
        sa.Column("followups_done", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"], ["hq_center.id"], name=op.f("fk_hq_month_center_id_hq_center")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_month")),
    )
    op.create_index("ix_hq_month_month_center", "hq_month", ["month", "center_id"], unique=False)
    from kiosk.hq.aggregate import rebuild_months

    rebuild_months(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_hq_month_month_center", table_name="hq_month")
    op.drop_table("hq_month")
