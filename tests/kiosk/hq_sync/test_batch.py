"""A sync batch: the contract's JSON shape, signatures HQ can check with the public key, and its codec."""

from __future__ import annotations

import base64
import json
import stat
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from config import ConfigError
from db import sync_log
from db.audit import append_event, event_hash
from db.models import Center
from db.session import make_sessionmaker
from kiosk.hq_sync.batch import (
    MAX_BODY_BYTES,
    BatchFormatError,
    audit_time,
    build_batch,
    encode_batch,
    head_message,
    parse_batch,
)
from kiosk.hq_sync.keys import CenterKey, create_key, load_key, public_path

NOW = datetime(2026, 12, 3, 5, 30, tzinfo=UTC)


@pytest.fixture
def sessions(sqlite_engine: Engine) -> sessionmaker[Session]:
    return make_sessionmaker(sqlite_engine)


def _center(sessions: sessionmaker[Session]) -> uuid.UUID:
    with sessions() as session:
        center = Center(code="seoul-central", name_ko="서울중앙")
        session.add(center)
        session.commit()
        return center.id


def _verify(public: Ed25519PublicKey, signature: str, message: bytes) -> None:
    public.verify(base64.b64decode(signature), message)  # raises InvalidSignature


def test_batch_has_the_contract_shape_and_verifies_with_the_public_key(
    sessions: sessionmaker[Session],
) -> None:
    center_id = _center(sessions)
    key = CenterKey(Ed25519PrivateKey.generate())
    with sessions() as session:
        sync_log.record(session, center_id, "ticket.done", {"ticket_id": "t1", "done_at": NOW.isoformat()})
        append_event(session, "desk:3", "ticket.done", "ticket:t1", {"desk": "3"})
        session.commit()
    with sessions() as session:
        batch = build_batch(session, center_id, "seoul-central", key, events_after=0, audit_after=0, now=NOW)
    doc = json.loads(batch.body)
    assert set(doc) == {"v", "center", "sent_at", "events", "audit", "head"}
    assert doc["v"] == 1 and doc["center"] == "seoul-central" and doc["sent_at"] == NOW.isoformat()
    [event] = doc["events"]
    assert event["seq"] == 1 and event["type"] == "ticket.done" and event["data"]["ticket_id"] == "t1"
    assert datetime.fromisoformat(event["at"]).utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    [row] = doc["audit"]
    assert set(row) == {"seq", "at", "actor", "action", "target", "detail", "prev_hash", "hash"}
    # HQ recomputes the hash from what travelled, exactly as db.audit made it.
    fields = (row["actor"], row["action"], row["target"], row["detail"], row["prev_hash"])
    assert event_hash(row["seq"], datetime.fromisoformat(row["at"]), *fields) == row["hash"]
    public = serialization.load_pem_public_key(key.public_pem)
    assert isinstance(public, Ed25519PublicKey)
    _verify(public, batch.signature, batch.body)
    head = doc["head"]
    assert (head["audit_seq"], head["audit_hash"]) == (1, row["hash"])
    _verify(public, head["signature"], f"seoul-central:1:{row['hash']}:{head['signed_at']}".encode("ascii"))
    with pytest.raises(InvalidSignature):
        _verify(public, batch.signature, batch.body + b" ")
    assert (batch.events, batch.audit, batch.last_event_seq, batch.last_audit_seq) == (1, 1, 1, 1)


def test_a_caught_up_batch_is_empty_but_signs_the_head_hq_holds(sessions: sessionmaker[Session]) -> None:
    center_id = _center(sessions)
    key = CenterKey(Ed25519PrivateKey.generate())
    with sessions() as session:
        append_event(session, "desk:3", "case.view", "visit:v1")
        session.commit()
    with sessions() as session:
        batch = build_batch(session, center_id, "seoul-central", key, events_after=0, audit_after=1, now=NOW)
    assert batch.empty and json.loads(batch.body)["head"]["audit_seq"] == 1


def test_batches_are_capped_by_rows(sessions: sessionmaker[Session]) -> None:
    center_id = _center(sessions)
    key = CenterKey(Ed25519PrivateKey.generate())
    with sessions() as session:
        sync_log.record_many(
            session, [(center_id, "ticket.no_show", {"ticket_id": f"t{i}"}) for i in range(12)]
        )
        session.commit()
    with sessions() as session:
        first = build_batch(session, center_id, "seoul-central", key, events_after=0, audit_after=0, limit=5)
        last = build_batch(session, center_id, "seoul-central", key, events_after=10, audit_after=0, limit=5)
    assert [e["seq"] for e in json.loads(first.body)["events"]] == [1, 2, 3, 4, 5]
    assert [e["seq"] for e in json.loads(last.body)["events"]] == [11, 12] and json.loads(last.body)[
        "head"
    ] is None


# --- the codec ------------------------------------------------------------------------------------------
_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | _text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_text, children, max_size=3),
    max_leaves=8,
)
_times = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001 - hypothesis takes naive bounds; the zone is added
    max_value=datetime(2100, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)


@st.composite
def batches(draw: st.DrawFn) -> dict[str, Any]:
    first_event, first_audit = draw(st.integers(1, 10**9)), draw(st.integers(1, 10**9))
    events = [
        {
            "seq": first_event + i,
            "type": draw(_text),
            "at": draw(_times).isoformat(),
            "data": draw(st.dictionaries(_text, _json, max_size=3)),
        }
        for i in range(draw(st.integers(0, 4)))
    ]
    audit = [
        {
            "seq": first_audit + i,
            "at": audit_time(draw(_times)),
            "actor": draw(_text),
            "action": draw(_text),
            "target": draw(_text),
            "detail": draw(st.dictionaries(_text, _json, max_size=3)),
            "prev_hash": "0" * 64,
            "hash": "f" * 64,
        }
        for i in range(draw(st.integers(0, 4)))
    ]
    head = draw(
        st.none()
        | st.fixed_dictionaries(
            {
                "audit_seq": st.integers(1, 10**9),
                "audit_hash": st.just("a" * 64),
                "signed_at": _times.map(datetime.isoformat),
                "signature": st.just("c2ln"),
            }
        )
    )
    return {
        "v": 1,
        "center": draw(st.from_regex(r"[a-z][a-z0-9-]{1,20}", fullmatch=True)),
        "sent_at": draw(_times).isoformat(),
        "events": events,
        "audit": audit,
        "head": head,
    }


@settings(max_examples=150, deadline=None)
@given(doc=batches())
def test_the_codec_round_trips(doc: dict[str, Any]) -> None:
    assert parse_batch(encode_batch(doc)) == doc


@settings(max_examples=200, deadline=None)
@given(body=st.binary(max_size=200) | _json.map(lambda v: json.dumps(v).encode()))
def test_any_other_bytes_are_a_format_error_never_a_crash(body: bytes) -> None:
    try:
        parse_batch(body)
    except BatchFormatError:
        pass


@pytest.mark.parametrize(
    "change",
    [
        {"v": 2},
        {"v": True},
        {"center": ""},
        {"sent_at": "2026-12-03T10:00:00"},  # no zone
        {
            "events": [
                {"seq": 2, "type": "x", "at": NOW.isoformat(), "data": {}},
                {"seq": 4, "type": "x", "at": NOW.isoformat(), "data": {}},
            ]
        },
        {"events": [{"seq": 0, "type": "x", "at": NOW.isoformat(), "data": {}}]},
        {"events": [{"seq": 1, "type": "x", "at": NOW.isoformat(), "data": [], "extra": 1}]},
        {"audit": "none"},
        {"head": {"audit_seq": 1}},
        {"unknown": 1},
    ],
)
def test_malformed_batches_are_named(change: dict[str, Any]) -> None:
    doc = {
        "v": 1,
        "center": "seoul-central",
        "sent_at": NOW.isoformat(),
        "events": [],
        "audit": [],
        "head": None,
    }
    with pytest.raises(BatchFormatError):
        parse_batch(encode_batch({**doc, **change}))


def test_too_large_is_refused_before_reading() -> None:
    with pytest.raises(BatchFormatError, match="4 MiB"):
        parse_batch(b" " * (MAX_BODY_BYTES + 1))


def test_head_message_is_the_contracts_ascii_string() -> None:
    assert head_message("seoul-central", 7, "ab" * 32, "2026-12-03T05:30:00+00:00") == (
        b"seoul-central:7:" + b"ab" * 32 + b":2026-12-03T05:30:00+00:00"
    )


# --- the key file ---------------------------------------------------------------------------------------
def test_the_key_is_made_once_0600_and_refused_when_others_may_read_it(tmp_path: Path) -> None:
    path = tmp_path / "hq" / "center-ed25519.pem"
    key, made = create_key(path)
    assert made and stat.S_IMODE(path.stat().st_mode) == 0o600
    again, made_again = create_key(path)
    assert not made_again and again.public_raw == key.public_raw
    public = serialization.load_pem_public_key(public_path(path).read_bytes())
    assert isinstance(public, Ed25519PublicKey)
    path.chmod(0o644)
    with pytest.raises(ConfigError, match="0o600"):
        load_key(path)
    path.chmod(0o600)
    path.write_bytes(b"not a key")
    with pytest.raises(ConfigError):
        load_key(path)
    with pytest.raises(ConfigError, match="keygen"):
        load_key(tmp_path / "missing.pem")
