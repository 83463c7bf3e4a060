"""내 서류 in a real browser (Debian's chromium at a phone's size): the link from the SMS asks for the
code from the other SMS, a wrong one says how many tries are left, the right one lists the signed
documents, and tapping one downloads the very PDF that was signed — no script needed. axe-core finds no
violation on the code, list and locked pages in either theme. ``KIOSK_WEB_SCREENSHOTS`` → web-documents.png.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest

from db.models import Document
from kiosk.hub.server import RunningHub
from tests.kiosk.hub.conftest import Hub
from tests.kiosk.web.conftest import BROWSER_MARKS, AxePage, PhonePage, shot
from tests.kiosk.web.test_document_pages import Center, _wrong

pytestmark = BROWSER_MARKS


@pytest.fixture
def hub_sms() -> str:
    return "smpp"  # the link and its code come by SMS


def test_the_code_opens_the_list_and_a_tap_downloads_the_signed_pdf(
    served: tuple[Hub, RunningHub], phone: PhonePage, tmp_path: Path
) -> None:
    center, running = Center(served[0]), served[1]
    sent = center.send(center.visit())
    page = phone.page
    page.goto(f"{running.url}/m/d/{sent.token}")
    assert page.locator("h1").inner_text() == "내 서류"
    page.fill("#code", _wrong(sent.code))
    page.click("form.ask button")
    assert "4번 더 넣을 수 있어요" in page.locator(".error").inner_text()
    page.fill("#code", sent.code)
    page.click("form.ask button")
    items = page.locator("#documents a")
    assert items.count() == 1 and "개인(신용)정보 동의서" in items.first.inner_text()
    assert "홍" not in page.locator("main").inner_text()
    shot(page, "documents")
    with page.expect_download() as info:
        items.first.click()
    download = info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert download.suggested_filename.startswith("consent-") and saved.suffix == ".pdf"
    with center.hub.sessions() as s:
        doc = s.get(Document, uuid.UUID(sent.document_id))
        assert doc is not None and saved.read_bytes() == doc.pdf
    assert not phone.csp_errors(), phone.errors


@pytest.mark.parametrize("contrast", ["", "contrast=high"])
def test_axe_finds_no_violation_on_the_documents_pages(
    served: tuple[Hub, RunningHub], axe_page: AxePage, contrast: str
) -> None:
    center, running = Center(served[0]), served[1]
    sent = center.send(center.visit())
    locked = center.send(center.visit())
    for _ in range(5):
        httpx.post(f"{running.url}/m/d/{locked.token}", data={"code": _wrong(locked.code)})
    page, check = axe_page.page, axe_page.check
    query = f"?{contrast}" if contrast else ""

    assert page.goto(f"{running.url}/m/d/{sent.token}{query}").status == 200  # type: ignore[union-attr]
    check("code")
    page.fill("#code", _wrong(sent.code))
    page.click("form.ask button")
    page.locator(".error").wait_for()
    check("wrong code")
    page.fill("#code", sent.code)
    page.click("form.ask button")
    page.locator("#documents").wait_for()
    check("list")
    for lang in ("en", "ko"):
        sep = "&" if query else "?"
        page.goto(f"{running.url}/m/d/{sent.token}{query}{sep}lang={lang}")
        check(f"list {lang}")
    assert page.goto(f"{running.url}/m/d/{locked.token}{query}").status == 410  # type: ignore[union-attr]
    check("locked")
