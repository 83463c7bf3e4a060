"""Malformed batches, generated: HQ answers with a SYNC_* refusal, never a 500, and never stores half.

The bodies are a valid signed batch with one value somewhere replaced by anything JSON can carry
(NUL, lone surrogates, NaN, huge numbers, deep nesting, wrong types), a key dropped or one added,
so most of each body is right and the one wrong part must be the one caught.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.hq.app import create_app
from kiosk.hq.codec import BatchIn, check_plain_json, parse_batch
from kiosk.hq.models import HqAudit, HqCursor, HqEvent, HqHead
from tests.kiosk.hq.signer import T0, FakeCenter

pytestmark = pytest.mark.postgres

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        [
            "\x00",
            "\ud800",
            "2026-13-01T00:00:00Z",
            "0001-01-01T00:00:00+01:00",
            "9999-12-31T23:59:59-05:00",
            "2026-11-02T00:30:00",
            "ticket.issued",
            "0" * 64,
            "not-a-uuid",
            "",
        ]
    ),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, (*prefix, index))
    return found


def mutate(doc: Any, path: tuple, action: str, new: Any) -> Any:
    if not path:
        return new
    doc = copy.deepcopy(doc)
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if action == "drop":
        del parent[last]
    elif action == "add" and isinstance(parent, dict):
        parent[f"extra_{last}"] = new
    else:
        parent[last] = new
    return doc


@pytest.fixture
def valid(seoul: FakeCenter) -> dict[str, Any]:
    for n in range(2):
        seoul.ticket(T0 + timedelta(minutes=20 * n))
        seoul.audit_row("ticket.issue", T0 + timedelta(minutes=n), target=f"t{n}", n=n)
    return json.loads(seoul.body(head=seoul.head()))


@pytest.fixture
def client(hq_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(hq_engine), raise_server_exceptions=False) as test_client:
        yield test_client


def counts(sessions: sessionmaker[Session]) -> tuple[int, ...]:
    with sessions() as session:
        cursor = (
            session.get(HqCursor, session.scalar(select(HqCursor.center_id)))
            if session.scalar(select(func.count()).select_from(HqCursor))
            else None
        )
        return (
            session.scalar(select(func.count()).select_from(HqEvent)) or 0,
            session.scalar(select(func.count()).select_from(HqAudit)) or 0,
            session.scalar(select(func.count()).select_from(HqHead)) or 0,
            cursor.events_acked if cursor else 0,
            cursor.audit_acked if cursor else 0,
        )


@settings(max_examples=120, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_mutated_batch_is_refused_cleanly_or_stored_whole(data, client, seoul, valid, hq_sessions) -> None:
    if counts(hq_sessions)[0] == 0:  # HQ already holds the first ticket: mutations meet replays and new rows
        first = seoul.body(events=slice(0, 3), audit=slice(0, 1))
        assert client.post("/sync/v1/batches", content=first, headers=seoul.headers(first)).status_code == 200
    path = data.draw(st.sampled_from(paths(valid)), label="path")
    action = data.draw(
        st.sampled_from(["replace", "drop", "add"]) if path else st.just("replace"), label="action"
    )
    new = data.draw(json_values, label="value")
    doc = mutate(valid, path, action, new)
    body = json.dumps(doc).encode()  # NaN and lone surrogates survive as JSON's own spellings
    before = counts(hq_sessions)
    response = client.post("/sync/v1/batches", content=body, headers=seoul.headers(body))
    assert response.status_code in (200, 401, 409, 413, 422), response.text
    event(f"{response.status_code} {response.json().get('code', '')}")
    after = counts(hq_sessions)
    if response.status_code == 200:
        assert response.json() == {"events_acked": after[3], "audit_acked": after[4]}
        assert (after[0], after[1]) == (after[3], after[4])  # contiguous from 1: nothing half-stored
    else:
        answer = response.json()
        assert answer["code"].startswith("SYNC_") and answer["message_ko"] and answer["message_en"]
        assert after == before


@settings(max_examples=300, deadline=None, database=None)
@given(value=json_values)
def test_the_codec_refuses_with_words_or_accepts_something_storable(value) -> None:
    body = json.dumps(value).encode()
    try:
        batch = parse_batch(body)
    except ValueError as exc:
        assert str(exc)
        return
    assert isinstance(batch, BatchIn)  # pragma: no cover - a random value is never a whole batch


@settings(max_examples=200, deadline=None, database=None)
@given(data=st.data())
def test_an_accepted_event_is_plain_json(data) -> None:
    center = FakeCenter("C001", "서울중앙")
    center.ticket(T0)
    doc = json.loads(center.body())
    path = data.draw(st.sampled_from(paths(doc)))
    doc = mutate(doc, path, "replace", data.draw(json_values))
    try:
        batch = parse_batch(json.dumps(doc).encode())
    except ValueError:
        return
    for row in batch.events:
        check_plain_json(row.data)
        json.dumps(row.data, allow_nan=False).encode("utf-8")


@pytest.mark.parametrize(
    "issued_at",
    [
        "2026-W45-1T00:30:00+00:00",  # Python reads ISO week dates; PostgreSQL's cast does not
        "20261102T003000Z",
        "2026-11-02T00:30:00",  # no offset: whose clock?
        "2026-11-02T00:30:00Z\n",
        "2026-11-02T00:30:00.123456789+00:00",
        "1999-12-31T23:59:59Z",
    ],
)
def test_a_time_postgresql_would_read_differently_or_not_at_all_is_refused(issued_at: str) -> None:
    center = FakeCenter("C001", "서울중앙")
    center.event(
        "ticket.issued",
        T0,
        ticket_id="00000000-0000-4000-8000-000000000001",
        line="A",
        display="A1",
        service_date="2026-11-02",
        issued_at=issued_at,
    )
    with pytest.raises(ValueError, match="issued_at"):
        parse_batch(center.body())


def test_the_times_a_hub_writes_are_accepted() -> None:
    center = FakeCenter("C001", "서울중앙")
    for text in (
        "2026-11-02T00:30:00+00:00",
        "2026-11-02T00:30:00.123456+00:00",
        "2026-11-02T09:30:00+09:00",
    ):
        center.event("ticket.done", T0, ticket_id="00000000-0000-4000-8000-000000000001", done_at=text)
    assert len(parse_batch(center.body()).events) == 3
