"""Every change the hub makes for HQ writes its sync event, in the change's own transaction.

Driven through the hub app as the lobby, desk and counter drive it (tests/kiosk/hub), on SQLite and
PostgreSQL; then the center's events are read back in seq order.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select

from config import clock
from db.models import FollowUp, Person, SyncEvent, Ticket
from db.purge import purge_expired
from kiosk.aftercare import record_followup
from kiosk.queue import tickets as queue
from tests.kiosk.hub.conftest import Hub, make_hub
from tests.kiosk.hub.factories import submission
from tests.kiosk.hub.test_tickets_documents import _desk_and_counter, _signature


@pytest.fixture
def hub(engine: Engine) -> Iterator[Hub]:
    yield from make_hub(engine)


@pytest.fixture
def hub_sqlite(sqlite_engine: Engine) -> Iterator[Hub]:
    yield from make_hub(sqlite_engine)


def _events(hub: Hub, after: int = 0) -> list[tuple[str, dict[str, Any]]]:
    with hub.sessions() as s:
        rows = s.scalars(
            select(SyncEvent)
            .where(SyncEvent.center_id == hub.center_id, SyncEvent.seq > after)
            .order_by(SyncEvent.seq)
        ).all()
        return [(e.type, dict(e.data)) for e in rows]


def _last(hub: Hub) -> int:
    with hub.sessions() as s:
        seqs = s.scalars(select(SyncEvent.seq).where(SyncEvent.center_id == hub.center_id)).all()
        assert sorted(seqs) == list(range(1, len(seqs) + 1))  # numbered, without gaps, at every step
        return len(seqs)


def _ticket(hub: Hub, lobby: dict[str, str], line: str, visit_id: str | None, key: str) -> dict[str, Any]:
    r = hub.http.post(
        "/tickets", json={"line": line, "visit_id": visit_id}, headers={**lobby, "Idempotency-Key": key}
    )
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_every_hook_writes_its_event(hub: Hub) -> None:
    lobby, _ = hub.enroll("lobby")
    counselor = hub.login("kim")

    visit_id = hub.http.post("/visits", json=submission(1), headers=lobby).json()["visit_id"]
    submitted, consent = _events(hub)
    assert submitted[0] == "visit.submitted" and submitted[1]["visit_id"] == visit_id
    assert submitted[1]["path"] == "consult" and submitted[1]["programs_eligible"] == ["ccrs.pre_workout"]
    with hub.sessions() as s:
        blind = s.scalar(select(Person.rrn_blind_index))
    assert submitted[1]["person_bi"] == blind and blind
    assert consent == ("consent.given", {**consent[1], "visit_id": visit_id, "method": "signature"})

    seen = _last(hub)
    ticket = _ticket(hub, lobby, "B", visit_id, "hook-0001")
    [(kind, issued)] = _events(hub, seen)
    assert (
        kind == "ticket.issued"
        and issued["ticket_id"] == ticket["id"]
        and issued["display"] == ticket["display"]
    )
    assert issued["line"] == "B" and issued["service_date"] == clock.today().isoformat()

    seen = _last(hub)
    called = hub.http.post("/queue/B/call-next", json={"desk": "3"}, headers=counselor).json()
    [(kind, call)] = _events(hub, seen)
    assert kind == "ticket.called" and call["ticket_id"] == called["id"] and call["desk"] == "3"
    assert call["counselor_id"] and call["called_at"]

    seen = _last(hub)
    assert hub.http.post(f"/tickets/{called['id']}/done", headers=counselor).status_code == 200
    assert (
        hub.http.post(f"/tickets/{called['id']}/done", headers=counselor).status_code == 409
    )  # no 2nd event
    [(kind, done)] = _events(hub, seen)
    with hub.sessions() as s:
        stored = s.get(Ticket, uuid.UUID(called["id"]))
        assert stored is not None and stored.done_at is not None
        assert kind == "ticket.done" and done == {
            "ticket_id": called["id"],
            "done_at": stored.done_at.isoformat(),
        }

    # A no-show, a transfer (the old ticket ends, a new one is issued) and a ticket given back.
    _ticket(hub, lobby, "A", None, "hook-0002")
    no_show = hub.http.post("/queue/A/call-next", json={"desk": "3"}, headers=counselor).json()
    seen = _last(hub)
    hub.http.post(f"/tickets/{no_show['id']}/no-show", headers=counselor)
    assert _events(hub, seen) == [("ticket.no_show", {"ticket_id": no_show["id"]})]
    _ticket(hub, lobby, "A", None, "hook-0003")
    moving = hub.http.post("/queue/A/call-next", json={"desk": "3"}, headers=counselor).json()
    seen = _last(hub)
    moved = hub.http.post(
        f"/tickets/{moving['id']}/transfer", json={"line": "B", "note": "채무조정"}, headers=counselor
    )
    assert moved.status_code == 200, moved.text
    (k1, transferred), (k2, reissued) = _events(hub, seen)
    assert (k1, transferred) == ("ticket.transferred", {"ticket_id": moving["id"], "to_line": "B"})
    assert k2 == "ticket.issued" and reissued["ticket_id"] == moved.json()["id"] and reissued["line"] == "B"
    given_back = _ticket(hub, lobby, "A", None, "hook-0004")
    seen = _last(hub)
    with hub.sessions() as s:
        queue.cancel(s, uuid.UUID(given_back["id"]))
        s.commit()
    assert _events(hub, seen) == [("ticket.cancelled", {"ticket_id": given_back["id"]})]

    # The case: outcome, after-care planned and one done, a document signed at the counter.
    seen = _last(hub)
    r = hub.http.put(
        f"/visits/{visit_id}/outcome", json={"outcome": "debt_adjustment_applied"}, headers=counselor
    )
    assert r.status_code == 200, r.text
    [(kind, outcome)] = _events(hub, seen)
    assert kind == "case.outcome" and outcome["visit_id"] == visit_id
    assert outcome["outcome"] == "debt_adjustment_applied" and outcome["counselor_id"]
    seen = _last(hub)
    plan = hub.http.post(f"/visits/{visit_id}/aftercare", json={}, headers=counselor).json()
    planned = _events(hub, seen)
    assert [k for k, _ in planned] == ["followup.planned"] * len(plan) and plan
    assert {d["follow_up_id"] for _, d in planned} == {f["id"] for f in plan}
    assert all(d["visit_id"] == visit_id and d["due_date"] and d["kind"] for _, d in planned)
    seen = _last(hub)
    with hub.sessions() as s:
        record_followup(s, uuid.UUID(plan[0]["id"]), status="done", note="확인했어요")
        s.commit()
    assert _events(hub, seen) == [("followup.done", {"follow_up_id": plan[0]["id"]})]

    desk, counter = _desk_and_counter(hub)
    doc = hub.http.post(f"/visits/{visit_id}/documents", json={"template": "consent"}, headers=desk).json()
    hub.http.post(f"/documents/{doc['id']}/push", headers=desk)
    seen = _last(hub)
    signed = hub.http.post(
        f"/documents/{doc['id']}/sign",
        json=_signature(doc["sha256"]),
        headers={**counter, "Idempotency-Key": "hook-sign-0001"},
    )
    assert signed.status_code == 200, signed.text
    assert _events(hub, seen) == [
        ("document.signed", {"document_id": doc["id"], "visit_id": visit_id, "template": "consent"})
    ]

    # Years later the retention purge deletes the person: HQ hears the blind index, nothing else.
    seen = _last(hub)
    purge_expired(hub.sessions, 5, now=clock.now() + timedelta(days=6 * 366))
    assert _events(hub, seen) == [("purge", {"person_refs": [blind]})]

    everything = str(_events(hub))
    assert "홍길동" not in everything and "5678" not in everything  # no name, no phone, in any event
    _last(hub)


def test_a_rolled_back_call_or_refused_change_leaves_no_event(hub: Hub) -> None:
    lobby, _ = hub.enroll("lobby")
    ticket = _ticket(hub, lobby, "A", None, "hook-rb01")
    seen = _last(hub)
    with hub.sessions() as s:
        called = queue.call_next(s, hub.center_id, "A", "3", None)
        assert called is not None and called.id == uuid.UUID(ticket["id"])
        s.rollback()  # the desk's transaction failed after the call
    assert _events(hub, seen) == []
    with hub.sessions() as s, pytest.raises(queue.QueueError):
        queue.finish(s, uuid.UUID(ticket["id"]))  # waiting → done is not a move the queue allows
    assert _events(hub, seen) == []
    counselor = hub.login("kim")
    assert hub.http.post("/queue/A/call-next", json={"desk": "3"}, headers=counselor).status_code == 200
    assert [k for k, _ in _events(hub, seen)] == ["ticket.called"]


def test_follow_ups_replanned_are_told_again(hub_sqlite: Hub) -> None:
    """Re-planning replaces planned follow-ups (kiosk.aftercare.plan): HQ hears the new ones."""
    hub = hub_sqlite
    lobby, _ = hub.enroll("lobby")
    counselor = hub.login("kim")
    visit_id = hub.http.post("/visits", json=submission(2), headers=lobby).json()["visit_id"]
    hub.http.put(
        f"/visits/{visit_id}/outcome", json={"outcome": "debt_adjustment_applied"}, headers=counselor
    )
    first = hub.http.post(f"/visits/{visit_id}/aftercare", json={}, headers=counselor).json()
    second = hub.http.post(f"/visits/{visit_id}/aftercare", json={}, headers=counselor).json()
    planned = [d["follow_up_id"] for k, d in _events(hub) if k == "followup.planned"]
    assert planned == [f["id"] for f in first] + [f["id"] for f in second]
    with hub.sessions() as s:
        assert {f.id for f in s.scalars(select(FollowUp))} == {uuid.UUID(f["id"]) for f in second}


def test_a_consent_by_phone_writes_consent_given(sqlite_engine: Engine) -> None:
    from tests.kiosk.hub.test_phone_consultation import CALLER, _challenge, _code_from_phone, _open

    for hub in make_hub(sqlite_engine, "smpp"):
        _, desk_token = hub.enroll("desk")
        desk = hub.login("kim", desk_token)
        visit_id = _open(hub, desk)
        sent = _challenge(hub, desk, visit_id)
        code = _code_from_phone(hub, CALLER)
        confirm = f"/consent/sms/challenges/{sent['challenge_id']}/confirm"
        assert hub.http.post(confirm, json={"code": code}, headers=desk).status_code == 200
        seen = _last(hub)
        bind = f"/phone-consultations/{visit_id}/consent"
        bound = hub.http.post(bind, json={"challenge_id": sent["challenge_id"]}, headers=desk)
        assert bound.status_code == 200, bound.text
        again = hub.http.post(bind, json={"challenge_id": sent["challenge_id"]}, headers=desk)
        assert again.status_code == 200  # a replay records nothing more
        consent_id = bound.json()["consent_id"]
        assert _events(hub, seen) == [
            ("consent.given", {"visit_id": visit_id, "consent_id": consent_id, "method": "sms"})
        ]


def test_a_number_reserved_for_offline_use_is_issued_only_when_claimed(hub_sqlite: Hub) -> None:
    """HQ counts tickets handed to people: a lobby's offline reserve is not one until a person gets it,
    and a replayed claim does not count twice."""
    hub = hub_sqlite
    lobby, _ = hub.enroll("lobby")
    before = _last(hub)
    reserved = hub.http.post("/tickets/reserve", json={"line": "A", "count": 3}, headers=lobby).json()
    assert len(reserved) == 3 and _events(hub, before) == []
    visit_id = hub.http.post("/visits", json=submission(3), headers=lobby).json()["visit_id"]
    after_visit = _last(hub)
    for _ in range(2):  # the second is a replay of the same claim
        claim = hub.http.post(
            f"/tickets/{reserved[0]['id']}/claim",
            json={"visit_id": visit_id},
            headers={**lobby, "Idempotency-Key": "claim-hq-1"},
        )
        assert claim.status_code == 200, claim.text
    issued = [data for kind, data in _events(hub, after_visit) if kind == "ticket.issued"]
    assert [d["ticket_id"] for d in issued] == [reserved[0]["id"]]
    assert issued[0]["display"] == reserved[0]["display"]
