"""hq_day, the per-day aggregate, kept in step with hq_event in the ingesting transaction.

A batch changes the figures of a few local days only: the days of the visits and tickets it brings
and the due days of the follow-ups it plans,
and the earlier days its later events reach back to (a call or an end moves its ticket's issue day, an
outcome its visit's day and its follow-ups' due days, a follow-up's end its due day). Those days of
that center are recomputed from the events (kiosk.hq.facts, the same SQL the raw figures use) and
replace their rows: a batch that arrives twice, or out of the usual order, leaves the same rows.

hq_month adds a month's day rows up per line and counselor (sums, the counts by program and outcome
merged, every wait kept in one sorted array). Each refresh recomputes the months of the days it
touched from their hq_day rows, in the same transaction, so the two never disagree; stats reads it
for the whole past months of a period. Why a month rollup and not a histogram of waits: waits are
seconds with microseconds (call − issue), and percentile_cont interpolates between two of them, so
only the waits themselves keep the median and p90 equal to the events' figures; a month row holds
as many waits as its ≈ 30 day rows together, but the report then reads 30× fewer rows, and the row
count (with its JSONB maps) is what the year's query spent its time on.

The aggregate is kept in the centers' zone (config.clock.DEFAULT_TIMEZONE, stats.DEFAULT_ZONE).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, insert, select, text
from sqlalchemy.orm import Session

from config import clock
from kiosk.hq import facts
from kiosk.hq.models import HqCenter, HqDay, HqMonth

ZONE = clock.DEFAULT_TIMEZONE
# Days recomputed by one statement: a longer list is done in slices, so memory stays flat.
DAYS_PER_PASS = 62

# The days earlier events of the center fall on, for the ids a batch's later events name.
_DAYS_OF_TICKETS = """
SELECT DISTINCT ((e.data->>'issued_at')::timestamptz AT TIME ZONE :zone)::date FROM hq_event e
WHERE e.center_id = :center AND e.type = 'ticket.issued' AND e.data->>'ticket_id' = ANY(:ids)
"""
_DAYS_OF_VISITS = """
SELECT DISTINCT (e.at AT TIME ZONE :zone)::date FROM hq_event e
WHERE e.center_id = :center AND e.type = 'visit.submitted' AND e.data->>'visit_id' = ANY(:ids)
UNION
SELECT DISTINCT (e.data->>'due_date')::date FROM hq_event e
WHERE e.center_id = :center AND e.type = 'followup.planned' AND e.data->>'visit_id' = ANY(:ids)
"""
_DAYS_OF_FOLLOWUPS = """
SELECT DISTINCT (e.data->>'due_date')::date FROM hq_event e
WHERE e.center_id = :center AND e.type = 'followup.planned' AND e.data->>'follow_up_id' = ANY(:ids)
"""
_TICKET_LATER = frozenset({"ticket.called", "ticket.done", "ticket.no_show", "ticket.transferred"})

_TICKET_SUMS = """
SELECT f.center_id, f.day, f.line, f.counselor_id,
    count(*) AS tickets_issued,
    count(*) FILTER (WHERE f.served) AS served,
    count(*) FILTER (WHERE f.no_show) AS no_shows,
    count(*) FILTER (WHERE f.transferred) AS transfers,
    count(f.wait_s) AS wait_n,
    coalesce(sum(f.wait_s), 0) AS wait_sum_s,
    coalesce(array_agg(f.wait_s ORDER BY f.wait_s) FILTER (WHERE f.wait_s IS NOT NULL), '{}') AS waits_s,
    count(f.service_s) AS service_n,
    coalesce(sum(f.service_s), 0) AS service_sum_s
FROM f GROUP BY f.center_id, f.day, f.line, f.counselor_id
"""
_VISIT_SUMS = """
SELECT f.center_id, f.day, f.line, f.counselor_id,
    count(*) AS visits,
    count(*) FILTER (WHERE jsonb_array_length(f.eligible) > 0) AS visits_eligible,
    coalesce(sum(jsonb_array_length(f.eligible)), 0) AS programs_eligible,
    coalesce(sum(jsonb_array_length(f.maybe)), 0) AS programs_maybe
FROM f GROUP BY f.center_id, f.day, f.line, f.counselor_id
"""
_OUTCOMES = """
SELECT f.center_id, f.day, f.line, f.counselor_id, f.outcome AS name, count(*) AS n
FROM f WHERE f.outcome IS NOT NULL GROUP BY f.center_id, f.day, f.line, f.counselor_id, f.outcome
"""
_PROGRAMS = """
SELECT f.center_id, f.day, f.line, f.counselor_id, f.program AS name, f.eligible, count(*) AS n
FROM vp f GROUP BY f.center_id, f.day, f.line, f.counselor_id, f.program, f.eligible
"""
_FOLLOWUP_SUMS = """
SELECT f.center_id, f.day, f.line, f.counselor_id,
    count(*) AS followups_due, count(*) FILTER (WHERE f.done) AS followups_done
FROM f GROUP BY f.center_id, f.day, f.line, f.counselor_id
"""

_TICKET_COLUMNS = (
    "tickets_issued",
    "served",
    "no_shows",
    "transfers",
    "wait_n",
    "wait_sum_s",
    "waits_s",
    "service_n",
    "service_sum_s",
)
_VISIT_COLUMNS = ("visits", "visits_eligible", "programs_eligible", "programs_maybe")
_FOLLOWUP_COLUMNS = ("followups_due", "followups_done")


def _connection(bind: Session | Connection) -> Connection:
    return bind.connection() if isinstance(bind, Session) else bind


def touched_days(
    bind: Session | Connection,
    center_id: uuid.UUID,
    events: Iterable[tuple[str, datetime, Mapping[str, Any]]],
) -> set[date]:
    """The local days whose figures these (type, at, data) events of the center, just stored, change."""
    tz = clock.named_zone(ZONE)
    days: set[date] = set()
    lookups: dict[str, set[str]] = {
        _DAYS_OF_TICKETS: set(),
        _DAYS_OF_VISITS: set(),
        _DAYS_OF_FOLLOWUPS: set(),
    }
    for type_, at, data in events:
        if type_ == "visit.submitted":
            days.add(at.astimezone(tz).date())
        elif type_ == "ticket.issued":
            days.add(datetime.fromisoformat(str(data["issued_at"])).astimezone(tz).date())
        elif type_ in _TICKET_LATER:
            lookups[_DAYS_OF_TICKETS].add(str(data["ticket_id"]))
        elif type_ == "case.outcome":
            lookups[_DAYS_OF_VISITS].add(str(data["visit_id"]))
        elif type_ == "followup.planned" and data.get("due_date"):
            days.add(date.fromisoformat(str(data["due_date"])))
        elif type_ == "followup.done":
            lookups[_DAYS_OF_FOLLOWUPS].add(str(data["follow_up_id"]))
    conn = _connection(bind)
    for sql, ids in lookups.items():
        if ids:
            found = conn.execute(text(sql), {"center": center_id, "zone": ZONE, "ids": sorted(ids)}).scalars()
            days.update(day for day in found if day is not None)
    return days


def _params(center_id: uuid.UUID, days: Sequence[date]) -> dict[str, Any]:
    tz = clock.named_zone(ZONE)
    start, end = min(days), max(days)
    lo = datetime(start.year, start.month, start.day, tzinfo=tz)
    hi = datetime(end.year, end.month, end.day, tzinfo=tz) + timedelta(days=1)
    return {
        "center": center_id,
        "days": list(days),
        "zone": ZONE,
        "start": start,
        "end": end,
        "start_text": start.isoformat(),
        "end_text": end.isoformat(),
        "lo": lo,
        "hi": hi,
        # An issue event is written with the ticket; a day's margin keeps any clock skew inside.
        "lo_padded": lo - timedelta(days=1),
        "hi_padded": hi + timedelta(days=1),
    }


def _blank(center_id: uuid.UUID, day: date, line: str | None, counselor_id: str | None) -> dict[str, Any]:
    row: dict[str, Any] = {"center_id": center_id, "day": day, "line": line, "counselor_id": counselor_id}
    row.update({name: 0 for name in (*_TICKET_COLUMNS, *_VISIT_COLUMNS, *_FOLLOWUP_COLUMNS)})
    row.update(wait_sum_s=0.0, service_sum_s=0.0, waits_s=[], eligible_by={}, maybe_by={}, outcomes={})
    return row


def _rows(conn: Connection, center_id: uuid.UUID, days: Sequence[date]) -> list[dict[str, Any]]:
    params = _params(center_id, days)
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}

    def row_for(record: Any) -> dict[str, Any]:
        key = (record.center_id, record.day, record.line, record.counselor_id)
        if key not in rows:
            rows[key] = _blank(*key)
        return rows[key]

    tickets = facts.scoped(facts.TICKETS, True, True)
    visits = facts.scoped(facts.VISITS, True, True)
    followups = facts.scoped(facts.FOLLOWUPS, True, True)
    for sql, columns in (
        (tickets + _TICKET_SUMS, _TICKET_COLUMNS),
        (visits + _VISIT_SUMS, _VISIT_COLUMNS),
        (followups + _FOLLOWUP_SUMS, _FOLLOWUP_COLUMNS),
    ):
        for record in conn.execute(text(sql), params):
            row_for(record).update({name: getattr(record, name) for name in columns})
    for record in conn.execute(text(visits + _OUTCOMES), params):
        row_for(record)["outcomes"][record.name] = record.n
    for record in conn.execute(text(visits + facts.PROGRAM_ROWS + _PROGRAMS), params):
        row_for(record)["eligible_by" if record.eligible else "maybe_by"][record.name] = record.n
    return list(rows.values())


def _refresh_days(conn: Connection, center_id: uuid.UUID, ordered: Sequence[date]) -> int:
    written = 0
    for start in range(0, len(ordered), DAYS_PER_PASS):
        part = ordered[start : start + DAYS_PER_PASS]
        conn.execute(delete(HqDay).where(HqDay.center_id == center_id, HqDay.day.in_(part)))
        rows = _rows(conn, center_id, part)
        if rows:
            conn.execute(insert(HqDay), rows)
        written += len(rows)
    return written


def refresh(bind: Session | Connection, center_id: uuid.UUID, days: Iterable[date]) -> int:
    """Recompute the center's rows of these local days from its events, then the rows of their
    months from the days; the day rows written."""
    conn = _connection(bind)
    ordered = sorted(set(days))
    written = _refresh_days(conn, center_id, ordered)
    refresh_months(conn, center_id, {day.replace(day=1) for day in ordered})
    return written


# hq_month from hq_day. Rows of a month are told apart by center and "who" (line and counselor as
# one JSONB value: NULL and "" stay different, and it joins by hash where a NULL column would not).
_MONTHS_FROM_DAYS = """
INSERT INTO hq_month (
    center_id, month, line, counselor_id, visits, visits_eligible, programs_eligible, programs_maybe,
    eligible_by, maybe_by, outcomes, tickets_issued, served, no_shows, transfers, wait_n, wait_sum_s,
    waits_s, service_n, service_sum_s, followups_due, followups_done
)
WITH d AS (
    SELECT h.*, date_trunc('month', h.day)::date AS month,
           jsonb_build_array(h.line, h.counselor_id) AS who
    FROM hq_day h WHERE {where}
), sums AS (
    SELECT d.center_id, d.month, d.who, d.line, d.counselor_id,
        sum(d.visits) AS visits, sum(d.visits_eligible) AS visits_eligible,
        sum(d.programs_eligible) AS programs_eligible, sum(d.programs_maybe) AS programs_maybe,
        sum(d.tickets_issued) AS tickets_issued, sum(d.served) AS served,
        sum(d.no_shows) AS no_shows, sum(d.transfers) AS transfers,
        sum(d.wait_n) AS wait_n, sum(d.wait_sum_s) AS wait_sum_s,
        sum(d.service_n) AS service_n, sum(d.service_sum_s) AS service_sum_s,
        sum(d.followups_due) AS followups_due, sum(d.followups_done) AS followups_done
    FROM d GROUP BY d.center_id, d.month, d.who, d.line, d.counselor_id
), waits AS (
    SELECT d.center_id, d.month, d.who, array_agg(w.s ORDER BY w.s) AS waits_s
    FROM d CROSS JOIN LATERAL unnest(d.waits_s) AS w(s)
    GROUP BY d.center_id, d.month, d.who
), counts AS (
    SELECT d.center_id, d.month, d.who, m.col, m.key, sum(m.value::bigint) AS n
    FROM d CROSS JOIN LATERAL (
        SELECT 'eligible_by' AS col, e.key, e.value FROM jsonb_each_text(d.eligible_by) e
        UNION ALL
        SELECT 'maybe_by', e.key, e.value FROM jsonb_each_text(d.maybe_by) e
        UNION ALL
        SELECT 'outcomes', e.key, e.value FROM jsonb_each_text(d.outcomes) e
    ) m
    GROUP BY d.center_id, d.month, d.who, m.col, m.key
), maps AS (
    SELECT c.center_id, c.month, c.who,
        jsonb_object_agg(c.key, c.n) FILTER (WHERE c.col = 'eligible_by') AS eligible_by,
        jsonb_object_agg(c.key, c.n) FILTER (WHERE c.col = 'maybe_by') AS maybe_by,
        jsonb_object_agg(c.key, c.n) FILTER (WHERE c.col = 'outcomes') AS outcomes
    FROM counts c GROUP BY c.center_id, c.month, c.who
)
SELECT s.center_id, s.month, s.line, s.counselor_id, s.visits, s.visits_eligible,
    s.programs_eligible, s.programs_maybe,
    coalesce(m.eligible_by, '{{}}'), coalesce(m.maybe_by, '{{}}'), coalesce(m.outcomes, '{{}}'),
    s.tickets_issued, s.served, s.no_shows, s.transfers, s.wait_n, s.wait_sum_s,
    coalesce(w.waits_s, '{{}}'), s.service_n, s.service_sum_s, s.followups_due, s.followups_done
FROM sums s
LEFT JOIN waits w ON w.center_id = s.center_id AND w.month = s.month AND w.who = s.who
LEFT JOIN maps m ON m.center_id = s.center_id AND m.month = s.month AND m.who = s.who
"""
_ONE_CENTERS_MONTHS = (
    "h.center_id = :center AND h.day >= :first AND h.day < :after "
    "AND date_trunc('month', h.day)::date = ANY(:months)"
)


def _next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def refresh_months(bind: Session | Connection, center_id: uuid.UUID, months: Iterable[date]) -> int:
    """Recompute the center's hq_month rows of these months (their first days) from hq_day; the rows
    written."""
    conn = _connection(bind)
    wanted = sorted({month.replace(day=1) for month in months})
    if not wanted:
        return 0
    conn.execute(delete(HqMonth).where(HqMonth.center_id == center_id, HqMonth.month.in_(wanted)))
    params = {"center": center_id, "months": wanted, "first": wanted[0], "after": _next_month(wanted[-1])}
    result = conn.execute(text(_MONTHS_FROM_DAYS.format(where=_ONE_CENTERS_MONTHS)), params)
    return int(result.rowcount or 0)


def rebuild_months(bind: Session | Connection) -> int:
    """hq_month of every center from hq_day, from scratch (after the migration that adds it)."""
    conn = _connection(bind)
    conn.execute(delete(HqMonth))
    return int(conn.execute(text(_MONTHS_FROM_DAYS.format(where="TRUE"))).rowcount or 0)


_ALL_DAYS = """
SELECT DISTINCT day FROM (
    SELECT (e.at AT TIME ZONE :zone)::date AS day FROM hq_event e
    WHERE e.center_id = :center AND e.type = 'visit.submitted'
    UNION
    SELECT ((e.data->>'issued_at')::timestamptz AT TIME ZONE :zone)::date FROM hq_event e
    WHERE e.center_id = :center AND e.type = 'ticket.issued'
    UNION
    SELECT (e.data->>'due_date')::date FROM hq_event e
    WHERE e.center_id = :center AND e.type = 'followup.planned'
) d WHERE day IS NOT NULL
"""


def rebuild(bind: Session | Connection) -> int:
    """Every center's every day, then every month, from scratch (after the migration, or to check the
    aggregate); the day rows written."""
    conn = _connection(bind)
    conn.execute(delete(HqDay))
    written = 0
    for center_id in conn.execute(select(HqCenter.id)).scalars():
        days = sorted(conn.execute(text(_ALL_DAYS), {"center": center_id, "zone": ZONE}).scalars())
        written += _refresh_days(conn, center_id, days)
    # Migration 0002 rebuilds hq_day before 0004 has made hq_month (0004 then fills it itself).
    if conn.execute(text("SELECT to_regclass('hq_month') IS NOT NULL")).scalar():
        rebuild_months(conn)
    return written
