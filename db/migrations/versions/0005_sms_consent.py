"""consent by SMS code (issue 18): the code challenges (code hashed, number encrypted) and the consent's link to one

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

A new table and one nullable column: nothing stored before changes. ``to_enc`` holds db.crypto
ciphertext (context "sms_consent_challenge.to"), ``code_hash`` an HMAC of the code under the ring's
blind-index key (kiosk.sms.consent_code); ``consent.sms_challenge_id`` names the confirmed challenge a
consent by SMS rests on.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('sms_consent_challenge',
    sa.Column('center_id', sa.Uuid(), nullable=False),
    sa.Column('device_id', sa.Uuid(), nullable=True),
    sa.Column('counselor_id', sa.Uuid(), nullable=True),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('visit_id', sa.Uuid(), nullable=True),
    sa.Column('to_enc', sa.LargeBinary(), nullable=False),
    sa.Column('to_blind_index', sa.String(length=64), nullable=False),
    sa.Column('to_masked', sa.String(length=16), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('text_version', sa.String(length=40), nullable=False),
    sa.Column('text_sha256', sa.String(length=64), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tries', sa.Integer(), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('message_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['center_id'], ['center.id'], name=op.f('fk_sms_consent_challenge_center_id_center')),
    sa.ForeignKeyConstraint(['counselor_id'], ['counselor.id'], name=op.f('fk_sms_consent_challenge_counselor_id_counselor')),
    sa.ForeignKeyConstraint(['device_id'], ['device.id'], name=op.f('fk_sms_consent_challenge_device_id_device')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_consent_challenge'))
    )
    with op.batch_alter_table('sms_consent_challenge', schema=None) as batch_op:
        batch_op.create_index('ix_sms_consent_challenge_counselor_issued', ['counselor_id', 'issued_at'], unique=False)
        batch_op.create_index('ix_sms_consent_challenge_device_issued', ['device_id', 'issued_at'], unique=False)
        batch_op.create_index('ix_sms_consent_challenge_number_issued', ['to_blind_index', 'issued_at'], unique=False)

    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sms_challenge_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_consent_sms_challenge_id_sms_consent_challenge'), 'sms_consent_challenge', ['sms_challenge_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_consent_sms_challenge_id_sms_consent_challenge'), type_='foreignkey')
        batch_op.drop_column('sms_challenge_id')

    with op.batch_alter_table('sms_consent_challenge', schema=None) as batch_op:
        batch_op.drop_index('ix_sms_consent_challenge_number_issued')
        batch_op.drop_index('ix_sms_consent_challenge_device_issued')
        batch_op.drop_index('ix_sms_consent_challenge_counselor_issued')

    op.drop_table('sms_consent_challenge')
