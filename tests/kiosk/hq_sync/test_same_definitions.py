"""One definition of every figure: a center's day, lived through the hub's API and synced to HQ (kiosk.hq on
PostgreSQL), gives the same figures from the hub's /statistics (its own tables, SQLite or PostgreSQL) as
from HQ's statistics() (the synced events) — in total and per line, counselor, day, week and month."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import asdict
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from db.models import Counselor, FollowUp
from db.session import make_engine
from kiosk.hq_sync.keys import CenterKey
from kiosk.hq_sync.pusher import HqClient, SyncPusher
from kiosk.hub.server import serve_in_thread
from tests.conftest import PG_ADMIN_URL
from tests.kiosk.hub.conftest import Hub, make_hub
from tests.kiosk.hub.factories import submission

pytestmark = pytest.mark.postgres

KST = ZoneInfo("Asia/Seoul")
START, END = date(2026, 12, 1), date(2027, 12, 31)  # the day, its eve, and the follow-ups planned
FIGURES = (
    "visits",
    "tickets_issued",
    "served",
    "no_shows",
    "transfers",
    "wait_mean_minutes",
    "wait_median_minutes",
    "wait_p90_minutes",
    "service_mean_minutes",
    "waits_over_target",
    "visits_eligible",
    "programs_eligible",
    "programs_maybe",
    "programs",
    "outcomes",
    "followups_due",
    "followups_done",
    "followups_overdue",
)
# HQ's StatsRow names the minutes and the share its own way.
HQ_NAMES = {
    "wait_mean_minutes": "wait_mean_min",
    "wait_median_minutes": "wait_median_min",
    "wait_p90_minutes": "wait_p90_min",
    "service_mean_minutes": "service_mean_min",
}


@pytest.fixture
def hub(engine: Engine) -> Iterator[Hub]:
    """The center's hub on SQLite and on PostgreSQL."""
    yield from make_hub(engine)


@pytest.fixture
def hq_engine(postgres_reason: str | None) -> Iterator[Engine]:
    """HQ in a database of its own (kiosk_h_…), so a hub on PostgreSQL keeps the test schema to itself."""
    if postgres_reason is not None:
        pytest.skip(f"PostgreSQL unreachable: {postgres_reason}")
    from kiosk.hq.migrate import upgrade

    name = f"kiosk_h_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False))
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _moment(day: int, hour: int, minute: int) -> time_machine.travel:
    return time_machine.travel(datetime(2026, 12, day, hour, minute, tzinfo=KST), tick=False)


def _live_a_day(hub: Hub) -> None:
    """Visits and tickets on two lines, calls by two counselors, served / no-show / transfer, an outcome,
    planned follow-ups (one done), and a visit at 23:50 the evening before."""
    lobby, _ = hub.enroll("lobby")

    def walk_in(seed: int, line: str) -> str:
        visit_id: str = hub.http.post("/visits", json=submission(seed), headers=lobby).json()["visit_id"]
        r = hub.http.post(
            "/tickets",
            json={"line": line, "visit_id": visit_id},
            headers={**lobby, "Idempotency-Key": f"same-{seed:04d}"},
        )
        assert r.status_code == 200, r.text
        return visit_id

    with _moment(1, 23, 50):
        walk_in(1, "A")
    for minute, (seed, line) in enumerate(((2, "A"), (3, "B"), (4, "B"), (5, "A"), (6, "A"))):
        with _moment(2, 9, minute * 4):
            walk_in(seed, line)
    with _moment(2, 9, 30):
        kim, lee = hub.login("kim"), hub.login("lee")

    def act(hour: int, minute: int, path: str, who: dict[str, str], body: Any = None) -> Any:
        with _moment(2, hour, minute):
            r = hub.http.post(path, json=body, headers=who)
        assert r.status_code == 200, r.text
        return r.json()

    first = act(9, 31, "/queue/A/call-next", kim, {"desk": "1"})  # the evening's ticket: a long wait
    act(9, 58, f"/tickets/{first['id']}/done", kim)
    missed = act(9, 40, "/queue/B/call-next", lee, {"desk": "2"})
    act(9, 45, f"/tickets/{missed['id']}/no-show", lee)
    moved = act(9, 50, "/queue/B/call-next", lee, {"desk": "2"})
    act(9, 55, f"/tickets/{moved['id']}/transfer", lee, {"line": "A", "note": "상담 분야 변경"})
    again = act(10, 0, "/queue/A/call-next", kim, {"desk": "1"})  # the transferred person first
    act(10, 41, f"/tickets/{again['id']}/done", kim)
    act(10, 45, "/queue/A/call-next", kim, {"desk": "1"})  # called, not yet served
    with _moment(2, 11, 0):
        r = hub.http.put(
            f"/visits/{first['visit_id']}/outcome", json={"outcome": "debt_adjustment_applied"}, headers=kim
        )
        assert r.status_code == 200, r.text
    plan = act(11, 5, f"/visits/{first['visit_id']}/aftercare", kim, {})
    assert plan
    with _moment(2, 11, 10), hub.sessions() as s:
        from kiosk.aftercare import record_followup

        record_followup(s, uuid.UUID(plan[0]["id"]), status="done")
        s.commit()


def _push(hub: Hub, hq_engine: Engine) -> uuid.UUID:
    from kiosk.hq.app import create_app
    from kiosk.hq.centers import add_center

    key = CenterKey(Ed25519PrivateKey.generate())
    with sessionmaker(hq_engine)() as session:
        center = add_center(session, "seoul-central", "서울중앙", key.public_pem)
        session.commit()
        center_id = center.id
    running = serve_in_thread(create_app(hq_engine))
    try:
        client = HqClient(running.url, "seoul-central", key, timeout_s=10.0)
        SyncPusher(hub.sessions, hub.center_id, "seoul-central", client).push_until_caught_up()
        client.close()
    finally:
        running.stop()
    return center_id


def _hub_rows(hub: Hub, by: str | None) -> dict[str | None, dict[str, Any]]:
    params = {"date_from": START.isoformat(), "date_to": END.isoformat()} | ({"by": by} if by else {})
    with _moment(2, 12, 0):
        r = hub.http.get("/statistics", params=params, headers=hub.login("boss"))
    assert r.status_code == 200, r.text
    stats = r.json()
    rows = stats["groups"] if by else [stats | {"key": None}]
    return {row["key"]: {name: row[name] for name in FIGURES} for row in rows}


def _hq_rows(
    hq: Session, center_id: uuid.UUID, by: str | None, usernames: dict[str, str]
) -> dict[str | None, dict[str, Any]]:
    from kiosk.hq.stats import statistics

    with _moment(2, 12, 0):
        rows = statistics(hq, START, END, by=[by] if by else [], target_minutes=30, center_id=center_id)
    out: dict[str | None, dict[str, Any]] = {}
    for row in rows:
        values = asdict(row)
        raw = values.get(by) if by in ("line", "counselor") else values["period"] if by else None
        key = usernames.get(str(raw), raw) if by == "counselor" else raw
        out[None if key is None else str(key)] = {name: values[HQ_NAMES.get(name, name)] for name in FIGURES}
    return out


def _approx(rows: dict[str | None, dict[str, Any]]) -> dict[str | None, dict[str, Any]]:
    """Minutes to the millisecond (SQLite's julianday is a double); counts and maps exactly."""
    return {
        key: {n: pytest.approx(v, abs=1e-4) if isinstance(v, float) else v for n, v in row.items()}
        for key, row in rows.items()
    }


@pytest.mark.parametrize("by", [None, "line", "counselor", "day", "week", "month"])
def test_the_hub_and_hq_give_the_same_figures(hub: Hub, hq_engine: Engine, by: str | None) -> None:
    _live_a_day(hub)
    center_id = _push(hub, hq_engine)
    with hub.sessions() as s:
        usernames = {str(c.id): c.username for c in s.scalars(select(Counselor))}
        assert s.scalar(select(FollowUp.id).where(FollowUp.status == "done")) is not None
    with sessionmaker(hq_engine)() as hq:
        at_hq = _hq_rows(hq, center_id, by, usernames)
    at_hub = _hub_rows(hub, by)
    assert at_hub == _approx(at_hq)
    total = next(iter(_hub_rows(hub, None).values()))
    # The day was not empty: each kind of figure is there to be compared.
    assert total["tickets_issued"] == 7 and total["no_shows"] == total["transfers"] == 1
    assert total["served"] == 2 and total["wait_p90_minutes"] and total["outcomes"]
    assert total["followups_done"] == 1 and total["programs_eligible"] == 6
