"""HQ staff accounts (argon2id, as the hub's counselors) and the audit of every read of a person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import ColumnElement, String, literal_column, select
from sqlalchemy.orm import Session

from config import clock
from kiosk.hq.models import ROLES, HqAccount, HqCenter, HqEvent, HqReadAudit
from kiosk.hq.purge import SEALED_KEY
from kiosk.hq.sealed import PersonContact, SealKey, SealOpenError

_hasher = PasswordHasher()
# Spelled as ix_hq_event_person is, so PostgreSQL uses that index (a bound key would not match it).
_PERSON_OF_EVENT: ColumnElement[str] = literal_column("hq_event.data ->> 'person_bi'", String)
MIN_PASSWORD = 12
# Who may open a sealed contact: after-care across centers is an admin's task at HQ; an analyst works
# with figures and never needs to reach a person.
AFTERCARE_ROLES = frozenset({"admin"})


class ReadRefused(PermissionError):
    """This account's role may not read what it asked for."""

    message_ko = "이 계정은 연락처를 볼 수 없어요. 관리자(admin) 권한이 필요해요."


class AccountError(ValueError):
    """An account that cannot be made as asked."""


def add_account(session: Session, username: str, password: str, role: str) -> HqAccount:
    username = username.strip()
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if not 1 <= len(username) <= 64:
        raise AccountError("username must be 1-64 characters")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password must be at least {MIN_PASSWORD} characters")
    if session.scalar(select(HqAccount.id).where(HqAccount.username == username)) is not None:
        raise AccountError(f"account {username} exists")
    account = HqAccount(
        username=username,
        password_hash=_hasher.hash(password),
        role=role,
        active=True,
        created_at=clock.now(),
    )
    session.add(account)
    session.flush()
    return account


def check_password(session: Session, username: str, password: str) -> HqAccount | None:
    """The active account whose password this is, else None (wrong name and wrong password alike)."""
    account = session.scalar(select(HqAccount).where(HqAccount.username == username))
    if account is None or not account.active:
        _hasher.hash(password)  # the same work as a real check, so timing does not tell names apart
        return None
    try:
        _hasher.verify(account.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return account


def person_events(session: Session, account: HqAccount, person_bi: str, purpose: str) -> list[dict[str, Any]]:
    """Every synced event carrying this blind index, across centers; the read itself is recorded."""
    rows = session.scalars(
        select(HqEvent).where(HqEvent.data["person_bi"].astext == person_bi).order_by(HqEvent.at)
    ).all()
    session.add(
        HqReadAudit(
            account_id=account.id, person_bi=person_bi, purpose=purpose[:500], rows=len(rows), at=clock.now()
        )
    )
    return [
        {
            "center_id": str(r.center_id),
            "seq": r.seq,
            "type": r.type,
            "at": r.at.isoformat(),
            # The sealed contact opens only through aftercare_contacts (its own audit and role).
            "data": {k: v for k, v in r.data.items() if k != SEALED_KEY},
        }
        for r in rows
    ]


@dataclass(frozen=True)
class ContactRead:
    """One visit's sealed contact, opened (``contact``) or not (``problem``: why, without the data)."""

    center_code: str
    seq: int
    at: datetime
    contact: PersonContact | None
    problem: str | None = None


def aftercare_contacts(
    session: Session, account: HqAccount, person_bi: str, purpose: str, key: SealKey
) -> list[ContactRead]:
    """The contacts sealed on this person's visits across centers, opened for after-care; recorded.

    Only AFTERCARE_ROLES may (ReadRefused otherwise, before anything is read). An envelope that does not
    open (tampered, moved to another event) is answered as a problem, the others still open."""
    if not account.active or account.role not in AFTERCARE_ROLES:
        raise ReadRefused(
            f"role {account.role!r} may not read contacts (needs one of {sorted(AFTERCARE_ROLES)})"
        )
    purpose = purpose.strip()
    if not purpose:
        raise AccountError("a purpose is needed to read a contact")
    rows = session.execute(
        select(HqCenter.code, HqEvent.seq, HqEvent.at, HqEvent.data[SEALED_KEY].astext)
        .join(HqCenter, HqCenter.id == HqEvent.center_id)
        .where(
            HqEvent.type == "visit.submitted",
            _PERSON_OF_EVENT == person_bi,
            HqEvent.data[SEALED_KEY].astext.is_not(None),
        )
        .order_by(HqEvent.at)
    ).all()
    reads = []
    for code, seq, at, sealed in rows:
        try:
            reads.append(ContactRead(code, seq, at, key.open(sealed, code, seq)))
        except SealOpenError as exc:
            reads.append(ContactRead(code, seq, at, None, str(exc)))
    session.add(
        HqReadAudit(
            account_id=account.id,
            person_bi=person_bi,
            purpose=f"aftercare contact: {purpose}"[:500],
            rows=sum(1 for r in reads if r.contact is not None),
            at=clock.now(),
        )
    )
    return reads


def visited_other_centers(
    session: Session, account: HqAccount, person_bi: str, center_code: str, purpose: str
) -> list[str]:
    """Codes of the other centers this person (national blind index) submitted a visit at; recorded.

    A returning visitor across centers: the counselor at center_code may ask whether the person has been
    helped elsewhere. Only the codes are answered, never the visits' contents."""
    codes = list(
        session.scalars(
            select(HqCenter.code)
            .join(HqEvent, HqEvent.center_id == HqCenter.id)
            .where(
                HqEvent.type == "visit.submitted",
                _PERSON_OF_EVENT == person_bi,
                HqCenter.code != center_code,
            )
            .distinct()
            .order_by(HqCenter.code)
        )
    )
    session.add(
        HqReadAudit(
            account_id=account.id,
            person_bi=person_bi,
            purpose=f"returning visitor at {center_code[:32]}: {purpose}"[:500],
            rows=len(codes),
            at=clock.now(),
        )
    )
    return codes
