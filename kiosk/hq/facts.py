"""The facts behind every figure, as SQL over hq_event: one row per ticket, visit and follow-up.

Both the figures straight from events (stats.statistics(source="events")) and the per-day aggregate
(aggregate.refresh) group these same rows, so the two cannot drift apart in what they count.

Each text is a WITH … ending in a CTE named ``f`` with the columns center_id, day, line, counselor_id
and the fact's own columns. ``{center}`` narrows to one center (``AND e.center_id = :center``) and
``{days}`` to a list of local days (``AND <day> = ANY(:days)``); both may be empty. Parameters: :zone,
:lo, :hi (the local period's instants), :lo_padded, :hi_padded (a day more each side), :start, :end
(local days), :start_text, :end_text (the same as ISO text, for the due-date index).
"""

from __future__ import annotations

TICKETS = """
WITH issued AS (
    SELECT e.center_id, e.data->>'ticket_id' AS ticket_id, e.data->>'line' AS line,
           (e.data->>'issued_at')::timestamptz AS issued_at
    FROM hq_event e
    WHERE e.type = 'ticket.issued' AND e.at >= :lo_padded AND e.at < :hi_padded {center}
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
           EXTRACT(EPOCH FROM l.first_called - i.issued_at)::float8 AS wait_s,
           EXTRACT(EPOCH FROM l.done_at - l.last_called)::float8 AS service_s,
           coalesce(l.served, false) AS served,
           coalesce(l.no_show, false) AS no_show,
           coalesce(l.transferred, false) AS transferred
    FROM issued i LEFT JOIN later l ON l.center_id = i.center_id AND l.ticket_id = i.ticket_id
    WHERE (i.issued_at AT TIME ZONE :zone)::date BETWEEN :start AND :end
          {days_of_issue}
)
"""

# A visit's counselor and outcome are those of its latest case.outcome.
VISITS = """
WITH v AS (
    SELECT e.center_id, e.data->>'visit_id' AS visit_id, e.data->>'line' AS line,
           (e.at AT TIME ZONE :zone)::date AS day,
           coalesce(e.data->'programs_eligible', '[]'::jsonb) AS eligible,
           coalesce(e.data->'programs_maybe', '[]'::jsonb) AS maybe
    FROM hq_event e
    WHERE e.type = 'visit.submitted' AND e.at >= :lo AND e.at < :hi {center} {days_of_at}
), outcome AS (
    SELECT DISTINCT ON (e.center_id, e.data->>'visit_id')
           e.center_id, e.data->>'visit_id' AS visit_id, e.data->>'counselor_id' AS counselor_id,
           e.data->>'outcome' AS outcome
    FROM hq_event e
    JOIN v ON v.center_id = e.center_id AND v.visit_id = e.data->>'visit_id'
    WHERE e.type = 'case.outcome'
    ORDER BY e.center_id, e.data->>'visit_id', e.seq DESC
), f AS (
    SELECT v.center_id, v.day, v.line, o.counselor_id, o.outcome, v.eligible, v.maybe
    FROM v LEFT JOIN outcome o ON o.center_id = v.center_id AND o.visit_id = v.visit_id
)
"""

# A follow-up belongs to its due day, and to its visit's line and counselor (as the visit does).
FOLLOWUPS = """
WITH p AS (
    SELECT e.center_id, e.data->>'follow_up_id' AS follow_up_id, e.data->>'visit_id' AS visit_id,
           (e.data->>'due_date')::date AS day
    FROM hq_event e
    WHERE e.type = 'followup.planned' AND e.data->>'due_date' BETWEEN :start_text AND :end_text {center}
), f AS (
    SELECT p.center_id, p.day,
           (SELECT s.data->>'line' FROM hq_event s
            WHERE s.center_id = p.center_id AND s.type = 'visit.submitted'
              AND s.data->>'visit_id' = p.visit_id
            ORDER BY s.seq DESC LIMIT 1) AS line,
           (SELECT o.data->>'counselor_id' FROM hq_event o
            WHERE o.center_id = p.center_id AND o.type = 'case.outcome'
              AND o.data->>'visit_id' = p.visit_id
            ORDER BY o.seq DESC LIMIT 1) AS counselor_id,
           EXISTS (SELECT 1 FROM hq_event d
                   WHERE d.center_id = p.center_id AND d.type = 'followup.done'
                     AND d.data->>'follow_up_id' = p.follow_up_id) AS done
    FROM p
    WHERE TRUE {days_of_due}
)
"""

# Appended to VISITS: one row per (visit, program, verdict), as a CTE vp beside f.
PROGRAM_ROWS = """
, vp AS (
    SELECT f.center_id, f.day, f.line, f.counselor_id, p.program, p.eligible
    FROM f CROSS JOIN LATERAL (
        SELECT value AS program, true AS eligible FROM jsonb_array_elements_text(f.eligible)
        UNION ALL
        SELECT value AS program, false AS eligible FROM jsonb_array_elements_text(f.maybe)
    ) p
)
"""


def scoped(sql: str, one_center: bool, some_days: bool) -> str:
    """sql with its {center} and {days_…} holes filled for the whole table or one center's days."""
    return sql.format(
        center="AND e.center_id = :center" if one_center else "",
        days_of_issue="AND (i.issued_at AT TIME ZONE :zone)::date = ANY(:days)" if some_days else "",
        days_of_at="AND (e.at AT TIME ZONE :zone)::date = ANY(:days)" if some_days else "",
        days_of_due="AND p.day = ANY(:days)" if some_days else "",
    )
