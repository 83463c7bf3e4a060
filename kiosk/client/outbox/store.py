"""The outbox's rows: each request sealed as one ciphertext, scrubbed once the hub has it.

What it holds: the whole request of an entry is one ciphertext (db.crypto field cipher, context
"outbox.payload"); routing columns (kind, key, visit id, status, retry clock) are not personal. Once
the hub acknowledges an entry, only its id, the sha256 of its payload and its status stay; on SQLite
the freed bytes are zeroed (secure_delete) and the WAL is checkpointed, so the file keeps no copy.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from config import clock
from db.crypto import DecryptionError, KeyRing
from db.models import OutboxEntry, OutboxKind, OutboxStatus
from kiosk.client.outbox.rules import Unexpected

log = logging.getLogger("kiosk.client")

PAYLOAD_CONTEXT = "outbox.payload"


def _secure_delete(session: Session) -> None:
    """SQLite: zero the freed bytes of a payload instead of leaving them in the file's free space."""
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql("PRAGMA secure_delete=ON")


class OutboxStore:
    """Sealed outbox entries in the lobby's database; knows nothing of the hub."""

    def __init__(self, sessions: sessionmaker[Session], keys: KeyRing) -> None:
        self.sessions, self.keys = sessions, keys
        self._sealed_legacy = False

    # --- sealing ----------------------------------------------------------------------------------------
    def seal(self, payload: dict[str, Any]) -> tuple[bytes, str]:
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return self.keys.encrypt_text(text, PAYLOAD_CONTEXT), hashlib.sha256(text.encode()).hexdigest()

    def open(self, entry: OutboxEntry) -> dict[str, Any]:
        """The entry's request; Unexpected (a charged failure) when it is gone or does not decrypt."""
        if entry.payload_enc is None:
            raise Unexpected("payload_missing")
        try:
            payload: dict[str, Any] = json.loads(self.keys.decrypt_text(entry.payload_enc, PAYLOAD_CONTEXT))
        except DecryptionError:
            raise Unexpected("decrypt_failed") from None
        return payload

    def new_entry(
        self, kind: OutboxKind, key: str, visit_id: str, payload: dict[str, Any], *, held: bool
    ) -> OutboxEntry:
        """A sealed row; ``held`` while the hub refuses this kiosk's token (it waits, not fails)."""
        sealed, digest = self.seal(payload)
        return OutboxEntry(
            kind=kind,
            idempotency_key=key,
            visit_id=visit_id,
            payload_enc=sealed,
            payload_sha256=digest,
            body={},
            status=OutboxStatus.HELD_AUTH if held else OutboxStatus.PENDING,
        )

    def enqueue(
        self, kind: OutboxKind, key: str, visit_id: str, payload: dict[str, Any], *, held: bool
    ) -> None:
        """Keep the request unless an entry under the same idempotency key is there already."""
        with self.sessions() as session:
            if (
                session.scalars(select(OutboxEntry.id).where(OutboxEntry.idempotency_key == key)).first()
                is None
            ):
                session.add(self.new_entry(kind, key, visit_id, payload, held=held))
                session.commit()

    # --- reading ----------------------------------------------------------------------------------------
    def visit_queued(self, visit_id: str) -> bool:
        """The visit waits in the outbox: the hub does not know it, so it cannot issue its ticket."""
        with self.sessions() as session:
            return (
                session.scalars(
                    select(OutboxEntry.id).where(
                        OutboxEntry.kind == OutboxKind.VISIT,
                        OutboxEntry.visit_id == visit_id,
                        OutboxEntry.status != OutboxStatus.SENT,
                    )
                ).first()
                is not None
            )

    @staticmethod
    def unsent_visit_ids(session: Session) -> set[str | None]:
        return set(
            session.scalars(
                select(OutboxEntry.visit_id).where(
                    OutboxEntry.kind == OutboxKind.VISIT, OutboxEntry.status != OutboxStatus.SENT
                )
            )
        )

    @staticmethod
    def due(session: Session, now: datetime) -> list[OutboxEntry]:
        """Pending entries whose retry clock has run out, oldest first."""
        return list(
            session.scalars(
                select(OutboxEntry)
                .where(
                    OutboxEntry.status == OutboxStatus.PENDING,
                    (OutboxEntry.next_attempt_at.is_(None)) | (OutboxEntry.next_attempt_at <= now),
                )
                .order_by(OutboxEntry.created_at, OutboxEntry.id)
            ).all()
        )

    # --- status changes ---------------------------------------------------------------------------------
    @staticmethod
    def mark_sent(session: Session, entry: OutboxEntry) -> None:
        """The hub has it: keep only id, digest and status."""
        _secure_delete(session)
        entry.status, entry.sent_at = OutboxStatus.SENT, clock.now()
        entry.payload_enc, entry.body = None, {}
        entry.last_error, entry.next_attempt_at = None, None

    @staticmethod
    def hold_pending(session: Session) -> None:
        session.execute(
            update(OutboxEntry)
            .where(OutboxEntry.status == OutboxStatus.PENDING)
            .values(status=OutboxStatus.HELD_AUTH)
        )

    def hold_all_pending(self) -> None:
        with self.sessions() as session:
            self.hold_pending(session)
            session.commit()

    def release_held(self) -> int:
        """Held entries become pending again (the token changed); returns how many."""
        with self.sessions() as session:
            held = session.scalars(
                select(OutboxEntry.id).where(OutboxEntry.status == OutboxStatus.HELD_AUTH)
            ).all()
            if not held:
                return 0  # the usual case: no write every sync
            session.execute(
                update(OutboxEntry)
                .where(OutboxEntry.id.in_(held), OutboxEntry.status == OutboxStatus.HELD_AUTH)
                .values(status=OutboxStatus.PENDING, next_attempt_at=None)
            )
            session.commit()
        return len(held)

    def seal_legacy_rows(self) -> None:
        """Rows from before revision 0002 hold their request in clear in `body`: encrypt them once."""
        if self._sealed_legacy:
            return
        with self.sessions() as session:
            rows = session.scalars(
                select(OutboxEntry).where(
                    OutboxEntry.payload_enc.is_(None), OutboxEntry.status != OutboxStatus.SENT
                )
            ).all()
            for row in rows:
                if row.body:
                    row.payload_enc, row.payload_sha256 = self.seal(dict(row.body))
                    row.visit_id = row.visit_id or str(row.body.get("visit_id") or "") or None
                    row.body = {}
            if rows:
                _secure_delete(session)
                session.commit()
        if rows:
            self.checkpoint()  # the clear bodies must not live on in the WAL either
        self._sealed_legacy = True

    def checkpoint(self) -> None:
        """SQLite: move the WAL into the file and truncate it, so no old page keeps a sent payload.

        Best effort and brief: it waits at most 200 ms for a reader of the lobby to finish (a checkpoint
        holds back writers meanwhile); otherwise the next sync that sends something tries again."""
        with self.sessions() as session:
            if session.get_bind().dialect.name == "sqlite":
                conn = session.connection()
                conn.exec_driver_sql("PRAGMA busy_timeout=200")
                try:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                finally:
                    conn.exec_driver_sql("PRAGMA busy_timeout=10000")  # db.session's default

    def pending_count(self) -> int:
        """Entries still to be sent by the background sync (held and quarantined ones not counted)."""
        with self.sessions() as session:
            return (
                session.scalar(
                    select(func.count(OutboxEntry.id)).where(OutboxEntry.status == OutboxStatus.PENDING)
                )
                or 0
            )
