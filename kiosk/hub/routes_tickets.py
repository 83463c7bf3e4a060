"""Tickets and the queue: issue (idempotent), reserve for offline lobbies, call next, recall, transfer.

Numbering and statuses are the queue module's (kiosk.queue); this router adds authentication,
idempotency and events. Called tickets are announced by number and desk only, never by name.

Offline lobbies: a lobby reserves a few real tickets per line while it can reach the hub (status
`reserved`, invisible to call-next). When the hub is unreachable it hands one out and later claims it
(`/tickets/{id}/claim` → `waiting`). The hub's unique (center, day, line, number) constraint therefore
covers offline numbers too, and the lobby's TicketReservation table stops it handing one out twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from config import clock
from db import sync_events
from db.audit import append_event
from db.models import Ticket, TicketStatus, Visit
from kiosk.api import (
    CallNextIn,
    ClaimIn,
    IdemKey,
    QueueOut,
    ReserveIn,
    TicketIssueIn,
    TicketOut,
    TransferIn,
)
from kiosk.api import errors as codes
from kiosk.api.tickets import CallNextAnyIn, SmsStatusOut, TicketLinkOut, TicketSmsIn, TicketSmsOut
from kiosk.hub.auth import Principal
from kiosk.hub.deps import (
    CallerDep,
    CounselorDep,
    HubState,
    LobbyDep,
    SessionDep,
    StateDep,
    body_sha256,
    check_center,
    commit_or_replay,
    replayed,
)
from kiosk.hub.errors import HubError, forbidden, not_found, sms_unavailable
from kiosk.hub.queue_view import queue_board
from kiosk.hub.ticket_store import TicketRequest, reserved_for, settle_claim_key
from kiosk.hub.views import ticket_out
from kiosk.queue.board import call_next_across
from kiosk.queue.tickets import issue_ticket, service_line, waiting_order
from kiosk.queue.waits import line_pace, people_ahead
from kiosk.sms import ticket_calls
from kiosk.sms.numbers import InvalidMobile
from kiosk.web import links as web_links

router = APIRouter(tags=["tickets"])


def _service_date() -> date:
    return clock.today()


_VISIT = Visit.__table__
_VISIT_CENTER = select(_VISIT.c.center_id).where(_VISIT.c.id == bindparam("visit_id"))


def _check_visit(session: Session, principal: Principal, visit_id: uuid.UUID | None) -> None:
    if visit_id is None:
        return
    row = session.connection().execute(_VISIT_CENTER, {"visit_id": visit_id}).first()
    if row is None:
        raise not_found("방문 기록", "Visit")
    check_center(principal, row.center_id)


def _wait_minutes(session: Session, ticket: Ticket) -> int:
    """A claimed ticket's wait: the one rule of kiosk.queue.waits (people ahead in calling order)."""
    position = people_ahead(
        waiting_order(session, ticket.center_id, ticket.line, ticket.service_date), ticket.id
    )
    if not position:
        return 0  # next in line: no need to measure the line's pace
    return line_pace(session, ticket.center_id, ticket.line, ticket.service_date).wait_for(position)


@contextmanager
def queue_errors() -> Iterator[None]:
    """The queue module's refusals (unknown line, impossible transition) as ko+en 4xx answers."""
    from kiosk.queue.tickets import QueueError

    try:
        yield
    except QueueError as exc:
        status = 422 if exc.code == "QUEUE_UNKNOWN_LINE" else 409
        raise HubError(status, exc.code.lower(), exc.ko, exc.en) from None


def _issue(
    session: Session, principal: Principal, line: str, visit_id: uuid.UUID | None, key: str | None
) -> Ticket:
    from kiosk.queue.tickets import issue_ticket

    with queue_errors():
        return issue_ticket(session, principal.center_id, line, visit_id=visit_id, idempotency_key=key)


@router.post("/tickets", response_model=TicketOut, summary="Issue a ticket (Idempotency-Key required)")
async def issue(
    body: TicketIssueIn, idempotency_key: IdemKey, principal: LobbyDep, state: StateDep
) -> TicketOut:
    with queue_errors():
        line = service_line(body.line)
    request = TicketRequest(
        principal, line, body.visit_id, idempotency_key, body_sha256(body.model_dump(mode="json"))
    )
    # Issued in one transaction with the other requests arriving now (kiosk.hub.ticket_store).
    out: TicketOut = await state.ticket_batches.submit(request)
    if request.issued is not None:
        state.bus.publish(str(principal.center_id), "ticket.issued", _public(out))
    return out


@router.post("/tickets/reserve", response_model=list[TicketOut], summary="Reserve numbers for offline use")
def reserve(body: ReserveIn, principal: LobbyDep, state: StateDep, session: SessionDep) -> list[TicketOut]:
    tickets = []
    with state.ticket_lock:
        for _ in range(body.count):
            with queue_errors():
                ticket = issue_ticket(
                    session,
                    principal.center_id,
                    body.line,
                    transfer_note=f"reserved by device:{principal.id}",
                    status=TicketStatus.RESERVED,  # not issued to anyone yet (HQ hears of it at the claim)
                )
            tickets.append(ticket)
        append_event(session, principal.actor, "ticket.reserve", f"line:{body.line}", {"count": body.count})
        session.commit()
    return [ticket_out(t) for t in tickets]


@router.post("/tickets/{ticket_id}/claim", response_model=TicketOut, summary="Claim a reserved ticket")
def claim(
    ticket_id: uuid.UUID,
    body: ClaimIn,
    idempotency_key: IdemKey,
    principal: LobbyDep,
    state: StateDep,
    session: SessionDep,
) -> TicketOut:
    request_sha = body_sha256({"ticket": str(ticket_id), **body.model_dump(mode="json")})
    answer = replayed(session, "ticket.claim", idempotency_key, principal, request_sha)
    if answer is not None:
        return TicketOut.model_validate(answer)
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise not_found("번호표", "Ticket")
    check_center(principal, ticket.center_id)
    if ticket.status != TicketStatus.RESERVED or not reserved_for(session, principal, ticket.transfer_note):
        raise HubError(
            409,
            "ticket_not_reserved",
            "이 기기에 남겨 둔 번호표가 아니에요.",
            "Ticket is not reserved for this device.",
        )
    _check_visit(session, principal, body.visit_id)
    ticket.status = TicketStatus.WAITING
    ticket.visit_id = body.visit_id
    ticket.transfer_note = None
    sync_events.ticket_claimed(session, ticket)  # issued to a person now, for HQ (not when reserved)
    issue_sha = body_sha256({"line": ticket.line, "visit_id": str(body.visit_id)})  # as POST /tickets
    out = settle_claim_key(
        session,
        principal,
        idempotency_key,
        ticket,
        issue_sha,
        lambda t: ticket_out(t, _wait_minutes(session, t)),
    )
    answer = commit_or_replay(
        session, "ticket.claim", idempotency_key, principal, request_sha, out.model_dump(mode="json")
    )
    if answer is not None:
        return TicketOut.model_validate(answer)
    state.bus.publish(str(principal.center_id), "ticket.issued", _public(out))
    return out


@router.get("/queue", response_model=QueueOut, summary="Today's queue per line with waits")
def queue(principal: CallerDep, state: StateDep, session: SessionDep) -> QueueOut:
    if not (principal.is_counselor() or principal.is_device("lobby", "display", "desk")):
        raise forbidden()
    assert principal.center_id is not None
    board = queue_board(session, principal.center_id, _service_date(), state.mirrors)
    if not principal.is_counselor():
        # Lobbies and hall displays learn numbers and waits, not what a person did at a kiosk.
        for line in board.lines:
            for row in (*line.waiting, *line.called):
                row.intake, row.help_requested = "ticket_only", False
    return board


def _public(out: TicketOut) -> dict[str, object]:
    """What a hall display may show: number, line, desk, status — no visit, no person."""
    return {
        "ticket_id": str(out.id),
        "display": out.display,
        "line": out.line,
        "status": out.status,
        "desk": out.desk,
        "wait_minutes": out.wait_minutes,
    }


@router.post(
    "/queue/{line}/call-next",
    response_model=TicketOut,
    responses={204: {"description": "queue empty"}},
    summary="Call the next waiting ticket of a line to this desk",
)
def call_next(
    line: str, body: CallNextIn, principal: CounselorDep, state: StateDep, session: SessionDep
) -> TicketOut | Response:
    from kiosk.queue.tickets import call_next as queue_call_next

    if len(line) != 1 or not line.isupper():
        raise HubError(422, "unknown_line", "없는 상담 창구예요.", "Unknown service line.")
    with queue_errors():
        ticket = queue_call_next(session, principal.center_id, line, body.desk, principal.id)
    return _announce_call(session, principal, state, ticket, body.desk)


@router.post(
    "/queue/call-next",
    response_model=TicketOut,
    responses={204: {"description": "nobody waits in these lines"}},
    summary="Call the longest-waiting ticket over several lines (all lines when none given)",
)
def call_next_any(
    body: CallNextAnyIn, principal: CounselorDep, state: StateDep, session: SessionDep
) -> TicketOut | Response:
    with queue_errors():
        for code in body.lines or ():
            service_line(code)
        ticket = call_next_across(session, principal.center_id, body.lines, body.desk, principal.id)
    return _announce_call(session, principal, state, ticket, body.desk)


def _announce_call(
    session: Session, principal: Principal, state: HubState, ticket: Ticket | None, desk: str
) -> TicketOut | Response:
    if ticket is None:
        session.commit()
        return Response(status_code=204)
    append_event(session, principal.actor, "ticket.call", f"ticket:{ticket.id}", {"desk": desk})
    _queue_moved(session, state, ticket, {ticket.line}, called=ticket)
    session.commit()
    _wake_sms(state)
    out = ticket_out(ticket)
    state.bus.publish(str(principal.center_id), "ticket.called", _public(out))
    return out


def _load_ticket(session: Session, principal: Principal, ticket_id: uuid.UUID) -> Ticket:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise not_found("번호표", "Ticket")
    check_center(principal, ticket.center_id)
    return ticket


@router.post(
    "/tickets/{ticket_id}/recall", response_model=TicketOut, summary="Announce a called ticket again"
)
def recall(ticket_id: uuid.UUID, principal: CounselorDep, state: StateDep, session: SessionDep) -> TicketOut:
    ticket = _load_ticket(session, principal, ticket_id)
    if ticket.status not in (TicketStatus.CALLED, TicketStatus.SERVING):
        raise HubError(409, "ticket_not_called", "호출된 번호표가 아니에요.", "Ticket has not been called.")
    # No second SMS: the phone already shows this call's "N번 창구로 와 주세요" (kiosk.sms.ticket_calls).
    out = ticket_out(ticket)
    state.bus.publish(str(principal.center_id), "ticket.called", {**_public(out), "recall": True})
    return out


@router.post(
    "/tickets/{ticket_id}/transfer", response_model=TicketOut, summary="Move a ticket to another line"
)
def transfer(
    ticket_id: uuid.UUID, body: TransferIn, principal: CounselorDep, state: StateDep, session: SessionDep
) -> TicketOut:
    from kiosk.queue.tickets import transfer as queue_transfer

    ticket = _load_ticket(session, principal, ticket_id)
    with queue_errors():
        moved = queue_transfer(session, ticket.id, body.line, body.note)
    append_event(session, principal.actor, "ticket.transfer", f"ticket:{ticket.id}", {"line": body.line})
    if state.sms is not None:
        ticket_calls.follow_transfer(session, ticket.id, moved)
    _queue_moved(session, state, ticket, {ticket.line, moved.line})
    session.commit()
    _wake_sms(state)
    out = ticket_out(moved if isinstance(moved, Ticket) else ticket)
    state.bus.publish(str(principal.center_id), "ticket.updated", _public(out))
    return out


@router.post("/tickets/{ticket_id}/no-show", response_model=TicketOut)
def no_show(ticket_id: uuid.UUID, principal: CounselorDep, state: StateDep, session: SessionDep) -> TicketOut:
    from kiosk.queue.tickets import mark_no_show

    ticket = _load_ticket(session, principal, ticket_id)
    with queue_errors():
        mark_no_show(session, ticket.id)
    append_event(session, principal.actor, "ticket.no_show", f"ticket:{ticket.id}")
    _queue_moved(session, state, ticket, {ticket.line})
    session.commit()
    _wake_sms(state)
    out = ticket_out(ticket)
    state.bus.publish(str(principal.center_id), "ticket.updated", _public(out))
    return out


@router.post(
    "/tickets/{ticket_id}/done", response_model=TicketOut, summary="Counseling of this ticket finished"
)
def done(ticket_id: uuid.UUID, principal: CounselorDep, state: StateDep, session: SessionDep) -> TicketOut:
    from kiosk.queue.tickets import finish, start_serving

    ticket = _load_ticket(session, principal, ticket_id)
    with queue_errors():
        if ticket.status == TicketStatus.CALLED:
            start_serving(session, ticket.id)
        finish(session, ticket.id)
    _queue_moved(session, state, ticket, {ticket.line})
    session.commit()
    _wake_sms(state)
    out = ticket_out(ticket)
    state.bus.publish(str(principal.center_id), "ticket.updated", _public(out))
    return out


# --- ticket calls by SMS (issue 18) ----------------------------------------------------------------------


def _queue_moved(
    session: Session, state: HubState, ticket: Ticket, lines: set[str], *, called: Ticket | None = None
) -> None:
    """The messages this change makes due, stored in its own transaction (kiosk.sms.ticket_calls)."""
    if state.sms is not None:
        ticket_calls.queue_moved(
            session, state.sms, state.keys, ticket.center_id, ticket.service_date, lines, called=called
        )


def _wake_sms(state: HubState) -> None:
    if state.sms is not None:
        state.sms.wake()  # after the commit: the sender sees the rows now, not on its next look


@router.post(
    "/tickets/{ticket_id}/link",
    response_model=TicketLinkOut,
    summary="A link to the ticket's 내 순서 page for the holder's phone (the QR on the slip)",
)
def ticket_link(
    ticket_id: uuid.UUID, principal: LobbyDep, state: StateDep, session: SessionDep
) -> TicketLinkOut:
    ticket = _load_ticket(session, principal, ticket_id)
    visit = session.get(Visit, ticket.visit_id) if ticket.visit_id is not None else None
    if visit is None or visit.device_id != principal.id:  # only the kiosk the person stands at
        raise forbidden("이 기기에서 받은 번호표가 아니에요.", "This ticket was not issued at this device.")
    token = web_links.ticket_token(session, ticket)
    append_event(session, principal.actor, "ticket.link", f"ticket:{ticket.id}", None)
    session.commit()
    base = state.settings.web.public_url or state.settings.hub.url.rstrip("/")
    return TicketLinkOut(url=f"{base}/m/t/{token}", expires_at=web_links.end_of_service_day(ticket))


@router.get("/sms/status", response_model=SmsStatusOut, summary="Whether the center offers SMS now")
async def sms_status(principal: CallerDep, state: StateDep) -> SmsStatusOut:
    return SmsStatusOut(available=ticket_calls.sms_offered(state.sms))


@router.post(
    "/tickets/{ticket_id}/sms",
    response_model=TicketSmsOut,
    summary="Tell this ticket's holder by SMS: its turn (calls) and/or its number (send_number)",
)
def ticket_sms(
    ticket_id: uuid.UUID, body: TicketSmsIn, principal: LobbyDep, state: StateDep, session: SessionDep
) -> TicketSmsOut:
    ticket = _load_ticket(session, principal, ticket_id)
    visit = session.get(Visit, ticket.visit_id) if ticket.visit_id is not None else None
    if visit is None or visit.device_id != principal.id:  # only the kiosk the person stands at
        raise forbidden("이 기기에서 받은 번호표가 아니에요.", "This ticket was not issued at this device.")
    if not ticket_calls.sms_offered(state.sms):  # after 404/403: what is not yours is not yours either way
        raise sms_unavailable("번호를 기억하시거나 번호표의 QR을 찍어 주세요.")
    open_statuses = (
        (TicketStatus.WAITING, TicketStatus.CALLED) if body.send_number else (TicketStatus.WAITING,)
    )
    if ticket.status not in open_statuses:
        raise HubError(
            409, "ticket_not_waiting", "이미 호출됐거나 끝난 번호표예요.", "The ticket is no longer waiting."
        )
    try:
        stored = ticket_calls.opt_in(
            session,
            state.sms,
            state.keys,
            ticket,
            body.phone,
            device_id=principal.id,
            calls=body.calls,
            send_number=body.send_number,
        )
    except InvalidMobile as exc:
        raise HubError(400, codes.SMS_NOT_MOBILE, exc.message_ko, "Not a Korean mobile number.") from None
    detail = {"calls": int(stored.calls), "number_sent": int(stored.number_message_id is not None)}
    append_event(session, principal.actor, "ticket.sms_opt_in", f"ticket:{ticket.id}", detail)
    session.commit()
    _wake_sms(state)
    return TicketSmsOut(
        ticket_id=ticket.id,
        to_masked=stored.to_masked,
        calls=stored.calls,
        number_message_id=stored.number_message_id,
    )
