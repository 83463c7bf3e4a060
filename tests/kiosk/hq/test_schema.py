"""HQ's migrations build exactly kiosk.hq.models, in their own version table, beside a hub's schema."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session, sessionmaker

from kiosk.hq.accounts import add_account, person_events
from kiosk.hq.migrate import VERSION_TABLE, current_revision, drift, upgrade
from kiosk.hq.models import HqReadAudit
from tests.kiosk.hq.signer import T0, FakeCenter

pytestmark = pytest.mark.postgres


def test_migrations_match_the_models(hq_engine: Engine) -> None:
    from alembic.script import ScriptDirectory

    from kiosk.hq.migrate import alembic_config

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None and current_revision(hq_engine) == head
    assert drift(hq_engine) == []
    tables = set(inspect(hq_engine).get_table_names())
    assert VERSION_TABLE in tables and "alembic_version" not in tables  # the hub's stays the hub's
    upgrade(hq_engine)  # again: nothing to do
    assert current_revision(hq_engine) == head


def test_hq_refuses_sqlite(tmp_path) -> None:
    from db.session import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'hq.db'}")
    with pytest.raises(ValueError, match="PostgreSQL only"):
        upgrade(engine)
    engine.dispose()


def test_reading_a_persons_events_across_centers_is_audited(
    hq_engine: Engine, hq_sessions: sessionmaker[Session], seoul: FakeCenter, suwon: FakeCenter
) -> None:
    from fastapi.testclient import TestClient

    from kiosk.hq.app import create_app

    person = "ab12" * 16  # a blind index: the same person at two centers
    for center in (seoul, suwon):
        center.event(
            "visit.submitted",
            T0,
            visit_id="00000000-0000-4000-8000-000000000001",
            path="walk_in",
            programs_eligible=[],
            programs_maybe=[],
            person_bi=person,
        )
        center.event(
            "visit.submitted",
            T0,
            visit_id="00000000-0000-4000-8000-000000000002",
            path="walk_in",
            programs_eligible=[],
            programs_maybe=[],
            person_bi="cd34" * 16,
        )
    with TestClient(create_app(hq_engine)) as client:
        for center in (seoul, suwon):
            body = center.body()
            assert (
                client.post("/sync/v1/batches", content=body, headers=center.headers(body)).status_code == 200
            )
    with hq_sessions.begin() as session:
        analyst = add_account(session, "park", "a long enough password", "analyst")
        events = person_events(session, analyst, person, "after-care follow-up")
    assert len(events) == 2 and {e["data"]["person_bi"] for e in events} == {person}
    with hq_sessions() as session:
        reads = session.query(HqReadAudit).all()
        assert [(r.account_id, r.person_bi, r.rows) for r in reads] == [(analyst.id, person, 2)]


def test_a_person_bi_that_is_not_a_blind_index_is_refused() -> None:
    from kiosk.hq.codec import parse_batch

    center = FakeCenter("C001", "서울중앙")
    center.event(
        "visit.submitted",
        T0,
        visit_id="00000000-0000-4000-8000-000000000001",
        path="walk_in",
        programs_eligible=[],
        programs_maybe=[],
        person_bi="김철수",
    )
    with pytest.raises(ValueError, match="person_bi"):
        parse_batch(center.body())


def test_a_public_key_is_read_from_pem_raw_or_base64() -> None:
    import base64

    from kiosk.hq.signing import KeyFormatError, public_key_bytes

    center = FakeCenter("C001", "서울중앙")
    raw = public_key_bytes(center.public_pem)
    assert len(raw) == 32
    assert public_key_bytes(raw) == raw
    assert public_key_bytes(base64.b64encode(raw) + b"\n") == raw
    for bad in (b"", b"x" * 31, base64.b64encode(b"x" * 31), b"-----BEGIN PUBLIC KEY-----\n"):
        with pytest.raises(KeyFormatError):
            public_key_bytes(bad)
