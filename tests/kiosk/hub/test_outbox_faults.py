"""The lobby outbox under the faults a tester found (issue 13, item 5), against the real hub on 127.0.0.1.

- a poison entry (the hub answers 500 to one visit, always) is retried with backoff, quarantined
  after N tries and listed; everything else flows past it, and the lobby keeps issuing tickets directly
  and topping up its reserved numbers meanwhile;
- a revoked token holds entries (never `failed`); enrolled again, they flow and the reserved numbers
  people hold become real places in the queue;
- a ticket whose answer was lost (the hub committed, the response never arrived) ends as one ticket
  (on SQLite and PostgreSQL);
- what the outbox keeps is encrypted, and once acknowledged not even the ciphertext stays in the file.

Faults are injected by a small ASGI layer in front of the real hub app (the hub itself is unchanged).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
import time_machine
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

import db.models
from config import clock, load_settings
from db.base import Base
from db.crypto import KeyRing
from db.models import OutboxEntry, Ticket
from db.session import make_engine, make_sessionmaker
from kiosk.api import VisitSubmission
from kiosk.client import HubClient, HubUnavailable, LobbyOutbox
from kiosk.client.outbox import PAYLOAD_CONTEXT, list_entries, retry_entry
from kiosk.hub.app import create_app
from kiosk.hub.bootstrap import ensure_center, issue_pairing_code
from kiosk.hub.server import RunningHub, serve_in_thread
from tests.kiosk.hub.conftest import Hub
from tests.kiosk.hub.factories import submission

Receive = Any
Send = Any


@dataclass
class Faults:
    """ASGI layer in front of the hub: per visit id, 500 a visit, 500 a ticket, or lose a ticket's answer."""

    app: Any
    poison_visits: set[str] = field(default_factory=set)  # POST /visits → 500, the hub never sees it
    fail_tickets: set[str] = field(default_factory=set)  # POST /tickets → 500, the hub never sees it
    lose_ticket_answers: set[str] = field(default_factory=set)  # POST /tickets: hub commits, answer cut
    hits: dict[str, int] = field(default_factory=dict)

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or scope["path"] not in ("/visits", "/tickets")
        ):
            await self.app(scope, receive, send)
            return
        messages, body, more = [], b"", True
        while more:
            message = await receive()
            messages.append(message)
            body += message.get("body", b"")
            more = message.get("more_body", False)
        visit = str(json.loads(body or b"{}").get("visit_id"))
        wanted = self.poison_visits if scope["path"] == "/visits" else self.fail_tickets
        if visit in wanted:
            self.hits[visit] = self.hits.get(visit, 0) + 1
            await send({"type": "http.response.start", "status": 500, "headers": []})
            await send({"type": "http.response.body", "body": b"Internal Server Error"})
            return

        async def replay() -> Any:
            return messages.pop(0) if messages else await receive()

        if scope["path"] == "/tickets" and visit in self.lose_ticket_answers:
            self.hits[visit] = self.hits.get(visit, 0) + 1

            async def swallow(_message: Any) -> None:
                return None

            await self.app(scope, replay, swallow)  # the ticket is committed at the hub ...
            # ... and the answer breaks off mid-body: the lobby sees a dropped connection.
            await send(
                {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"64")]}
            )
            await send({"type": "http.response.body", "body": b"{", "more_body": True})
            return
        await self.app(scope, replay, send)


@dataclass
class Lobby:
    url: str
    path: Path
    sessions: sessionmaker[Session]
    keys: KeyRing


@pytest.fixture
def lobby(tmp_path: Path) -> Iterator[Lobby]:
    """The lobby's own database file, and its field keys (not the hub's)."""
    path = tmp_path / "lobby.db"
    engine = make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    yield Lobby(f"sqlite:///{path}", path, make_sessionmaker(engine), KeyRing.generate())
    engine.dispose()


def _serve(hub: Hub, faults: Faults | None = None, port: int = 0) -> tuple[RunningHub, Faults]:
    faults = faults or Faults(create_app(load_settings(), hub.sessions, hub.keys))
    return serve_in_thread(cast(Any, faults), port=port), faults


def _enroll(hub: Hub, client: HubClient) -> uuid.UUID:
    with hub.sessions() as s:
        device_id, code = issue_pairing_code(s, ensure_center(s, "seoul-central"), "lobby", "lobby")
        s.commit()
    client.enroll(code)  # the client now carries the new device's token
    return device_id


def _visit(seed: int) -> VisitSubmission:
    return VisitSubmission.model_validate(submission(seed))


def _entries(lobby: Lobby) -> dict[str, OutboxEntry]:
    with lobby.sessions() as s:
        return {f"{e.kind}:{e.visit_id}": e for e in s.scalars(select(OutboxEntry)).all()}


def _tickets_of(hub: Hub, visit_id: uuid.UUID) -> list[Ticket]:
    with hub.sessions() as s:
        return list(s.scalars(select(Ticket).where(Ticket.visit_id == visit_id)).all())


def _waiting_numbers(hub: Hub, line: str) -> set[int]:
    with hub.sessions() as s:
        return set(s.scalars(select(Ticket.number).where(Ticket.line == line, Ticket.status == "waiting")))


def test_a_poison_visit_is_quarantined_and_everything_else_flows_past(hub_sqlite: Hub, lobby: Lobby) -> None:
    server, faults = _serve(hub_sqlite)
    client = HubClient(server.url, timeout_s=3)
    _enroll(hub_sqlite, client)
    outbox = LobbyOutbox(
        lobby.sessions,
        client,
        keys=lobby.keys,
        lines=("A",),
        reserve_per_line=3,
        quarantine_after=4,
        backoff_s=10,
        max_backoff_s=40,
    )
    poison, second, third = _visit(1), _visit(2), _visit(3)
    pid = str(poison.visit_id)
    try:
        assert outbox.replenish() == 3
        port = int(server.url.rsplit(":", 1)[1])
        server.stop()  # down: all three wait in the outbox, each with a reserved number
        held_numbers = {}
        for visit in (poison, second, third):
            assert not outbox.submit_visit(visit)
            ticket = outbox.take_ticket(visit.visit_id, "A")
            assert ticket.offline
            held_numbers[str(visit.visit_id)] = ticket.number
        faults.poison_visits.add(pid)
        server, _ = _serve(hub_sqlite, faults, port)  # back, but it answers 500 to one visit, always

        assert outbox.flush() == 4  # the other two visits and their claims went past the poison one
        assert faults.hits[pid] == 1
        entry = _entries(lobby)[f"visit:{pid}"]
        assert (entry.status, entry.attempts, entry.last_error) == ("pending", 1, "http_500")
        assert entry.next_attempt_at is not None
        assert timedelta(seconds=9) < entry.next_attempt_at - clock.now() <= timedelta(seconds=10)
        assert _waiting_numbers(hub_sqlite, "A") == {
            held_numbers[str(second.visit_id)],
            held_numbers[str(third.visit_id)],
        }
        assert outbox.flush() == 0 and faults.hits[pid] == 1  # backing off: not asked again yet

        # While it is pending the lobby still gets tickets straight from the hub and tops up its numbers.
        fourth = _visit(4)
        assert outbox.submit_visit(fourth)
        direct = outbox.take_ticket(fourth.visit_id, "A")
        assert not direct.offline and direct.number in _waiting_numbers(hub_sqlite, "A")
        assert outbox.replenish() == 3

        delays: list[int] = []
        # The clock stands still between shifts, so each delay is exactly what the outbox chose - a
        # ticking clock made the first one read 9 s when the machine was slow between two lines.
        with time_machine.travel(clock.now(), tick=False) as traveller:
            while _entries(lobby)[f"visit:{pid}"].status == "pending":
                due = _entries(lobby)[f"visit:{pid}"].next_attempt_at
                assert due is not None and len(delays) < 4
                delays.append(round((due - clock.now()).total_seconds()))
                traveller.shift(due - clock.now() + timedelta(seconds=1))
                outbox.flush()
        assert delays == [10, 20, 40]  # doubling, capped at max_backoff_s
        assert faults.hits[pid] == 4  # exactly quarantine_after tries reached the hub
        entries = _entries(lobby)
        assert entries[f"visit:{pid}"].status == "quarantined"
        assert entries[f"claim:{pid}"].status == "pending"  # its own claim waits for it; nothing else
        assert held_numbers[pid] not in _waiting_numbers(hub_sqlite, "A")
        health = outbox.health()
        assert (health.pending, health.held_auth, health.quarantined) == (1, 0, 1)
        assert "kiosk outbox list" in health.message and "따로 두었어요" in health.message
        shown = {e.id: e for e in list_entries(lobby.sessions)}
        assert shown[str(entries[f"visit:{pid}"].id)].last_error == "http_500"

        # Staff fix the cause and send it again: the visit and the number its holder has reach the hub.
        faults.poison_visits.clear()
        assert retry_entry(lobby.sessions, str(entries[f"visit:{pid}"].id)).status == "pending"
        assert outbox.flush() == 2
        assert held_numbers[pid] in _waiting_numbers(hub_sqlite, "A")
        assert outbox.health().ok and outbox.pending_count() == 0
    finally:
        server.stop()
        client.close()


def test_a_revoked_token_holds_entries_until_the_kiosk_is_enrolled_again(
    hub_sqlite: Hub, lobby: Lobby
) -> None:
    server, _ = _serve(hub_sqlite)
    client = HubClient(server.url, timeout_s=3)
    device_id = _enroll(hub_sqlite, client)
    outbox = LobbyOutbox(lobby.sessions, client, keys=lobby.keys, lines=("B",), reserve_per_line=2)
    try:
        assert outbox.replenish() == 2
        boss = hub_sqlite.login("boss")  # revoked on the running hub itself, which drops its token cache
        assert httpx.post(f"{server.url}/devices/{device_id}/revoke", headers=boss).status_code == 200

        people = [_visit(11), _visit(12)]
        numbers = []
        for visit in people:
            assert not outbox.submit_visit(visit)  # 401: kept, not failed
            ticket = outbox.take_ticket(visit.visit_id, "B")
            assert ticket.offline  # the person still gets a number: one the hub reserved for this kiosk
            numbers.append(ticket.number)
        assert outbox.flush() == 0 and outbox.replenish() == 0  # no hammering with a refused token
        statuses = sorted(e.status for e in _entries(lobby).values())
        assert statuses == ["held_auth"] * 4
        health = outbox.health()
        assert (health.pending, health.held_auth, health.quarantined) == (0, 4, 0)
        assert "다시 등록" in health.message and "enrolled again" in health.message
        assert not set(numbers) & _waiting_numbers(hub_sqlite, "B")

        _enroll(hub_sqlite, client)  # staff enroll the kiosk again: a new device, a new token
        assert outbox.flush() == 4
        assert set(numbers) <= _waiting_numbers(hub_sqlite, "B")  # the numbers people hold are called
        for visit, number in zip(people, numbers, strict=True):
            assert [t.number for t in _tickets_of(hub_sqlite, visit.visit_id)] == [number]
        assert outbox.health().ok and outbox.pending_count() == 0
        assert outbox.replenish() == 2  # and it reserves again under the new token
    finally:
        server.stop()
        client.close()


def test_a_lost_ticket_answer_ends_as_one_ticket_for_the_visit(hub: Hub, lobby: Lobby) -> None:
    server, faults = _serve(hub)
    client = HubClient(server.url, timeout_s=3)
    _enroll(hub, client)
    outbox = LobbyOutbox(lobby.sessions, client, keys=lobby.keys, lines=("B",), reserve_per_line=2)
    visit = _visit(21)
    try:
        assert outbox.replenish() == 2
        assert outbox.submit_visit(visit)
        faults.lose_ticket_answers.add(str(visit.visit_id))
        ticket = outbox.take_ticket(visit.visit_id, "B")
        assert faults.hits[str(visit.visit_id)] == 1
        assert ticket.offline  # the answer never came: the person got a reserved number
        assert len(_tickets_of(hub, visit.visit_id)) == 1  # the hub did issue one, nobody holds it

        assert outbox.flush() == 1  # the claim, under the same idempotency key as the lost request
        mine = [t for t in _tickets_of(hub, visit.visit_id) if t.status == "waiting"]
        assert [t.number for t in mine] == [ticket.number]  # one waiting ticket: the one printed
        with hub.sessions() as s:
            waiting = s.scalars(select(Ticket).where(Ticket.status == "waiting")).all()
            assert len(waiting) == 1
        queue = hub.http.get("/queue", headers=hub.login("kim")).json()
        shown = [t["display"] for line in queue["lines"] for t in line["waiting"]]
        assert shown == [ticket.display]
        # The lost request sent again (as a careful client would) answers with that same ticket.
        faults.lose_ticket_answers.clear()
        again = client.issue_ticket("B", visit.visit_id, f"ticket:{visit.visit_id}")
        assert str(again.id) == ticket.ticket_id
    finally:
        server.stop()
        client.close()


def test_a_late_direct_request_after_the_claim_issues_nothing_new(hub: Hub, lobby: Lobby) -> None:
    server, faults = _serve(hub)
    client = HubClient(server.url, timeout_s=3)
    _enroll(hub, client)
    outbox = LobbyOutbox(lobby.sessions, client, keys=lobby.keys, lines=("C",), reserve_per_line=1)
    visit = _visit(31)
    try:
        assert outbox.replenish() == 1
        assert outbox.submit_visit(visit)
        faults.fail_tickets.add(str(visit.visit_id))  # the direct request fails before the hub sees it
        ticket = outbox.take_ticket(visit.visit_id, "C")
        assert ticket.offline
        assert outbox.flush() == 1
        faults.fail_tickets.clear()
        # The direct request turns up after all (a slow network): same key, so the same single ticket.
        late = client.issue_ticket("C", visit.visit_id, f"ticket:{visit.visit_id}")
        assert str(late.id) == ticket.ticket_id
        assert [t.number for t in _tickets_of(hub, visit.visit_id)] == [ticket.number]
    finally:
        server.stop()
        client.close()


def test_the_outbox_file_holds_no_personal_data_and_no_payload_once_acknowledged(
    hub_sqlite: Hub, lobby: Lobby
) -> None:
    server, _ = _serve(hub_sqlite)
    client = HubClient(server.url, timeout_s=3)
    _enroll(hub_sqlite, client)
    outbox = LobbyOutbox(lobby.sessions, client, keys=lobby.keys, lines=("A",), reserve_per_line=1)
    rrn, phone = "800101-1234567", "010-9876-5432"
    body = submission(41, rrn=rrn)
    body["identity"]["phone"] = phone
    visit = VisitSubmission.model_validate(body)
    needles = [rrn.encode(), rrn.replace("-", "").encode(), phone.encode(), phone.replace("-", "").encode()]
    needles.append("홍길동".encode())

    def file_bytes() -> bytes:
        return b"".join(p.read_bytes() for p in lobby.path.parent.glob("lobby.db*"))

    try:
        assert outbox.replenish() == 1
        port = int(server.url.rsplit(":", 1)[1])
        server.stop()
        assert not outbox.submit_visit(visit)
        assert outbox.take_ticket(visit.visit_id, "A").offline
        entry = _entries(lobby)[f"visit:{visit.visit_id}"]
        assert entry.payload_enc is not None and entry.body == {}
        stored = lobby.keys.decrypt_text(entry.payload_enc, PAYLOAD_CONTEXT)
        assert rrn in stored  # it is really kept, encrypted ...
        assert not [n for n in needles if n in file_bytes()]  # ... and never in clear in the file
        ciphertext, digest = entry.payload_enc, entry.payload_sha256

        server, _ = _serve(hub_sqlite, port=port)
        assert outbox.flush() == 2
        entry = _entries(lobby)[f"visit:{visit.visit_id}"]
        assert entry.status == "sent" and entry.payload_enc is None and entry.body == {}
        assert entry.payload_sha256 == digest == hashlib.sha256(stored.encode()).hexdigest()
        data = file_bytes()
        assert ciphertext not in data and ciphertext[-32:] not in data  # not even the ciphertext stays
        assert not [n for n in needles if n in data]
    finally:
        server.stop()
        client.close()


def test_kiosk_outbox_list_and_retry(
    hub_sqlite: Hub, lobby: Lobby, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk.cli import main

    server, faults = _serve(hub_sqlite)
    client = HubClient(server.url, timeout_s=3)
    _enroll(hub_sqlite, client)
    outbox = LobbyOutbox(lobby.sessions, client, keys=lobby.keys, lines=("A",), quarantine_after=1)
    poison = _visit(51)
    faults.poison_visits.add(str(poison.visit_id))
    try:
        assert not outbox.submit_visit(poison)  # 500: kept
        assert outbox.flush() == 0  # and quarantined at once (quarantine_after=1)
        entry_id = str(_entries(lobby)[f"visit:{poison.visit_id}"].id)

        assert main(["outbox", "list", "--db", lobby.url]) == 0
        out = capsys.readouterr().out
        row = next(line for line in out.splitlines() if line.startswith(entry_id))
        assert row.split()[1:5] == ["visit", "quarantined", "1", "http_500"]
        assert "따로 두었어요" in out and "repeated failures" in out
        identity = poison.identity
        assert identity is not None and identity.rrn and identity.phone
        for secret in (identity.rrn, identity.rrn.replace("-", ""), identity.phone, "홍길동"):
            assert secret not in out

        assert main(["outbox", "retry", entry_id[:8], "--db", lobby.url]) == 0
        assert "다시 보내요" in capsys.readouterr().out
        assert _entries(lobby)[f"visit:{poison.visit_id}"].status == "pending"
        faults.poison_visits.clear()
        assert outbox.flush() == 1

        # Bad input: an id that matches nothing, one too short to be unambiguous, a database without tables.
        assert main(["outbox", "retry", "ffffffff", "--db", lobby.url]) == 2
        assert "OUTBOX_UNKNOWN_ENTRY" in capsys.readouterr().out
        assert main(["outbox", "retry", "a", "--db", lobby.url]) == 2
        capsys.readouterr()
        empty = f"sqlite:///{lobby.path.parent / 'empty.db'}"
        assert main(["outbox", "list", "--db", empty]) == 2
        assert "DB_NO_SCHEMA" in capsys.readouterr().out
        assert main(["outbox", "list", "--all", "--db", lobby.url]) == 0
        assert entry_id in capsys.readouterr().out  # sent entries are listed on request (ids only)
    finally:
        server.stop()
        client.close()


def test_a_hub_that_cannot_be_reached_charges_no_entry(lobby: Lobby) -> None:
    from kiosk.hub.server import free_port

    client = HubClient(f"http://127.0.0.1:{free_port()}", "d_nothing_listens", timeout_s=1)
    outbox = LobbyOutbox(lobby.sessions, client, keys=lobby.keys, quarantine_after=1)
    try:
        visit = _visit(61)
        assert not outbox.submit_visit(visit)
        with pytest.raises(HubUnavailable):
            outbox.take_ticket(visit.visit_id, "A")  # no hub, no reserved number: ask staff
        for _ in range(3):
            assert outbox.flush() == 0
        entry = _entries(lobby)[f"visit:{visit.visit_id}"]
        assert (entry.status, entry.attempts, entry.last_error) == ("pending", 0, "unreachable")
    finally:
        client.close()


def test_an_entry_written_before_encryption_is_sealed_at_the_first_sync(
    hub_sqlite: Hub, lobby: Lobby
) -> None:
    """A lobby upgraded with entries still queued (revision 0002): the clear body is encrypted, then sent."""
    visit = _visit(71)
    with lobby.sessions() as s:  # what the old outbox wrote: the submission in clear in `body`
        s.add(
            OutboxEntry(
                kind="visit", idempotency_key=f"visit:{visit.visit_id}", body=visit.model_dump(mode="json")
            )
        )
        s.commit()
    assert visit.identity is not None and visit.identity.rrn
    unreachable = HubClient("http://127.0.0.1:9", "d_nothing_listens", timeout_s=1)
    outbox = LobbyOutbox(lobby.sessions, unreachable, keys=lobby.keys)
    assert outbox.flush() == 0  # no hub yet; sealed all the same
    entry = _entries(lobby)[f"visit:{visit.visit_id}"]
    assert entry.body == {} and entry.payload_enc is not None
    assert visit.identity.rrn in lobby.keys.decrypt_text(entry.payload_enc, PAYLOAD_CONTEXT)
    assert visit.identity.rrn.encode() not in b"".join(
        p.read_bytes() for p in lobby.path.parent.glob("lobby.db*")
    )
    unreachable.close()

    server, _ = _serve(hub_sqlite)
    client = HubClient(server.url, timeout_s=3)
    _enroll(hub_sqlite, client)
    try:
        assert LobbyOutbox(lobby.sessions, client, keys=lobby.keys).flush() == 1
        with hub_sqlite.sessions() as s:
            assert s.get(db.models.Visit, visit.visit_id) is not None
    finally:
        server.stop()
        client.close()
