"""The few queries the dashboard and the PDF need beyond kiosk.hq.stats: waits in bands, outcomes per
period, and the devices' health reports. Same definitions as stats.py (a ticket's day is its local
issue day; wait = first call − issue; a visit's outcome is its latest case.outcome).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from config import clock
from kiosk.hq.models import HqCenter, HqEvent
from kiosk.hq.stats import DEFAULT_ZONE, PERIODS

# Upper bounds in minutes of each band; the last band is "60 minutes or more".
WAIT_BANDS = (10, 20, 30, 45, 60)
WAIT_BAND_LABELS = ("0–10분", "10–20분", "20–30분", "30–45분", "45–60분", "60분 이상")
HEALTH_LOOKBACK = timedelta(days=14)

_PERIOD_SQL = {
    "day": "day",
    "week": "date_trunc('week', day)::date",
    "month": "date_trunc('month', day)::date",
}


def _bounds(start: date, end: date, zone: str) -> dict[str, Any]:
    tz = clock.named_zone(zone)
    lo = datetime(start.year, start.month, start.day, tzinfo=tz)
    hi = datetime(end.year, end.month, end.day, tzinfo=tz) + timedelta(days=1)
    return {"zone": zone, "start": start, "end": end, "lo": lo, "hi": hi}


def centers(session: Session) -> list[HqCenter]:
    return list(session.scalars(select(HqCenter).order_by(HqCenter.code)))


_WAITS = """
WITH issued AS (
    SELECT e.center_id, e.data->>'ticket_id' AS ticket_id, (e.data->>'issued_at')::timestamptz AS issued_at
    FROM hq_event e
    WHERE e.type = 'ticket.issued' AND e.at >= :lo - interval '1 day' AND e.at < :hi + interval '1 day'
), waits AS (
    SELECT i.center_id,
           EXTRACT(EPOCH FROM min((c.data->>'called_at')::timestamptz) - i.issued_at) / 60.0 AS wait_min
    FROM issued i
    JOIN hq_event c ON c.center_id = i.center_id AND c.type = 'ticket.called'
                   AND c.data->>'ticket_id' = i.ticket_id
    WHERE (i.issued_at AT TIME ZONE :zone)::date BETWEEN :start AND :end
    GROUP BY i.center_id, i.ticket_id, i.issued_at
)
SELECT center_id, width_bucket(wait_min, CAST(:bands AS float8[])) AS band, count(*) AS n
FROM waits GROUP BY center_id, band
"""


def wait_bands(
    session: Session, start: date, end: date, zone: str = DEFAULT_ZONE
) -> dict[uuid.UUID, list[int]]:
    """Per center, how many called tickets waited in each band of WAIT_BANDS (len(WAIT_BANDS)+1)."""
    params = {**_bounds(start, end, zone), "bands": [0.0, *map(float, WAIT_BANDS)]}
    out: dict[uuid.UUID, list[int]] = {}
    for record in session.execute(text(_WAITS), params):
        counts = out.setdefault(record.center_id, [0] * (len(WAIT_BANDS) + 1))
        # width_bucket: 1 for [0,10), …, len(bands) for ≥ 60; 0 only for a negative wait (clock skew).
        counts[max(0, record.band - 1)] += record.n
    return out


_OUTCOMES = """
WITH visits AS (
    SELECT e.center_id, e.data->>'visit_id' AS visit_id, (e.at AT TIME ZONE :zone)::date AS day
    FROM hq_event e
    WHERE e.type = 'visit.submitted' AND e.at >= :lo AND e.at < :hi
), outcome AS (
    SELECT DISTINCT ON (e.center_id, e.data->>'visit_id')
           e.center_id, e.data->>'visit_id' AS visit_id, coalesce(e.data->>'outcome', '') AS outcome
    FROM hq_event e
    JOIN visits v ON v.center_id = e.center_id AND v.visit_id = e.data->>'visit_id'
    WHERE e.type = 'case.outcome'
    ORDER BY e.center_id, e.data->>'visit_id', e.seq DESC
)
SELECT {period} AS period, o.outcome, count(*) AS n
FROM visits v JOIN outcome o ON o.center_id = v.center_id AND o.visit_id = v.visit_id
{where}
GROUP BY 1, 2 ORDER BY 1, 2
"""


@dataclass(frozen=True)
class OutcomeCount:
    period: date
    outcome: str
    visits: int


def outcomes_by_period(
    session: Session,
    start: date,
    end: date,
    period: str = "week",
    center_id: uuid.UUID | None = None,
    zone: str = DEFAULT_ZONE,
) -> list[OutcomeCount]:
    """Visits of the period by their recorded outcome, per day/week/month (visits without one left out)."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}")
    params = {**_bounds(start, end, zone), "center_id": center_id}
    where = "WHERE v.center_id = :center_id" if center_id is not None else ""
    sql = _OUTCOMES.format(period=_PERIOD_SQL[period], where=where)
    return [OutcomeCount(r.period, r.outcome[:60], r.n) for r in session.execute(text(sql), params)]


def health_reports(session: Session, now: datetime) -> list[tuple[uuid.UUID, datetime, dict[str, Any]]]:
    """The device.health events of the last two weeks, per center in the order the center wrote them."""
    rows = session.execute(
        select(HqEvent.center_id, HqEvent.at, HqEvent.data)
        .where(HqEvent.type == "device.health", HqEvent.at >= now - HEALTH_LOOKBACK)
        .order_by(HqEvent.center_id, HqEvent.seq)
    )
    return [(r.center_id, r.at, r.data) for r in rows]
