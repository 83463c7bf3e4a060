"""Kill the kiosk process (SIGKILL) between steps and inside a step's commit; reopen and continue."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from db.models import Intake, MatchResult, Ticket, Visit
from db.session import make_sessionmaker
from kiosk.visit import VisitService
from tests.kiosk.visit.walk import advance

ROOT = Path(__file__).resolve().parents[3]
# Step reached after completing n steps beyond welcome.
AFTER = ["identify", "consent", "needs", "results", "ticket"]


def _run_child(db_url: str, steps: int, mid: bool) -> tuple[uuid.UUID, str]:
    args = [sys.executable, "-m", "tests.kiosk.visit.crash_child", db_url, str(steps)]
    args += ["mid"] if mid else []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        args, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()  # blocks until the child reports (or dies)
        assert line.startswith("VISIT "), line
        _, visit_id, step = line.split()
        if mid:
            assert child.stdout.readline().strip() == "IN_COMMIT"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        assert child.returncode == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return uuid.UUID(visit_id), step


@pytest.mark.parametrize("steps", range(len(AFTER)))
def test_killed_between_steps_resumes_at_last_completed_step(engine: Engine, db_url: str, steps: int):
    visit_id, reported = _run_child(db_url, steps, mid=False)
    assert reported == AFTER[steps]
    service = VisitService(make_sessionmaker(engine), center_code="seoul-central")
    flow = service.resume(visit_id)
    assert flow.step == AFTER[steps]
    if flow.step == "needs":
        assert flow.next_question() is not None and flow.next_question().id == "purpose"
    while flow.step != "done":
        advance(flow)
    with make_sessionmaker(engine)() as s:
        visit = s.get(Visit, visit_id)
        assert visit is not None and visit.status == "completed"
        assert s.scalar(select(func.count()).select_from(Intake).where(Intake.visit_id == visit_id)) == 1
        assert (
            s.scalar(select(func.count()).select_from(MatchResult).where(MatchResult.visit_id == visit_id))
            == 1
        )
        assert s.scalar(select(func.count()).select_from(Ticket).where(Ticket.visit_id == visit_id)) == 1


@pytest.mark.parametrize("steps", [0, 1, 2, 3, 4])
def test_killed_inside_a_step_commit_leaves_nothing_half_written(engine: Engine, db_url: str, steps: int):
    visit_id, before = _run_child(db_url, steps, mid=True)
    sessions = make_sessionmaker(engine)
    service = VisitService(sessions, center_code="seoul-central")
    flow = service.resume(visit_id)
    assert flow.step == before  # the interrupted step did not happen at all
    with sessions() as s:
        intakes = s.scalar(select(func.count()).select_from(Intake).where(Intake.visit_id == visit_id))
        tickets = s.scalar(select(func.count()).select_from(Ticket).where(Ticket.visit_id == visit_id))
    assert intakes == (1 if AFTER.index(before) > AFTER.index("needs") else 0)
    assert tickets == 0
    while flow.step != "done":
        advance(flow)


def test_stale_interrupted_visits_are_abandoned(engine: Engine, db_url: str):
    visit_id, _ = _run_child(db_url, 2, mid=False)
    from datetime import timedelta

    from db.base import utcnow

    later = VisitService(
        make_sessionmaker(engine), center_code="seoul-central", clock=lambda: utcnow() + timedelta(hours=2)
    )
    outcome = {v.visit_id: v for v in later.resume_or_abandon_interrupted(timedelta(minutes=30))}
    assert outcome[visit_id].outcome == "abandoned"
    with make_sessionmaker(engine)() as s:
        visit = s.get(Visit, visit_id)
        assert visit is not None and visit.status == "abandoned" and visit.state.get("draft") is None
