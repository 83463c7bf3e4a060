"""Two centers' synced events for the dashboard tests (TestClient, Chromium and the PDF alike).

서울중앙 (C001): counselor 김 serves three tickets on line A (waits 5, 12, 40 min), counselor 이 one
on line B (wait 25) plus a no-show; four visits, three with an outcome. 수원 (C002): one ticket
(wait 8) and one visit. All on Monday 2026-11-02 (Seoul), sent through the real sync endpoint.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from kiosk.hq.accounts import add_account
from tests.kiosk.hq.signer import T0, FakeCenter, iso

KIM = "11111111-1111-4111-8111-111111111111"
LEE = "22222222-2222-4222-8222-222222222222"
DAY = "2026-11-02"
PASSWORD = "correct horse battery"


def send(client: TestClient, center: FakeCenter) -> None:
    body = center.body()
    response = client.post("/sync/v1/batches", content=body, headers=center.headers(body))
    assert response.status_code == 200, response.text


def visit(center: FakeCenter, minutes: int, counselor: str | None, outcome: str | None) -> None:
    at = T0 + timedelta(minutes=minutes)
    visit_id = str(uuid.uuid4())
    center.event(
        "visit.submitted",
        at,
        visit_id=visit_id,
        path="walk_in",
        line="A",
        programs_eligible=[],
        programs_maybe=[],
    )
    if counselor and outcome:
        center.event(
            "case.outcome",
            at + timedelta(minutes=30),
            visit_id=visit_id,
            counselor_id=counselor,
            outcome=outcome,
        )


def fill(seoul: FakeCenter, suwon: FakeCenter) -> None:
    for minutes, wait in ((0, 5), (10, 12), (20, 40)):
        seoul.ticket(T0 + timedelta(minutes=minutes), line="A", counselor=KIM, wait_min=wait)
    seoul.ticket(T0 + timedelta(minutes=30), line="B", counselor=LEE, wait_min=25)
    ticket_id = str(uuid.uuid4())
    seoul.event(
        "ticket.issued",
        T0,
        ticket_id=ticket_id,
        line="B",
        display="B009",
        service_date=DAY,
        issued_at=iso(T0),
    )
    seoul.event("ticket.no_show", T0 + timedelta(minutes=50), ticket_id=ticket_id)
    visit(seoul, 0, KIM, "debt_adjustment_applied")
    visit(seoul, 5, KIM, "welfare_referral")
    visit(seoul, 10, LEE, "debt_adjustment_applied")
    visit(seoul, 15, None, None)
    suwon.ticket(T0, line="A", counselor=str(uuid.uuid4()), wait_min=8)
    visit(suwon, 0, None, None)


def accounts(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        add_account(session, "analyst", PASSWORD, "analyst")
        add_account(session, "admin", PASSWORD, "admin")


def login(client: TestClient, username: str, password: str = PASSWORD) -> None:
    response = client.post(
        "/dashboard/login",
        content=f"username={username}&password={password}".encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
