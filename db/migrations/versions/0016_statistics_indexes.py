"""statistics indexes: what kiosk.hub.statistics filters and joins on

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03

Indexes only, no data changes. Without them PostgreSQL chose nested loops over a center's year (over
10 s measured right after a bulk load): a visit's day (center, created_at), its verdicts and case by
visit, follow-ups by due day.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEXES = (
    ("ix_visit_center_created", "visit", ["center_id", "created_at"]),
    ("ix_match_result_visit_id", "match_result", ["visit_id"]),
    ("ix_case_visit_id", "case", ["visit_id"]),
    ("ix_follow_up_due_date", "follow_up", ["due_date"]),
)


def upgrade() -> None:
    for name, table, columns in _INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(_INDEXES):
        op.drop_index(name, table_name=table)
