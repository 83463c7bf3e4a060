"""PDF → page images and text with Qt's own PDF engine (QtPdf), in a worker, never on the GUI thread."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument


class UnreadableDocument(ValueError):
    """The bytes from the hub are not a PDF the counter can show."""


def _open(pdf: bytes) -> tuple[QPdfDocument, QBuffer]:
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
        raise UnreadableDocument(f"PDF not readable: {document.error().name}")
    return document, buffer  # the buffer must outlive the document's use


def _png(image: QImage) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6 6.x stubs type `format` as bytes, but the binding refuses bytes and takes only str.
    image.save(buffer, "PNG")  # type: ignore[call-overload]
    return bytes(buffer.data().data())


COUNTER_DPI = 150  # an A4 page ~1240 px wide: shrunk to the counter's width, it stays sharp


@dataclass(frozen=True)
class LoadedDocument:
    """A pushed document ready to show: its bytes (checked against the announced hash), and per page
    a PNG on white and the text read aloud while that page is on screen."""

    pdf: bytes
    pages: list[bytes]
    texts: list[str]


def read_document(pdf: bytes, dpi: int = 110) -> tuple[list[bytes], str]:
    """PNG bytes of every page, in order, on white, and the document's whole text."""
    pages, texts = read_pages(pdf, dpi)
    return pages, "\n".join(texts)


def read_pages(pdf: bytes, dpi: int = 110) -> tuple[list[bytes], list[str]]:
    """PNG bytes of every page, in order, on white (pages render with a transparent background), and
    each page's text for reading aloud — from one parse of the PDF."""
    document, _buffer = _open(pdf)
    pages, texts = [], []
    for index in range(document.pageCount()):
        points = document.pagePointSize(index)
        size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
        page = QImage(size, QImage.Format.Format_RGB32)
        page.fill(Qt.GlobalColor.white)
        painter = QPainter(page)
        painter.drawImage(0, 0, document.render(index, size))
        painter.end()
        pages.append(_png(page))
        texts.append(document.getAllText(index).text())
    document.close()
    return pages, texts


def load_document(fetch_pdf: Callable[[uuid.UUID], bytes], document_id: uuid.UUID) -> LoadedDocument:
    """Worker job: fetch the PDF from the hub, render its pages and extract their text."""
    pdf = fetch_pdf(document_id)
    pages, texts = read_pages(pdf, dpi=COUNTER_DPI)
    return LoadedDocument(pdf, pages, texts)
