"""The sync events each change makes, worded once (HQ-CONTRACT.md): the hooks call these, one line each.

Each function reads what the event needs from the rows the caller just wrote and records it with
db.sync_log in the caller's transaction. Ids travel as UUID strings, times as ISO 8601 UTC, dates as ISO
dates. Nothing here names a person: a visit carries at most ``person_bi``, the blind index.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from config import clock
from db.models import (
    Case,
    Consent,
    Device,
    DeviceHealth,
    Document,
    FollowUp,
    MatchResult,
    Person,
    Ticket,
    TicketStatus,
    Visit,
)
from db.models.enums import FollowUpStatus
from db.pii import mask_pii_text
from db.sync_log import record, record_many


def iso(at: datetime | None) -> str | None:
    return None if at is None else at.astimezone(UTC).isoformat()


def _id(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)


class NewTicket(Protocol):
    """A just-numbered ticket as kiosk.queue writes it (IssuedTicket): only what the event needs."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def center_id(self) -> uuid.UUID: ...
    @property
    def line(self) -> str: ...
    @property
    def display(self) -> str: ...
    @property
    def service_date(self) -> date: ...
    @property
    def created_at(self) -> datetime: ...


def tickets_issued(session: Session, tickets: Iterable[NewTicket]) -> None:
    record_many(
        session,
        [
            (
                t.center_id,
                "ticket.issued",
                {
                    "ticket_id": str(t.id),
                    "line": t.line,
                    "display": t.display,
                    "service_date": t.service_date.isoformat(),
                    "issued_at": iso(t.created_at),
                },
            )
            for t in tickets
        ],
    )


def ticket_claimed(session: Session, ticket: Ticket) -> None:
    """A number reserved for offline use, handed to a person: issued as of now (the claim)."""
    record(
        session,
        ticket.center_id,
        "ticket.issued",
        {
            "ticket_id": str(ticket.id),
            "line": ticket.line,
            "display": ticket.display,
            "service_date": ticket.service_date.isoformat(),
            "issued_at": iso(clock.now()),
        },
    )


_ENDED = {
    TicketStatus.DONE: "ticket.done",
    TicketStatus.NO_SHOW: "ticket.no_show",
    TicketStatus.CANCELLED: "ticket.cancelled",
}


def ticket_changed(session: Session, ticket: Ticket) -> None:
    """A call, or the end of a ticket (done, no-show, cancelled): what its status now is says which."""
    if ticket.status == TicketStatus.CALLED:
        data: dict[str, Any] = {
            "ticket_id": str(ticket.id),
            "desk": ticket.desk,
            "counselor_id": _id(ticket.counselor_id),
            "called_at": iso(ticket.called_at),
        }
        record(session, ticket.center_id, "ticket.called", data)
    elif ticket.status in _ENDED:
        data = {"ticket_id": str(ticket.id)}
        if ticket.status == TicketStatus.DONE:
            data["done_at"] = iso(ticket.done_at)
        record(session, ticket.center_id, _ENDED[ticket.status], data)


def ticket_transferred(session: Session, ticket: Ticket, to_line: str) -> None:
    record(session, ticket.center_id, "ticket.transferred", {"ticket_id": str(ticket.id), "to_line": to_line})


def _programs(verdicts: Sequence[Mapping[str, Any]], verdict: str) -> list[str]:
    # Catalogue ids ("ccrs.pre_workout"). A lobby may send any short text as an id: one shaped like an
    # RRN or a phone number is left out rather than failing the whole batch of submissions.
    ids = (str(v["id"]) for v in verdicts if v.get("verdict") == verdict and "id" in v)
    return [i for i in ids if mask_pii_text(i) == i]


def visits_submitted(
    session: Session, visits: Iterable[tuple[Mapping[Any, list[dict[str, Any]]], str | None]]
) -> None:
    """Lobby submissions as kiosk.hub.visit_store writes them: (rows per model, the person's blind index).

    Each makes ``visit.submitted`` and, with a consent, ``consent.given``."""
    events: list[tuple[uuid.UUID, str, Mapping[str, Any]]] = []
    for rows, person_bi in visits:
        visit = rows[Visit][0]
        verdicts = [v for match in rows.get(MatchResult, []) for v in match.get("verdicts", [])]
        data: dict[str, Any] = {
            "visit_id": str(visit["id"]),
            "path": str(getattr(visit["path"], "value", visit["path"])),
            "programs_eligible": _programs(verdicts, "eligible"),
            "programs_maybe": _programs(verdicts, "maybe"),
        }
        if person_bi:
            data["person_bi"] = person_bi
        events.append((visit["center_id"], "visit.submitted", data))
        for consent in rows.get(Consent, []):
            events.append((visit["center_id"], "consent.given", _consent_data(visit["id"], consent)))
    record_many(session, events)


def _consent_data(visit_id: uuid.UUID, consent: Mapping[str, Any]) -> dict[str, Any]:
    method = consent.get("method")
    return {
        "visit_id": str(visit_id),
        "consent_id": str(consent["id"]),
        "method": str(getattr(method, "value", method)),
    }


def consent_given(session: Session, visit: Visit, consent: Consent) -> None:
    assert visit.center_id is not None
    data = _consent_data(visit.id, {"id": consent.id, "method": consent.method})
    record(session, visit.center_id, "consent.given", data)


def consent_withdrawn(session: Session, visit: Visit) -> None:
    assert visit.center_id is not None
    record(session, visit.center_id, "consent.withdrawn", {"visit_id": str(visit.id)})


def case_outcome(session: Session, visit: Visit, case: Case) -> None:
    assert visit.center_id is not None
    data = {"visit_id": str(visit.id), "counselor_id": _id(case.counselor_id), "outcome": case.outcome}
    record(session, visit.center_id, "case.outcome", data)


def document_signed(session: Session, visit: Visit, document: Document) -> None:
    assert visit.center_id is not None
    data = {"document_id": str(document.id), "visit_id": str(visit.id), "template": document.template}
    record(session, visit.center_id, "document.signed", data)


def _center_of_case(session: Session, case_id: uuid.UUID) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    row = session.execute(
        select(Visit.center_id, Visit.id).join(Case, Case.visit_id == Visit.id).where(Case.id == case_id)
    ).first()
    return (row.center_id, row.id) if row is not None else (None, None)


def followups_planned(session: Session, followups: Sequence[FollowUp]) -> None:
    events: list[tuple[uuid.UUID, str, Mapping[str, Any]]] = []
    for followup in followups:
        center_id, visit_id = _center_of_case(session, followup.case_id)
        if center_id is None:
            continue  # a case without a center's visit (none in a hub): nothing to tell HQ
        data = {
            "follow_up_id": str(followup.id),
            "visit_id": str(visit_id),
            "kind": followup.kind,
            "due_date": followup.due_date.isoformat(),
        }
        events.append((center_id, "followup.planned", data))
    record_many(session, events)


def followup_recorded(session: Session, followup: FollowUp) -> None:
    """A follow-up closed: ``followup.done`` when done (the contract has no event for a missed one)."""
    if followup.status != FollowUpStatus.DONE:
        return
    center_id, _visit_id = _center_of_case(session, followup.case_id)
    if center_id is not None:
        record(session, center_id, "followup.done", {"follow_up_id": str(followup.id)})


def person_purged(session: Session, person: Person) -> None:
    """A person deleted by the retention purge, told by blind index to each center they visited
    (HQ's copy recognises them by it and purges too). Call before their visits are unlinked."""
    if not person.rrn_blind_index:
        return  # no blind index: HQ never had a way to name them
    centers = session.scalars(
        select(Visit.center_id).where(Visit.person_id == person.id, Visit.center_id.is_not(None)).distinct()
    ).all()
    refs = {"person_refs": [person.rrn_blind_index]}
    record_many(session, [(center_id, "purge", refs) for center_id in sorted(c for c in centers if c)])


def device_health(
    session: Session, device: Device, health: DeviceHealth, alert: Mapping[str, Any] | None = None
) -> None:
    """A device's stored health as HQ's fleet view reads it; ``alert`` ({printer, since, minutes}) when the
    hub has just raised the printer alert (HQ-CONTRACT.md has no ``device.alert`` type: the alert rides
    on this event as an extra key, which HQ's codec admits)."""
    data: dict[str, Any] = {
        "device_id": str(device.id),
        "kind": str(getattr(device.kind, "value", device.kind)),
        "last_seen": iso(health.last_seen),
        "version": health.version or None,  # HQ reads "" as a malformed text; unknown is null
        "printer": str(getattr(health.printer, "value", health.printer)),
        "reader": health.reader,
    }
    if alert is not None:
        data["alert"] = dict(alert)
    record(session, device.center_id, "device.health", data)
