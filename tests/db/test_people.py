"""Persons: encrypted at rest, found again by blind index, every read audited (SQLite and PostgreSQL)."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from db.audit import verify_chain
from db.crypto import KeyRing
from db.models import AuditEvent, Person
from db.people import PersonNotFound, find_person_by_rrn, read_person, store_person
from db.pii import InvalidRRN
from db.session import make_engine, make_sessionmaker

KIOSK = str(Path(sys.executable).parent / "kiosk")


def test_store_find_and_read_a_person(sessions: sessionmaker[Session], keys: KeyRing) -> None:
    with sessions() as session:
        stored = store_person(
            session, keys, name="김민지", rrn="900101-1234567", phone="010-1234-5678", address="서울 중구 1"
        )
        session.commit()
        person_id = stored.id
    with sessions() as session:
        found = find_person_by_rrn(session, keys, "9001011234567")
        assert found is not None and found.id == person_id
        assert found.rrn_masked == "900101-1******"
        assert found.birth_date is not None and found.birth_date.isoformat() == "1990-01-01"
        assert find_person_by_rrn(session, keys, "900101-2234567") is None
        view = read_person(session, keys, person_id, actor="counselor:c-01", purpose="case view")
        session.commit()
    assert (view.rrn, view.phone, view.address) == ("900101-1234567", "010-1234-5678", "서울 중구 1")
    assert view.phone_masked == "010-****-5678" and "1234567" not in repr(view)


def test_every_read_appends_an_audit_event_without_personal_data(
    sessions: sessionmaker[Session], keys: KeyRing
) -> None:
    with sessions() as session:
        person_id = store_person(session, keys, name="박서준", rrn="850505-1234561", phone="010-5555-4444").id
        session.commit()
        for purpose in ("case view", "document"):
            read_person(session, keys, person_id, actor="counselor:c-02", purpose=purpose)
            session.commit()
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
        assert [(e.actor, e.action, e.target, e.detail["purpose"]) for e in events] == [
            ("counselor:c-02", "person.read", f"person:{person_id}", "case view"),
            ("counselor:c-02", "person.read", f"person:{person_id}", "document"),
        ]
        assert verify_chain(session).ok
        with pytest.raises(PersonNotFound):
            read_person(session, keys, uuid.uuid4(), "x", "y")


def test_a_returning_visitor_is_the_same_person(sessions: sessionmaker[Session], keys: KeyRing) -> None:
    with sessions() as session:
        first = store_person(session, keys, name="이도윤", rrn="010203-3234567", phone="010-1111-2222")
        session.commit()
    with sessions() as session:
        again = store_person(session, keys, name="이도윤", rrn="0102033234567", verified=True)
        same_batch = store_person(session, keys, name="이도윤", rrn="010203-3234567")
        session.commit()
        assert again.id == first.id == same_batch.id
        assert session.scalar(select(Person).where(Person.id == first.id)).verified
        view = read_person(session, keys, first.id, actor="t", purpose="t")
        assert view.phone == "010-1111-2222"  # not erased by a store without a phone
        assert len(session.scalars(select(Person)).all()) == 1


@pytest.mark.parametrize("bad", ["901301-1234567", "900101-9234567", "12345", "900101-12345678"])
def test_invalid_rrn_stores_nothing(sessions: sessionmaker[Session], keys: KeyRing, bad: str) -> None:
    with sessions() as session:
        with pytest.raises(InvalidRRN):
            store_person(session, keys, name="x", rrn=bad)
        session.commit()
        assert session.scalars(select(Person)).all() == []


def test_database_holds_no_plain_rrn_or_phone(sessions: sessionmaker[Session], keys: KeyRing) -> None:
    with sessions() as session:
        store_person(
            session, keys, name="최하늘", rrn="900101-1234567", phone="010-9876-5432", address="부천 1"
        )
        session.commit()
        cast = "CAST({} AS TEXT)" if session.get_bind().dialect.name == "postgresql" else "hex({})"
        row = session.execute(
            text(
                "SELECT "
                + ", ".join(cast.format(c) for c in ("rrn_enc", "phone_enc", "address_enc"))
                + " FROM person"
            )
        ).one()
    dump = " ".join(str(v) for v in row).lower()
    for secret in ("1234567", "9876", "부천"):
        assert secret.encode().hex() not in dump.replace("\\x", "")


def test_acceptance_sqlite_file_never_contains_the_rrn(tmp_path: Path, keys: KeyRing) -> None:
    """`kiosk db upgrade --db sqlite:///T/k.db`, store a person, grep the file (and its WAL)."""
    url = f"sqlite:///{tmp_path / 'k.db'}"
    done = subprocess.run([KIOSK, "db", "upgrade", "--db", url], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        store_person(session, keys, name="홍길동", rrn="900101-1234567", phone="010-1234-5678")
        session.commit()
        assert find_person_by_rrn(session, keys, "900101-1234567") is not None
    files = sorted(tmp_path.glob("k.db*"))
    raw = b"".join(path.read_bytes() for path in files)
    engine.dispose()
    raw += (tmp_path / "k.db").read_bytes()
    assert b"person" in raw  # the schema is there, so we are looking at the right file
    for needle in ("1234567", "900101-1234567", "9001011234567", "010-1234-5678", "12345678"):
        assert needle.encode() not in raw, needle
