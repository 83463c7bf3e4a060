"""The mobile web in a real browser: Debian's chromium, driven by Playwright, at a phone's size.

A ticket's page updates by itself when the desk calls (server-sent events through the page's own
script, under the strict CSP), and axe-core finds no violation on any page in either theme.
Screenshots of each page go to ``docs/screenshots/`` when ``KIOSK_WEB_SCREENSHOTS`` is set.
"""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from kiosk.hub.server import RunningHub
from tests.kiosk.hub.conftest import Hub
from tests.kiosk.web.conftest import BROWSER_MARKS, AxePage, PhonePage, shot
from tests.kiosk.web.test_turn_page import issue, token_for

pytestmark = BROWSER_MARKS


def test_the_ticket_page_follows_the_queue_without_a_reload(
    served: tuple[Hub, RunningHub], phone: PhonePage
) -> None:
    hub, running = served
    _first, second = issue(hub, n=2)
    token = token_for(hub, second)
    page = phone.page
    page.goto(f"{running.url}/m/t/{token}")
    status = page.locator("#turn-status")
    assert page.locator("#ticket-number").inner_text() == "B-002"
    assert "앞에 1명" in status.inner_text()
    expect(page.locator("#live-hint")).to_contain_text("저절로")  # the stream is open (script ran under CSP)
    shot(page, "turn-waiting")
    counselor = hub.login("kim")
    import httpx

    with httpx.Client(base_url=running.url, headers=counselor) as desk:
        desk.post("/queue/B/call-next", json={"desk": "3"})
        expect(status).to_have_text("바로 차례예요", timeout=15_000)
        desk.post("/queue/B/call-next", json={"desk": "5"})
        expect(status).to_have_text("5번 창구로 와 주세요", timeout=15_000)
    assert status.get_attribute("data-state") == "called"
    shot(page, "turn-called")
    assert not phone.csp_errors(), phone.errors


def test_the_chatbot_answers_and_abstains_in_the_browser(
    served: tuple[Hub, RunningHub], phone: PhonePage
) -> None:
    _hub, running = served
    import httpx

    # The assistant loads on the first question (Kiwi, a few seconds): not what the page is tested for.
    httpx.post(f"{running.url}/m/chat", content=b"q=hello", timeout=120).raise_for_status()
    page = phone.page
    page.goto(f"{running.url}/m/chat")
    page.fill("#q", "채무조정 받으려면 뭘 가져가요?")
    page.click("form.ask button")
    answer = page.locator(".answer")
    answer.wait_for()
    assert "출처" in answer.inner_text()
    shot(page, "chat-answer")
    page.fill("#q", "<script>alert(1)</script> 오늘 날씨 어때요")
    page.click("form.ask button")
    page.locator(".answer").wait_for()
    text = page.locator(".answer").inner_text()
    assert "<script>alert(1)</script>" in text  # shown as text, escaped, never run
    assert "1397" in text  # abstained: what a phone can do instead


@pytest.mark.parametrize("contrast", ["", "contrast=high"])
def test_axe_finds_no_violation_on_any_page(
    served: tuple[Hub, RunningHub], axe_page: AxePage, contrast: str
) -> None:
    hub, running = served
    (ticket_id,) = issue(hub)
    token = token_for(hub, ticket_id)
    page = axe_page.page
    pages = ("/m/", "/m/chat", f"/m/t/{token}", f"/m/t/{token}/cancel", f"/m/t/{uuid.uuid4().hex[:24]}")
    for path in (*pages, "/m/?lang=en", f"/m/a/{aftercare_token(hub)}"):
        sep = "&" if "?" in path else "?"
        answer = page.goto(f"{running.url}{path}{sep + contrast if contrast else ''}")
        assert answer is not None and answer.status == (404 if path == pages[-1] else 200), path
        axe_page.check(path)
    if contrast:
        shot(page, "home-en-contrast")


def aftercare_token(hub: Hub) -> str:
    """An after-care reminder's page link, as the reminder job makes one (a reminder row and its link)."""
    from datetime import timedelta

    from config import clock
    from db.models import AftercareReminder, SmsKind, SmsMessage
    from kiosk.web.links import mint
    from tests.kiosk.aftercare.conftest import add_followup

    followup = add_followup(hub.sessions, hub.keys, clock.today() + timedelta(days=1))
    with hub.sessions() as session:
        message = SmsMessage(
            template="aftercare_reminder", kind=SmsKind.LMS, urgency="daytime", to_enc=b"x",
            to_blind_index="0" * 64, to_masked="010-****-0000", text_enc=None,
        )  # fmt: skip
        session.add(message)
        session.flush()
        reminder = AftercareReminder(
            follow_up_id=followup, due_date=clock.today() + timedelta(days=1), message_id=message.id,
            to_blind_index="0" * 64, sent_on=clock.today(),
        )  # fmt: skip
        session.add(reminder)
        session.flush()
        token = mint(session, "aftercare", hub.center_id, reminder.id, clock.now() + timedelta(days=14))
        session.commit()
    return token
