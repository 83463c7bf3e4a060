"""web link codes: a link unlocked by a code sent apart from it (내 서류), and its wrong tries

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03

Two columns on web_link (kiosk.web.document_codes): ``code_hash`` (an HMAC, never the code; empty for
the links that need no code) and ``tries`` (0 for every link stored before).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("web_link", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("tries", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("web_link", schema=None) as batch_op:
        batch_op.drop_column("tries")
        batch_op.drop_column("code_hash")
