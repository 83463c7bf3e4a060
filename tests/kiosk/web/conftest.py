"""What the mobile web's browser tests share: a hub served on a real port, Debian's chromium driven by
Playwright (one launch per module, as before: a Playwright kept for the whole run would still be open
when another module, tests/kiosk/hq's, starts its own in the same thread), a phone-sized page that notes
the console's errors, and an axe-core checker on a page that may inject axe past the CSP.

Browser test modules take ``BROWSER_MARKS`` as their ``pytestmark``; a module whose hub sends SMS
overrides the ``hub_sms`` fixture (e.g. ``"smpp"``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import Engine

from kiosk.hub.server import RunningHub, serve_in_thread
from tests.kiosk.hub.conftest import Hub, make_hub

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("KIOSK_WEB_SCREENSHOTS", "")
# On CI chromium is installed (ARCHITECTURE: environment facts): a missing one fails there, not skips.
BROWSER_MARKS = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("CI"), reason="chromium not installed"),
]


def shot(page: Page, name: str) -> None:
    """A screenshot for reviewers (docs/screenshots/web-<name>.png) when KIOSK_WEB_SCREENSHOTS is set."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"web-{name}.png"), full_page=True)


@pytest.fixture
def hub_sms() -> str | None:
    """The SMS emulator the served hub sends through; None: no SMS."""
    return None


@pytest.fixture
def served(sqlite_engine: Engine, hub_sms: str | None) -> Iterator[tuple[Hub, RunningHub]]:
    for hub in make_hub(sqlite_engine, hub_sms):
        running = serve_in_thread(hub.app)
        try:
            yield hub, running
        finally:
            running.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


@dataclass
class PhonePage:
    """A page at a phone's size and density, touch on, with every console error it logged."""

    page: Page
    errors: list[str] = field(default_factory=list)

    def csp_errors(self) -> list[str]:
        return [e for e in self.errors if "Content Security Policy" in e]


@pytest.fixture
def phone(browser: Browser) -> Iterator[PhonePage]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)  # type: ignore[arg-type]
    seen = PhonePage(context.new_page())
    seen.page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
    yield seen
    context.close()


@dataclass
class AxePage:
    """A page axe-core checks: ``check(what)`` fails with axe's report on any violation."""

    page: Page
    axe: Any

    def check(self, what: str) -> None:
        result = self.axe.run(self.page)
        assert result.violations_count == 0, (what, self.page.url, result.generate_report())


@pytest.fixture
def axe_page(browser: Browser) -> Iterator[AxePage]:
    from axe_playwright_python.sync_playwright import Axe

    # axe is injected as a script: this context alone lets it past the page's CSP (checked elsewhere)
    context = browser.new_context(viewport=PHONE, bypass_csp=True)  # type: ignore[arg-type]
    yield AxePage(context.new_page(), Axe())
    context.close()
