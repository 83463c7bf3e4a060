"""Purges at HQ: a center's `purge` erases the person's blind index from what HQ holds of that center,
a replayed old batch does not bring it back, HQ's own retention follows the centers' rule, and a
returning visitor across centers is answered with center codes only and recorded in hq_read_audit."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from kiosk.hq.accounts import add_account, person_events, visited_other_centers
from kiosk.hq.app import create_app
from kiosk.hq.models import HqEvent, HqReadAudit
from kiosk.hq.purge import retention_purge
from kiosk.hq.stats import statistics
from tests.kiosk.hq.signer import T0, FakeCenter

pytestmark = pytest.mark.postgres
KIM = "ab" * 32  # blind indexes (hex HMAC): never a name
LEE = "cd" * 32


def visit(center: FakeCenter, at: datetime, person: str | None) -> str:
    visit_id = str(uuid.uuid4())
    data = {"visit_id": visit_id, "path": "walk_in", "programs_eligible": ["sunshine"], "programs_maybe": []}
    if person:
        data["person_bi"] = person
    center.event("visit.submitted", at, **data)
    return visit_id


def post(client: TestClient, center: FakeCenter, body: bytes) -> dict:
    response = client.post("/sync/v1/batches", content=body, headers=center.headers(body))
    assert response.status_code == 200, response.json()
    return response.json()


def refs_held(sessions: sessionmaker[Session]) -> list[tuple[str, str | None]]:
    with sessions() as session:
        rows = session.execute(
            text(
                "SELECT c.code, e.data->>'person_bi' FROM hq_event e JOIN hq_center c ON c.id = e.center_id "
                "WHERE e.type = 'visit.submitted' ORDER BY c.code, e.seq"
            )
        ).all()
    return [(code, ref) for code, ref in rows]


def test_a_centers_purge_erases_its_refs_and_a_replay_does_not_bring_them_back(
    hq_engine: Engine, hq_sessions: sessionmaker[Session], seoul: FakeCenter, suwon: FakeCenter
) -> None:
    visit(seoul, T0, KIM)
    visit(seoul, T0 + timedelta(minutes=5), LEE)
    visit(suwon, T0, KIM)
    with TestClient(create_app(hq_engine)) as client:
        old_seoul = seoul.body()
        post(client, seoul, old_seoul)
        post(client, suwon, suwon.body())
        seoul.event("purge", T0 + timedelta(days=1), person_refs=[KIM])
        assert post(client, seoul, seoul.body(events=slice(2, None), audit=slice(0, 0)))["events_acked"] == 3
        assert refs_held(hq_sessions) == [("C001", None), ("C001", LEE), ("C002", KIM)]
        # The hub resends its old batch (it lost HQ's answer): the same rows, accepted, nothing restored.
        assert post(client, seoul, old_seoul) == {"events_acked": 3, "audit_acked": 0}
        assert refs_held(hq_sessions) == [("C001", None), ("C001", LEE), ("C002", KIM)]
        # A really different row at the purged seq is still a conflict.
        changed = seoul.raw_body(
            [{**seoul.events[0], "type": "ticket.cancelled", "data": {"ticket_id": str(uuid.uuid4())}}], []
        )
        response = client.post("/sync/v1/batches", content=changed, headers=seoul.headers(changed))
        assert response.status_code == 409 and response.json()["code"] == "SYNC_CONFLICT"
    with hq_sessions() as session:
        purged = session.scalar(
            select(HqEvent)
            .where(HqEvent.seq == 1, HqEvent.type == "visit.submitted")
            .where(HqEvent.purged_at.is_not(None))
        )
        assert purged is not None and "person_bi" not in purged.data
        (row,) = [r for r in statistics(session, T0.date(), T0.date()) if r.center == "C001"]
        assert row.visits == 2 and row.visits_eligible == 2  # the figures keep the purged visit


def test_a_purge_in_the_same_batch_as_the_visit_leaves_nothing(
    hq_engine: Engine, hq_sessions: sessionmaker[Session], seoul: FakeCenter
) -> None:
    visit(seoul, T0, KIM)
    seoul.event("purge", T0 + timedelta(minutes=1), person_refs=[KIM, LEE])
    with TestClient(create_app(hq_engine)) as client:
        post(client, seoul, seoul.body())
    assert refs_held(hq_sessions) == [("C001", None)]


def test_hq_retention_erases_refs_of_visits_ended_before_the_cutoff(
    hq_engine: Engine, hq_sessions: sessionmaker[Session], seoul: FakeCenter
) -> None:
    now = datetime(2026, 12, 3, 5, tzinfo=UTC)
    long_ago = now - timedelta(days=6 * 366)
    visit(seoul, long_ago, KIM)  # ended long ago: erased
    still_open = visit(seoul, long_ago, LEE)
    seoul.event(
        "case.outcome", now - timedelta(days=30), visit_id=still_open, counselor_id=None, outcome="open"
    )
    visit(seoul, now - timedelta(days=10), KIM)  # the same person, recently: kept
    with TestClient(create_app(hq_engine)) as client:
        post(client, seoul, seoul.body())
    with hq_sessions.begin() as session:
        dry = retention_purge(session, 5, now=now, dry_run=True)
    assert dry.visits_erased == 1 and refs_held(hq_sessions) == [("C001", KIM), ("C001", LEE), ("C001", KIM)]
    with hq_sessions.begin() as session:
        report = retention_purge(session, 5, now=now)
    assert report.visits_erased == 1 and report.cutoff.year == 2021
    assert refs_held(hq_sessions) == [("C001", None), ("C001", LEE), ("C001", KIM)]


def test_kiosk_hq_purge_runs_the_retention(
    postgres_url: str, hq_engine: Engine, seoul: FakeCenter, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk.cli import main

    visit(seoul, datetime(2015, 1, 5, tzinfo=UTC), KIM)
    with TestClient(create_app(hq_engine)) as client:
        post(client, seoul, seoul.body())
    assert main(["hq", "purge", "--db", postgres_url, "--dry-run"]) == 0
    assert "would erase the person ref of 1 visits" in capsys.readouterr().out
    assert main(["hq", "purge", "--db", postgres_url]) == 0
    out = capsys.readouterr().out
    assert "retention 5 years" in out and "erased the person ref of 1 visits" in out
    assert main(["hq", "purge", "--db", postgres_url]) == 0
    assert "of 0 visits" in capsys.readouterr().out


def test_a_returning_visitor_is_answered_with_other_centers_and_the_read_recorded(
    hq_engine: Engine, hq_sessions: sessionmaker[Session], seoul: FakeCenter, suwon: FakeCenter
) -> None:
    visit(seoul, T0, KIM)
    visit(suwon, T0 + timedelta(days=3), KIM)
    visit(suwon, T0, LEE)
    with TestClient(create_app(hq_engine)) as client:
        post(client, seoul, seoul.body())
        post(client, suwon, suwon.body())
    with hq_sessions.begin() as session:
        analyst = add_account(session, "choi", "a long enough password", "analyst")
        assert visited_other_centers(session, analyst, KIM, "C001", "returning visitor check") == ["C002"]
        assert visited_other_centers(session, analyst, LEE, "C002", "check") == []
        assert visited_other_centers(session, analyst, "ef" * 32, "C001", "check") == []
    with hq_sessions() as session:
        reads = session.scalars(select(HqReadAudit).order_by(HqReadAudit.id)).all()
        assert [(r.person_bi, r.rows) for r in reads] == [(KIM, 1), (LEE, 0), ("ef" * 32, 0)]
        assert all(r.account_id == analyst.id and "C0" in r.purpose for r in reads)
    with hq_sessions.begin() as session:  # after a purge, the person is no longer found there
        session.execute(text("UPDATE hq_event SET data = data - 'person_bi'"))
        assert visited_other_centers(session, analyst, KIM, "C001", "check") == []
        assert person_events(session, analyst, KIM, "check") == []
