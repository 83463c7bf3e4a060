"""HQ per-day aggregates (hq_day) and the event indexes statistics, purges and returning visitors use

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03

Written from kiosk.hq.models; tests/kiosk/hq/test_schema.py checks it matches them. hq_day starts
empty here and is filled from the events already held, so an HQ upgraded with data keeps its figures.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("hq_event", sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "hq_day",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("center_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
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
        sa.ForeignKeyConstraint(["center_id"], ["hq_center.id"], name=op.f("fk_hq_day_center_id_hq_center")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_day")),
    )
    op.create_index("ix_hq_day_day_center", "hq_day", ["day", "center_id"], unique=False)
    op.create_index(
        "ix_hq_event_visit",
        "hq_event",
        ["center_id", "type", sa.literal_column("(data ->> 'visit_id')")],
        unique=False,
        postgresql_where=sa.text("type IN ('visit.submitted', 'case.outcome', 'followup.planned')"),
    )
    op.create_index(
        "ix_hq_event_follow_up",
        "hq_event",
        ["center_id", "type", sa.literal_column("(data ->> 'follow_up_id')")],
        unique=False,
        postgresql_where=sa.text("type IN ('followup.planned', 'followup.done')"),
    )
    op.create_index(
        "ix_hq_event_due",
        "hq_event",
        ["center_id", sa.literal_column("(data ->> 'due_date')")],
        unique=False,
        postgresql_where=sa.text("type = 'followup.planned'"),
    )
    op.create_index(
        "ix_hq_event_person",
        "hq_event",
        [sa.literal_column("(data ->> 'person_bi')")],
        unique=False,
        postgresql_where=sa.text("type = 'visit.submitted'"),
    )
    from kiosk.hq.aggregate import rebuild

    rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_hq_event_person", table_name="hq_event")
    op.drop_index("ix_hq_event_due", table_name="hq_event")
    op.drop_index("ix_hq_event_follow_up", table_name="hq_event")
    op.drop_index("ix_hq_event_visit", table_name="hq_event")
    op.drop_index("ix_hq_day_day_center", table_name="hq_day")
    op.drop_table("hq_day")
    op.drop_column("hq_event", "purged_at")
