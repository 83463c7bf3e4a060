"""HQ statistics, computed in PostgreSQL from hq_event (Qmatic's model: every event has its center,
line, counselor and time).

Definitions (the same words the report prints):
- a ticket belongs to the day, in the center's time zone, it was issued (ticket.issued issued_at);
  its line is the line it was issued on; its counselor is the one of its last call;
- tickets issued / served (it has a ticket.done) / no-shows / transfers (it has such an event);
- wait = first call − issue (mean, median, p90 = percentile_cont); service = done − last call;
- waits over target = share of called tickets whose wait exceeded the target minutes;
- a visit (visit.submitted) belongs to its local day and its line; its counselor is the one of its
  latest case.outcome (a visit no counselor recorded counts under no counselor).
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

from kiosk.hq.models import HqCenter

DEFAULT_ZONE = "Asia/Seoul"
DEFAULT_TARGET_MINUTES = 30
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


_TICKETS = """
WITH issued AS (
    SELECT e.center_id, e.data->>'ticket_id' AS ticket_id, e.data->>'line' AS line,
           (e.data->>'issued_at')::timestamptz AS issued_at
    FROM hq_event e
    WHERE e.type = 'ticket.issued' AND e.at >= :lo_padded AND e.at < :hi_padded
), later AS (
    SELECT e.center_id, e.data->>'ticket_id' AS ticket_id,
        min((e.data->>'called_at')::timestamptz) FILTER (WHERE e.type = 'ticket.called') AS first_called,
        (array_agg((e.data->>'called_at')::timestamptz ORDER BY e.seq DESC)
            FILTER (WHERE e.type = 'ticket.called'))[1] AS last_called,
        (array_agg(e.data->>'counselor_id' ORDER BY e.seq DESC)
            FILTER (WHERE e.type = 'ticket.called'))[1] AS counselor_id,
        min((e.data->>'done_at')::timestamptz) FILTER (WHERE e.type = 'ticket.done') AS done_at,
        bool_or(e.type = 'ticket.done') AS served,
        bool_or(e.type = 'ticket.no_show') AS no_show,
        bool_or(e.type = 'ticket.transferred') AS transferred
    FROM hq_event e
    JOIN issued i ON i.center_id = e.center_id AND i.ticket_id = e.data->>'ticket_id'
    WHERE e.type IN ('ticket.called', 'ticket.done', 'ticket.no_show', 'ticket.transferred')
    GROUP BY e.center_id, e.data->>'ticket_id'
), f AS (
    SELECT i.center_id, i.line, l.counselor_id,
           (i.issued_at AT TIME ZONE :zone)::date AS day,
           EXTRACT(EPOCH FROM l.first_called - i.issued_at) AS wait_s,
           EXTRACT(EPOCH FROM l.done_at - l.last_called) AS service_s,
           coalesce(l.served, false) AS served,
           coalesce(l.no_show, false) AS no_show,
           coalesce(l.transferred, false) AS transferred
    FROM issued i LEFT JOIN later l ON l.center_id = i.center_id AND l.ticket_id = i.ticket_id
    WHERE (i.issued_at AT TIME ZONE :zone)::date BETWEEN :start AND :end
)
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

_VISITS = """
WITH f0 AS (
    SELECT e.center_id, e.data->>'visit_id' AS visit_id, e.data->>'line' AS line,
           (e.at AT TIME ZONE :zone)::date AS day
    FROM hq_event e
    WHERE e.type = 'visit.submitted' AND e.at >= :lo AND e.at < :hi
), outcome AS (
    SELECT DISTINCT ON (e.center_id, e.data->>'visit_id')
           e.center_id, e.data->>'visit_id' AS visit_id, e.data->>'counselor_id' AS counselor_id
    FROM hq_event e
    JOIN f0 ON f0.center_id = e.center_id AND f0.visit_id = e.data->>'visit_id'
    WHERE e.type = 'case.outcome'
    ORDER BY e.center_id, e.data->>'visit_id', e.seq DESC
), f AS (
    SELECT f0.*, o.counselor_id
    FROM f0 LEFT JOIN outcome o ON o.center_id = f0.center_id AND o.visit_id = f0.visit_id
)
SELECT {keys}, count(*) AS visits
FROM f
GROUP BY {group}
"""


def _minutes(seconds: Any) -> float | None:
    return None if seconds is None else float(seconds) / 60.0


def _local_start(day: date, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def statistics(
    session: Session,
    start: date,
    end: date,
    by: Sequence[str] = (),
    target_minutes: float = DEFAULT_TARGET_MINUTES,
    zone: str = DEFAULT_ZONE,
) -> list[StatsRow]:
    """One row per center (and per each grouping in by) for local days start..end inclusive."""
    if end < start:
        raise ValueError("the period ends before it starts")
    keys = _keys(by)
    tz = ZoneInfo(zone)
    lo, hi = _local_start(start, tz), _local_start(end + timedelta(days=1), tz)
    params = {
        "zone": zone,
        "start": start,
        "end": end,
        "lo": lo,
        "hi": hi,
        # An issue event is written with the ticket; a day's margin keeps any clock skew inside.
        "lo_padded": lo - timedelta(days=1),
        "hi_padded": hi + timedelta(days=1),
        "target_s": float(target_minutes) * 60.0,
    }
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

    for record in session.execute(text(_TICKETS.format(keys=select_keys, group=group)), params):
        row = row_for(record)
        row.tickets_issued, row.served = record.tickets_issued, record.served
        row.no_shows, row.transfers = record.no_shows, record.transfers
        row.wait_mean_min, row.wait_median_min = _minutes(record.wait_mean), _minutes(record.wait_median)
        row.wait_p90_min, row.service_mean_min = _minutes(record.wait_p90), _minutes(record.service_mean)
        row.waits_over_target = record.over_target
    for record in session.execute(text(_VISITS.format(keys=select_keys, group=group)), params):
        row_for(record).visits = record.visits
    centers = {c.id: c for c in session.scalars(select(HqCenter))}
    for row in rows.values():
        center = centers.get(row.center_id)
        if center is not None:
            row.center, row.center_name = center.code, center.name
    return sorted(
        rows.values(),
        key=lambda r: (r.center, r.counselor or "", r.line or "", r.period or date.min),
    )
