"""ticket calls by SMS (issue 18): a ticket's opted-in number (encrypted) and which messages went

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

New table only (db.models.ticket_sms): ``phone_enc`` holds db.crypto ciphertext (context
"ticket_sms.phone"), ``phone_blind_index`` the HMAC by which the outbox's opt-outs match the number.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ticket_sms",
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column("phone_enc", sa.LargeBinary(), nullable=False),
        sa.Column("phone_blind_index", sa.String(length=64), nullable=False),
        sa.Column("phone_masked", sa.String(length=16), nullable=False),
        sa.Column("calls", sa.Boolean(), nullable=False),
        sa.Column("soon_message_id", sa.String(length=40), nullable=True),
        sa.Column("called_message_id", sa.String(length=40), nullable=True),
        sa.Column("called_for", sa.DateTime(timezone=True), nullable=True),
        sa.Column("number_message_id", sa.String(length=40), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"], ["device.id"], name=op.f("fk_ticket_sms_device_id_device"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_ticket_sms_ticket_id_ticket"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_sms")),
        sa.UniqueConstraint("ticket_id", name=op.f("uq_ticket_sms_ticket_id")),
    )
    with op.batch_alter_table("ticket_sms", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ticket_sms_phone_blind_index"), ["phone_blind_index"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("ticket_sms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ticket_sms_phone_blind_index"))
    op.drop_table("ticket_sms")
