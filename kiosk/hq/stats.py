"""HQ statistics, computed in PostgreSQL from hq_event (Qmatic's model: every event has its center,
line, counselor and time).

Definitions (the same words the report prints):
- a ticket belongs to the day, in the center's time zone, it was issued (ticket.issued issued_at);
  its line is the line it was issued on; its counselor is the one of its last call;
- tickets issued / served (it has a ticket.done) / no-shows / transfers (it has such an event);
- wait = first call − issue (mean, median, p90 = percentile_cont); service = done − last call;
- waits over target = share of called tickets whose wait exceeded the target minutes;
- a visit (visit.submitted) belongs to its local day and its line; its counselor and its outcome are
  those of its latest case.outcome (a visit no counselor recorded counts under no counselor);
- programs: per visit, the catalogue ids it was judged eligible / maybe eligible for (visit.submitted);
  visits_eligible counts visits with at least one eligible program;
- a follow-up (followup.planned) belongs to its due day, and to its visit's line and counselor; done
  = it has a followup.done; overdue = due before today (the center clock's) and not done.

Where the figures come from: hq_day and hq_month (kiosk.hq.aggregate), refreshed with each batch.
Counts and means are sums of their rows; median, p90 and the over-target share come from the waits
each row keeps (waits_s), so they are exact, not estimated. A period's whole months that ended before
today are read from hq_month (one row where hq_day has ≈ 30), its other days from hq_day, unless the
grouping is by day or week (a month row cannot be split) — a year's report reads ≈ 7,000 rows, not
200,000. The months stop before today because overdue depends on the day a follow-up is due.
source="events" computes the same from hq_event (kiosk.hq.facts); tests/kiosk/hq/test_aggregate.py
checks the two agree.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from config import clock
from kiosk.hq import facts
from kiosk.hq.models import HqCenter

DEFAULT_ZONE = clock.DEFAULT_TIMEZONE
DEFAULT_TARGET_MINUTES = 30
Source = Literal["days", "events"]
Dimension = Literal["counselor", "line", "day", "week", "month"]
PERIODS = ("day", "week", "month")
DIMENSIONS = ("counselor", "line", *PERIODS)

# SQL for the period a local day falls in; week starts on Monday (date_trunc's ISO week).
_PERIOD_SQL = {
    "day": "f.day",
    "week": "date_trunc('week', f.day)::date",
    "month": "date_trunc('month', f.day)::date",
}


@dataclass
class StatsRow:
    center_id: uuid.UUID
    center: str = ""
    center_name: str = ""
    counselor: str | None = None
    line: str | None = None
    period: date | None = None
    visits: int = 0
    tickets_issued: int = 0
    served: int = 0
    no_shows: int = 0
    transfers: int = 0
    wait_mean_min: float | None = None
    wait_median_min: float | None = None
    wait_p90_min: float | None = None
    service_mean_min: float | None = None
    waits_over_target: float | None = None  # a share, 0..1
    visits_eligible: int = 0  # visits with at least one program they are eligible for
    programs_eligible: int = 0  # (visit, program) pairs judged eligible
    programs_maybe: int = 0  # … judged maybe eligible (recommended to check)
    programs: dict[str, dict[str, int]] = field(default_factory=dict)  # id -> {"eligible": n, "maybe": n}
    outcomes: dict[str, int] = field(default_factory=dict)  # a visit's latest case.outcome -> visits
    followups_due: int = 0  # follow-ups due in the period
    followups_done: int = 0  # … of them done
    followups_overdue: int = 0  # … of them due before today and not done
    extra: dict[str, Any] = field(default_factory=dict)


def _keys(by: Sequence[str]) -> list[tuple[str, str]]:
    """(output name, SQL over the facts alias f) of each grouping column, center first."""
    unknown = set(by) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"unknown grouping {sorted(unknown)}; choose from {DIMENSIONS}")
    periods = [dim for dim in by if dim in PERIODS]
    if len(periods) > 1:
        raise ValueError("group by one period at most")
    keys = [("center_id", "f.center_id")]
    if "counselor" in by:
        keys.append(("counselor", "f.counselor_id"))
    if "line" in by:
        keys.append(("line", "f.line"))
    if periods:
        keys.append(("period", _PERIOD_SQL[periods[0]]))
    return keys


_TICKET_FIGURES = """
SELECT {keys},
    count(*) AS tickets_issued,
    count(*) FILTER (WHERE f.served) AS served,
    count(*) FILTER (WHERE f.no_show) AS no_shows,
    count(*) FILTER (WHERE f.transferred) AS transfers,
    avg(f.wait_s) AS wait_mean,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY f.wait_s) AS wait_median,
    percentile_cont(0.9) WITHIN GROUP (ORDER BY f.wait_s) AS wait_p90,
    avg(f.service_s) AS service_mean,
    (count(*) FILTER (WHERE f.wait_s > :target_s))::float8 / NULLIF(count(f.wait_s), 0) AS over_target
FROM f
GROUP BY {group}
"""
_VISIT_FIGURES = """
SELECT {keys}, count(*) AS visits,
    count(*) FILTER (WHERE jsonb_array_length(f.eligible) > 0) AS visits_eligible,
    coalesce(sum(jsonb_array_length(f.eligible)), 0) AS programs_eligible,
    coalesce(sum(jsonb_array_length(f.maybe)), 0) AS programs_maybe
FROM f
GROUP BY {group}
"""
_OUTCOME_FIGURES = """
SELECT {keys}, f.outcome AS name, count(*) AS n FROM f WHERE f.outcome IS NOT NULL GROUP BY {group}, f.outcome
"""
_PROGRAM_FIGURES = """
SELECT {keys}, f.program AS name, f.eligible, count(*) AS n FROM vp f GROUP BY {group}, f.program, f.eligible
"""
_FOLLOWUP_FIGURES = """
SELECT {keys}, count(*) AS followups_due, count(*) FILTER (WHERE f.done) AS followups_done,
    count(*) FILTER (WHERE NOT f.done AND f.day < :today) AS followups_overdue
FROM f
GROUP BY {group}
"""

# The same figures from hq_day (alias f: its key columns carry the facts' names).
_DAY_SUMS = """
SELECT {keys},
    sum(f.visits) AS visits, sum(f.visits_eligible) AS visits_eligible,
    sum(f.programs_eligible) AS programs_eligible, sum(f.programs_maybe) AS programs_maybe,
    sum(f.tickets_issued) AS tickets_issued, sum(f.served) AS served,
    sum(f.no_shows) AS no_shows, sum(f.transfers) AS transfers,
    sum(f.wait_n) AS wait_n, sum(f.wait_sum_s) / NULLIF(sum(f.wait_n), 0) AS wait_mean,
    sum(f.service_sum_s) / NULLIF(sum(f.service_n), 0) AS service_mean,
    sum(f.followups_due) AS followups_due, sum(f.followups_done) AS followups_done,
    coalesce(sum(f.followups_due - f.followups_done) FILTER (WHERE f.day < :today), 0) AS followups_overdue
FROM {source} f
WHERE {rows} f.day BETWEEN :start AND :end
GROUP BY {group}
"""
_DAY_WAITS = """
SELECT {keys},
    percentile_cont(0.5) WITHIN GROUP (ORDER BY w.s) AS wait_median,
    percentile_cont(0.9) WITHIN GROUP (ORDER BY w.s) AS wait_p90,
    (count(*) FILTER (WHERE w.s > :target_s))::float8 / count(*) AS over_target
FROM {source} f CROSS JOIN LATERAL unnest(f.waits_s) AS w(s)
WHERE {rows} f.day BETWEEN :start AND :end AND f.wait_n > 0
GROUP BY {group}
"""
# The three count maps in one pass over the rows.
_DAY_MAPS = """
SELECT {keys}, m.col, m.key AS name, sum(m.value::bigint) AS n
FROM {source} f CROSS JOIN LATERAL (
    SELECT 'outcomes' AS col, e.key, e.value FROM jsonb_each_text(f.outcomes) e
    UNION ALL
    SELECT 'eligible_by', e.key, e.value FROM jsonb_each_text(f.eligible_by) e
    UNION ALL
    SELECT 'maybe_by', e.key, e.value FROM jsonb_each_text(f.maybe_by) e
) m
WHERE {rows} f.day BETWEEN :start AND :end
GROUP BY {group}, m.col, m.key
"""
# Whole months from hq_month (its month as the day), the period's other days from hq_day.
_MONTHS_AND_DAYS = """(
    SELECT center_id, line, counselor_id, visits, visits_eligible, programs_eligible, programs_maybe,
        eligible_by, maybe_by, outcomes, tickets_issued, served, no_shows, transfers, wait_n, wait_sum_s,
        waits_s, service_n, service_sum_s, followups_due, followups_done, month AS day
    FROM hq_month WHERE month >= :month_lo AND month < :month_after
    UNION ALL
    SELECT center_id, line, counselor_id, visits, visits_eligible, programs_eligible, programs_maybe,
        eligible_by, maybe_by, outcomes, tickets_issued, served, no_shows, transfers, wait_n, wait_sum_s,
        waits_s, service_n, service_sum_s, followups_due, followups_done, day
    FROM hq_day WHERE day BETWEEN :start AND :end AND (day < :month_lo OR day >= :month_after)
)"""


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def whole_months(start: date, end: date, today: date) -> tuple[date, date] | None:
    """[first, after) of the months wholly inside start..end that ended before today, or None."""
    first = start if start.day == 1 else _next_month(start)
    # A month counts when its last day is ≤ end and < today: the month after it starts ≤ either + 1.
    limit = min(end + timedelta(days=1), today)
    after = limit.replace(day=1)
    return (first, after) if first < after else None


def _minutes(seconds: Any) -> float | None:
    return None if seconds is None else float(seconds) / 60.0


def _local_start(day: date, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def _params(start: date, end: date, zone: str, target_minutes: float, today: date) -> dict[str, Any]:
    tz = clock.named_zone(zone)
    lo, hi = _local_start(start, tz), _local_start(end + timedelta(days=1), tz)
    return {
        "zone": zone,
        "start": start,
        "end": end,
        "start_text": start.isoformat(),
        "end_text": end.isoformat(),
        "lo": lo,
        "hi": hi,
        # An issue event is written with the ticket; a day's margin keeps any clock skew inside.
        "lo_padded": lo - timedelta(days=1),
        "hi_padded": hi + timedelta(days=1),
        "target_s": float(target_minutes) * 60.0,
        "today": today,
    }


_SCALARS = {
    "tickets": ("tickets_issued", "served", "no_shows", "transfers"),
    "visits": ("visits", "visits_eligible", "programs_eligible", "programs_maybe"),
    "followups": ("followups_due", "followups_done", "followups_overdue"),
}


def _fill_tickets(row: StatsRow, record: Any) -> None:
    for name in _SCALARS["tickets"]:
        setattr(row, name, int(getattr(record, name) or 0))
    row.wait_mean_min, row.service_mean_min = _minutes(record.wait_mean), _minutes(record.service_mean)


def _fill_waits(row: StatsRow, record: Any) -> None:
    row.wait_median_min, row.wait_p90_min = _minutes(record.wait_median), _minutes(record.wait_p90)
    row.waits_over_target = record.over_target


def _fill(row: StatsRow, record: Any, group: str) -> None:
    for name in _SCALARS[group]:
        setattr(row, name, int(getattr(record, name) or 0))


def _add_program(row: StatsRow, record: Any) -> None:
    counts = row.programs.setdefault(record.name, {"eligible": 0, "maybe": 0})
    counts["eligible" if record.eligible else "maybe"] += int(record.n)


def statistics(
    session: Session,
    start: date,
    end: date,
    by: Sequence[str] = (),
    target_minutes: float = DEFAULT_TARGET_MINUTES,
    zone: str = DEFAULT_ZONE,
    *,
    source: Source = "days",
    today: date | None = None,
    center_id: uuid.UUID | None = None,
) -> list[StatsRow]:
    """One row per center (and per each grouping in by) for local days start..end inclusive.

    source "days" reads hq_day (kept in DEFAULT_ZONE; another zone reads the events); "events"
    computes everything from hq_event. today (the center clock's, by default) decides overdue;
    center_id narrows to one center."""
    if end < start:
        raise ValueError("the period ends before it starts")
    if source not in ("days", "events"):
        raise ValueError(f"unknown source {source!r}")
    keys = _keys(by)
    params = _params(start, end, zone, target_minutes, today or clock.local_date(clock.now()))
    params["center"] = center_id
    one = center_id is not None
    day_rows = "f.center_id = :center AND" if one else ""
    select_keys = ", ".join(f"{sql} AS {name}" for name, sql in keys)
    group = ", ".join(sql for _, sql in keys)
    names = [name for name, _ in keys]
    rows: dict[tuple[Any, ...], StatsRow] = {}

    def row_for(record: Any) -> StatsRow:
        key = tuple(getattr(record, name) for name in names)
        if key not in rows:
            values = dict(zip(names, key, strict=True))
            rows[key] = StatsRow(**values)
        return rows[key]

    def run(sql: str) -> Any:
        return session.execute(text(sql), params)

    if source == "days" and zone == DEFAULT_ZONE:
        # These queries read a few thousand rows, but the planner takes every jsonb_each_text for 100
        # rows and JIT-compiles the maps query: ≈ 1 s of compiling for 0.1 s of work (EXPLAIN ANALYZE
        # of the year by month, 47 centers). Off for this transaction only.
        session.execute(text("SET LOCAL jit = off"))
        months = None if {"day", "week"} & set(by) else whole_months(start, end, params["today"])
        if months is not None:
            params["month_lo"], params["month_after"] = months
        holes = {
            "keys": select_keys,
            "group": group,
            "rows": day_rows,
            "source": "hq_day" if months is None else _MONTHS_AND_DAYS,
        }
        for record in run(_DAY_SUMS.format(**holes)):
            row = row_for(record)
            _fill_tickets(row, record)
            _fill(row, record, "visits")
            _fill(row, record, "followups")
        for record in run(_DAY_WAITS.format(**holes)):
            _fill_waits(row_for(record), record)
        for record in run(_DAY_MAPS.format(**holes)):
            row = row_for(record)
            if record.col == "outcomes":
                row.outcomes[record.name] = int(record.n)
            else:
                counts = row.programs.setdefault(record.name, {"eligible": 0, "maybe": 0})
                counts["eligible" if record.col == "eligible_by" else "maybe"] += int(record.n)
    else:
        tickets = facts.scoped(facts.TICKETS, one, False)
        visits = facts.scoped(facts.VISITS, one, False)
        followups = facts.scoped(facts.FOLLOWUPS, one, False)
        for record in run(tickets + _TICKET_FIGURES.format(keys=select_keys, group=group)):
            row = row_for(record)
            _fill_tickets(row, record)
            _fill_waits(row, record)
        for record in run(visits + _VISIT_FIGURES.format(keys=select_keys, group=group)):
            _fill(row_for(record), record, "visits")
        for record in run(visits + _OUTCOME_FIGURES.format(keys=select_keys, group=group)):
            row_for(record).outcomes[record.name] = int(record.n)
        programs = visits + facts.PROGRAM_ROWS
        for record in run(programs + _PROGRAM_FIGURES.format(keys=select_keys, group=group)):
            _add_program(row_for(record), record)
        for record in run(followups + _FOLLOWUP_FIGURES.format(keys=select_keys, group=group)):
            _fill(row_for(record), record, "followups")
    # Rows with nothing in them (a day row of follow-ups only, grouped away) are still real groups.
    centers = {c.id: c for c in session.scalars(select(HqCenter))}
    for row in rows.values():
        center = centers.get(row.center_id)
        if center is not None:
            row.center, row.center_name = center.code, center.name
    return sorted(
        rows.values(),
        key=lambda r: (r.center, r.counselor or "", r.line or "", r.period or date.min),
    )
