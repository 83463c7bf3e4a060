"""내 서류 in a real browser (Debian's chromium at a phone's size): the link from the SMS asks for the
code from the other SMS, a wrong one says how many tries are left, the right one lists the signed
documents, and tapping one downloads the very PDF that was signed — no script needed. axe-core finds no
violation on the code, list and locked pages in either theme. ``KIOSK_WEB_SCREENSHOTS`` → web-documents.png.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from db.models import Document
from kiosk.hub.server import RunningHub, serve_in_thread
from tests.kiosk.hub.conftest import make_hub
from tests.kiosk.web.test_browser import CHROMIUM, PHONE, _shot
from tests.kiosk.web.test_document_pages import Center, _wrong

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="chromium not installed"),
]


@pytest.fixture
def served(sqlite_engine: Engine) -> Iterator[tuple[Center, RunningHub]]:
    for hub in make_hub(sqlite_engine, "smpp"):
        running = serve_in_thread(hub.app)
        try:
            yield Center(hub), running
        finally:
            running.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


def test_the_code_opens_the_list_and_a_tap_downloads_the_signed_pdf(  # type: ignore[no-untyped-def]
    served: tuple[Center, RunningHub], browser, tmp_path: Path
) -> None:
    center, running = served
    sent = center.send(center.visit())
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
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
    _shot(page, "documents")
    with page.expect_download() as info:
        items.first.click()
    download = info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert download.suggested_filename.startswith("consent-") and saved.suffix == ".pdf"
    with center.hub.sessions() as s:
        doc = s.get(Document, uuid.UUID(sent.document_id))
        assert doc is not None and saved.read_bytes() == doc.pdf
    assert not [e for e in errors if "Content Security Policy" in e], errors
    context.close()


@pytest.mark.parametrize("contrast", ["", "contrast=high"])
def test_axe_finds_no_violation_on_the_documents_pages(  # type: ignore[no-untyped-def]
    served: tuple[Center, RunningHub], browser, contrast: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    center, running = served
    sent = center.send(center.visit())
    locked = center.send(center.visit())
    for _ in range(5):
        httpx.post(f"{running.url}/m/d/{locked.token}", data={"code": _wrong(locked.code)})
    # axe is injected as a script: this context alone lets it past the page's CSP (checked elsewhere)
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    axe = Axe()
    query = f"?{contrast}" if contrast else ""

    def check(what: str) -> None:
        result = axe.run(page)
        assert result.violations_count == 0, (what, contrast, result.generate_report())

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
    context.close()
