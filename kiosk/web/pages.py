"""The pages under ``/m``: home, "내 순서" (with its live stream), the 24-hour chatbot.

Every page reads the hub's state but never a hub token: a web token opens only its own page, and no
route here reaches the counselor API. Database work runs on the thread pool, never on the event loop.
Unknown, expired and malformed links get the same calm page (no oracle for guessing).
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles

from db.models import Ticket
from kiosk.assistant.engine import ChatAnswer
from kiosk.hub import routes_chat
from kiosk.web.links import open_link
from kiosk.web.render import english as _english
from kiosk.web.render import hub_of, render_page
from kiosk.web.turn import Turn, TurnBoard
from kiosk.web.words import SUGGESTIONS

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
MAX_QUESTION_BYTES = 2000
KEEPALIVE_S = 15.0
FINAL_STATES = ("done", "gone", "cancelled")

router = APIRouter(prefix="/m", include_in_schema=False)


def _board(request: Request) -> TurnBoard:
    hub = hub_of(request)
    board = getattr(hub, "turn_board", None)
    if board is None:
        board = hub.turn_board = TurnBoard(hub.sessions)
    return board


def _ticket_turn(request: Request, token: str) -> Turn | None:
    """The ticket's page data: one look-up of the link, the rest from the board (shared by all phones
    until the queue moves)."""
    found = _link_center(request, token)
    if found is None:
        return None
    center_id, ticket_id = found
    version = hub_of(request).bus.version(str(center_id))
    return _board(request).turns(center_id, version).get(ticket_id)


def _link_center(request: Request, token: str) -> tuple[uuid.UUID, uuid.UUID] | None:
    """(center, ticket) of a valid ticket link whose ticket is that center's; None otherwise."""
    with hub_of(request).sessions() as session:
        link = open_link(session, token, "ticket")
        if link is None:
            return None
        ticket = session.get(Ticket, link.subject_id)
        if ticket is None or ticket.center_id != link.center_id:
            return None
        return link.center_id, link.subject_id


@router.get("", response_class=HTMLResponse)
@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> HTMLResponse:
    return render_page(request, "home.html")


@router.get("/t/{token}", response_class=HTMLResponse)
async def turn_page(request: Request, token: str) -> HTMLResponse:
    turn = await run_in_threadpool(_ticket_turn, request, token)
    if turn is None:
        return render_page(request, "gone.html", status=404)
    return render_page(request, "turn.html", turn=turn, token=token)


@router.get("/t/{token}/events")
async def turn_events(request: Request, token: str) -> Response:
    """Server-sent events: the ticket's page data now, then again each time it changes."""
    found = await run_in_threadpool(_link_center, request, token)
    if found is None:
        return render_page(request, "gone.html", status=404)
    center_id, ticket_id = found
    hub = hub_of(request)
    limit = hub.settings.web.live_connections
    live = getattr(hub, "web_live", 0)
    if live >= limit:
        return Response("busy", status_code=503, headers={"Retry-After": "30"})
    hub.web_live = live + 1
    board = _board(request)
    subscriber = hub.bus.subscribe(str(center_id), None)

    async def stream() -> AsyncIterator[bytes]:
        version, last = hub.bus.version(str(center_id)), ""
        try:
            yield b"retry: 3000\n\n"
            while True:
                # One phone works the queue out; the hundreds after it read that answer on the loop.
                turns = board.fresh(center_id, version)
                if turns is None:
                    turns = await run_in_threadpool(board.turns, center_id, version)
                turn = turns.get(ticket_id)
                if turn is None:
                    return
                payload = json.dumps(turn.as_event(), ensure_ascii=False)
                if payload != last:
                    last = payload
                    yield f"data: {payload}\n\n".encode()
                if turn.state in FINAL_STATES:
                    return
                version = await _next_queue_change(subscriber.queue, version)
                if version < 0:
                    version = -version
                    yield b": keep-alive\n\n"
        finally:
            hub.bus.unsubscribe(subscriber)
            hub.web_live -= 1

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"X-Accel-Buffering": "no"},
    )


async def _next_queue_change(queue: asyncio.Queue[dict[str, Any]], version: int) -> int:
    """The sequence number of the next ticket event (all waiting events taken at once), or minus the
    current version after ``KEEPALIVE_S`` without one."""
    try:
        event = await asyncio.wait_for(queue.get(), KEEPALIVE_S)
    except TimeoutError:
        return -version if version else -1
    newest = int(event["seq"]) if str(event.get("type", "")).startswith("ticket.") else version
    while not queue.empty():  # a burst of calls: one recompute for all of them
        more = queue.get_nowait()
        if str(more.get("type", "")).startswith("ticket."):
            newest = max(newest, int(more["seq"]))
    return newest if newest != version else await _next_queue_change(queue, version)


@router.get("/t/{token}/cancel", response_class=HTMLResponse)
async def cancel_page(request: Request, token: str) -> HTMLResponse:
    """ "번호표 취소": asked once more, so a stray tap never gives a place away."""
    turn = await run_in_threadpool(_ticket_turn, request, token)
    if turn is None:
        return render_page(request, "gone.html", status=404)
    return render_page(request, "cancel.html", turn=turn, token=token)


@router.post("/t/{token}/cancel", response_class=HTMLResponse)
async def cancel_ticket(request: Request, token: str) -> Response:
    turn = await run_in_threadpool(_cancel, request, token)
    if turn is None:
        return render_page(request, "gone.html", status=404)
    query = request.url.query
    return RedirectResponse(f"/m/t/{token}" + (f"?{query}" if query else ""), status_code=303)


def _cancel(request: Request, token: str) -> Turn | None:
    """Give the ticket back if it still waits; the desks and the other phones hear the queue move."""
    from db.audit import append_event
    from kiosk.queue.tickets import QueueError, cancel
    from kiosk.sms import ticket_calls

    hub = hub_of(request)
    found = _link_center(request, token)
    if found is None:
        return None
    center_id, ticket_id = found
    with hub.sessions() as session:
        ticket = session.get(Ticket, ticket_id)
        if ticket is None:
            return None
        try:
            cancel(session, ticket.id)
        except QueueError:
            pass  # already called or finished: the page shows what it is now
        else:
            append_event(session, "web:ticket-holder", "ticket.cancel", f"ticket:{ticket.id}", None)
            day, lines = ticket.service_date, {ticket.line}
            ticket_calls.queue_moved(session, hub.sms, hub.keys, center_id, day, lines)  # "곧 차례예요"
            session.commit()
            if hub.sms is not None:
                hub.sms.wake()
            public = {"ticket_id": str(ticket.id), "display": ticket.display, "line": ticket.line}
            hub.bus.publish(str(center_id), "ticket.updated", {**public, "status": "cancelled", "desk": None})
    return _ticket_turn(request, token)


def _aftercare(request: Request, token: str) -> dict[str, Any] | None:
    """What the reminder's page shows: the topic and the date, and any answer already given."""
    from db.models import AftercareReminder, FollowUp
    from kiosk.aftercare.plan import kind_topic
    from kiosk.aftercare.reminders import korean_date

    with hub_of(request).sessions() as session:
        link = open_link(session, token, "aftercare")
        reminder = session.get(AftercareReminder, link.subject_id) if link is not None else None
        followup = session.get(FollowUp, reminder.follow_up_id) if reminder is not None else None
        if reminder is None or followup is None:
            return None
        reply = reminder.reply.value if reminder.reply is not None else None
        day = followup.due_date
        return {
            "topic": kind_topic(followup.kind),
            "due": korean_date(day),
            "due_en": f"{day.day} {day.strftime('%B %Y')}",
            "reply": reply,
        }


@router.get("/a/{token}", response_class=HTMLResponse)
async def aftercare_page(request: Request, token: str) -> HTMLResponse:
    """The after-care reminder's page: "확인했어요" or "전화 주세요" with one button each."""
    found = await run_in_threadpool(_aftercare, request, token)
    if found is None:
        return render_page(request, "gone.html", status=404)
    return render_page(request, "aftercare.html", token=token, **found)


@router.post("/a/{token}", response_class=HTMLResponse)
async def aftercare_answer(request: Request, token: str) -> Response:
    body = await request.body()
    choice = (parse_qs(body[:200].decode("ascii", errors="replace")).get("reply") or [""])[0]
    found = await run_in_threadpool(_aftercare_answer, request, token, choice)
    if found is None:
        return render_page(request, "gone.html", status=404)
    query = request.url.query
    return RedirectResponse(f"/m/a/{token}" + (f"?{query}" if query else ""), status_code=303)


def _aftercare_answer(request: Request, token: str, choice: str) -> bool | None:
    from db.models import ReminderReply
    from kiosk.aftercare.reminders import record_page_reply

    hub = hub_of(request)
    with hub.sessions() as session:
        link = open_link(session, token, "aftercare")
        if link is None:
            return None
        reminder_id = link.subject_id
    replies = {"confirmed": ReminderReply.CONFIRMED, "call_back": ReminderReply.CALL_BACK}
    if choice not in replies:
        return False  # no such answer: the page is shown again as it was
    recorded = record_page_reply(hub.sessions, reminder_id, replies[choice])
    if recorded is not None and recorded.center_id is not None:
        data = {"follow_up_id": str(recorded.follow_up_id), "reply": recorded.reply.value}
        hub.bus.publish(str(recorded.center_id), "aftercare.reply", data)  # the desk's due list
    return True


@router.get("/chat", response_class=HTMLResponse)
async def chat_page(request: Request) -> HTMLResponse:
    return render_page(request, "chat.html", answer=None, question="", suggestions=_suggestions(request))


@router.post("/chat", response_class=HTMLResponse)
async def chat_ask(request: Request) -> HTMLResponse:
    body = await request.body()
    if len(body) > MAX_QUESTION_BYTES:
        return render_page(
            request, "chat.html", status=413, answer=None, question="", suggestions=_suggestions(request)
        )
    fields = parse_qs(body.decode("utf-8", errors="replace"), max_num_fields=5)
    question = (fields.get("q") or [""])[0][:500]
    try:
        bot = await run_in_threadpool(routes_chat.shared_assistant, request)
        answer: ChatAnswer | None = await run_in_threadpool(bot.ask, question)
    except Exception as exc:  # a broken FAQ copy: say so calmly, point to the phone line
        log.error("web chat unavailable: %s", exc.__class__.__name__)
        return render_page(
            request, "chat.html", status=503, answer=None, question=question,
            unavailable=True, suggestions=_suggestions(request),
        )  # fmt: skip
    suggestions = _suggestions(request)
    return render_page(request, "chat.html", answer=answer, question=question, suggestions=suggestions)


def _suggestions(request: Request) -> list[str]:
    english = _english(request)
    return [en if english else ko for ko, en in SUGGESTIONS]


@router.api_route("/{rest:path}", methods=["GET", "POST"], response_class=HTMLResponse)
async def not_a_page(request: Request, rest: str) -> HTMLResponse:
    """Any other address under /m: the calm page, never the API's JSON."""
    return render_page(request, "gone.html", status=404)


def install(app: FastAPI) -> None:
    """Mount the mobile web on the hub: its static files first (the pages end in a catch-all)."""
    from kiosk.web import consent_pages, document_pages  # they render with this module's helpers

    app.mount("/m/static", StaticFiles(directory=HERE / "static"), name="web-static")
    app.include_router(consent_pages.router)  # before the catch-all of ``router``
    app.include_router(document_pages.router)
    app.include_router(router)
