"""The counter shows a pushed PDF whole: every page as an image on white, and its text to read aloud."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QImage

from printers.documents.render import render_document
from printers.documents.samples import SAMPLE_DOCUMENT_FIELDS
from ui.counter.pages import UnreadableDocument, read_document


def test_every_page_is_rendered_on_white_with_its_text(qapp: object) -> None:
    doc = render_document("consent", SAMPLE_DOCUMENT_FIELDS["consent"])
    pages, text = read_document(doc.pdf, dpi=60)
    assert len(pages) == doc.pages
    first = QImage.fromData(pages[0], "PNG")
    assert (first.width(), first.height()) == (round(595.28 * 60 / 72), round(841.89 * 60 / 72))
    assert first.pixelColor(2, 2).name() == "#ffffff"  # not transparent: readable on any theme
    inked = sum(
        first.pixelColor(x, y).lightness() < 128 for x in range(0, first.width(), 4) for y in range(60, 120)
    )
    assert inked > 20  # the title is there
    assert "개인(신용)정보 동의서" in text and "동의" in text


@settings(max_examples=25, deadline=None)
@given(junk=st.binary(max_size=2000))
def test_bytes_that_are_not_a_pdf_are_refused(qapp: object, junk: bytes) -> None:
    with pytest.raises(UnreadableDocument):
        read_document(b"not a pdf: " + junk)
