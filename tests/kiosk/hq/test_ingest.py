"""POST /sync/v1/batches and GET /sync/v1/cursor against the contract: stored once, refused whole."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.hq.app import create_app
from kiosk.hq.centers import revoke_center
from kiosk.hq.codec import MAX_BODY_BYTES
from kiosk.hq.models import HqAudit, HqEvent, HqHead
from tests.kiosk.hq.signer import T0, FakeCenter

pytestmark = pytest.mark.postgres


@pytest.fixture
def client(hq_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(hq_engine)) as test_client:
        yield test_client


def post(client: TestClient, center: FakeCenter, body: bytes) -> tuple[int, dict]:
    response = client.post("/sync/v1/batches", content=body, headers=center.headers(body))
    return response.status_code, response.json()


def stored(sessions: sessionmaker[Session]) -> tuple[int, int]:
    with sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(HqEvent)) or 0,
            session.scalar(select(func.count()).select_from(HqAudit)) or 0,
        )


def day_of(center: FakeCenter, tickets: int = 3, audit: int = 4) -> None:
    for n in range(tickets):
        center.ticket(T0 + timedelta(minutes=20 * n))
    for n in range(audit):
        center.audit_row("ticket.issue", T0 + timedelta(minutes=n), target=f"t{n}")


def test_a_batch_is_stored_and_acknowledged(client, seoul, hq_sessions) -> None:
    day_of(seoul)
    status, answer = post(client, seoul, seoul.body(head=seoul.head()))
    assert (status, answer) == (200, {"events_acked": 9, "audit_acked": 4})
    assert stored(hq_sessions) == (9, 4)
    with hq_sessions() as session:
        assert session.scalar(select(func.count()).select_from(HqHead)) == 1
    body = b""
    cursor = client.get("/sync/v1/cursor", headers=seoul.headers(body))
    assert cursor.json() == {"events_acked": 9, "audit_acked": 4}


def test_a_replay_is_acknowledged_and_nothing_doubles(client, seoul, hq_sessions) -> None:
    day_of(seoul)
    body = seoul.body(head=seoul.head())
    assert post(client, seoul, body)[0] == 200
    assert post(client, seoul, body) == (200, {"events_acked": 9, "audit_acked": 4})
    # A batch that overlaps what HQ holds and carries new rows: the old ignored, the new stored.
    seoul.ticket(T0 + timedelta(hours=2))
    seoul.audit_row("ticket.issue", T0 + timedelta(hours=2))
    assert post(client, seoul, seoul.body(events=slice(5, None), audit=slice(2, None))) == (
        200,
        {"events_acked": 12, "audit_acked": 5},
    )
    assert stored(hq_sessions) == (12, 5)
    with hq_sessions() as session:
        assert session.scalar(select(func.count()).select_from(HqHead)) == 1


def test_a_different_row_at_a_stored_seq_is_a_conflict_and_stores_nothing(client, seoul, hq_sessions) -> None:
    day_of(seoul)
    post(client, seoul, seoul.body(events=slice(0, 3), audit=slice(0, 2)))
    seoul.events[1]["data"]["desk"] = "9"  # the hub "rewrote" event 2 after sending it
    status, answer = post(client, seoul, seoul.body())
    assert status == 409 and answer["code"] == "SYNC_CONFLICT"
    assert (answer["events_acked"], answer["audit_acked"]) == (3, 2)
    assert "2" in answer["message_en"] and answer["message_ko"]
    assert stored(hq_sessions) == (3, 2)


def test_an_audit_row_rewritten_after_sending_is_a_conflict(client, seoul, hq_sessions) -> None:
    day_of(seoul)
    post(client, seoul, seoul.body())
    seoul.audit[0]["target"] = "other"
    status, answer = post(client, seoul, seoul.body())
    assert status == 409 and answer["code"] == "SYNC_CONFLICT"
    assert stored(hq_sessions) == (9, 4)


def test_a_gap_is_refused_and_the_hub_is_told_where_to_resume(client, seoul, hq_sessions) -> None:
    day_of(seoul)
    status, answer = post(client, seoul, seoul.body(events=slice(3, None), audit=slice(0, 0)))
    assert status == 409 and answer["code"] == "SYNC_GAP"
    assert answer["events_acked"] == 0 and "resend from 1" in answer["message_en"]
    assert stored(hq_sessions) == (0, 0)


def test_batches_arriving_out_of_order_end_up_whole(client, seoul, hq_sessions) -> None:
    day_of(seoul)
    second = seoul.body(events=slice(5, None), audit=slice(2, None))
    first = seoul.body(events=slice(0, 5), audit=slice(0, 2))
    assert post(client, seoul, second)[1]["code"] == "SYNC_GAP"
    assert post(client, seoul, first) == (200, {"events_acked": 5, "audit_acked": 2})
    assert post(client, seoul, second) == (200, {"events_acked": 9, "audit_acked": 4})
    assert stored(hq_sessions) == (9, 4)


def test_an_unknown_center_is_refused(client, seoul) -> None:
    stranger = FakeCenter("C999", "미등록")
    stranger.ticket(T0)
    status, answer = post(client, stranger, stranger.body())
    assert status == 403 and answer["code"] == "SYNC_UNKNOWN_CENTER"


def test_a_revoked_center_is_refused(client, seoul, hq_sessions) -> None:
    with hq_sessions.begin() as session:
        revoke_center(session, seoul.code)
    day_of(seoul)
    status, answer = post(client, seoul, seoul.body())
    assert status == 403 and answer["code"] == "SYNC_REVOKED"
    assert stored(hq_sessions) == (0, 0)


def test_a_bad_signature_is_refused(client, seoul, suwon, hq_sessions) -> None:
    day_of(seoul)
    body = seoul.body()
    forged = {**seoul.headers(body), "X-Kiosk-Signature": suwon.sign(body)}
    response = client.post("/sync/v1/batches", content=body, headers=forged)
    assert response.status_code == 401 and response.json()["code"] == "SYNC_BAD_SIGNATURE"
    # Signed, then altered in transit.
    tampered = body.replace(b'"A001"', b'"B001"', 1)
    response = client.post("/sync/v1/batches", content=tampered, headers=seoul.headers(body))
    assert response.status_code == 401
    for bad in ("", "not base64!", "QUJD"):
        response = client.post(
            "/sync/v1/batches", content=body, headers={**seoul.headers(body), "X-Kiosk-Signature": bad}
        )
        assert response.status_code == 401
    assert client.get("/sync/v1/cursor", headers={"X-Kiosk-Center": seoul.code}).status_code == 401
    assert stored(hq_sessions) == (0, 0)


def test_another_centers_body_is_refused(client, seoul, suwon, hq_sessions) -> None:
    day_of(suwon)
    body = suwon.body()
    status, answer = post(client, seoul, body)  # signed by 서울중앙, but says it is 수원's
    assert status == 422 and answer["code"] == "SYNC_MALFORMED"
    assert stored(hq_sessions) == (0, 0)


def test_a_forged_chain_is_refused(client, seoul, hq_sessions) -> None:
    day_of(seoul)
    seoul.audit[2]["detail"] = {"edited": True}  # content changed, hash left as it was
    status, answer = post(client, seoul, seoul.body())
    assert status == 409 and answer["code"] == "SYNC_CHAIN_BROKEN"
    assert "3" in answer["message_en"]
    assert stored(hq_sessions) == (0, 0)


def test_a_chain_that_does_not_continue_hqs_is_refused(client, seoul, hq_sessions) -> None:
    day_of(seoul)
    post(client, seoul, seoul.body(audit=slice(0, 2)))
    # A hub that rebuilt its chain from seq 3 on a different past: self-consistent, but not HQ's.
    other = FakeCenter(seoul.code, seoul.name, key=seoul.key)
    for n in range(4):
        other.audit_row("rebuilt", T0 + timedelta(minutes=n))
    status, answer = post(client, seoul, seoul.raw_body([], other.audit[2:]))
    assert status == 409 and answer["code"] == "SYNC_CHAIN_BROKEN"
    assert stored(hq_sessions) == (9, 2)


def test_a_bad_head_signature_is_refused(client, seoul, suwon, hq_sessions) -> None:
    day_of(seoul)
    head = seoul.head()
    head["signature"] = suwon.head()["signature"]
    status, answer = post(client, seoul, seoul.body(head=head))
    assert status == 401 and answer["code"] == "SYNC_BAD_SIGNATURE" and "head" in answer["message_en"]
    assert stored(hq_sessions) == (0, 0)


def test_a_signed_head_that_names_another_past_is_refused(client, seoul, hq_sessions) -> None:
    day_of(seoul)
    post(client, seoul, seoul.body())
    real = seoul.audit[3]["hash"]
    seoul.audit[3]["hash"] = "ab" * 32  # sign a head over a hash HQ does not hold at seq 4
    head = seoul.head()
    seoul.audit[3]["hash"] = real
    status, answer = post(client, seoul, seoul.body(events=slice(0, 0), audit=slice(0, 0), head=head))
    assert status == 409 and answer["code"] == "SYNC_CHAIN_BROKEN"
    with hq_sessions() as session:
        assert session.scalar(select(func.count()).select_from(HqHead)) == 0


def test_an_oversized_batch_is_refused_before_it_is_read(client, seoul, hq_sessions) -> None:
    body = b" " * (MAX_BODY_BYTES + 1)
    status, answer = post(client, seoul, body)
    assert status == 413 and answer["code"] == "SYNC_TOO_LARGE"
    # Too many events, though small: the body model's limit.
    for n in range(1001):
        seoul.event("ticket.no_show", T0, ticket_id=f"6f1c0e6e-4d7b-4bb0-9c1d-{n:012d}")
    status, answer = post(client, seoul, seoul.body())
    assert status == 422 and answer["code"] == "SYNC_MALFORMED"
    assert stored(hq_sessions) == (0, 0)


def test_the_same_batch_sent_four_times_at_once_is_stored_once(seoul, hq_sessions) -> None:
    # A hub killed after sending and restarted can race its own earlier request: the cursor lock orders them.
    from concurrent.futures import ThreadPoolExecutor

    from kiosk.hq.codec import parse_batch
    from kiosk.hq.ingest import find_center, ingest_batch

    day_of(seoul, tickets=20, audit=20)
    batch = parse_batch(seoul.body(head=seoul.head()))

    def send(_: int) -> tuple[int, int]:
        with hq_sessions() as session, session.begin():
            ack = ingest_batch(session, find_center(session, seoul.code), batch)
            return ack.events_acked, ack.audit_acked

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(send, range(4)))
    assert answers == [(60, 20)] * 4
    assert stored(hq_sessions) == (60, 20)
    with hq_sessions() as session:
        assert session.scalar(select(func.count()).select_from(HqHead)) == 1
