"""hq_day, refreshed batch by batch, gives the figures the events give, and the new figures (programs,
outcomes, follow-ups) equal a direct count written from stats.py's definitions.

The events go in small batches cut at random places, so a ticket's call or a visit's outcome often
arrives a batch after it, and a follow-up's end days after its plan: each later batch must reach back
and refresh the earlier days.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter, defaultdict
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.hq.aggregate import rebuild
from kiosk.hq.app import create_app
from kiosk.hq.models import HqDay, HqMonth
from kiosk.hq.stats import StatsRow, statistics, whole_months
from tests.kiosk.hq.signer import FakeCenter, iso
from tests.kiosk.hq.test_stats import DAYS, FIRST_DAY, generate, period_of

pytestmark = pytest.mark.postgres
SEOUL = ZoneInfo("Asia/Seoul")
TODAY = FIRST_DAY + timedelta(days=5)  # some follow-ups fall due before it, some after
PROGRAMS = ["ccrs.pre_workout", "ccrs.individual_workout", "sunshine.loan", "job.link"]
OUTCOMES = ["referred", "counselled", "declined"]


def generate_casework(
    center: FakeCenter,
    rng: random.Random,
    visits: list[dict[str, Any]],
    first_day: date = FIRST_DAY,
    days: int = DAYS,
) -> None:
    """Visits with program verdicts, outcomes (some recorded twice: the latest counts) and follow-ups."""
    counselors = [str(uuid.UUID(int=rng.getrandbits(128))) for _ in range(2)]
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        for _ in range(rng.randint(2, 4)):
            local = datetime(day.year, day.month, day.day, 9, tzinfo=SEOUL) + timedelta(
                minutes=rng.randint(0, 890)
            )
            at, visit_id = local.astimezone(UTC), str(uuid.uuid4())
            eligible = rng.sample(PROGRAMS, rng.randint(0, 2))
            maybe = rng.sample([p for p in PROGRAMS if p not in eligible], rng.randint(0, 2))
            line = rng.choice(["A", "B"])
            center.event(
                "visit.submitted",
                at,
                visit_id=visit_id,
                path="walk_in",
                line=line,
                programs_eligible=eligible,
                programs_maybe=maybe,
            )
            visit: dict[str, Any] = {
                "center": center.code,
                "day": day,
                "line": line,
                "counselor": None,
                "outcome": None,
                "eligible": eligible,
                "maybe": maybe,
                "followups": [],
            }
            if rng.random() < 0.8:
                for n in range(rng.choice([1, 1, 2])):  # a second outcome replaces the first
                    counselor, outcome = rng.choice(counselors), rng.choice(OUTCOMES)
                    center.event(
                        "case.outcome",
                        at + timedelta(minutes=40 + n),
                        visit_id=visit_id,
                        counselor_id=counselor,
                        outcome=outcome,
                    )
                    visit.update(counselor=counselor, outcome=outcome)
            for _ in range(rng.randint(0, 2)):
                follow_up_id, due = str(uuid.uuid4()), day + timedelta(days=rng.randint(1, 6))
                center.event(
                    "followup.planned",
                    at + timedelta(hours=1),
                    follow_up_id=follow_up_id,
                    visit_id=visit_id,
                    kind="call",
                    due_date=due.isoformat(),
                )
                done = rng.random() < 0.5
                visit["followups"].append({"due": due, "done": done, "id": follow_up_id})
            visits.append(visit)
    # Follow-ups are done later, at the end of the stream: their events reach back to older days.
    for visit in visits:
        for followup in visit["followups"]:
            if followup["done"] and visit["center"] == center.code:
                when = datetime(
                    followup["due"].year, followup["due"].month, followup["due"].day, 3, tzinfo=UTC
                )
                center.event("followup.done", when, follow_up_id=followup["id"])


def send_in_pieces(client: TestClient, center: FakeCenter, rng: random.Random) -> None:
    start = 0
    while start < len(center.events):
        end = start + rng.randint(1, 120)
        body = center.body(events=slice(start, end), audit=slice(0, 0))
        assert client.post("/sync/v1/batches", content=body, headers=center.headers(body)).status_code == 200
        start = end


def load(
    engine: Engine, centers: tuple[FakeCenter, ...], rng: random.Random, first_day: date, days: int
) -> list[dict[str, Any]]:
    """Both generators' events of these days for each center, sent in batches cut at random places."""
    facts: list[dict[str, Any]] = []
    visits: list[dict[str, Any]] = []
    for center in centers:
        queue_visits: list[dict[str, Any]] = []
        generate(center, rng, facts, queue_visits, first_day, days)
        for visit in queue_visits:  # test_stats' visits: no programs, "referred" when a counselor saw them
            visit.update(
                outcome="referred" if visit["counselor"] else None, eligible=[], maybe=[], followups=[]
            )
        visits.extend(queue_visits)
        generate_casework(center, rng, visits, first_day, days)
        # Interleave the stream: outcomes and follow-up ends land in later batches than their visits.
        rng.shuffle(center.events)
        center.events.sort(key=lambda e: e["at"])
        for seq, event in enumerate(center.events, start=1):
            event["seq"] = seq
    with TestClient(create_app(engine)) as client:
        for center in centers:
            send_in_pieces(client, center, rng)
    return visits


@pytest.fixture
def loaded(hq_engine: Engine, seoul: FakeCenter, suwon: FakeCenter) -> list[dict[str, Any]]:
    return load(hq_engine, (seoul, suwon), random.Random(2026), FIRST_DAY, DAYS)


# Aug 27 .. Nov 3: two whole months (September, October) between two partial ones.
MONTHS_FIRST_DAY, MONTHS_DAYS = date(2026, 8, 27), 69


@pytest.fixture
def loaded_months(hq_engine: Engine, seoul: FakeCenter, suwon: FakeCenter) -> list[dict[str, Any]]:
    return load(hq_engine, (seoul, suwon), random.Random(1106), MONTHS_FIRST_DAY, MONTHS_DAYS)


def comparable(row: StatsRow) -> dict[str, Any]:
    values = asdict(row)
    for name, value in values.items():
        if isinstance(value, float):
            values[name] = round(value, 6)
    return values


BYS = [(), ("counselor",), ("line",), ("week",), ("counselor", "line", "day")]
# Groupings a month row can serve (no day, no week): whole months come from hq_month.
MONTH_BYS = [(), ("month",), ("counselor",), ("line", "month"), ("counselor", "line", "month")]


@pytest.mark.parametrize("by", BYS)
def test_the_aggregate_gives_the_figures_of_the_events(
    hq_sessions: sessionmaker[Session], loaded, by
) -> None:
    start, end = FIRST_DAY + timedelta(days=1), FIRST_DAY + timedelta(days=DAYS + 3)
    with hq_sessions() as session:
        from_days = statistics(session, start, end, by=by, source="days", today=TODAY)
        from_events = statistics(session, start, end, by=by, source="events", today=TODAY)
    assert from_days and [comparable(r) for r in from_days] == [comparable(r) for r in from_events]


# (start, end, today): whole months from hq_month, the edges from hq_day.
MONTH_PERIODS = [
    # Aug 29 .. Nov 2 seen on Nov 20: September and October from hq_month.
    (date(2026, 8, 29), date(2026, 11, 2), date(2026, 11, 20)),
    # … seen on Oct 15: October is not over (its overdue follow-ups still change), so only September.
    (date(2026, 8, 29), date(2026, 11, 2), date(2026, 10, 15)),
    # Exactly September and October.
    (date(2026, 9, 1), date(2026, 10, 31), date(2026, 11, 20)),
]


def test_whole_months_give_the_figures_of_the_events(
    hq_sessions: sessionmaker[Session], loaded_months
) -> None:
    # One load for every case: the 69 days of batches are the slow part.
    for start, end, today in MONTH_PERIODS:
        assert whole_months(start, end, today) is not None  # the month rows are really read
        for by in MONTH_BYS:
            with hq_sessions() as session:
                from_months = statistics(session, start, end, by=by, source="days", today=today)
                from_events = statistics(session, start, end, by=by, source="events", today=today)
            case = (start, end, today, by)
            assert from_months, case
            assert [comparable(r) for r in from_months] == [comparable(r) for r in from_events], case
            assert sum(r.visits for r in from_months) > 0, case
            assert sum(r.followups_overdue for r in from_months) > 0, case


@pytest.mark.parametrize(
    ("start", "end", "today", "months"),
    [
        (date(2026, 9, 1), date(2026, 9, 30), date(2026, 10, 1), (date(2026, 9, 1), date(2026, 10, 1))),
        (date(2026, 9, 1), date(2026, 9, 30), date(2026, 9, 30), None),  # September's last day is today
        (date(2026, 9, 2), date(2026, 10, 30), date(2027, 1, 1), None),  # no month whole
        (date(2026, 8, 31), date(2026, 12, 31), date(2026, 12, 15), (date(2026, 9, 1), date(2026, 12, 1))),
        (date(2025, 12, 4), date(2026, 12, 4), date(2026, 12, 3), (date(2026, 1, 1), date(2026, 12, 1))),
        (date(2026, 2, 1), date(2026, 2, 28), date(2026, 3, 1), (date(2026, 2, 1), date(2026, 3, 1))),
    ],
)
def test_the_months_read_whole_are_those_inside_the_period_and_over(
    start: date, end: date, today: date, months: tuple[date, date] | None
) -> None:
    assert whole_months(start, end, today) == months


def test_a_ticket_at_2330_on_a_months_last_day_in_seoul_is_that_months(
    hq_engine: Engine, hq_sessions: sessionmaker[Session], seoul: FakeCenter
) -> None:
    # 23:30 KST on Oct 31 is 14:30 UTC, the same UTC day as 00:30 KST on Nov 1 (15:30 UTC).
    for local in (datetime(2026, 10, 31, 23, 30, tzinfo=SEOUL), datetime(2026, 11, 1, 0, 30, tzinfo=SEOUL)):
        at, ticket_id = local.astimezone(UTC), str(uuid.uuid4())
        seoul.event(
            "ticket.issued",
            at,
            ticket_id=ticket_id,
            line="A",
            display="A1",
            service_date=local.date().isoformat(),
            issued_at=iso(at),
        )
        called = at + timedelta(minutes=12 if local.month == 10 else 20)
        seoul.event(
            "ticket.called",
            called,
            ticket_id=ticket_id,
            desk="1",
            counselor_id=str(uuid.uuid4()),
            called_at=iso(called),
        )
        seoul.event(
            "visit.submitted",
            at,
            visit_id=str(uuid.uuid4()),
            path="walk_in",
            line="A",
            programs_eligible=[],
            programs_maybe=[],
        )
    with TestClient(create_app(hq_engine)) as client:
        body = seoul.body()
        assert client.post("/sync/v1/batches", content=body, headers=seoul.headers(body)).status_code == 200
    with hq_sessions() as session:
        months: dict[date, list[Any]] = defaultdict(lambda: [0, 0, []])
        for m in session.scalars(select(HqMonth)):  # a month's rows: one per line and counselor
            months[m.month][0] += m.visits
            months[m.month][1] += m.tickets_issued
            months[m.month][2] += m.waits_s
        rows = statistics(
            session, date(2026, 10, 1), date(2026, 11, 30), by=("month",), today=date(2026, 12, 10)
        )
    assert months == {date(2026, 10, 1): [1, 1, [720.0]], date(2026, 11, 1): [1, 1, [1200.0]]}
    assert [(r.period, r.visits, r.tickets_issued, r.wait_median_min) for r in rows] == [
        (date(2026, 10, 1), 1, 1, 12.0),
        (date(2026, 11, 1), 1, 1, 20.0),
    ]


def snapshot(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every hq_day and hq_month row by its content (ids aside), in a stable order."""

    def content(r: HqDay | HqMonth, when: date) -> tuple[Any, ...]:
        return (
            r.center_id,
            when,
            r.line or "",
            r.counselor_id or "",
            r.visits,
            r.tickets_issued,
            r.served,
            r.wait_n,
            round(r.wait_sum_s, 6),
            tuple(sorted(r.waits_s)),
            tuple(sorted(r.outcomes.items())),
            tuple(sorted(r.eligible_by.items())),
            tuple(sorted(r.maybe_by.items())),
            r.followups_due,
            r.followups_done,
        )

    return {
        "days": sorted(content(r, r.day) for r in session.scalars(select(HqDay))),
        "months": sorted(content(r, r.month) for r in session.scalars(select(HqMonth))),
    }


@pytest.mark.parametrize("data", ["loaded", "loaded_months"])
def test_a_rebuild_from_scratch_equals_what_the_batches_left(
    hq_sessions: sessionmaker[Session], request: pytest.FixtureRequest, data: str
) -> None:
    request.getfixturevalue(data)
    with hq_sessions.begin() as session:
        incremental = snapshot(session)
        assert incremental["days"] and incremental["months"]
        assert rebuild(session) > 0
        session.flush()
        session.expire_all()
        assert snapshot(session) == incremental


def _expected(visits: list[dict[str, Any]], by: tuple[str, ...], start: date, end: date) -> dict[tuple, dict]:
    period = next((dim for dim in by if dim in ("day", "week", "month")), "")
    out: dict[tuple, dict] = defaultdict(
        lambda: {
            "visits": 0,
            "eligible_visits": 0,
            "programs": Counter(),
            "outcomes": Counter(),
            "due": 0,
            "done": 0,
            "overdue": 0,
        }
    )

    def key(visit: dict[str, Any], day: date) -> tuple[Any, ...]:
        return (
            visit["center"],
            visit["counselor"] if "counselor" in by else None,
            visit["line"] if "line" in by else None,
            period_of(period)(day),
        )

    for visit in visits:
        if start <= visit["day"] <= end:
            want = out[key(visit, visit["day"])]
            want["visits"] += 1
            want["eligible_visits"] += bool(visit["eligible"])
            want["programs"].update((p, "eligible") for p in visit["eligible"])
            want["programs"].update((p, "maybe") for p in visit["maybe"])
            if visit["outcome"]:
                want["outcomes"][visit["outcome"]] += 1
        for followup in visit["followups"]:
            if start <= followup["due"] <= end:
                want = out[key(visit, followup["due"])]
                want["due"] += 1
                want["done"] += followup["done"]
                want["overdue"] += (not followup["done"]) and followup["due"] < TODAY
    return out


@pytest.mark.parametrize("by", [(), ("counselor",), ("line", "day")])
def test_programs_outcomes_and_follow_ups_equal_a_direct_count(
    hq_sessions: sessionmaker[Session], loaded, by
) -> None:
    start, end = FIRST_DAY + timedelta(days=1), FIRST_DAY + timedelta(days=DAYS + 3)
    expected = _expected(loaded, by, start, end)
    with hq_sessions() as session:
        rows = statistics(session, start, end, by=by, today=TODAY)
    got = {(r.center, r.counselor, r.line, r.period): r for r in rows}
    for key, want in expected.items():
        row = got[key]
        assert row.visits_eligible == want["eligible_visits"], key
        assert row.programs_eligible == sum(n for (_, v), n in want["programs"].items() if v == "eligible")
        assert row.programs_maybe == sum(n for (_, v), n in want["programs"].items() if v == "maybe")
        assert {(p, v): n for p, counts in row.programs.items() for v, n in counts.items() if n} == dict(
            want["programs"]
        ), key
        assert row.outcomes == dict(want["outcomes"]), key
        assert (row.followups_due, row.followups_done, row.followups_overdue) == (
            want["due"],
            want["done"],
            want["overdue"],
        ), key
    assert sum(r.followups_overdue for r in rows) > 0 and sum(r.followups_done for r in rows) > 0


@pytest.mark.parametrize("data", ["loaded", "loaded_months"])
def test_a_replayed_batch_changes_no_figure(
    hq_engine: Engine, hq_sessions, request: pytest.FixtureRequest, data: str, seoul: FakeCenter
) -> None:
    request.getfixturevalue(data)
    start, end = MONTHS_FIRST_DAY, FIRST_DAY + timedelta(days=20)
    with hq_sessions() as session:
        rows = snapshot(session)
        figures = [comparable(r) for r in statistics(session, start, end, by=("month",), today=TODAY)]
    with TestClient(create_app(hq_engine)) as client:
        body = seoul.body(events=slice(0, 200), audit=slice(0, 0))
        assert client.post("/sync/v1/batches", content=body, headers=seoul.headers(body)).status_code == 200
    with hq_sessions() as session:
        assert snapshot(session) == rows
        assert [comparable(r) for r in statistics(session, start, end, by=("month",), today=TODAY)] == figures


def test_the_default_today_is_the_center_clocks(hq_sessions, seoul: FakeCenter, hq_engine) -> None:
    import time_machine

    # A follow-up due on Nov 3: at 23:30 UTC on Nov 2 it is already Nov 3 08:30 in Seoul (not overdue yet),
    # and at 15:30 UTC on Nov 3 it is Nov 4 in Seoul (overdue).
    at = datetime(2026, 11, 1, 1, tzinfo=UTC)
    seoul.event(
        "visit.submitted",
        at,
        visit_id=str(uuid.uuid4()),
        path="walk_in",
        programs_eligible=[],
        programs_maybe=[],
    )
    seoul.event(
        "followup.planned",
        at,
        follow_up_id=str(uuid.uuid4()),
        visit_id=seoul.events[0]["data"]["visit_id"],
        kind="call",
        due_date="2026-11-03",
    )
    with TestClient(create_app(hq_engine)) as client:
        body = seoul.body()
        assert client.post("/sync/v1/batches", content=body, headers=seoul.headers(body)).status_code == 200
    for utc, overdue in (
        (datetime(2026, 11, 2, 23, 30, tzinfo=UTC), 0),
        (datetime(2026, 11, 3, 15, 30, tzinfo=UTC), 1),
    ):
        with time_machine.travel(utc, tick=False), hq_sessions() as session:
            (row,) = statistics(session, date(2026, 11, 1), date(2026, 11, 30))
            assert (row.followups_due, row.followups_overdue) == (1, overdue), utc


@pytest.mark.parametrize("source", ["days", "events"])
def test_one_centers_figures_are_its_rows_of_all_centers(
    hq_sessions, loaded, suwon: FakeCenter, source
) -> None:
    start, end = FIRST_DAY, FIRST_DAY + timedelta(days=DAYS)
    with hq_sessions() as session:
        everyone = statistics(session, start, end, by=("counselor",), source=source, today=TODAY)
        center_id = next(r.center_id for r in everyone if r.center == suwon.code)
        one = statistics(
            session, start, end, by=("counselor",), source=source, today=TODAY, center_id=center_id
        )
    assert one and [comparable(r) for r in one] == [
        comparable(r) for r in everyone if r.center_id == center_id
    ]


def test_an_unknown_source_is_refused(hq_sessions) -> None:
    with hq_sessions() as session, pytest.raises(ValueError, match="unknown source"):
        statistics(session, FIRST_DAY, FIRST_DAY, source="cache")  # type: ignore[arg-type]
