"""Lobbies' ticket requests, issued together: one transaction for the requests that arrive together.

Issuing a ticket is the other busy write (every walk-in, at every lobby). Requests that arrive while
the database is busy are issued in one go (kiosk.hub.group_commit): the database's write lock is
taken first, then one read of each line's last number and waiting count, one multi-row INSERT of the
tickets and one of their idempotency records, one commit. Numbers follow arrival order. The unique
(center, day, line, number) constraint still judges: a clash fails the batch, and each request is
issued again on its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from config import clock
from db.base import utcnow
from db.models import Device, DeviceKind, IdempotencyRecord, Ticket, TicketStatus, Visit
from kiosk.api import TicketOut
from kiosk.hub.auth import Principal
from kiosk.hub.errors import HubError, idempotency_conflict, not_found, other_center
from kiosk.hub.views import ticket_out
from kiosk.queue.lines import ServiceLine
from kiosk.queue.tickets import (
    WAITING,
    IssuedTicket,
    begin_numbering,
    insert_tickets,
    line_counts,
    lock_numbering,
    lookup_code,
)
from kiosk.queue.waits import LinePace, line_pace

SCOPE = "ticket.issue"
_TICKET, _VISIT, _IDEM = Ticket.__table__, Visit.__table__, IdempotencyRecord.__table__
_VISITS = select(_VISIT.c.id, _VISIT.c.center_id).where(_VISIT.c.id.in_(bindparam("ids", expanding=True)))
_REPLAYS = select(_IDEM.c.key, _IDEM.c.principal, _IDEM.c.request_sha256, _IDEM.c.response).where(
    _IDEM.c.scope == SCOPE, _IDEM.c.key.in_(bindparam("keys", expanding=True))
)
_INSERT_RECORDS = insert(IdempotencyRecord)


@dataclass
class TicketRequest:
    principal: Principal
    line: ServiceLine
    visit_id: uuid.UUID | None
    key: str
    request_sha: str
    issued: TicketOut | None = None  # set once committed (a replay issues nothing)


def _replay(
    request: TicketRequest, actor: str, request_sha: str, response: TicketOut | dict[str, Any]
) -> TicketOut | HubError:
    """The stored answer for a repeated key; the same key from someone else or for another body: 409."""
    if actor != request.principal.actor or request_sha != request.request_sha:
        return idempotency_conflict()
    return response if isinstance(response, TicketOut) else TicketOut.model_validate(response)


def issue_batch(session: Session, batch: list[TicketRequest]) -> list[TicketOut | HubError]:
    """Issue the new requests of `batch` in one transaction and commit; answer each in order."""
    answered = stage_tickets(session, batch)
    session.commit()
    return answered()


def stage_tickets(session: Session, batch: list[TicketRequest]) -> Callable[[], list[TicketOut | HubError]]:
    """Run the statements that issue the new requests of `batch`, in one transaction left open; the
    function returned answers each in order and must be called only once the caller has committed
    (kiosk.hub.group_commit commits off the event loop)."""
    conn = session.connection()
    begin_numbering(session)  # SQLite: before the stored answers are read, so none is added meanwhile
    stored = {row.key: row for row in conn.execute(_REPLAYS, {"keys": list({r.key for r in batch})})}
    visit_ids = list({r.visit_id for r in batch if r.visit_id is not None})
    visit_centers = dict(conn.execute(_VISITS, {"ids": visit_ids}).all()) if visit_ids else {}
    answers: dict[int, TicketOut | HubError] = {}
    issued_out: dict[int, TicketOut] = {}
    fresh: dict[str, int] = {}  # key → index of the request that issues it
    for index, request in enumerate(batch):
        if request.key in stored:
            row = stored[request.key]
            answers[index] = _replay(request, row.principal, row.request_sha256, dict(row.response))
        elif request.key in fresh:
            continue  # the same key twice in this batch: answered from the first, below
        elif request.visit_id is not None and request.visit_id not in visit_centers:
            answers[index] = not_found("방문 기록", "Visit")
        elif request.visit_id is not None and not request.principal.may_see_center(
            visit_centers[request.visit_id]
        ):
            answers[index] = other_center()
        else:
            fresh[request.key] = index
    now = utcnow()
    service_date = clock.local_date(now)
    tickets: list[IssuedTicket] = []
    records: list[dict[str, Any]] = []
    for center_id, indexes in _by_center(batch, fresh.values()).items():
        lines = sorted({batch[i].line.code for i in indexes})
        for line in lines:  # in a fixed order, so two batches never wait for each other in a circle
            lock_numbering(session, center_id, service_date, line)
        counts = line_counts(session, center_id, service_date, lines)
        paces: dict[str, LinePace] = {}
        for index in indexes:
            request = batch[index]
            code = request.line.code
            waiting = counts[code].waiting
            if waiting and code not in paces:  # the one wait rule (kiosk.queue.waits)
                paces[code] = line_pace(conn, center_id, code, service_date)
            number = counts[code].take()
            issued = IssuedTicket(
                id=uuid.uuid4(),
                center_id=center_id,
                visit_id=request.visit_id,
                service_date=service_date,
                line=code,
                number=number,
                display=request.line.display(number),
                lookup_code=lookup_code(),
                created_at=now,
            )
            out = ticket_out(issued, paces[code].wait_for(waiting) if waiting else 0)
            tickets.append(issued)  # keyed by its idempotency record, not a key on the ticket
            records.append(
                {
                    "id": uuid.uuid4(),
                    "scope": SCOPE,
                    "key": request.key,
                    "principal": request.principal.actor,
                    "request_sha256": request.request_sha,
                    "status_code": 200,
                    "response": out.model_dump(mode="json"),
                }
            )
            answers[index] = issued_out[index] = out
    if tickets:
        insert_tickets(session, tickets)
        conn.execute(_INSERT_RECORDS, records)

    def answered() -> list[TicketOut | HubError]:
        for index, out in issued_out.items():
            batch[index].issued = out  # only now: a batch that fails to commit is issued again
        for index, request in enumerate(batch):
            if index not in answers:  # a repeated key within the batch: the first request's answer
                first = fresh[request.key]
                answers[index] = _replay(
                    request, batch[first].principal.actor, batch[first].request_sha, issued_out[first]
                )
        return [answers[index] for index in range(len(batch))]

    return answered


def _by_center(batch: list[TicketRequest], indexes: Any) -> dict[uuid.UUID, list[int]]:
    groups: dict[uuid.UUID, list[int]] = {}
    for index in sorted(indexes):
        center_id = batch[index].principal.center_id
        assert center_id is not None  # lobby devices always belong to a center
        groups.setdefault(center_id, []).append(index)
    return groups


# --- a claim of a reserved number under the key of a direct issue (the lobby's outbox, issue 13) -------
def reserved_for(session: Session, principal: Principal, note: str | None) -> bool:
    """A reservation this lobby may claim: its own, or one of a revoked lobby of its center — a kiosk
    enrolled again gets a new device id, and the people holding those numbers still need their place."""
    prefix = "reserved by device:"
    if note is None or not note.startswith(prefix):
        return False
    holder = note.removeprefix(prefix)
    if holder == str(principal.id):
        return True
    try:
        device = session.get(Device, uuid.UUID(holder))
    except ValueError:
        return False
    return (
        device is not None
        and device.revoked
        and device.kind == DeviceKind.LOBBY
        and principal.may_see_center(device.center_id)
    )


def settle_claim_key(
    session: Session,
    principal: Principal,
    key: str,
    claimed: Ticket,
    issue_sha: str,
    answer_for: Callable[[Ticket], TicketOut],
) -> TicketOut:
    """One ticket per key: the lobby claims a reserved number with the key of the direct request
    (`POST /tickets`) it gave up on. If that request did reach the hub, its ticket — a number nobody
    holds — is set aside (status `reserved`, noted as superseded: never called, never claimable), and
    the key's stored answer becomes the claimed ticket. If it did not, the claim is stored under the key
    too, so that request arriving late issues nothing. Call before committing the claim."""
    conn = session.connection()
    stored = conn.execute(_REPLAYS, {"keys": [key]}).first()
    if stored is not None and stored.principal == principal.actor:
        lost = session.get(Ticket, uuid.UUID(str(dict(stored.response)["id"])))
        if (
            lost is not None
            and lost.id != claimed.id
            and lost.status == WAITING
            and lost.visit_id == claimed.visit_id
        ):
            lost.status, lost.transfer_note = TicketStatus.RESERVED, f"superseded by ticket:{claimed.id}"
    session.flush()
    out = answer_for(claimed)
    answer = out.model_dump(mode="json")
    if stored is None:
        conn.execute(
            _INSERT_RECORDS,
            [
                {
                    "id": uuid.uuid4(),
                    "scope": SCOPE,
                    "key": key,
                    "principal": principal.actor,
                    "request_sha256": issue_sha,
                    "status_code": 200,
                    "response": answer,
                }
            ],
        )
    elif stored.principal == principal.actor:
        conn.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.scope == SCOPE, IdempotencyRecord.key == key)
            .values(response=answer)
        )
    return out
