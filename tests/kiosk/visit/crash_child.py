"""Child process for the crash tests: walk a visit to a step, say so, then wait to be SIGKILLed.

argv: DB_URL STEPS [mid]  — complete STEPS steps after welcome; with "mid", start the next step and
block inside its commit (the transaction is written but not committed) until killed.
"""

from __future__ import annotations

import sys

from sqlalchemy import event
from sqlalchemy.orm import Session

from db.session import make_engine, make_sessionmaker
from kiosk.visit import VisitService
from tests.kiosk.visit.walk import advance


def main() -> None:
    url, steps = sys.argv[1], int(sys.argv[2])
    mid = len(sys.argv) > 3 and sys.argv[3] == "mid"
    sessions = make_sessionmaker(make_engine(url))
    service = VisitService(sessions, center_code="seoul-central")
    flow = service.start("consult", "ko")
    for _ in range(steps):
        advance(flow)
    print(f"VISIT {flow.visit_id} {flow.step}", flush=True)
    if mid:

        @event.listens_for(Session, "before_commit")
        def hang(session: Session) -> None:
            # Only the step's own commit (it adds rows; the ticket is a Core INSERT), not draft saves.
            if session.new or flow.step == "ticket":
                print("IN_COMMIT", flush=True)
                sys.stdin.readline()  # killed here, with the step's rows flushed but not committed

        advance(flow)
        print("NOT_REACHED", flush=True)
    sys.stdin.readline()


if __name__ == "__main__":
    main()
