"""Sealed contacts at HQ (issue 20 item 4): stored as they came, refused whole when malformed, opened only
for an after-care role in an audited read that shows them masked, and erased by every purge."""

from __future__ import annotations

import base64
import io
import stat
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from kiosk.hq.accounts import ReadRefused, add_account, aftercare_contacts, person_events
from kiosk.hq.app import create_app
from kiosk.hq.models import HqEvent, HqReadAudit
from kiosk.hq.purge import retention_purge
from kiosk.hq.sealed import MAX_SEALED_CHARS, SealKey, create_seal_key, public_path
from kiosk.hq_sync.keys import CenterKey
from kiosk.hq_sync.sealing import Contact, PersonSealer
from tests.kiosk.hq.signer import T0, FakeCenter

pytestmark = pytest.mark.postgres
KIM = "ab" * 32  # a national blind index (hex HMAC)
HONG = Contact(name="홍길동", phone="010-1234-5678", birth_date=date(1990, 1, 1))
PLAINTEXTS = ("홍길동", "010-1234-5678", "01012345678", "1234-5678")
PASSWORD = "correct horse battery"


@pytest.fixture
def hq_key(tmp_path: Path) -> SealKey:
    return create_seal_key(tmp_path / "hq-seal-x25519.pem")[0]


def sealer_of(center: FakeCenter, key: SealKey) -> PersonSealer:
    return PersonSealer(key.public_raw, center.code, CenterKey(center.key))


def sealed_visit(center: FakeCenter, key: SealKey, at: datetime, person: str = KIM, **extra: Any) -> int:
    seq = len(center.events) + 1
    data: dict[str, Any] = {"visit_id": str(uuid.uuid4()), "path": "consult", "person_bi": person}
    data["person_sealed"] = sealer_of(center, key).seal(seq, HONG)
    data.update(extra)
    center.event("visit.submitted", at, **data)
    return seq


def post(client: TestClient, center: FakeCenter, body: bytes) -> Any:
    return client.post("/sync/v1/batches", content=body, headers=center.headers(body))


def all_hq_text(sessions: sessionmaker[Session]) -> str:
    with sessions() as session:
        rows = session.execute(text("SELECT data::text FROM hq_event")).scalars().all()
        audit = session.execute(text("SELECT person_bi || ' ' || purpose FROM hq_read_audit")).scalars().all()
    return "\n".join([*rows, *audit])


def accounts(sessions: sessionmaker[Session]) -> tuple[Any, Any]:
    with sessions.begin() as session:
        admin = add_account(session, "choi", PASSWORD, "admin")
        analyst = add_account(session, "han", PASSWORD, "analyst")
    return admin, analyst


def test_hq_stores_the_envelope_as_it_came_with_no_plaintext_anywhere(
    hq_engine: Engine, hq_sessions: sessionmaker[Session], seoul: FakeCenter, hq_key: SealKey
) -> None:
    sealed_visit(seoul, hq_key, T0)
    with TestClient(create_app(hq_engine)) as client:
        assert post(client, seoul, seoul.body()).status_code == 200
    with hq_sessions() as session:
        stored = session.scalar(select(HqEvent.data["person_sealed"].astext))
        events = person_events(session, accounts(hq_sessions)[0], KIM, "after-care check")
        session.commit()
    assert stored == seoul.events[0]["data"]["person_sealed"]
    assert "person_sealed" not in events[0]["data"]  # the events read does not hand out the envelope
    assert not any(p in all_hq_text(hq_sessions) for p in PLAINTEXTS)


BAD_ENVELOPES: list[tuple[str, Callable[[str], dict[str, Any]]]] = [
    ("not base64", lambda good: {"person_sealed": "홍길동 010-1234-5678"}),
    ("too short", lambda good: {"person_sealed": base64.b64encode(b"\x01" + b"x" * 10).decode()}),
    ("oversize", lambda good: {"person_sealed": "A" * (MAX_SEALED_CHARS + 4)}),
    ("a number", lambda good: {"person_sealed": 5}),
    (
        "another version",
        lambda good: {"person_sealed": base64.b64encode(b"\x09" + base64.b64decode(good)[1:]).decode()},
    ),
    ("without a blind index", lambda good: {"person_sealed": good, "person_bi": None}),
]


@pytest.mark.parametrize(("what", "change"), BAD_ENVELOPES, ids=[w for w, _ in BAD_ENVELOPES])
def test_a_malformed_envelope_refuses_the_whole_batch(
    hq_engine: Engine,
    hq_sessions: sessionmaker[Session],
    seoul: FakeCenter,
    hq_key: SealKey,
    what: str,
    change: Callable[[str], dict[str, Any]],
) -> None:
    sealed_visit(seoul, hq_key, T0)  # a good row first: nothing of the batch may be stored
    sealed_visit(seoul, hq_key, T0 + timedelta(minutes=1))
    data = seoul.events[1]["data"]
    data.update(change(data["person_sealed"]))
    if data.get("person_bi") is None:
        data.pop("person_bi", None)
    with TestClient(create_app(hq_engine)) as client:
        response = post(client, seoul, seoul.body())
        cursor = client.get("/sync/v1/cursor", headers=seoul.headers(b"")).json()
    assert response.status_code == 422 and response.json()["code"] == "SYNC_MALFORMED", what
    assert "홍길동" not in response.text and "1234-5678" not in response.text
    assert cursor["events_acked"] == 0
    with hq_sessions() as session:
        assert session.scalar(select(func.count()).select_from(HqEvent)) == 0


def test_an_envelope_on_another_event_type_is_refused(
    hq_engine: Engine, seoul: FakeCenter, hq_key: SealKey
) -> None:
    envelope = sealer_of(seoul, hq_key).seal(1, HONG)
    seoul.event("consent.withdrawn", T0, visit_id=str(uuid.uuid4()), person_sealed=envelope)
    with TestClient(create_app(hq_engine)) as client:
        response = post(client, seoul, seoul.body())
    assert response.status_code == 422 and "only on visit.submitted" in response.json()["message_en"]


def test_an_analyst_cannot_read_and_an_admin_reads_masked_with_the_read_audited(
    hq_engine: Engine,
    hq_sessions: sessionmaker[Session],
    seoul: FakeCenter,
    suwon: FakeCenter,
    hq_key: SealKey,
) -> None:
    sealed_visit(seoul, hq_key, T0)
    sealed_visit(suwon, hq_key, T0 + timedelta(days=2))
    with TestClient(create_app(hq_engine)) as client:
        for center in (seoul, suwon):
            assert post(client, center, center.body()).status_code == 200
    admin, analyst = accounts(hq_sessions)
    with hq_sessions.begin() as session:
        with pytest.raises(ReadRefused):
            aftercare_contacts(session, analyst, KIM, "curiosity", hq_key)
        assert session.scalar(select(func.count()).select_from(HqReadAudit)) == 0  # nothing was read
    with hq_sessions.begin() as session:
        reads = aftercare_contacts(session, admin, KIM, "사후관리 전화 상담", hq_key)
    assert [(r.center_code, r.seq) for r in reads] == [("C001", 1), ("C002", 1)]
    for read in reads:
        assert read.contact is not None and read.problem is None
        assert (read.contact.name_masked, read.contact.phone_masked) == ("홍*동", "010-****-5678")
        assert read.contact.birth_date == date(1990, 1, 1)
    with hq_sessions() as session:
        (audit,) = session.scalars(select(HqReadAudit)).all()
    assert (audit.account_id, audit.person_bi, audit.rows) == (admin.id, KIM, 2)
    assert audit.purpose == "aftercare contact: 사후관리 전화 상담"
    assert not any(p in all_hq_text(hq_sessions) for p in PLAINTEXTS)


def test_a_tampered_or_moved_envelope_is_answered_as_a_problem_and_the_others_open(
    hq_engine: Engine, hq_sessions: sessionmaker[Session], seoul: FakeCenter, hq_key: SealKey
) -> None:
    sealed_visit(seoul, hq_key, T0)
    moved = sealer_of(seoul, hq_key).seal(1, HONG)  # sealed for seq 1, sent on seq 2
    seoul.event("visit.submitted", T0, visit_id=str(uuid.uuid4()), person_bi=KIM, person_sealed=moved)
    sealed_visit(seoul, hq_key, T0 + timedelta(minutes=2))
    with TestClient(create_app(hq_engine)) as client:
        assert post(client, seoul, seoul.body()).status_code == 200
    with hq_sessions.begin() as session:  # someone edits HQ's copy of seq 3
        blob = bytearray(base64.b64decode(seoul.events[2]["data"]["person_sealed"]))
        blob[-1] ^= 0x01
        session.execute(
            text(
                "UPDATE hq_event SET data = jsonb_set(data, '{person_sealed}', to_jsonb(CAST(:v AS text))) "
                "WHERE seq = 3"
            ),
            {"v": base64.b64encode(bytes(blob)).decode()},
        )
    admin, _ = accounts(hq_sessions)
    with hq_sessions.begin() as session:
        reads = aftercare_contacts(session, admin, KIM, "after-care", hq_key)
    by_seq = {r.seq: r for r in reads}
    assert by_seq[1].contact is not None
    for seq in (2, 3):
        assert by_seq[seq].contact is None and "does not open" in str(by_seq[seq].problem)
    with hq_sessions() as session:
        assert session.scalar(select(HqReadAudit.rows)) == 1


def held(sessions: sessionmaker[Session]) -> list[tuple[int, bool, bool]]:
    with sessions() as session:
        rows = session.execute(
            text(
                "SELECT seq, data ? 'person_bi', data ? 'person_sealed' FROM hq_event "
                "WHERE type = 'visit.submitted' ORDER BY seq"
            )
        ).all()
    return [(seq, bi, sealed) for seq, bi, sealed in rows]


def test_a_centers_purge_erases_the_envelope_with_the_blind_index(
    hq_engine: Engine, hq_sessions: sessionmaker[Session], seoul: FakeCenter, hq_key: SealKey
) -> None:
    sealed_visit(seoul, hq_key, T0)
    sealed_visit(seoul, hq_key, T0, person="cd" * 32)
    seoul.event("purge", T0 + timedelta(days=1), person_refs=[KIM])
    with TestClient(create_app(hq_engine)) as client:
        assert post(client, seoul, seoul.body()).status_code == 200
    assert held(hq_sessions) == [(1, False, False), (2, True, True)]


def test_hq_retention_erases_the_envelope_of_a_visit_ended_long_ago(
    hq_engine: Engine, hq_sessions: sessionmaker[Session], seoul: FakeCenter, hq_key: SealKey
) -> None:
    now = datetime(2026, 12, 3, 5, tzinfo=UTC)
    sealed_visit(seoul, hq_key, now - timedelta(days=6 * 366))
    sealed_visit(seoul, hq_key, now - timedelta(days=10))
    with TestClient(create_app(hq_engine)) as client:
        assert post(client, seoul, seoul.body()).status_code == 200
    with hq_sessions.begin() as session:
        assert retention_purge(session, 5, now=now).visits_erased == 1
    assert held(hq_sessions) == [(1, False, False), (2, True, True)]


def test_a_resent_sealed_batch_is_the_same_row(
    hq_engine: Engine, hq_sessions: sessionmaker[Session], seoul: FakeCenter, hq_key: SealKey
) -> None:
    # The center seals the same event to the same bytes, so HQ's replay rule accepts its resend.
    sealed_visit(seoul, hq_key, T0)
    with TestClient(create_app(hq_engine)) as client:
        first = seoul.body()
        assert post(client, seoul, first).status_code == 200
        seoul.events[0]["data"]["person_sealed"] = sealer_of(seoul, hq_key).seal(1, HONG)
        assert post(client, seoul, seoul.body()).json() == {"events_acked": 1, "audit_acked": 0}


# --- the commands -------------------------------------------------------------------------------------
def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    from kiosk.cli import main

    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_seal_keygen_and_contacts_print_masked_and_refuse_an_analyst(
    postgres_url: str,
    hq_engine: Engine,
    hq_sessions: sessionmaker[Session],
    seoul: FakeCenter,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key_file = tmp_path / "keys" / "hq-seal-x25519.pem"
    code, out, _ = run(capsys, "hq", "seal-keygen", "--out", str(key_file))
    assert code == 0 and "새 봉인 키" in out and str(public_path(key_file)) in out
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert run(capsys, "hq", "seal-keygen", "--out", str(key_file))[1].startswith("이미 있는")
    from kiosk.hq.sealed import load_seal_key

    sealed_visit(seoul, load_seal_key(key_file), T0)
    with TestClient(create_app(hq_engine)) as client:
        assert post(client, seoul, seoul.body()).status_code == 200
    accounts(hq_sessions)
    base = ["hq", "contacts", "--db", postgres_url, "--person-bi", KIM, "--seal-key", str(key_file)]
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    code, out, err = run(capsys, *base, "--username", "choi", "--purpose", "사후관리", "--password-stdin")
    assert code == 0, err
    assert "C001 #1" in out and "홍*동 010-****-5678 (1990년생)" in out
    assert not any(p in out + err for p in PLAINTEXTS)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    code, out, err = run(capsys, *base, "--username", "han", "--purpose", "보고 싶어서", "--password-stdin")
    assert code == 3 and "관리자(admin)" in err and "홍" not in out
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong password!\n"))
    code, _, err = run(capsys, *base, "--username", "choi", "--purpose", "x", "--password-stdin")
    assert code == 2 and "비밀번호" in err
    key_file.chmod(0o644)
    code, _, err = run(capsys, *base, "--username", "choi", "--purpose", "x", "--password-stdin")
    assert code == 2 and "0o600" in err
    with hq_sessions() as session:
        assert session.scalar(select(func.count()).select_from(HqReadAudit)) == 1  # the one real read


def test_a_replay_of_a_purged_sealed_visit_is_still_the_same_row(
    hq_engine: Engine, hq_sessions: sessionmaker[Session], seoul: FakeCenter, hq_key: SealKey
) -> None:
    sealed_visit(seoul, hq_key, T0)
    with TestClient(create_app(hq_engine)) as client:
        old = seoul.body()
        assert post(client, seoul, old).status_code == 200
        seoul.event("purge", T0 + timedelta(days=1), person_refs=[KIM])
        assert post(client, seoul, seoul.body(events=slice(1, None), audit=slice(0, 0))).status_code == 200
        assert post(client, seoul, old).status_code == 200  # the hub lost HQ's answer and resends
    assert held(hq_sessions) == [(1, False, False)]
