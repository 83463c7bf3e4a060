"""The pusher against HQ's own service (kiosk.hq on PostgreSQL), fed by a hub's real hooks: HQ holds every
event and audit row once, and its verify finds the chain and the signed head OK.

The fake HQ (fake_hq.py) is what the pusher's behaviour is tested against; this is the meeting of the
two halves of the contract."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, func, select

from db.models import AuditEvent, SyncEvent
from db.session import make_engine
from kiosk.hq_sync.keys import CenterKey
from kiosk.hq_sync.pusher import HqClient, SyncPusher
from kiosk.hub.server import serve_in_thread
from tests.kiosk.hub.conftest import Hub, make_hub
from tests.kiosk.hub.factories import submission

pytestmark = pytest.mark.postgres


@pytest.fixture
def hq_engine(postgres_url: str) -> Iterator[Engine]:
    from kiosk.hq.migrate import upgrade

    engine = make_engine(postgres_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def hub(sqlite_engine: Engine) -> Iterator[Hub]:
    yield from make_hub(sqlite_engine)


def test_a_hubs_events_reach_hq_once_and_verify(hub: Hub, hq_engine: Engine) -> None:
    from sqlalchemy.orm import sessionmaker

    from kiosk.hq.app import create_app
    from kiosk.hq.centers import add_center
    from kiosk.hq.models import HqAudit, HqEvent
    from kiosk.hq.verify import verify_all

    key = CenterKey(Ed25519PrivateKey.generate())
    hq_sessions = sessionmaker(hq_engine, expire_on_commit=False)
    with hq_sessions() as session:
        add_center(session, "seoul-central", "서울중앙", key.public_pem)
        session.commit()
    lobby, _ = hub.enroll("lobby")
    counselor = hub.login("kim")
    for seed in (1, 2):
        visit_id = hub.http.post("/visits", json=submission(seed), headers=lobby).json()["visit_id"]
        body = {"line": "B", "visit_id": visit_id}
        hub.http.post("/tickets", json=body, headers={**lobby, "Idempotency-Key": f"real-hq-{seed}"})
    called = hub.http.post("/queue/B/call-next", json={"desk": "3"}, headers=counselor).json()
    hub.http.post(f"/tickets/{called['id']}/done", headers=counselor)

    running = serve_in_thread(create_app(hq_engine))
    try:
        client = HqClient(running.url, "seoul-central", key, timeout_s=5.0)
        pusher = SyncPusher(hub.sessions, hub.center_id, "seoul-central", client, batch_events=3)
        report = pusher.push_until_caught_up()
        again = pusher.push_until_caught_up()
        client.close()
    finally:
        running.stop()
    with hub.sessions() as s:
        events = s.scalar(
            select(func.count()).select_from(SyncEvent).where(SyncEvent.center_id == hub.center_id)
        )
        audit = s.scalar(select(func.count()).select_from(AuditEvent))
    assert events and audit
    assert (report.events_acked, report.audit_acked) == (events, audit)
    assert (again.events_sent, again.audit_sent) == (0, 0)
    with hq_sessions() as session:
        assert session.scalar(select(func.count()).select_from(HqEvent)) == events
        assert session.scalar(select(func.count()).select_from(HqAudit)) == audit
        [verdict] = verify_all(session)
    assert verdict.ok, verdict.line()
    assert verdict.signed_seq == audit
