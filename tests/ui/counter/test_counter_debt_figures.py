"""Issue 21: before signing a 채무조정 신청서 the citizen sees the plan's key figures in large type, as the
hub sent them with the document and only when the very PDF they sign (its hash checked) says the same,
with the estimate sentence; other documents, and figures the PDF contradicts, show none."""

from __future__ import annotations

import copy
import hashlib
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from config import load_settings
from kiosk.api.documents import DebtApplicationFigures, DocumentOut
from kiosk.client import HubClient
from kiosk.debt.wording import ESTIMATE_ONLY
from kiosk.hub.app import create_app
from kiosk.hub.document_figures import debt_application_figures
from kiosk.hub.server import serve_in_thread
from printers.documents.render import render_document
from tests.kiosk.hub.conftest import CenterTls, Hub
from tests.kiosk.hub.factories import submission
from tests.printers.test_debt_application import FIELDS
from ui.adapters.hub_adapter import HubAdapter
from ui.counter.debt_figures import checked_figures, figures_from_text
from ui.counter.pages import LoadedDocument, read_pages
from ui.counter.window import DOCUMENT, IDLE, CounterWindow

ANSWERS: dict[str, Any] = {
    "purpose": "debt", "age": 52, "annual_income_krw": 30_000_000, "household_size": 1,
    "livelihood_status": "none", "hardship": [], "total_debt_krw": 32_000_000, "delinquency_days": 400,
}  # fmt: skip


@pytest.fixture
def running(hub_sqlite: Hub, center_tls: CenterTls) -> Iterator[tuple[Hub, str]]:
    app = create_app(load_settings(), hub_sqlite.sessions, hub_sqlite.keys)
    server = serve_in_thread(app, tls=center_tls.files)
    yield hub_sqlite, server.url
    server.stop()


@pytest.fixture
def center(
    qtbot, running: tuple[Hub, str], center_tls: CenterTls
) -> Iterator[tuple[HubClient, CounterWindow, uuid.UUID]]:  # type: ignore[no-untyped-def]
    hub, url = running
    lobby, _ = hub.enroll("lobby")
    body = submission(51)
    body["intake"]["answers"] = dict(ANSWERS)
    visit_id = uuid.UUID(hub.http.post("/visits", json=body, headers=lobby).json()["visit_id"])
    desk = HubClient(url, ca_pem=center_tls.ca_pem)
    desk.login("kim", "correct-horse-42", hub.enroll("desk")[1])
    counter_client = HubClient(url, hub.enroll("counter")[1], ca_pem=center_tls.ca_pem)
    counter_client.pair_counter(desk.counter_code().code)
    counter = CounterWindow(HubAdapter(counter_client), load_settings(), paired=True)
    qtbot.addWidget(counter)
    counter.resize(1280, 800)
    counter.show()
    counter.start()
    yield desk, counter, visit_id
    counter.close()


@pytest.mark.slow
def test_the_figures_of_a_debt_application_stand_above_it(qtbot, center, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    desk, counter, visit_id = center
    chosen = desk.debt_plan(visit_id, term_months=60)  # the desk's slider came to rest at 5 years
    workout = next(p for p in chosen.plans if p.program == "ccrs.individual_workout")
    document = desk.generate_document(visit_id, "debt_application")
    assert document.figures == DebtApplicationFigures(
        program="ccrs.individual_workout",
        principal_before_krw=workout.principal_before_krw,
        principal_after_krw=workout.principal_after_krw,
        term_months=60,
        monthly_krw=workout.monthly_payment_krw,
    )  # the figures come with the document, not out of its words
    desk.push_document(document.id)
    qtbot.waitUntil(lambda: counter.stack.currentIndex() == DOCUMENT, timeout=20_000)
    panel = counter.debt_panel
    assert panel.isVisible()
    assert panel.program.text() == "개인워크아웃"
    assert panel.monthly.text() == f"매달 {workout.monthly_payment_krw:,}원"
    assert panel.term.text() == "60개월 (5년)"
    assert panel.principal.text() == f"원금 {workout.principal_before_krw:,}원 → 그대로예요"
    assert panel.notice.text() == ESTIMATE_ONLY[0]
    path = tmp_path / "counter-debt.png"
    counter.grab().save(str(path))
    assert not QImage(str(path)).isNull()

    qtbot.mouseClick(counter.language_button, Qt.MouseButton.LeftButton)  # the citizen asks for English
    assert panel.monthly.text() == f"₩{workout.monthly_payment_krw:,} a month"
    assert panel.notice.text() == ESTIMATE_ONLY[1] and panel.program.text() == "Individual workout"
    # Through to the signature: the figures stay above the pages until then.
    for _ in range(counter.page_count - 1):
        qtbot.mouseClick(counter.next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(counter.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(counter.sign_box.isVisible, timeout=5_000)
    counter.wipe()
    assert not panel.isVisible() and panel.monthly.text() == ""


@pytest.mark.slow
def test_a_consent_form_shows_no_figures(qtbot, center) -> None:  # type: ignore[no-untyped-def]
    desk, counter, visit_id = center
    document = desk.generate_document(visit_id, "consent")
    assert document.figures is None
    desk.push_document(document.id)
    qtbot.waitUntil(lambda: counter.stack.currentIndex() == DOCUMENT, timeout=20_000)
    assert not counter.debt_panel.isVisible()


SAMPLE = """채무조정 신청서
제도 Programme 개인워크아웃 (ccrs.individual_workout)
조정 전 원금 Principal before 32,000,000원
조정 후 원금 Principal after 9,600,000원
이자율 Rate 연 0.00%
기간 Term 96개월 (상담 창구에서 고른 기간 chosen at the desk)
매달 갚을 돈 Monthly 100,000원
모두 갚을 돈 Total 9,600,000원"""


def _figures(before: int, after: int, term: int, monthly: int) -> DebtApplicationFigures:
    return DebtApplicationFigures(
        program="ccrs.individual_workout",
        principal_before_krw=before,
        principal_after_krw=after,
        term_months=term,
        monthly_krw=monthly,
    )


def test_the_documents_words_give_the_same_figures() -> None:
    figures = figures_from_text(SAMPLE)
    assert figures == _figures(32_000_000, 9_600_000, 96, 100_000)
    assert figures.cut_krw == 22_400_000
    assert checked_figures(figures, SAMPLE, "2CF3-0372") == figures


@pytest.mark.parametrize(
    "announced",
    [
        _figures(32_000_000, 9_600_000, 96, 100_001),  # a won more a month than the page says
        _figures(32_000_000, 9_600_000, 60, 100_000),
        _figures(32_000_000, 9_500_000, 96, 100_000),
        DebtApplicationFigures(
            program="ccrs.fresh_start",
            principal_before_krw=32_000_000,
            principal_after_krw=9_600_000,
            term_months=96,
            monthly_krw=100_000,
        ),
    ],
)
def test_figures_the_text_contradicts_are_not_shown_and_are_logged(
    announced: DebtApplicationFigures, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="ui.counter.debt_figures"):
        assert checked_figures(announced, SAMPLE, "2CF3-0372") is None
    assert [r.getMessage() for r in caplog.records] == [
        "document 2CF3-0372: the figures sent with it differ from its text; showing none"
    ]
    assert str(announced.monthly_krw) not in caplog.text  # the log names the document, not its figures


def test_no_figures_sent_shows_none_even_if_the_text_has_them(caplog: pytest.LogCaptureFixture) -> None:
    assert checked_figures(None, SAMPLE, "2CF3-0372") is None
    assert not caplog.records


@pytest.mark.parametrize(
    "plan",
    [
        None,
        {"program": "ccrs.individual_workout", "principal_before_krw": 1, "principal_after_krw": None},
        {**FIELDS["debt"]["plan"], "monthly_payment_krw": -5},
        {**FIELDS["debt"]["plan"], "term_months": 0},
        {**FIELDS["debt"]["plan"], "monthly_payment_krw": "275,000"},
        "not a plan",
    ],
)
def test_the_hub_sends_no_figures_for_a_plan_without_them_all(plan: Any) -> None:
    fields = copy.deepcopy(FIELDS)
    fields["debt"]["plan"] = plan
    assert debt_application_figures("debt_application", fields) is None
    assert debt_application_figures("debt_application", {"debt": None}) is None
    assert debt_application_figures("consent", FIELDS) is None  # only the 채무조정 신청서 has figures


@pytest.mark.parametrize(
    "text",
    [
        "",
        "동의서\n필수 항목에 동의해요",
        SAMPLE.replace("ccrs.individual_workout", "ccrs.unknown"),
        SAMPLE.replace("100,000원", "-"),  # no plan figure: nothing to show rather than a guess
        SAMPLE.replace("96개월", "-"),
        SAMPLE.replace("9,600,000원\n이자율", "-\n이자율"),
    ],
)
def test_a_text_without_all_the_figures_gives_none(text: str) -> None:
    assert figures_from_text(text) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gives_figures_or_none(text: str) -> None:
    figures = figures_from_text(text)
    assert figures is None or figures.monthly_krw >= 0


def _shown(qtbot, fields: dict[str, Any], figures: DebtApplicationFigures | None) -> CounterWindow:  # type: ignore[no-untyped-def]
    """A counter showing the rendered document as pushed with these figures (no hub is reached)."""
    window = CounterWindow(
        HubAdapter(HubClient("https://127.0.0.1:9", "no-token")), load_settings(), paired=True
    )
    qtbot.addWidget(window)
    window.show()
    rendered = render_document("debt_application", fields, doc_id="doc-1")
    pages, texts = read_pages(rendered.pdf, dpi=40)
    window.document = DocumentOut(
        id=uuid.uuid4(), visit_id=None, template="debt_application", template_version="1",
        sha256=hashlib.sha256(rendered.pdf).hexdigest(), status="pushed", pushed_to_device_id=None,
        signed_at=None, size_bytes=len(rendered.pdf), figures=figures,
    )  # fmt: skip
    window._show_document(LoadedDocument(rendered.pdf, pages, texts))
    assert window.stack.currentIndex() == DOCUMENT
    return window


def test_the_figures_the_pdf_says_stand_above_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = _shown(qtbot, FIELDS, debt_application_figures("debt_application", FIELDS))
    assert window.debt_panel.isVisible()
    assert window.debt_panel.monthly.text() == "매달 275,000원"
    assert window.debt_panel.principal.text() == "원금 20,500,000원 → 16,500,000원 (4,000,000원 줄어요)"
    window.wipe()
    assert window.stack.currentIndex() == IDLE and not window.debt_panel.isVisible()


def test_a_pdf_that_says_other_figures_shows_none(qtbot, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    # The hub's row and the bytes disagree (a re-render, a fault): the citizen sees no figures at all,
    # neither the hub's nor the page's, and reads the page itself.
    other = copy.deepcopy(FIELDS)
    other["debt"]["plan"]["monthly_payment_krw"] = 300_000
    with caplog.at_level(logging.WARNING, logger="ui.counter.debt_figures"):
        window = _shown(qtbot, other, debt_application_figures("debt_application", FIELDS))
    assert not window.debt_panel.isVisible() and window.debt_panel.monthly.text() == ""
    assert "differ from its text" in caplog.text
