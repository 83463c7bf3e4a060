"""HQ's SQL statistics equal a direct count in Python over the same generated events.

Two centers, eight days around a month's end, three counselors a center, two lines; tickets issued
late in the evening too (UTC is still the day before in Seoul's morning and the same day at night),
no-shows, transfers recalled by another counselor, tickets never called, visits with and without an
outcome. The reference below is written from the definitions in kiosk/hq/stats.py's docstring.
"""

from __future__ import annotations

import math
import random
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from kiosk.hq.app import create_app
from kiosk.hq.stats import statistics
from tests.kiosk.hq.signer import FakeCenter, iso

pytestmark = pytest.mark.postgres
SEOUL = ZoneInfo("Asia/Seoul")
FIRST_DAY = date(2026, 10, 28)  # a Wednesday: the days cross a week and a month boundary
DAYS = 8


def percentile_cont(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def generate(
    center: FakeCenter,
    rng: random.Random,
    facts: list[dict[str, Any]],
    visits: list[dict[str, Any]],
    first_day: date = FIRST_DAY,
    days: int = DAYS,
) -> None:
    counselors = [str(uuid.UUID(int=rng.getrandbits(128))) for _ in range(3)]
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        for _ in range(rng.randint(3, 7)):
            # 08:00..23:59 local: the late ones are on the same local day but the next UTC one is not.
            local = datetime(day.year, day.month, day.day, 8, tzinfo=SEOUL) + timedelta(
                minutes=rng.randint(0, 959)
            )
            issued = local.astimezone(UTC)
            line = rng.choice(["A", "B"])
            ticket_id = str(uuid.uuid4())
            fact: dict[str, Any] = {
                "center": center.code,
                "line": line,
                "day": day,
                "counselor": None,
                "wait": None,
                "service": None,
                "served": False,
                "no_show": False,
                "transferred": False,
            }
            center.event(
                "ticket.issued",
                issued,
                ticket_id=ticket_id,
                line=line,
                display=f"{line}1",
                service_date=day.isoformat(),
                issued_at=iso(issued),
            )
            fate = rng.choice(["served", "served", "served", "no_show", "transfer", "waiting"])
            if fate != "waiting":
                wait = rng.randint(1, 75)
                called = issued + timedelta(minutes=wait, seconds=rng.randint(0, 59))
                counselor = rng.choice(counselors)
                center.event(
                    "ticket.called",
                    called,
                    ticket_id=ticket_id,
                    desk="1",
                    counselor_id=counselor,
                    called_at=iso(called),
                )
                fact.update(counselor=counselor, wait=(called - issued).total_seconds())
                last_call = called
                if fate == "no_show":
                    center.event("ticket.no_show", called + timedelta(minutes=3), ticket_id=ticket_id)
                    fact["no_show"] = True
                if fate == "transfer":
                    moved = called + timedelta(minutes=5)
                    center.event("ticket.transferred", moved, ticket_id=ticket_id, to_line="B")
                    last_call = moved + timedelta(minutes=rng.randint(1, 20))
                    counselor = rng.choice(counselors)
                    center.event(
                        "ticket.called",
                        last_call,
                        ticket_id=ticket_id,
                        desk="2",
                        counselor_id=counselor,
                        called_at=iso(last_call),
                    )
                    fact.update(counselor=counselor, transferred=True)
                if fate in ("served", "transfer"):
                    done = last_call + timedelta(minutes=rng.randint(5, 40))
                    center.event("ticket.done", done, ticket_id=ticket_id, done_at=iso(done))
                    fact.update(served=True, service=(done - last_call).total_seconds())
            facts.append(fact)
        for _ in range(rng.randint(2, 5)):
            local = datetime(day.year, day.month, day.day, 8, tzinfo=SEOUL) + timedelta(
                minutes=rng.randint(0, 959)
            )
            at, visit_id, line = local.astimezone(UTC), str(uuid.uuid4()), rng.choice(["A", "B", None])
            data: dict[str, Any] = {
                "visit_id": visit_id,
                "path": "walk_in",
                "programs_eligible": [],
                "programs_maybe": [],
            }
            if line:
                data["line"] = line
            center.event("visit.submitted", at, **data)
            counselor = None
            if rng.random() < 0.7:
                counselor = rng.choice(counselors)
                center.event(
                    "case.outcome",
                    at + timedelta(minutes=50),
                    visit_id=visit_id,
                    counselor_id=counselor,
                    outcome="referred",
                )
            visits.append({"center": center.code, "line": line, "day": day, "counselor": counselor})


@pytest.fixture
def generated(hq_engine: Engine, seoul: FakeCenter, suwon: FakeCenter) -> Iterator[tuple[list, list]]:
    rng = random.Random(20)
    facts: list[dict[str, Any]] = []
    visits: list[dict[str, Any]] = []
    with TestClient(create_app(hq_engine)) as client:
        for center in (seoul, suwon):
            generate(center, rng, facts, visits)
            for start in range(0, len(center.events), 1000):
                body = center.body(events=slice(start, start + 1000), audit=slice(0, 0))
                assert (
                    client.post("/sync/v1/batches", content=body, headers=center.headers(body)).status_code
                    == 200
                )
    yield facts, visits


def period_of(by: str) -> Callable[[date], date | None]:
    return {
        "day": lambda d: d,
        "week": lambda d: d - timedelta(days=d.weekday()),
        "month": lambda d: d.replace(day=1),
    }.get(by, lambda d: None)


def key_of(row: dict[str, Any], by: tuple[str, ...]) -> tuple[Any, ...]:
    period = next((dim for dim in by if dim in ("day", "week", "month")), "")
    return (
        row["center"],
        row["counselor"] if "counselor" in by else None,
        row["line"] if "line" in by else None,
        period_of(period)(row["day"]),
    )


def reference(facts: list, visits: list, by: tuple[str, ...], start: date, end: date) -> dict[tuple, dict]:
    out: dict[tuple, dict] = defaultdict(lambda: {"visits": 0, "tickets": []})
    for fact in facts:
        if start <= fact["day"] <= end:
            out[key_of(fact, by)]["tickets"].append(fact)
    for visit in visits:
        if start <= visit["day"] <= end:
            out[key_of(visit, by)]["visits"] += 1
    return out


@pytest.mark.parametrize(
    "by", [(), ("counselor",), ("line",), ("day",), ("week",), ("month",), ("counselor", "month")]
)
def test_sql_figures_equal_a_direct_count(hq_sessions: sessionmaker[Session], generated, by) -> None:
    facts, visits = generated
    start, end = FIRST_DAY + timedelta(days=1), FIRST_DAY + timedelta(days=DAYS - 2)  # a window inside
    expected = reference(facts, visits, by, start, end)
    with hq_sessions() as session:
        rows = statistics(session, start, end, by=by, target_minutes=30)
    got = {(r.center, r.counselor, r.line, r.period): r for r in rows}
    assert set(got) == set(expected)
    for key, want in expected.items():
        row, tickets = got[key], want["tickets"]
        waits = [t["wait"] / 60 for t in tickets if t["wait"] is not None]
        services = [t["service"] / 60 for t in tickets if t["service"] is not None]
        assert row.visits == want["visits"], key
        assert row.tickets_issued == len(tickets), key
        assert row.served == sum(t["served"] for t in tickets)
        assert row.no_shows == sum(t["no_show"] for t in tickets)
        assert row.transfers == sum(t["transferred"] for t in tickets)
        if waits:
            assert row.wait_mean_min == pytest.approx(sum(waits) / len(waits))
            assert row.wait_median_min == pytest.approx(percentile_cont(waits, 0.5))
            assert row.wait_p90_min == pytest.approx(percentile_cont(waits, 0.9))
            assert row.waits_over_target == pytest.approx(sum(w > 30 for w in waits) / len(waits))
        else:
            assert row.wait_mean_min is None and row.waits_over_target is None
        if services:
            assert row.service_mean_min == pytest.approx(sum(services) / len(services))


def test_a_ticket_late_at_night_counts_on_its_seoul_day(hq_sessions, seoul: FakeCenter, hq_engine) -> None:
    # 23:30 in Seoul on Nov 2 is 14:30 UTC on Nov 2; 00:30 on Nov 3 in Seoul is still Nov 2 in UTC.
    for local in (datetime(2026, 11, 2, 23, 30, tzinfo=SEOUL), datetime(2026, 11, 3, 0, 30, tzinfo=SEOUL)):
        seoul.ticket(local.astimezone(UTC))
    with TestClient(create_app(hq_engine)) as client:
        body = seoul.body()
        assert client.post("/sync/v1/batches", content=body, headers=seoul.headers(body)).status_code == 200
    with hq_sessions() as session:
        rows = statistics(session, date(2026, 11, 2), date(2026, 11, 3), by=("day",))
    assert [(r.period, r.tickets_issued) for r in rows] == [(date(2026, 11, 2), 1), (date(2026, 11, 3), 1)]


def test_bad_groupings_and_periods_are_refused(hq_sessions) -> None:
    with hq_sessions() as session:
        with pytest.raises(ValueError, match="unknown grouping"):
            statistics(session, FIRST_DAY, FIRST_DAY, by=("center; drop table hq_event",))
        with pytest.raises(ValueError, match="one period"):
            statistics(session, FIRST_DAY, FIRST_DAY, by=("day", "month"))
        with pytest.raises(ValueError, match="ends before"):
            statistics(session, FIRST_DAY, FIRST_DAY - timedelta(days=1))
