"""PDF → page images and text, with poppler (pdftoppm / pdftotext) in a worker, never on the GUI thread."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path


def render_pages(pdf: bytes, dpi: int = 110) -> list[bytes]:
    """PNG bytes of every page, in order. Temporary files are removed before returning."""
    with tempfile.TemporaryDirectory(prefix="counter-doc-") as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-png", str(source), str(Path(tmp) / "page")],
            check=True,
            capture_output=True,
            timeout=60,
        )
        pages = sorted(Path(tmp).glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        return [p.read_bytes() for p in pages]


def document_text(pdf: bytes) -> str:
    """The document's text for reading aloud (pdftotext keeps Korean)."""
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, timeout=60, check=False
    )
    return done.stdout.decode("utf-8", errors="replace")


def load_document(fetch_pdf: object, document_id: object) -> tuple[bytes, list[bytes], str]:
    """Worker job: fetch the PDF from the hub, render its pages and extract its text."""
    pdf: bytes = fetch_pdf(document_id)  # type: ignore[operator]
    return pdf, render_pages(pdf), document_text(pdf)
