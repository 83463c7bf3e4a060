"""HQ initial schema: centers and their keys, synced events and audit rows, cursors, signed heads, accounts

Revision ID: 0001
Revises: (none)
Create Date: 2026-12-03

Written from kiosk.hq.models; tests/kiosk/hq/test_migrations.py checks it matches them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hq_account",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_account")),
        sa.UniqueConstraint("username", name=op.f("uq_hq_account_username")),
    )
    op.create_table(
        "hq_center",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("public_key", sa.LargeBinary(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_center")),
        sa.UniqueConstraint("code", name=op.f("uq_hq_center_code")),
    )
    op.create_table(
        "hq_audit",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("center_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=200), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("detail", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"], ["hq_center.id"], name=op.f("fk_hq_audit_center_id_hq_center")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_audit")),
        sa.UniqueConstraint("center_id", "seq", name="uq_hq_audit_center_seq"),
    )
    op.create_table(
        "hq_cursor",
        sa.Column("center_id", sa.Uuid(), nullable=False),
        sa.Column("events_acked", sa.BigInteger(), nullable=False),
        sa.Column("audit_acked", sa.BigInteger(), nullable=False),
        sa.Column("last_batch_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["center_id"], ["hq_center.id"], name=op.f("fk_hq_cursor_center_id_hq_center")
        ),
        sa.PrimaryKeyConstraint("center_id", name=op.f("pk_hq_cursor")),
    )
    op.create_table(
        "hq_event",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("center_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"], ["hq_center.id"], name=op.f("fk_hq_event_center_id_hq_center")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_event")),
        sa.UniqueConstraint("center_id", "seq", name="uq_hq_event_center_seq"),
    )
    op.create_index(
        "ix_hq_event_ticket",
        "hq_event",
        ["center_id", "type", sa.literal_column("(data ->> 'ticket_id')")],
        unique=False,
    )
    op.create_index("ix_hq_event_type_at", "hq_event", ["type", "at"], unique=False)
    op.create_table(
        "hq_head",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("center_id", sa.Uuid(), nullable=False),
        sa.Column("audit_seq", sa.BigInteger(), nullable=False),
        sa.Column("audit_hash", sa.String(length=64), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signed_at_text", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.String(length=120), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["center_id"], ["hq_center.id"], name=op.f("fk_hq_head_center_id_hq_center")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_head")),
    )
    op.create_index("ix_hq_head_center_seq", "hq_head", ["center_id", "audit_seq"], unique=False)
    op.create_table(
        "hq_read_audit",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("person_bi", sa.String(length=128), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["hq_account.id"], name=op.f("fk_hq_read_audit_account_id_hq_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_read_audit")),
    )


def downgrade() -> None:
    op.drop_table("hq_read_audit")
    op.drop_index("ix_hq_head_center_seq", table_name="hq_head")
    op.drop_table("hq_head")
    op.drop_index("ix_hq_event_type_at", table_name="hq_event")
    op.drop_index("ix_hq_event_ticket", table_name="hq_event")
    op.drop_table("hq_event")
    op.drop_table("hq_cursor")
    op.drop_table("hq_audit")
    op.drop_table("hq_center")
    op.drop_table("hq_account")
