"""after-care reminders by SMS (issue 18): a follow-up's reminder message and the reply to it

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

A new table only (kiosk.aftercare.reminders): one row per follow-up and due date (unique, so a reminder
stays single across restarts and hub processes), the message it went as, the number's blind index (no
number), and the reply code ("confirmed" / "call_back") with its time.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('aftercare_reminder',
    sa.Column('follow_up_id', sa.Uuid(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('message_id', sa.Uuid(), nullable=False),
    sa.Column('to_blind_index', sa.String(length=64), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('reply', sa.String(length=12), nullable=True),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['follow_up_id'], ['follow_up.id'],
                            name=op.f('fk_aftercare_reminder_follow_up_id_follow_up'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['message_id'], ['sms_message.id'],
                            name=op.f('fk_aftercare_reminder_message_id_sms_message')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aftercare_reminder')),
    sa.UniqueConstraint('follow_up_id', 'due_date', name=op.f('uq_aftercare_reminder_follow_up_id'))
    )
    with op.batch_alter_table('aftercare_reminder', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aftercare_reminder_to_blind_index'), ['to_blind_index'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('aftercare_reminder', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aftercare_reminder_to_blind_index'))
    op.drop_table('aftercare_reminder')
