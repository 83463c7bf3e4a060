"""The contacts a batch seals: read from the center's encrypted person records as the batch is built.

The center's sync_event rows keep no personal data (a visit carries only the blind index); the sealed
contact exists only in the batch in flight and, encrypted to HQ, at HQ.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.crypto import KeyRing
from db.models import Person, Visit
from db.people import PHONE_CONTEXT
from kiosk.hq_sync.sealing import Contact, PersonSealer

SEALED_KEY = "person_sealed"
SEALED_TYPE = "visit.submitted"


def _visit_ids(rows: Iterable[dict[str, Any]]) -> list[uuid.UUID]:
    ids = []
    for row in rows:
        if row["type"] == SEALED_TYPE and row["data"].get("person_bi"):
            try:
                ids.append(uuid.UUID(str(row["data"].get("visit_id"))))
            except ValueError:
                continue  # HQ refuses such a row anyway; nothing to seal
    return ids


@dataclass(frozen=True)
class ContactSealing:
    """HQ's public key (through the sealer) and the center's key ring (to decrypt the phone)."""

    sealer: PersonSealer
    keys: KeyRing

    def contacts(self, session: Session, visit_ids: list[uuid.UUID]) -> dict[str, Contact]:
        if not visit_ids:
            return {}
        found = session.execute(
            select(Visit.id, Person.name, Person.phone_enc, Person.birth_date)
            .join(Person, Person.id == Visit.person_id)
            .where(Visit.id.in_(visit_ids))
        ).all()
        contacts = {}
        for row in found:
            phone = self.keys.decrypt_text(row.phone_enc, PHONE_CONTEXT) if row.phone_enc else None
            contact = Contact(name=row.name or None, phone=phone, birth_date=row.birth_date)
            if not contact.empty:
                contacts[str(row.id)] = contact
        return contacts

    def seal_rows(self, session: Session, rows: list[dict[str, Any]]) -> None:
        """Add ``person_sealed`` to each visit.submitted row whose visit has a person (in place)."""
        contacts = self.contacts(session, _visit_ids(rows))
        for row in rows:
            # Purges (the center's and HQ's) find a person by blind index: no index, nothing sealed.
            if row["type"] != SEALED_TYPE or not row["data"].get("person_bi"):
                continue
            contact = contacts.get(str(row["data"].get("visit_id")))
            if contact is not None:
                row["data"][SEALED_KEY] = self.sealer.seal(row["seq"], contact)
