"""Persons: store with RRN/phone/address encrypted, find a returning visitor by blind index, read audited.

Column convention (db.rotation relies on it): a column ``<field>_enc`` of table ``<table>`` holds a
db.crypto blob encrypted with context ``"<table>.<field>"``.
"""

from __future__ import annotations

import uuid
import weakref
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from db.audit import append_event
from db.base import utcnow
from db.crypto import KeyRing
from db.models import Person
from db.pii import mask_phone, mask_rrn, parse_rrn

RRN_CONTEXT = "person.rrn"
# Built once: statement construction dominated the cost of a lookup. The id-only Core form skips ORM
# row loading on the common path (a first-time visitor).
_PERSON = Person.__table__
_ID_BY_BLIND_INDEX = (
    select(_PERSON.c.id)
    .where(_PERSON.c.rrn_blind_index == bindparam("blind"))
    .order_by(_PERSON.c.created_at)
    .limit(1)
)
_BY_BLIND_INDEX = (
    select(Person).where(Person.rrn_blind_index == bindparam("blind")).order_by(Person.created_at).limit(1)
)
PHONE_CONTEXT = "person.phone"
ADDRESS_CONTEXT = "person.address"


class PersonNotFound(LookupError):
    pass


@dataclass(frozen=True)
class PersonView:
    """A decrypted person for a screen that has a reason to show it; mask before display."""

    id: uuid.UUID
    name: str | None
    rrn: str | None  # "YYMMDD-GNNNNNN"
    phone: str | None
    address: str | None
    birth_date: date | None
    rrn_masked: str | None
    verified: bool

    @property
    def phone_masked(self) -> str | None:
        return mask_phone(self.phone) if self.phone else None

    def __repr__(self) -> str:  # a view must never leak into a log line whole
        return f"PersonView(id={self.id}, rrn={self.rrn_masked!r}, phone={self.phone_masked!r})"


def person_fields(
    keys: KeyRing,
    *,
    name: str,
    rrn: str | None = None,
    phone: str | None = None,
    address: str | None = None,
    birth_date: date | None = None,
    keep_gender_digit: bool = True,
) -> dict[str, Any]:
    """The columns a stored person gets from what was read: secrets encrypted, the RRN also indexed
    and masked. A value given as None is left out, so it never erases what a returning visitor has.

    Raises db.pii.InvalidRRN before anything is written.
    """
    fields: dict[str, Any] = {"name": name}
    if rrn is not None:
        parsed = parse_rrn(rrn)
        fields["rrn_enc"] = keys.encrypt_text(parsed.hyphenated, RRN_CONTEXT)
        fields["rrn_blind_index"] = keys.blind_index(parsed.digits)
        fields["rrn_masked"] = mask_rrn(parsed.digits, keep_gender_digit)
        fields["birth_date"] = birth_date or parsed.birth_date
    elif birth_date is not None:
        fields["birth_date"] = birth_date
    if phone is not None:
        fields["phone_enc"] = keys.encrypt_text(phone, PHONE_CONTEXT)
    if address is not None:
        fields["address_enc"] = keys.encrypt_text(address, ADDRESS_CONTEXT)
    return fields


def store_person(
    session: Session,
    keys: KeyRing,
    *,
    name: str,
    rrn: str | None = None,
    phone: str | None = None,
    address: str | None = None,
    birth_date: date | None = None,
    verified: bool = False,
    keep_gender_digit: bool = True,
) -> Person:
    """Create a person, or update the returning visitor with the same RRN (found by blind index).

    The RRN is validated (db.pii.parse_rrn raises InvalidRRN); only its ciphertext, blind index and
    masked form are stored. A value left as None does not erase what a returning visitor already has.
    The row is written at the caller's next flush or commit (``person.id`` is set at once).
    """
    fields = person_fields(
        keys,
        name=name,
        rrn=rrn,
        phone=phone,
        address=address,
        birth_date=birth_date,
        keep_gender_digit=keep_gender_digit,
    )
    blind = fields.get("rrn_blind_index")
    person: Person | None = None
    pending: weakref.WeakValueDictionary[str, Person] = session.info.setdefault(
        "people.pending_by_blind_index", weakref.WeakValueDictionary()
    )
    if blind is not None:
        person = pending.get(blind)
        if person is None or person not in session:  # rolled back meanwhile
            # No autoflush: new persons go to the database together at the next flush or commit (an
            # executemany), which is what makes bulk intake fast; pending ones are found via `pending`.
            with session.no_autoflush:
                found = session.connection().execute(_ID_BY_BLIND_INDEX, {"blind": blind}).scalar()
                person = session.get(Person, found) if found is not None else None
    if person is None:
        person = Person(id=uuid.uuid4(), created_at=utcnow())
        session.add(person)
        if blind is not None:
            pending[blind] = person
    for column, value in fields.items():
        setattr(person, column, value)
    person.verified = verified or bool(person.verified)
    return person


def find_person_by_rrn(session: Session, keys: KeyRing, rrn: str) -> Person | None:
    """The earliest stored person with this RRN, without decrypting anything (blind-index lookup)."""
    return session.scalars(_BY_BLIND_INDEX, {"blind": keys.blind_index(rrn)}).first()


def read_person(
    session: Session, keys: KeyRing, person_id: uuid.UUID, actor: str, purpose: str
) -> PersonView:
    """Decrypt one person's record and append an audit event naming who read it and why."""
    person = session.get(Person, person_id)
    if person is None:
        raise PersonNotFound(str(person_id))
    append_event(session, actor, "person.read", f"person:{person.id}", {"purpose": purpose})
    return PersonView(
        id=person.id,
        name=person.name,
        rrn=keys.decrypt_text(person.rrn_enc, RRN_CONTEXT) if person.rrn_enc else None,
        phone=keys.decrypt_text(person.phone_enc, PHONE_CONTEXT) if person.phone_enc else None,
        address=keys.decrypt_text(person.address_enc, ADDRESS_CONTEXT) if person.address_enc else None,
        birth_date=person.birth_date,
        rrn_masked=person.rrn_masked,
        verified=bool(person.verified),
    )
