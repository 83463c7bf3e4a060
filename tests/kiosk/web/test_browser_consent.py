"""The consent page in a real browser at a phone's size: the caller opens the LMS's link, reads and
chooses each item, types the code and sees the confirmation; axe-core finds no violation on the form,
on a wrong code's answer or on the confirmation, in either theme. Screenshots go to
``KIOSK_WEB_SCREENSHOTS`` when it is set (web-consent.png, web-consent-done.png)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from config.consent import consent_set
from kiosk.hub.server import RunningHub
from tests.kiosk.hub.conftest import Hub
from tests.kiosk.web.conftest import BROWSER_MARKS, AxePage, PhonePage, shot
from tests.polling import wait_until

TEXTS = consent_set()

pytestmark = BROWSER_MARKS


@pytest.fixture
def hub_sms() -> str:
    return "smpp"  # the code and the link come by LMS


def _lms_link(hub: Hub, phone: str) -> tuple[str, str]:
    """A counselor opens a phone visit and sends the code: (the /m/c/ path from the LMS, the code)."""
    _, desk_token = hub.enroll("desk")
    desk = hub.login("kim", desk_token)
    visit_id = hub.http.post("/phone-consultations", json={"phone": phone}, headers=desk).json()["visit_id"]
    body = {
        "phone": phone, "purpose": "phone_counseling", "text_version": TEXTS.version,
        "text_sha256": TEXTS.sha256, "items": {item.id: True for item in TEXTS.items}, "visit_id": visit_id,
    }  # fmt: skip
    assert hub.http.post("/consent/sms/challenges", json=body, headers=desk).status_code == 201
    assert hub.sms is not None
    text = wait_until(lambda: hub.sms.inbox(phone), 10, message="the LMS on the phone")[-1]  # type: ignore[union-attr]
    link = re.search(r"/m/c/[A-Za-z0-9_-]{24}", text)
    assert link is not None
    return link.group(0), re.findall(r"(?<!\d)(\d{6})(?!\d)", text)[0]


def _choose(page: Page, refused: str) -> None:
    for item in TEXTS.items:
        value = "no" if item.id == refused else "yes"
        page.check(f'input[name="{item.id}"][value="{value}"]')


def test_the_caller_reads_chooses_types_the_code_and_sees_it_confirmed(
    served: tuple[Hub, RunningHub], phone: PhonePage
) -> None:
    hub, running = served
    path, code = _lms_link(hub, "010" + "2345" + "6781")
    page = phone.page
    page.goto(f"{running.url}{path}")
    assert page.locator("fieldset.consent-item").count() == len(TEXTS.items)
    assert page.locator("input[type=radio]:checked").count() == 0  # nothing chosen in advance
    first = TEXTS.items[0].text_ko.strip().splitlines()[0]
    assert first in page.locator("#item-" + TEXTS.items[0].id).inner_text()
    optional = [item.id for item in TEXTS.items if not item.required][-1]
    _choose(page, optional)
    page.fill("#code", code)
    shot(page, "consent")
    page.click("form.consent button[type=submit]")
    status = page.locator("#consent-status")
    status.wait_for()
    assert status.inner_text() == "동의가 확인됐어요 — 상담사에게 알려 드렸어요"
    assert page.locator("#code").count() == 0
    assert page.locator(f'li[data-item="{optional}"]').get_attribute("data-granted") == "no"
    shot(page, "consent-done")
    assert not phone.csp_errors(), phone.errors


@pytest.mark.parametrize("contrast", ["", "contrast=high"])
def test_axe_finds_no_violation_on_the_consent_pages(
    served: tuple[Hub, RunningHub], axe_page: AxePage, contrast: str
) -> None:
    hub, running = served
    path, code = _lms_link(hub, "010" + "2345" + ("6782" if contrast else "6783"))
    page, no_violation = axe_page.page, axe_page.check
    query = f"?{contrast}" if contrast else ""
    answer = page.goto(f"{running.url}{path}{query}")
    assert answer is not None and answer.status == 200
    no_violation("form")
    _choose(page, "")
    page.fill("#code", "000000" if code != "000000" else "111111")
    page.click("form.consent button[type=submit]")
    page.locator("#consent-error").wait_for()
    no_violation("wrong code")
    english = page.goto(f"{running.url}{path}?lang=en{'&' + contrast if contrast else ''}")
    assert english is not None and english.status == 200
    no_violation("form in English")
    _choose(page, "")
    page.fill("#code", code)
    page.click("form.consent button[type=submit]")
    page.locator("#consent-status").wait_for()
    no_violation("confirmed")
