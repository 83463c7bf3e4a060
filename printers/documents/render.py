"""PDF rendering with reportlab: NanumGothic embedded as a subset, id and page n/m on every page.

``render_document`` returns the bytes, their SHA-256 (to store in ``Document.sha256``), the document id
and the template version. A signed document carries the signature image and the hash of the signer's
signature record, so the PDF names the exact record it was signed with.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate

# The fonts live in fonts.py: the templates name them too, and must not import the renderer for that.
from printers.documents.fonts import FONT, register_fonts
from printers.documents.templates import TEMPLATES, signature_block


class DocumentFieldError(ValueError):
    """Fields missing for a document template. ``code`` is stable; ``message_ko`` is for people."""

    code = "DOC-TEMPLATE-FIELD"

    def __init__(self, template: str, missing: list[str]) -> None:
        self.template, self.missing = template, missing
        self.message_ko = f"문서 '{template}'을(를) 만들 수 없어요: 빠진 항목 {', '.join(missing)}."
        super().__init__(f"[{self.code}] document template {template!r} is missing {', '.join(missing)}")


@dataclass(frozen=True)
class RenderedDocument:
    pdf: bytes
    sha256: str
    doc_id: str
    version: str
    template: str
    pages: int


def _footer_canvas(doc_id: str, template: str, version: str) -> type[Canvas]:
    """A canvas that knows the page count before drawing footers (pages are buffered until save)."""

    class FooterCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.setFont(FONT, 8)
                self.setFillGray(0.35)
                text = (
                    f"문서번호 {doc_id} · {template} v{version} · {number}/{total} 쪽 (page {number}/{total})"
                )
                self.drawCentredString(A4[0] / 2, 12 * mm, text)
                super().showPage()
            super().save()

    return FooterCanvas


def build_pdf(
    story: list[Flowable], *, title: str, doc_id: str, template: str, version: str
) -> tuple[bytes, int]:
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=22 * mm,
        title=title,
        author="서민금융통합지원센터 paperless-kiosk",
        subject=f"{template} v{version} {doc_id}",
        creator="paperless-kiosk",
        initialFontName=FONT,  # else an unused, unembedded Helvetica is listed in every PDF
    )
    doc.build(story, canvasmaker=_footer_canvas(doc_id, template, version))
    return buffer.getvalue(), doc.page


def render_document(
    template: str,
    fields: Mapping[str, Any],
    *,
    signature_png: bytes | None = None,
    signature_hash: str | None = None,
    doc_id: str | None = None,
) -> RenderedDocument:
    """One document from a template (see ``printers.documents.templates.TEMPLATES``)."""
    if template not in TEMPLATES:
        raise KeyError(f"unknown document template {template!r}; known: {sorted(TEMPLATES)}")
    spec = TEMPLATES[template]
    register_fonts()  # paragraph styles resolve the font family while the story is built
    missing = [name for name in spec.required if fields.get(name) in (None, "", [], {})]
    if missing:
        raise DocumentFieldError(template, missing)
    if (signature_png is None) != (signature_hash is None):
        raise ValueError("a signed document needs both the signature image and its record hash")
    doc_id = doc_id or str(uuid.uuid4())  # the same id becomes the archived Document row's key
    story = spec.build(fields, doc_id)
    if signature_png is not None and signature_hash is not None:
        story += signature_block(signature_png, signature_hash)
    pdf, pages = build_pdf(story, title=spec.title, doc_id=doc_id, template=template, version=spec.version)
    return RenderedDocument(pdf, hashlib.sha256(pdf).hexdigest(), doc_id, spec.version, template, pages)
