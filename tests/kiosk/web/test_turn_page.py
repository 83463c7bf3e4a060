""" "내 순서" from a ticket's link: the page shows the number and the wait, nothing personal; links are
unguessable, expire with the service day, never open another center's ticket; every /m page carries the
security headers; a web token opens nothing of the counselor API."""

from __future__ import annotations

import uuid
from datetime import timedelta
from functools import partial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from config import clock
from db.models import Ticket
from kiosk.web.links import ticket_token
from kiosk.web.turn import TurnBoard
from tests.kiosk.hub.conftest import Hub, make_hub
from tests.kiosk.hub.factories import submission
from tests.polling import wait_until


@pytest.fixture
def web_hub(sqlite_engine: Engine) -> Hub:
    yield from make_hub(sqlite_engine)


def issue(hub: Hub, line: str = "B", n: int = 1) -> list[str]:
    lobby, _ = hub.enroll("lobby")
    ids = []
    for i in range(n):
        visit_id = hub.http.post("/visits", json=submission(i + 1), headers=lobby).json()["visit_id"]
        r = hub.http.post(
            "/tickets", json={"line": line, "visit_id": visit_id},
            headers={**lobby, "Idempotency-Key": f"web-{uuid.uuid4().hex[:12]}"},
        )  # fmt: skip
        assert r.status_code == 200, r.text
        ids.append(r.json()["id"])
    return ids


def token_for(hub: Hub, ticket_id: str) -> str:
    with hub.sessions() as session:
        ticket = session.get(Ticket, uuid.UUID(ticket_id))
        assert ticket is not None
        token = ticket_token(session, ticket)
        session.commit()
    return token


def test_the_page_shows_the_number_and_how_many_are_ahead_and_then_where_to_go(web_hub: Hub) -> None:
    _first, second = issue(web_hub, n=2)
    token = token_for(web_hub, second)
    page = web_hub.http.get(f"/m/t/{token}")
    assert page.status_code == 200
    assert "B-002" in page.text and "앞에 1명" in page.text
    assert "홍" not in page.text  # the factory's person: no name, nothing personal on the page
    counselor = web_hub.login("kim")
    web_hub.http.post("/queue/B/call-next", json={"desk": "3"}, headers=counselor)
    assert "바로 차례예요" in web_hub.http.get(f"/m/t/{token}").text
    web_hub.http.post("/queue/B/call-next", json={"desk": "5"}, headers=counselor)
    called = web_hub.http.get(f"/m/t/{token}?lang=en")
    assert "Please come to desk 5" in called.text and "창구" not in called.text.split("<main")[1]


def test_unknown_expired_and_malformed_links_get_the_same_calm_page(web_hub: Hub, time_machine) -> None:
    (ticket_id,) = issue(web_hub)
    token = token_for(web_hub, ticket_id)
    for bad in (
        "A" * 24,
        "short",
        "..%2F..%2Fetc",
        "x" * 5000,
        token[:-1] + ("A" if token[-1] != "A" else "B"),
    ):
        r = web_hub.http.get(f"/m/t/{bad}")
        assert r.status_code == 404 and "이 링크는 쓸 수 없어요" in r.text
        assert "Traceback" not in r.text
    time_machine.move_to(clock.start_of_day(clock.today() + timedelta(days=1)) + timedelta(minutes=1))
    r = web_hub.http.get(f"/m/t/{token}")
    assert r.status_code == 404 and "이 링크는 쓸 수 없어요" in r.text


def test_a_link_never_opens_another_centers_ticket(web_hub: Hub) -> None:
    (ticket_id,) = issue(web_hub)
    with web_hub.sessions() as session:
        ticket = session.get(Ticket, uuid.UUID(ticket_id))
        assert ticket is not None
        from kiosk.web.links import mint

        forged = mint(session, "ticket", web_hub.other_center_id, ticket.id, clock.now() + timedelta(hours=1))
        session.commit()
    assert web_hub.http.get(f"/m/t/{forged}").status_code == 404


def test_every_page_carries_the_security_headers_and_is_not_cached(web_hub: Hub) -> None:
    (ticket_id,) = issue(web_hub)
    for path in ("/m/", "/m/chat", f"/m/t/{token_for(web_hub, ticket_id)}", "/m/t/nope"):
        r = web_hub.http.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
        assert r.headers["cache-control"] == "no-store"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert "<script>" not in r.text  # no inline script anywhere
    assert web_hub.http.get("/m/static/m.css").headers["cache-control"].startswith("public")


def test_a_web_token_opens_nothing_of_the_counselor_api(web_hub: Hub) -> None:
    (ticket_id,) = issue(web_hub)
    token = token_for(web_hub, ticket_id)
    refused = 0
    for path, operations in web_hub.app.openapi()["paths"].items():  # the whole documented hub API
        if path in ("/auth/login", "/devices/enroll", "/chat"):
            continue  # public on purpose (login, enrollment with a one-time code, the FAQ bot)
        concrete = "/".join(
            str(uuid.uuid4()) if part.startswith("{") else part for part in path.split("/")
        )  # any id: the token must fail before the id matters
        for method in operations:
            r = web_hub.http.request(method.upper(), concrete, headers={"Authorization": f"Bearer {token}"})
            assert r.status_code in (401, 403), (method, path, r.status_code)
            refused += 1
    assert refused > 20  # the walk really covered the API


def test_too_many_requests_from_one_address_get_429_and_a_korean_page(sqlite_engine: Engine) -> None:
    from fastapi.testclient import TestClient

    from config import load_settings
    from db.crypto import KeyRing
    from db.session import make_sessionmaker
    from kiosk.hub.app import create_app

    settings = load_settings()
    settings = settings.model_copy(update={"web": settings.web.model_copy(update={"requests_per_minute": 5})})
    with TestClient(create_app(settings, make_sessionmaker(sqlite_engine), KeyRing.generate())) as http:
        codes = [http.get("/m/").status_code for _ in range(7)]
        assert codes[:5] == [200] * 5 and codes[5:] == [429, 429]
        r = http.get("/m/chat")
        assert "1분 뒤에 다시" in r.text and r.headers["retry-after"] == "60"


def test_the_board_answers_every_ticket_of_the_day_in_one_look(web_hub: Hub) -> None:
    ids = issue(web_hub, n=3)
    board = TurnBoard(web_hub.sessions)
    with web_hub.sessions() as session:
        center = session.get(Ticket, uuid.UUID(ids[0])).center_id  # type: ignore[union-attr]
    turns = board.turns(center, 1)
    assert [turns[uuid.UUID(i)].ahead for i in ids] == [0, 1, 2]
    assert board.turns(center, 1) is turns  # the same queue version is not looked at again


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=0, max_size=80))
def test_any_token_text_is_refused_before_the_database_or_found(text: str) -> None:
    from kiosk.web.links import well_formed

    assert well_formed(text) == (
        len(text) == 24 and all(c.isascii() and (c.isalnum() or c in "-_") for c in text)
    )


def test_the_kiosk_that_issued_a_ticket_gets_its_phone_link_and_no_other_does(web_hub: Hub) -> None:
    lobby, _ = web_hub.enroll("lobby")
    other, _ = web_hub.enroll("lobby")
    visit_id = web_hub.http.post("/visits", json=submission(1), headers=lobby).json()["visit_id"]
    ticket = web_hub.http.post(
        "/tickets",
        json={"line": "A", "visit_id": visit_id},
        headers={**lobby, "Idempotency-Key": "web-link-01"},
    ).json()
    link = web_hub.http.post(f"/tickets/{ticket['id']}/link", headers=lobby)
    assert link.status_code == 200, link.text
    url = link.json()["url"]
    assert url.startswith("http://127.0.0.1:8420/m/t/")  # the hub's url (web.public_url unset)
    page = web_hub.http.get(url.removeprefix("http://127.0.0.1:8420"))
    assert page.status_code == 200 and ticket["display"] in page.text
    assert web_hub.http.post(f"/tickets/{ticket['id']}/link", headers=other).status_code == 403
    counselor = web_hub.login("kim")
    assert web_hub.http.post(f"/tickets/{ticket['id']}/link", headers=counselor).status_code == 403


def test_giving_the_ticket_back_asks_once_more_then_moves_the_people_behind_up(web_hub: Hub) -> None:
    first, second = issue(web_hub, n=2)
    mine, behind = token_for(web_hub, first), token_for(web_hub, second)
    assert "앞에 1명" in web_hub.http.get(f"/m/t/{behind}").text
    confirm = web_hub.http.get(f"/m/t/{mine}/cancel")
    assert "번호표를 취소할까요?" in confirm.text and "B-001" in confirm.text
    assert "바로 차례예요" in web_hub.http.get(f"/m/t/{mine}").text  # asking changed nothing
    done = web_hub.http.post(f"/m/t/{mine}/cancel", follow_redirects=True)
    assert done.status_code == 200 and "번호표를 취소했어요" in done.text
    assert "바로 차례예요" in web_hub.http.get(f"/m/t/{behind}").text
    counselor = web_hub.login("kim")
    called = web_hub.http.post("/queue/B/call-next", json={"desk": "2"}, headers=counselor).json()
    assert called["display"] == "B-002"  # the given-back number is never called
    again = web_hub.http.post(f"/m/t/{mine}/cancel", follow_redirects=True)
    assert "번호표를 취소했어요" in again.text  # twice is still once
    assert web_hub.http.post(f"/m/t/{behind}/cancel", follow_redirects=True).status_code == 200
    assert "2번 창구로 와 주세요" in web_hub.http.get(f"/m/t/{behind}").text  # called: no longer cancellable


def test_an_aftercare_reminder_links_to_a_page_whose_button_answers_like_a_reply(
    sqlite_engine: Engine, time_machine
) -> None:
    import re

    from kiosk.aftercare.reminders import ReminderJob
    from tests.kiosk.aftercare.conftest import PHONE, add_followup

    time_machine.move_to(clock.start_of_day(clock.today()) + timedelta(hours=10))  # 10:00 KST: daytime
    for hub in make_hub(sqlite_engine, "smpp"):
        assert hub.sms is not None
        followup = add_followup(hub.sessions, hub.keys, clock.today() + timedelta(days=1))
        ReminderJob.for_hub(hub.app.state.hub).listen().run_once()
        inbox = partial(hub.sms.inbox, PHONE)
        [text] = wait_until(inbox, 10, message="the reminder on the phone")
        link = re.search(r"https?://\S+/m/a/[A-Za-z0-9_-]{24}", text)
        assert link is not None and "누르고 답하기" in text
        path = link.group(0)[link.group(0).index("/m/a/") :]
        page = hub.http.get(path)
        assert page.status_code == 200 and "상환 계획" in page.text and "홍" not in page.text
        english = hub.http.get(path + "?lang=en")
        assert (
            "Please have a counselor call me" in english.text and "상환" not in english.text.split("<main")[1]
        )
        done = hub.http.post(path, content=b"reply=call_back", follow_redirects=True)
        assert "상담사가 전화드릴게요" in done.text
        assert hub.http.post(path, content=b"reply=%3Cscript%3E", follow_redirects=True).status_code == 200
        kim = hub.login("kim")
        [row] = [r for r in hub.http.get("/aftercare/due", headers=kim).json() if r["id"] == str(followup)]
        assert row["reply"] == "call_back"
        assert hub.http.get("/m/a/" + "B" * 24).status_code == 404
