"""The lobby outbox against a real hub that goes away and comes back: nothing lost, nothing twice."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

import db.models  # noqa: F401
from config import load_settings
from db.base import Base
from db.models import OutboxEntry, Ticket, TicketReservation, Visit
from db.session import make_engine, make_sessionmaker
from kiosk.api import VisitSubmission
from kiosk.client import EventStream, HubClient, HubUnavailable, LobbyOutbox
from kiosk.hub.app import create_app
from kiosk.hub.server import free_port, serve_in_thread
from tests.kiosk.hub.conftest import Hub
from tests.kiosk.hub.factories import submission
from tests.polling import wait_until


@pytest.fixture
def local_sessions(tmp_path: Path):  # the lobby's own database
    engine = make_engine(f"sqlite:///{tmp_path / 'lobby.db'}")
    Base.metadata.create_all(engine)
    yield make_sessionmaker(engine)
    engine.dispose()


def test_offline_visits_and_tickets_sync_once(hub_sqlite: Hub, local_sessions) -> None:
    port = free_port()
    app = create_app(load_settings(), hub_sqlite.sessions, hub_sqlite.keys)
    server = serve_in_thread(app, port=port)
    _, token = hub_sqlite.enroll("lobby")
    client = HubClient(server.url, token, timeout_s=2)
    outbox = LobbyOutbox(local_sessions, client, lines=("A", "B"), reserve_per_line=2)
    assert outbox.replenish() == 4

    online_visit = VisitSubmission.model_validate(submission(1))
    assert outbox.submit_visit(online_visit)
    online_ticket = outbox.take_ticket(online_visit.visit_id, "B")
    assert not online_ticket.offline

    server.stop()  # the hub goes away
    with pytest.raises(HubUnavailable):
        client.queue()
    offline = [VisitSubmission.model_validate(submission(i)) for i in (2, 3, 4)]
    tickets = []
    for visit in offline[:2]:
        assert not outbox.submit_visit(visit)
        tickets.append(outbox.take_ticket(visit.visit_id, "B"))
    assert all(t.offline for t in tickets)
    numbers = [online_ticket.number, *(t.number for t in tickets)]
    assert len(set(numbers)) == 3
    # A third offline person on line B: no reserved number left, and none is invented.
    assert not outbox.submit_visit(offline[2])
    with pytest.raises(HubUnavailable):
        outbox.take_ticket(offline[2].visit_id, "B")
    assert outbox.pending_count() == 5  # three visits + two claims
    with local_sessions() as s:
        used = s.scalars(
            select(TicketReservation).where(TicketReservation.used_by_visit_id.is_not(None))
        ).all()
        assert {r.used_by_visit_id for r in used} == {str(v.visit_id) for v in offline[:2]}

    server = serve_in_thread(app, port=port)  # the hub is back on the same address
    try:
        with local_sessions() as s:  # what a crash between send and mark would leave: all still to send
            unsent = {e.id: e.payload_enc for e in s.scalars(select(OutboxEntry)).all()}
        assert outbox.flush() == 5
        assert outbox.flush() == 0  # nothing left, nothing sent twice
        # Replaying everything again (as after a crash between send and mark) changes nothing at the hub.
        with local_sessions() as s:
            for entry in s.scalars(select(OutboxEntry)).all():
                entry.status, entry.payload_enc = "pending", unsent[entry.id]
            s.commit()
        assert outbox.flush() == 5
        with hub_sqlite.sessions() as s:
            assert s.scalar(select(func.count()).select_from(Visit)) == 4
            waiting = s.scalars(select(Ticket).where(Ticket.line == "B", Ticket.status == "waiting")).all()
            assert sorted(t.number for t in waiting) == sorted(numbers)
            assert {str(t.visit_id) for t in waiting} == {str(online_visit.visit_id)} | {
                str(v.visit_id) for v in offline[:2]
            }
            all_b = s.scalars(select(Ticket.number).where(Ticket.line == "B")).all()
            assert len(all_b) == len(set(all_b))
        # The person without a number gets one as soon as the hub is reachable.
        late = outbox.take_ticket(offline[2].visit_id, "B")
        assert not late.offline and late.number not in numbers
    finally:
        server.stop()
        client.close()


def test_event_stream_reconnects_by_itself(hub_sqlite: Hub) -> None:
    port = free_port()
    app = create_app(load_settings(), hub_sqlite.sessions, hub_sqlite.keys)
    server = serve_in_thread(app, port=port)
    counselor_token = hub_sqlite.login("kim")["Authorization"].split()[1]
    _, lobby_token = hub_sqlite.enroll("lobby")
    lobby = HubClient(server.url, lobby_token)
    events: list[dict[str, object]] = []
    stream = EventStream(HubClient(server.url).ws_url, counselor_token, max_backoff_s=0.5)
    stream.subscribe(events.append)
    stream.start()
    try:
        wait_until(
            stream.connected.is_set,
            30.0,
            message=lambda: f"the event stream did not connect: {stream.last_error}",
        )
        lobby.report_step("consent", "동의")
        wait_until(lambda: any(e.get("type") == "lobby.step" for e in events), 15.0, message="no lobby.step")
        server.stop()
        wait_until(lambda: not stream.connected.is_set(), 15.0, message="the stream missed the hub going")
        server = serve_in_thread(app, port=port)
        wait_until(stream.connected.is_set, 15.0, message="the event stream did not reconnect")
        lobby.report_step("needs", "질문", needs_help=True)
        wait_until(lambda: any(e.get("type") == "lobby.help" for e in events), 15.0, message="no lobby.help")
    finally:
        stream.stop()
        server.stop()
        lobby.close()


def test_unreachable_hub_is_hub_unavailable() -> None:
    client = HubClient(f"http://127.0.0.1:{free_port()}", "d_x", timeout_s=1)
    with pytest.raises(HubUnavailable):
        client.submit_visit(VisitSubmission(visit_id=uuid.uuid4()))
