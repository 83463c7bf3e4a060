"""The counter as the citizen uses it: one page at a time with big buttons, read aloud page by page,
one language per screen, a plain "서명하기", and no hash anywhere on screen."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from config import load_settings
from kiosk.api import DocumentOut
from kiosk.client import HubClient
from printers.documents.render import render_document
from printers.documents.samples import SAMPLE_DOCUMENT_FIELDS
from ui.adapters.hub_adapter import HubAdapter
from ui.counter.pages import LoadedDocument, read_pages
from ui.counter.window import DOCUMENT, IDLE, SIGN, CounterWindow
from ui.counter.words import document_code
from ui.theme import ScreenMetrics
from ui.voice import VoiceGuide

HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture
def counter(qtbot, tmp_path: Path) -> Iterator[CounterWindow]:  # type: ignore[no-untyped-def]
    # No hub is reached: the document is handed over as the worker would hand it (fetched, rendered).
    adapter = HubAdapter(HubClient("https://127.0.0.1:9", "no-token"))
    voice = VoiceGuide(record_dir=tmp_path / "voice")
    window = CounterWindow(adapter, load_settings(), paired=True, voice=voice)
    qtbot.addWidget(window)
    window.show()
    rendered = render_document("consent", SAMPLE_DOCUMENT_FIELDS["consent"])
    pages, texts = read_pages(rendered.pdf, dpi=60)
    window.document = DocumentOut(
        id=uuid.uuid4(),
        visit_id=None,
        template="consent",
        template_version="1",
        sha256=hashlib.sha256(rendered.pdf).hexdigest(),
        status="pushed",
        pushed_to_device_id=None,
        signed_at=None,
        size_bytes=len(rendered.pdf),
    )
    window._show_document(LoadedDocument(rendered.pdf, pages, texts))
    yield window
    window.close()


def _shown_words(window: CounterWindow) -> list[str]:
    """Every label and button text the citizen can see now (the language switch names the other one)."""
    widgets = [*window.findChildren(QLabel), *window.findChildren(QPushButton)]
    return [w.text() for w in widgets if w.isVisible() and w.text() and w is not window.language_button]


def test_pages_one_at_a_time_then_the_signature_screen(counter: CounterWindow) -> None:
    assert counter.stack.currentIndex() == DOCUMENT and counter.page_count >= 2
    metrics = ScreenMetrics(load_settings().lobby.screen_dpi)
    for button in (counter.previous_button, counter.read_button, counter.next_button):
        assert metrics.mm(button.height()) >= 15  # UI.md: touch targets ≥ 15 mm
    assert metrics.mm(counter.next_button.height()) >= 19  # the primary action ~20 mm
    assert metrics.mm(counter.title.fontInfo().pixelSize()) >= 6  # text ≥ 6 mm
    assert not counter.previous_button.isEnabled()
    counter.next_button.click()
    assert counter.page == 1 and counter.previous_button.isEnabled()
    counter.previous_button.click()
    assert counter.page == 0
    # the signature screen cannot be reached before the last page was shown
    while counter.page < counter.page_count - 1:
        assert counter.next_button.text() == "다음"
        counter.next_button.click()
    assert counter.stack.currentIndex() == DOCUMENT
    assert counter.next_button.text() == "서명하러 가기"
    counter.next_button.click()
    assert counter.stack.currentIndex() == SIGN
    assert counter.document is not None
    assert document_code(counter.document.id) in counter.sign_caption.text()
    assert counter.sign_button.text() == "서명하기"
    shown = " ".join(_shown_words(counter))
    assert counter.document.sha256[:6] not in shown and "SHA" not in shown.upper()
    counter.back_button.click()
    assert counter.stack.currentIndex() == DOCUMENT


def test_the_thumbnails_jump_but_only_the_last_page_opens_signing(counter: CounterWindow) -> None:
    counter.thumbs.setCurrentRow(1)
    assert counter.page == 1 and counter.page_label.text() == f"2쪽 / 전체 {counter.page_count}쪽"
    counter.thumbs.setCurrentRow(0)
    counter.next_button.click()
    assert counter.stack.currentIndex() == DOCUMENT  # page 1 → page 2, no signing yet


def test_read_aloud_reads_the_page_on_screen_and_follows_the_pages(counter: CounterWindow) -> None:
    assert counter.voice is not None
    counter.read_button.click()
    assert counter.read_button.isChecked() and counter.voice.enabled
    assert counter.voice.last_text == counter.page_texts[0][:4000] and counter.voice.last_text
    counter.next_button.click()
    assert counter.voice.last_text == counter.page_texts[1][:4000]
    counter.read_button.click()
    assert not counter.voice.enabled


def test_english_is_english_only_and_the_next_person_gets_korean(counter: CounterWindow) -> None:
    assert any(HANGUL.search(text) for text in _shown_words(counter))
    counter.language_button.click()
    assert [t for t in _shown_words(counter) if HANGUL.search(t)] == []
    assert counter.title.text() == "Consent form" and counter.next_button.text() == "Next"
    while counter.page < counter.page_count - 1:
        counter.next_button.click()
    counter.next_button.click()
    assert counter.stack.currentIndex() == SIGN
    assert [t for t in _shown_words(counter) if HANGUL.search(t)] == []
    assert counter.sign_button.text() == "Sign"
    counter.wipe()
    assert counter.stack.currentIndex() == IDLE and counter.language == "ko"
    assert HANGUL.search(counter.idle.text()) and counter.page_count == 0


def test_a_document_whose_bytes_do_not_match_is_not_shown(counter: CounterWindow) -> None:
    counter.wipe()
    rendered = render_document("consent", SAMPLE_DOCUMENT_FIELDS["consent"])
    counter.document = DocumentOut(
        id=uuid.uuid4(), visit_id=None, template="consent", template_version="1", sha256="0" * 64,
        status="pushed", pushed_to_device_id=None, signed_at=None, size_bytes=1,
    )  # fmt: skip
    pages, texts = read_pages(rendered.pdf, dpi=40)
    counter._show_document(LoadedDocument(rendered.pdf, pages, texts))
    assert counter.stack.currentIndex() == IDLE and counter.document is None
    assert "바뀌었어요" in counter.idle.text()


def test_the_page_fills_the_width_to_be_read(counter: CounterWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    counter.resize(1280, 800)
    qtbot.waitUntil(
        lambda: abs(counter.page_view.pixmap().width() - counter.pages_scroll.viewport().width()) < 12
    )
    # an A4 page (595 pt wide) shown ≥ 1.6 px per pt: the document's 10 pt text is ≥ 16 px tall
    assert counter.page_view.pixmap().width() / 595 >= 1.6
    counter.grab().save(str(tmp_path / "counter-page.png"))  # saved for a person to look at
    counter.language_button.click()
    counter.grab().save(str(tmp_path / "counter-page-en.png"))
