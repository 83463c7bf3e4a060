"""sms outbox: the message rows (number and text encrypted, a blind index) and per-number opt-outs

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

New tables only (kiosk.sms.outbox): nothing stored before changes. ``to_enc`` and ``text_enc`` hold
db.crypto ciphertext (contexts "sms_message.to" / "sms_message.text"); ``to_blind_index`` is the HMAC
of the number under the ring's blind-index key, by which opt-outs (``sms_opt_out``) are matched.
``sms_early_report`` keeps a delivery report that arrived before its message knew its gateway id.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('sms_early_report',
    sa.Column('gateway_id', sa.String(length=80), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('error', sa.String(length=20), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_early_report'))
    )
    with op.batch_alter_table('sms_early_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sms_early_report_gateway_id'), ['gateway_id'], unique=False)

    op.create_table('sms_message',
    sa.Column('template', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('urgency', sa.String(length=12), nullable=False),
    sa.Column('to_enc', sa.LargeBinary(), nullable=False),
    sa.Column('to_blind_index', sa.String(length=64), nullable=False),
    sa.Column('to_masked', sa.String(length=16), nullable=False),
    sa.Column('text_enc', sa.LargeBinary(), nullable=True),
    sa.Column('subject', sa.String(length=60), nullable=False),
    sa.Column('byte_length', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=60), nullable=True),
    sa.Column('gateway', sa.String(length=10), nullable=True),
    sa.Column('gateway_id', sa.String(length=80), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivery_status', sa.String(length=10), nullable=True),
    sa.Column('delivery_error', sa.String(length=20), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_message'))
    )
    with op.batch_alter_table('sms_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sms_message_gateway_id'), ['gateway_id'], unique=False)
        batch_op.create_index('ix_sms_message_status_next', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sms_message_to_blind_index'), ['to_blind_index'], unique=False)

    op.create_table('sms_opt_out',
    sa.Column('blind_index', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_opt_out')),
    sa.UniqueConstraint('blind_index', name=op.f('uq_sms_opt_out_blind_index'))
    )


def downgrade() -> None:
    op.drop_table('sms_opt_out')
    with op.batch_alter_table('sms_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sms_message_to_blind_index'))
        batch_op.drop_index('ix_sms_message_status_next')
        batch_op.drop_index(batch_op.f('ix_sms_message_gateway_id'))

    op.drop_table('sms_message')
    with op.batch_alter_table('sms_early_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sms_early_report_gateway_id'))

    op.drop_table('sms_early_report')
