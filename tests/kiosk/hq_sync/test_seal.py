"""The contact a center seals to HQ (issue 20 item 4): it opens only with HQ's key and only for its own
event, a batch on the wire carries no plaintext name or phone, and the center keeps no copy at rest."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from config import ConfigError, load_settings
from db.models import SyncEvent
from kiosk.hq import sealed as hq_side
from kiosk.hq.sealed import SealKey, SealOpenError, create_seal_key
from kiosk.hq_sync import sealing as center_side
from kiosk.hq_sync.batch import build_batch, parse_batch
from kiosk.hq_sync.contacts import ContactSealing
from kiosk.hq_sync.keys import CenterKey
from kiosk.hq_sync.sealing import Contact, PersonSealer, load_hq_public
from tests.kiosk.hub.conftest import Hub, make_hub
from tests.kiosk.hub.factories import submission

HONG = Contact(name="홍길동", phone="010-1234-5678", birth_date=date(1990, 1, 1))
PLAINTEXTS = ("홍길동".encode(), b"010-1234-5678", b"01012345678", b"1234-5678")


@pytest.fixture
def hq_key(tmp_path: Path) -> SealKey:
    key, made = create_seal_key(tmp_path / "hq-seal-x25519.pem")
    assert made
    return key


@pytest.fixture
def sealer(hq_key: SealKey) -> PersonSealer:
    return PersonSealer(hq_key.public_raw, "seoul-central", CenterKey(Ed25519PrivateKey.generate()))


def test_both_halves_of_the_contract_name_the_same_envelope() -> None:
    assert center_side.VERSION == hq_side.VERSION
    assert center_side.SEAL_KEY_INFO == hq_side.SEAL_KEY_INFO
    assert center_side.MAX_PLAINTEXT == hq_side.MAX_PLAINTEXT
    assert center_side.associated_data("C001", 7) == hq_side.associated_data("C001", 7)


def test_a_sealed_contact_opens_at_hq_for_its_own_event(hq_key: SealKey, sealer: PersonSealer) -> None:
    text = sealer.seal(12, HONG)
    contact = hq_key.open(text, "seoul-central", 12)
    assert (contact.name, contact.phone, contact.birth_date) == ("홍길동", "010-1234-5678", date(1990, 1, 1))
    assert (contact.name_masked, contact.phone_masked) == ("홍*동", "010-****-5678")
    assert "홍길동" not in repr(contact) and "1234" not in repr(contact)
    blob = base64.b64decode(text)
    assert not any(p in blob for p in PLAINTEXTS)


def test_the_same_event_seals_the_same_bytes_and_another_event_other_bytes(sealer: PersonSealer) -> None:
    # A rebuilt batch must be the very row HQ holds (its replay rule); no two events share a key.
    assert sealer.seal(3, HONG) == sealer.seal(3, HONG)
    assert sealer.seal(3, HONG) != sealer.seal(4, HONG)
    moved = Contact(name="홍길동", phone="010-9999-5678", birth_date=HONG.birth_date)
    assert base64.b64decode(sealer.seal(3, moved))[1:33] != base64.b64decode(sealer.seal(3, HONG))[1:33]


def test_names_of_different_length_seal_to_the_same_length(sealer: PersonSealer) -> None:
    short = Contact(name="김수", phone="010-1234-5678", birth_date=None)
    longer = Contact(name="남궁민수", phone="010-1234-5678", birth_date=date(1990, 1, 1))
    assert len(sealer.seal(1, short)) == len(sealer.seal(1, longer))


def test_an_envelope_moved_to_another_event_or_center_does_not_open(
    hq_key: SealKey, sealer: PersonSealer
) -> None:
    text = sealer.seal(12, HONG)
    for code, seq in (("seoul-central", 13), ("suwon", 12)):
        with pytest.raises(SealOpenError, match="another event"):
            hq_key.open(text, code, seq)


def test_a_tampered_envelope_does_not_open(hq_key: SealKey, sealer: PersonSealer) -> None:
    blob = bytearray(base64.b64decode(sealer.seal(12, HONG)))
    for index in (1, 20, 40, len(blob) - 1):  # ephemeral key, ciphertext, tag
        changed = bytearray(blob)
        changed[index] ^= 0x01
        with pytest.raises(SealOpenError):
            hq_key.open(base64.b64encode(bytes(changed)).decode(), "seoul-central", 12)
    with pytest.raises(SealOpenError, match="version"):
        hq_key.open(base64.b64encode(b"\x02" + bytes(blob[1:])).decode(), "seoul-central", 12)


def test_an_envelope_sealed_to_another_hq_key_does_not_open(tmp_path: Path, sealer: PersonSealer) -> None:
    other, _ = create_seal_key(tmp_path / "other.pem")
    with pytest.raises(SealOpenError):
        other.open(sealer.seal(1, HONG), "seoul-central", 1)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.one_of(
        st.text(max_size=3000), st.binary(max_size=1200).map(lambda b: base64.b64encode(b).decode())
    )
)
def test_hq_opens_any_text_or_refuses_it_in_words(hq_key: SealKey, text: str) -> None:
    with pytest.raises(SealOpenError):
        hq_key.open(text, "seoul-central", 1)


@settings(max_examples=200, deadline=None)
@given(blob=st.binary(min_size=0, max_size=1200))
def test_the_shape_check_takes_only_an_envelopes_size_and_version(blob: bytes) -> None:
    text = base64.b64encode(blob).decode()
    fits = hq_side.MIN_BLOB <= len(blob) <= hq_side.MAX_BLOB and blob[:1] == b"\x01"
    if fits:
        assert hq_side.envelope_bytes(text) == blob
    else:
        with pytest.raises(hq_side.SealedShapeError):
            hq_side.envelope_bytes(text)


def test_a_center_without_hqs_public_key_seals_nothing_and_a_bad_key_file_is_refused(
    isolated_data_dir: Path, hq_key: SealKey
) -> None:
    settings_ = load_settings()
    assert load_hq_public(settings_) is None
    path = center_side.hq_public_path(settings_)
    assert path == isolated_data_dir / "hq" / "hq-seal-x25519.pub.pem"  # beside the center key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a key")
    with pytest.raises(ConfigError):
        load_hq_public(settings_)
    path.write_bytes(hq_key.public_pem)
    assert load_hq_public(settings_) == hq_key.public_raw


# --- a hub's real visits ----------------------------------------------------------------------------
@pytest.fixture
def hub(sqlite_engine: Engine) -> Iterator[Hub]:
    yield from make_hub(sqlite_engine)


def _submit(hub: Hub, seeds: tuple[int, ...]) -> None:
    lobby, _ = hub.enroll("lobby")
    for seed in seeds:
        r = hub.http.post("/visits", json=submission(seed), headers=lobby)
        assert r.status_code in (200, 201), r.text


def test_a_batch_carries_sealed_contacts_and_no_plaintext_on_the_wire(hub: Hub, hq_key: SealKey) -> None:
    _submit(hub, (1, 2))
    key = CenterKey(Ed25519PrivateKey.generate())
    sealing = ContactSealing(PersonSealer(hq_key.public_raw, "seoul-central", key), hub.keys)
    with hub.sessions() as session:
        plain = build_batch(session, hub.center_id, "seoul-central", key, events_after=0, audit_after=0)
        sealed = build_batch(
            session, hub.center_id, "seoul-central", key, events_after=0, audit_after=0, sealing=sealing
        )
        again = build_batch(
            session, hub.center_id, "seoul-central", key, events_after=0, audit_after=0, sealing=sealing
        )
        at_rest = session.scalars(select(SyncEvent.data).where(SyncEvent.center_id == hub.center_id)).all()
    for body in (plain.body, sealed.body):
        assert not any(p in body for p in PLAINTEXTS)
    visits = [e for e in parse_batch(sealed.body)["events"] if e["type"] == "visit.submitted"]
    assert len(visits) == 2
    for event in visits:
        contact = hq_key.open(event["data"]["person_sealed"], "seoul-central", event["seq"])
        assert (contact.name, contact.phone) == ("홍길동", "010-1234-5678")
        assert contact.birth_date is not None
    assert all("person_sealed" not in e["data"] for e in json.loads(plain.body)["events"])
    assert all("person_sealed" not in data for data in at_rest)  # the center keeps no copy
    assert [e["data"] for e in json.loads(again.body)["events"]] == [
        e["data"] for e in json.loads(sealed.body)["events"]
    ]


def test_the_hubs_pusher_seals_only_once_hqs_public_key_is_installed(
    isolated_data_dir: Path, sqlite_engine: Engine, hq_key: SealKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    from db.session import make_sessionmaker
    from kiosk.hq_sync.keys import create_key, key_path
    from kiosk.hq_sync.pusher import pusher_from_settings

    monkeypatch.setenv("KIOSK_HQ__URL", "https://hq.example.kr")
    create_key(key_path(load_settings()))
    sessions = make_sessionmaker(sqlite_engine)
    without = pusher_from_settings(load_settings(), sessions)
    assert without is not None and without.sealing is None
    without.client.close()
    center_side.hq_public_path(load_settings()).write_bytes(hq_key.public_pem)
    with_key = pusher_from_settings(load_settings(), sessions)
    assert with_key is not None and with_key.sealing is not None
    assert with_key.sealing.sealer.hq_public == hq_key.public_raw
    with_key.client.close()


@pytest.fixture
def hq_engine(postgres_url: str) -> Iterator[Engine]:
    from db.session import make_engine
    from kiosk.hq.migrate import upgrade

    engine = make_engine(postgres_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.mark.postgres
def test_a_hubs_sealed_visits_reach_hq_encrypted_and_open_for_an_admin(
    hub: Hub, hq_engine: Engine, hq_key: SealKey
) -> None:
    from sqlalchemy import text
    from sqlalchemy.orm import sessionmaker

    from kiosk.hq.accounts import add_account, aftercare_contacts
    from kiosk.hq.app import create_app
    from kiosk.hq.centers import add_center
    from kiosk.hq_sync.pusher import HqClient, SyncPusher
    from kiosk.hub.server import serve_in_thread

    _submit(hub, (1,))
    key = CenterKey(Ed25519PrivateKey.generate())
    hq_sessions = sessionmaker(hq_engine, expire_on_commit=False)
    with hq_sessions.begin() as session:
        add_center(session, "seoul-central", "서울중앙", key.public_pem)
        admin = add_account(session, "choi", "correct horse battery", "admin")
    sealing = ContactSealing(PersonSealer(hq_key.public_raw, "seoul-central", key), hub.keys)
    running = serve_in_thread(create_app(hq_engine))
    try:
        client = HqClient(running.url, "seoul-central", key, timeout_s=5.0)
        pusher = SyncPusher(hub.sessions, hub.center_id, "seoul-central", client, sealing=sealing)
        report = pusher.push_until_caught_up()
        client.close()
    finally:
        running.stop()
    assert report.events_sent and report.events_acked == report.events_sent
    with hq_sessions() as session:
        stored = "\n".join(session.execute(text("SELECT data::text FROM hq_event")).scalars())
        bi = session.execute(
            text("SELECT data->>'person_bi' FROM hq_event WHERE data ? 'person_sealed'")
        ).scalar_one()
    assert "person_sealed" in stored
    assert not any(p.decode() in stored for p in PLAINTEXTS)
    with hq_sessions.begin() as session:
        (read,) = aftercare_contacts(session, admin, bi, "사후관리", hq_key)
    assert read.contact is not None and read.contact.name_masked == "홍*동"
    assert read.contact.phone_masked == "010-****-5678"
