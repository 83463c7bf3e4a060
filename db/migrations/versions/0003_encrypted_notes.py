"""counselor notes encrypted at rest: case.notes (JSON, clear) becomes case.notes_enc (one ciphertext)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 10:00:00

Notes already stored in clear are masked (db.pii.mask_free_text) and encrypted on the way, with the key
ring this installation's settings point at (KIOSK_KEYS or the key file), so no note is lost. The key
ring is loaded only when such a note exists. The blob is what kiosk.hub.views.seal_notes writes: the
JSON list of notes under the context "case.notes".
"""

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONTEXT = "case.notes"
_case = sa.table(
    "case",
    sa.column("id", sa.Uuid()),
    sa.column("notes", sa.JSON()),
    sa.column("notes_enc", sa.LargeBinary()),
)


def _keys() -> Any:
    from config import load_settings
    from db.crypto import keyring_for

    return keyring_for(load_settings())


def upgrade() -> None:
    with op.batch_alter_table("case") as batch:
        batch.add_column(sa.Column("notes_enc", sa.LargeBinary(), nullable=True))
    from db.pii import mask_free_text

    conn = op.get_bind()
    keys = None
    for case_id, notes in conn.execute(sa.select(_case.c.id, _case.c.notes)).all():
        if not notes:
            continue
        keys = keys or _keys()
        masked = [{**note, "text": mask_free_text(str(note.get("text", "")))} for note in notes]
        blob = keys.encrypt_text(json.dumps(masked, ensure_ascii=False), CONTEXT)
        conn.execute(sa.update(_case).where(_case.c.id == case_id).values(notes_enc=blob))
    if conn.dialect.name == "sqlite":
        # The clear notes' pages are zeroed when the old column goes, not left in the file's free list.
        conn.exec_driver_sql("PRAGMA secure_delete=ON")
    with op.batch_alter_table("case") as batch:
        batch.drop_column("notes")


def downgrade() -> None:
    with op.batch_alter_table("case") as batch:
        batch.add_column(sa.Column("notes", sa.JSON(), nullable=False, server_default="[]"))
    conn = op.get_bind()
    keys = None
    for case_id, blob in conn.execute(sa.select(_case.c.id, _case.c.notes_enc)).all():
        if not blob:
            continue
        keys = keys or _keys()
        notes = json.loads(keys.decrypt_text(bytes(blob), CONTEXT))
        conn.execute(sa.update(_case).where(_case.c.id == case_id).values(notes=notes))
    with op.batch_alter_table("case") as batch:
        batch.alter_column("notes", server_default=None)
        batch.drop_column("notes_enc")
