"""Erasing people at HQ: a center's `purge` event, and HQ's own retention (the centers' rule).

What HQ holds of a person is the national blind index (person_bi) on their visits' events, and the
contact sealed to HQ (person_sealed) beside it; the figures never need either. Erasing removes both
from the event's data and stamps purged_at, so counts stay
and a replay of the original row (which still carries it) is recognised as the same row and stored
nowhere (ingest compares a purged row without person_bi).

- A center's purge erases the person's events of that center only: another center keeps its own
  relationship with them under its own retention clock.
- ``retention_purge`` applies db.purge's rule and setting (privacy.retention_years, counted in whole
  days of the center's calendar): a visit whose last event (submission, outcome, follow-up plan: the
  types of models.VISIT_TYPES) is
  older than the cutoff loses its person_bi.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from config import clock
from db.purge import retention_cutoff

PERSON_KEY = "person_bi"
SEALED_KEY = "person_sealed"  # the contact sealed to HQ (kiosk.hq.sealed): erased with the blind index

_ERASE_REFS = """
UPDATE hq_event SET data = data - 'person_bi' - 'person_sealed', purged_at = :now
WHERE type = 'visit.submitted' AND center_id = :center AND data->>'person_bi' = ANY(:refs)
"""
_PURGE_EVENTS = """
SELECT e.data->'person_refs' AS refs FROM hq_event e
WHERE e.center_id = :center AND e.type = 'purge' AND e.seq BETWEEN :first AND :last
ORDER BY e.seq
"""
_EXPIRED = """
UPDATE hq_event v SET data = v.data - 'person_bi' - 'person_sealed', purged_at = :now
WHERE v.type = 'visit.submitted' AND v.data->>'person_bi' IS NOT NULL AND v.at < :cutoff
  AND NOT EXISTS (
      SELECT 1 FROM hq_event l
      WHERE l.center_id = v.center_id AND l.type IN ('visit.submitted', 'case.outcome', 'followup.planned')
        AND l.data->>'visit_id' = v.data->>'visit_id' AND l.at >= :cutoff
  )
"""


def erase_people(session: Session, center_id: uuid.UUID, refs: Sequence[str]) -> int:
    """Remove these blind indexes from the center's events; the events changed."""
    if not refs:
        return 0
    params = {"center": center_id, "refs": list(refs), "now": clock.now()}
    return session.connection().execute(text(_ERASE_REFS), params).rowcount or 0


def apply_purges(session: Session, center_id: uuid.UUID, first: int, last: int) -> int:
    """Carry out the purge events among the center's events first..last (stored in this transaction)."""
    conn = session.connection()
    refs: list[str] = []
    params = {"center": center_id, "first": first, "last": last}
    for value in conn.execute(text(_PURGE_EVENTS), params).scalars():
        refs.extend(str(ref) for ref in value or [])
    return erase_people(session, center_id, refs)


@dataclass(frozen=True)
class RetentionReport:
    cutoff: datetime
    retention_years: int
    visits_erased: int
    dry_run: bool


def retention_purge(
    session: Session, retention_years: int, now: datetime | None = None, dry_run: bool = False
) -> RetentionReport:
    """Erase the person refs of visits whose relationship ended before the cutoff; the caller commits."""
    cutoff = retention_cutoff(now or clock.now(), retention_years)
    conn = session.connection()
    savepoint = conn.begin_nested() if dry_run else None
    erased = conn.execute(text(_EXPIRED), {"cutoff": cutoff, "now": clock.now()}).rowcount or 0
    if savepoint is not None:
        savepoint.rollback()
    return RetentionReport(cutoff, retention_years, erased, dry_run)
