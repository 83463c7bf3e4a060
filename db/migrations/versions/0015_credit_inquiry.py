"""credit inquiry: the lobby's 신용정보 조회 during the questions, kept until the visit attaches it

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03

A new table only (db.models.debts.CreditInquiryRecord): the person is named by the RRN's blind index,
the creditor lines are one ciphertext until the submission makes them the visit's debt_line rows.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "credit_inquiry",
        sa.Column("center_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("rrn_blind_index", sa.String(length=64), nullable=False),
        sa.Column("consent_sha256", sa.String(length=64), nullable=False),
        sa.Column("port_reference", sa.String(length=64), nullable=False),
        sa.Column("emulated", sa.Boolean(), nullable=False),
        sa.Column("lines_enc", sa.LargeBinary(), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("attached_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"], ["center.id"], name=op.f("fk_credit_inquiry_center_id_center")
        ),
        sa.ForeignKeyConstraint(
            ["device_id"], ["device.id"], name=op.f("fk_credit_inquiry_device_id_device")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_inquiry")),
        sa.UniqueConstraint("visit_id", name=op.f("uq_credit_inquiry_visit_id")),
    )
    with op.batch_alter_table("credit_inquiry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_credit_inquiry_center_id"), ["center_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("credit_inquiry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credit_inquiry_center_id"))
    op.drop_table("credit_inquiry")
