"""The GUI lobby talks to a real center hub (uvicorn on 127.0.0.1, SQLite): the visit reaches the desk's
queue with the number printed on the emulated printer, a hub that is down still gets a reserved number
and the outbox replays the visit later, and the desk's event stream sees the lobby's steps and 직원 호출.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from config import load_settings
from tests.polling import wait_until
from tests.ui.lobby.helpers import all_texts

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("lobby-hub")]


@pytest.fixture
def center(tmp_path: Path, center_tls: Any) -> Iterator[Any]:
    """The demo center's hub over real TLS on 127.0.0.1; its clients enrolled with the CA pinned."""
    from kiosk.demo.center import start_demo_center

    demo = start_demo_center(load_settings(), tmp_path / "center", tls=center_tls.files)
    yield demo
    demo.close()


@pytest.fixture
def desk(center: Any) -> Iterator[Any]:
    client = center.desk_client()
    yield client
    client.close()


@pytest.fixture
def events(center: Any, desk: Any) -> Iterator[list[dict[str, Any]]]:
    """Every event the desk's stream receives (kiosk.client.EventStream on its own thread)."""
    from kiosk.client import EventStream

    seen: list[dict[str, Any]] = []
    lock = threading.Lock()
    up: list[bool] = []
    stream = EventStream(desk.ws_url, desk.token, max_backoff_s=0.5, ssl_context=desk.ssl_context)

    def keep(event: dict[str, Any]) -> None:
        with lock:
            seen.append(event)

    stream.subscribe(keep)
    stream.on_status(up.append)
    stream.start()
    # A TLS WebSocket handshake on a loaded 2-core CI machine has taken over 10 s, and once more than
    # 30 s; the stream allows each attempt longer than the last, and the failure says why it was down.
    wait_until(
        lambda: any(up), 60.0, message=lambda: f"the desk's event stream did not connect: {stream.last_error}"
    )
    yield seen
    stream.stop()


def _linked(emulated: Any, center: Any) -> Any:
    from ui.lobby.emulated import attach_hub

    services, _ctx = emulated
    attach_hub(services, center.url, center.lobby_token, sync_interval_s=0.3, ca_pem=center.ca_pem)
    return services


def _waiting(desk: Any) -> dict[str, Any]:
    return {t.display: t for line in desk.queue().lines for t in line.waiting}


def test_a_lobby_visit_reaches_the_hub_queue_with_the_printed_number(
    make_lobby: Any, emulated: Any, center: Any, desk: Any, qtbot: QtBot
) -> None:
    from ui.lobby.tour import _enter_answer, answer_for

    services = _linked(emulated, center)
    printer, pad = services.emulators["printer"], services.emulators["pad"]
    lobby = make_lobby(services)

    lobby.primary.click()  # 상담 접수
    identify = lobby.screens["identify"]
    identify.scan.click()
    qtbot.waitUntil(lambda: identify.mode == "confirm", timeout=60000)
    name, rrn = lobby.draft.document.name, lobby.draft.document.rrn
    lobby.primary.click()
    consent = lobby.screens["consent"]
    for card in consent.cards:
        (card.agree if card.item.required else card.refuse).click()
    started: list[bool] = []
    consent.pad_adapter.started.connect(lambda: started.append(True))
    lobby.primary.click()
    qtbot.waitUntil(lambda: bool(started), timeout=10000)
    pad.replay(None, block=False)
    qtbot.waitUntil(lambda: not pad.replaying and consent._pad_points > 20, timeout=30000)
    lobby.primary.click()
    qtbot.waitUntil(lambda: lobby.current == "needs", timeout=20000)
    needs = lobby.screens["needs"]
    while lobby.current == "needs":
        _enter_answer(needs, answer_for(needs.question))
        lobby.primary.click()
    results = lobby.screens["results"]
    qtbot.waitUntil(lambda: not results.loading and bool(results.cards), timeout=30000)
    lobby.primary.click()

    ticket = lobby.screens["ticket"]
    qtbot.waitUntil(lambda: lobby.draft.printed == "done", timeout=60000)
    number = ticket.ticket_number()
    assert ticket.number.text() == number
    assert printer.wait_for_jobs(1, timeout=10)
    assert number in printer.jobs[-1].text  # the printed number ...

    waiting = _waiting(desk)
    assert number in waiting  # ... is the one waiting in the desk's queue
    hub_ticket = waiting[number]
    assert str(hub_ticket.id) == lobby.draft.ticket.ticket_id and not lobby.draft.ticket.offline
    # the QR on the slip and the screen opens the ticket's 내 순서 page on a phone (issue 19)
    link = ticket.qr_payload()
    assert "/m/t/" in link
    import httpx

    page = httpx.get(center.url + link[link.index("/m/t/") :], verify=False)  # the demo CA
    assert page.status_code == 200 and number in page.text

    case = desk.case(hub_ticket.visit_id)  # the counselor sees the lobby's work, masked
    assert case.person is not None and case.person.rrn_masked and rrn not in str(case.model_dump())
    assert name not in str(case.model_dump())
    assert case.consent is not None and case.consent.signed  # the pad signature travelled with it
    # 45 days overdue, told with one tap: the range travels as it was given, not as a made-up number
    assert case.answers.get("delinquency_days") == {"from": 31, "to": 89}
    assert {v["id"] for v in case.verdicts} >= {"ccrs.pre_workout"}
    assert services.hub.outbox.pending_count() == 0
    # With a hub attached the hub is the one numbering authority: the kiosk issued no number itself.
    from db.models import Ticket, Visit

    _services, ctx = emulated
    with ctx.sessions() as session:
        assert session.scalars(select(Visit)).one().status == "completed"  # the kiosk's rows are kept
        assert session.scalar(select(func.count()).select_from(Ticket)) == 0


def test_hub_down_the_lobby_prints_a_reserved_number_and_the_outbox_replays(
    make_lobby: Any, emulated: Any, center: Any, desk: Any, qtbot: QtBot
) -> None:
    services = _linked(emulated, center)  # online at start: numbers reserved for offline use
    printer = services.emulators["printer"]
    assert services.hub.reachable is True
    lobby = make_lobby(services)
    center.stop_hub()

    lobby.screens["welcome"].ticket_only.click()  # 번호표만
    ticket = lobby.screens["ticket"]
    ticket.line_buttons["A"].click()
    qtbot.waitUntil(lambda: lobby.draft.printed == "done", timeout=60000)
    number = ticket.ticket_number()
    assert number.startswith("A-")
    assert lobby.draft.ticket.offline
    assert number in printer.jobs[-1].text
    assert "/m/t/" not in ticket.qr_payload()  # offline: no link to give, the QR carries the number
    notice = "\n".join(all_texts(lobby))
    assert "연결이 안 돼요" in notice  # a calm word instead of an error
    assert services.hub.outbox.pending_count() >= 2  # the visit and the claim, kept locally
    lobby.go("staff", remember=False)  # staff see what waits for the hub (counts, never contents)
    staff = lobby.screens["staff"]
    qtbot.waitUntil(lambda: "outbox: 허브로 보낼" in staff.health.toPlainText(), timeout=10000)
    assert "waiting to be sent again automatically" in staff.health.toPlainText()

    center.restart_hub()
    qtbot.waitUntil(lambda: services.hub.outbox.pending_count() == 0, timeout=30000)
    staff.update_health()
    qtbot.waitUntil(lambda: "outbox: 허브로 보낼 항목이 없어요" in staff.health.toPlainText(), timeout=10000)
    waiting = _waiting(desk)
    assert number in waiting  # the reserved number is now a real place in the queue
    assert str(waiting[number].visit_id) and waiting[number].visit_id is not None
    visit_id = uuid.UUID(str(waiting[number].visit_id))
    assert desk.case(visit_id).path == "ticket_only"


def test_steps_and_the_help_call_reach_the_desk_event_stream(
    make_lobby: Any, emulated: Any, center: Any, events: list[dict[str, Any]], qtbot: QtBot
) -> None:
    services = _linked(emulated, center)
    lobby = make_lobby(services)
    lobby.screens["welcome"].ticket_only.click()
    qtbot.waitUntil(lambda: lobby.current == "ticket", timeout=5000)

    def steps() -> list[str]:
        return [e["data"]["step"] for e in list(events) if e["type"] == "lobby.step"]

    qtbot.waitUntil(lambda: "ticket" in steps(), timeout=10000)
    assert not [e for e in list(events) if e["type"] == "lobby.help"]
    lobby.staff_button.click()  # 직원 호출
    qtbot.waitUntil(lambda: any(e["type"] == "lobby.help" for e in list(events)), timeout=10000)
    help_event = next(e for e in list(events) if e["type"] == "lobby.help")
    assert help_event["data"]["step"] == "ticket" and help_event["data"]["needs_help"] is True


def test_the_chat_handoff_transcript_reaches_the_case_masked(
    make_lobby: Any, emulated: Any, center: Any, desk: Any, qtbot: QtBot
) -> None:
    services = _linked(emulated, center)
    lobby = make_lobby(services, with_chat=True)
    chat = lobby.screens["chat"]
    lobby.go("chat")
    qtbot.waitUntil(lambda: chat.ready, timeout=120000)
    # a QR continues on the phone, at the center's 24-hour chatbot page (issue 19)
    assert chat.phone_row.isVisibleTo(lobby) and chat.phone_url() == f"{center.url}/m/chat"
    import httpx

    assert "챗봇" in httpx.get(chat.phone_url(), verify=False).text  # the demo CA: not in this trust store
    answers: list[Any] = []
    chat.panel.answerShown.connect(answers.append)
    chat.panel.ask("빚이 너무 많아서 갚기 힘들어요. 제 번호는 010-1234-5678 이에요")
    qtbot.waitUntil(lambda: bool(answers), timeout=60000)
    chat.panel.handoff_button.click()  # 상담사 연결: a ticket, and the conversation goes along
    qtbot.waitUntil(lambda: lobby.current == "ticket", timeout=5000)  # issued for the suggested line
    qtbot.waitUntil(lambda: lobby.draft.printed == "done", timeout=60000)
    number = lobby.screens["ticket"].ticket_number()
    waiting = _waiting(desk)
    assert number in waiting
    notes = desk.case(waiting[number].visit_id).notes
    assert notes and "갚기 힘들어요" in notes[0].text
    assert "1234-5678" not in notes[0].text  # the phone number never reaches the hub unmasked


def test_no_hub_and_no_reserved_number_asks_for_staff_and_keeps_the_visit(
    make_lobby: Any, emulated: Any, center: Any, qtbot: QtBot
) -> None:
    center.stop_hub()  # down before the kiosk could reserve any number
    services = _linked(emulated, center)
    assert services.hub.reachable is False
    printer = services.emulators["printer"]
    lobby = make_lobby(services)
    lobby.screens["welcome"].ticket_only.click()
    ticket = lobby.screens["ticket"]
    ticket.line_buttons["C"].click()
    qtbot.waitUntil(lambda: ticket.mode == "unavailable", timeout=30000)
    assert "직원 호출" in ticket.intro.text()  # it never invents a number
    assert ticket.ticket_number() == "" and not printer.jobs
    assert services.hub.outbox.pending_count() == 1  # the visit itself waits in the outbox
