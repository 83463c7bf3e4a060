"""The pusher against a real HTTP HQ (tests/kiosk/hq_sync/fake_hq.py): caught up, resumed after HQ's restart
or loss, never skipping or doubling an event; HQ's refusals and outages noted and retried."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from db import sync_log
from db.audit import append_event
from db.models import Center, SyncCursor, SyncEvent
from db.session import make_sessionmaker
from kiosk.hq_sync.batch import build_batch
from kiosk.hq_sync.keys import CenterKey
from kiosk.hq_sync.pusher import HqClient, HqRefused, HqUnreachable, SyncPusher
from tests.kiosk.hq_sync.fake_hq import FakeHq, HqStore
from tests.polling import wait_until


@dataclass
class Center_:
    sessions: sessionmaker[Session]
    center_id: uuid.UUID
    key: CenterKey
    hq: FakeHq
    written: int = 0

    def write(self, n: int) -> None:
        """``n`` changes, each its own transaction with one sync event and one audit event."""
        for _ in range(n):
            self.written += 1
            with self.sessions() as session:
                sync_log.record(
                    session, self.center_id, "ticket.cancelled", {"ticket_id": f"t-{self.written}"}
                )
                append_event(session, "desk:1", "ticket.cancel", f"ticket:t-{self.written}")
                session.commit()

    def pusher(self, **options: float) -> SyncPusher:
        client = HqClient(self.hq.url, "seoul-central", self.key, timeout_s=2.0)
        return SyncPusher(self.sessions, self.center_id, "seoul-central", client, batch_events=7, **options)

    def local(self) -> list[dict[str, object]]:
        with self.sessions() as session:
            rows = session.scalars(
                select(SyncEvent).where(SyncEvent.center_id == self.center_id).order_by(SyncEvent.seq)
            )
            return [{"seq": e.seq, "ticket_id": e.data["ticket_id"]} for e in rows]

    def at_hq(self) -> list[dict[str, object]]:
        events = self.hq.store.events
        return [{"seq": seq, "ticket_id": events[seq]["data"]["ticket_id"]} for seq in sorted(events)]

    def cursor(self) -> SyncCursor | None:
        with self.sessions() as session:
            return session.get(SyncCursor, self.center_id)


def _center(engine: Engine) -> Iterator[Center_]:
    sessions = make_sessionmaker(engine)
    with sessions() as session:
        center = Center(code="seoul-central", name_ko="서울중앙")
        session.add(center)
        session.commit()
        center_id = center.id
    key = CenterKey(Ed25519PrivateKey.generate())
    hq = FakeHq(HqStore("seoul-central", key.public_raw)).start()
    try:
        yield Center_(sessions, center_id, key, hq)
    finally:
        hq.stop()


@pytest.fixture
def center(sqlite_engine: Engine) -> Iterator[Center_]:
    yield from _center(sqlite_engine)


@pytest.fixture
def any_center(engine: Engine) -> Iterator[Center_]:
    yield from _center(engine)


def test_push_catches_up_in_batches_and_stores_hq_acks(any_center: Center_) -> None:
    center = any_center
    center.write(17)
    pusher = center.pusher()
    report = pusher.push_until_caught_up()
    assert (report.events_sent, report.events_acked, report.audit_sent, report.audit_acked) == (
        17,
        17,
        17,
        17,
    )
    assert report.batches == 3  # 7 + 7 + 3
    assert center.at_hq() == center.local()
    assert center.hq.store.stored_events == list(range(1, 18))
    cursor = center.cursor()
    assert cursor is not None and (cursor.events_acked, cursor.audit_acked) == (17, 17)
    assert cursor.last_ok_at is not None and cursor.last_error is None
    assert center.hq.store.heads[-1]["audit_seq"] == 17  # the head signed with the batch that carried it
    again = pusher.push_until_caught_up()
    assert (again.batches, again.events_sent) == (0, 0)
    pusher.client.close()


def test_resumes_from_hq_after_hq_restarts_and_after_hq_lost_rows(center: Center_) -> None:
    center.write(5)
    pusher = center.pusher()
    pusher.push_until_caught_up()
    center.hq.stop()
    center.write(4)
    with pytest.raises(HqUnreachable):
        pusher.push_until_caught_up()
    center.hq.start()  # same port, same store: HQ's process restarted
    assert pusher.push_until_caught_up().events_sent == 4
    # HQ restored from an older backup: it holds 1..3 only. Its cursor, not the hub's note, decides.
    store = center.hq.store
    for seq in range(4, 10):
        store.events.pop(seq)
    store.stored_events = [s for s in store.stored_events if s < 4]
    report = pusher.push_until_caught_up()
    assert report.events_sent == 6 and report.events_acked == 9
    assert center.at_hq() == center.local() and store.stored_events == list(range(1, 10))
    pusher.client.close()


def test_the_thread_backs_off_while_hq_is_down_and_catches_up_by_itself(center: Center_) -> None:
    pusher = center.pusher(interval_s=0.05, max_backoff_s=0.2).start()
    try:
        center.write(3)
        wait_until(lambda: len(center.hq.store.events) == 3, 10, message="first events at HQ")
        center.hq.stop()
        center.write(10)
        wait_until(lambda: pusher.failures >= 2, 10, message="failed passes while HQ is down")
        cursor = center.cursor()
        assert cursor is not None and cursor.last_error and "HqUnreachable" in cursor.last_error
        assert pusher.next_delay() <= 0.2
        center.hq.store.unavailable = 2  # and busy for a moment once it is back
        center.hq.start()
        wait_until(lambda: len(center.hq.store.events) == 13, 15, message="caught up after HQ came back")
        wait_until(lambda: (c := center.cursor()) is not None and c.last_error is None, 10)
    finally:
        pusher.close()
    assert center.at_hq() == center.local()
    assert center.hq.store.stored_events == list(range(1, 14))  # none twice, none skipped


def test_a_commit_wakes_the_pusher_before_its_interval(center: Center_) -> None:
    pusher = center.pusher(interval_s=60.0).start()
    try:
        wait_until(lambda: center.cursor() is not None, 10, message="the first pass")
        center.write(1)
        wait_until(lambda: len(center.hq.store.events) == 1, 10, message="woken by the commit")
    finally:
        pusher.close()


def test_hq_refuses_a_gap_and_stores_nothing(center: Center_) -> None:
    center.write(6)
    client = HqClient(center.hq.url, "seoul-central", center.key)
    with center.sessions() as session:
        batch = build_batch(
            session, center.center_id, "seoul-central", center.key, events_after=3, audit_after=0
        )
    with pytest.raises(HqRefused) as refused:
        client.send(batch)
    assert refused.value.status == 409 and refused.value.code == "SYNC_GAP" and refused.value.acks == (0, 0)
    assert center.hq.store.events == {} and center.hq.store.audit == {}
    client.close()


def test_a_key_hq_does_not_know_is_refused_and_noted(center: Center_) -> None:
    center.write(2)
    stranger = CenterKey(Ed25519PrivateKey.generate())
    client = HqClient(center.hq.url, "seoul-central", stranger, timeout_s=2.0)
    pusher = SyncPusher(center.sessions, center.center_id, "seoul-central", client)
    with pytest.raises(HqRefused) as refused:
        pusher.push_until_caught_up()
    assert refused.value.status == 401 and refused.value.code == "SYNC_BAD_SIGNATURE"
    pusher.note_error(refused.value)
    cursor = center.cursor()
    assert cursor is not None and "SYNC_BAD_SIGNATURE" in (cursor.last_error or "")
    assert center.hq.store.events == {}
    client.close()


def test_a_wrong_center_code_is_refused(center: Center_) -> None:
    client = HqClient(center.hq.url, "gwanak", center.key, timeout_s=2.0)
    with pytest.raises(HqRefused) as refused:
        client.cursor()
    assert refused.value.status == 403 and refused.value.code == "SYNC_UNKNOWN_CENTER"
    client.close()


def test_the_hub_starts_a_pusher_only_when_hq_url_is_set(
    sqlite_engine: Engine, isolated_data_dir: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from config import load_settings
    from kiosk.hq_sync.keys import create_key, key_path
    from kiosk.hq_sync.pusher import pusher_from_settings

    sessions = make_sessionmaker(sqlite_engine)
    assert pusher_from_settings(load_settings(), sessions) is None  # hq.url empty by default: no sync
    monkeypatch.setenv("KIOSK_HQ__URL", "https://hq.example.kr/")
    monkeypatch.setenv("KIOSK_HQ__BATCH_EVENTS", "250")
    settings = load_settings()
    create_key(key_path(settings))
    pusher = pusher_from_settings(settings, sessions)
    assert pusher is not None
    with sessions() as session:
        center = session.get(Center, pusher.center_id)
        assert center is not None and center.code == settings.app.center_code == pusher.center_code
    assert pusher.client.url == "https://hq.example.kr" and pusher.batch_events == 250
    pusher.client.close()


@pytest.mark.parametrize(
    ("key", "value"),
    [("URL", "ftp://hq"), ("BATCH_EVENTS", "0"), ("BATCH_EVENTS", "1001"), ("INTERVAL_SECONDS", "-1")],
)
def test_bad_hq_settings_are_named(monkeypatch: pytest.MonkeyPatch, key: str, value: str) -> None:
    from config import ConfigError, load_settings

    monkeypatch.setenv(f"KIOSK_HQ__{key}", value)
    with pytest.raises(ConfigError, match=key.lower()):
        load_settings()
