"""PDF documents: Korean extractable, fonts embedded, signed copies validate and break when touched."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import Engine

from config.consent import consent_set
from printers.documents.demo_cert import make_demo_credentials
from printers.documents.pades import DocumentSigner, pades_sign, validate_pades
from printers.documents.render import DocumentFieldError, render_document
from printers.documents.samples import SAMPLE_DOCUMENT_FIELDS


def pdftotext(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_consent_shows_every_item_with_its_own_state(tmp_path: Path) -> None:
    fields = dict(SAMPLE_DOCUMENT_FIELDS["consent"])
    fields["decisions"] = {"personal_credit_collection": True, "marketing": False}
    doc = render_document("consent", fields)
    text = pdftotext(doc.pdf, tmp_path)
    assert "동의" in text
    for item in consent_set().items:
        assert item.title_ko in text
    assert text.count("동의함 (agreed)") == 1 and text.count("동의하지 않음 (refused)") == 1
    assert text.count("응답 없음") == len(consent_set().items) - 2
    assert f"{doc.doc_id} · consent v1 · 1/{doc.pages}" in text


def test_every_template_embeds_its_font_and_records_its_hash(tmp_path: Path) -> None:
    import hashlib

    for template, fields in SAMPLE_DOCUMENT_FIELDS.items():
        doc = render_document(template, fields)
        assert doc.sha256 == hashlib.sha256(doc.pdf).hexdigest() and len(doc.pdf) <= 120_000
        path = tmp_path / f"{template}.pdf"
        path.write_bytes(doc.pdf)
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = fonts.splitlines()[2:]
        assert rows and all("NanumGothic" in row and " yes yes " in row for row in rows), fonts


def test_signed_document_carries_signature_image_and_record_hash(tmp_path: Path) -> None:
    png = io.BytesIO()
    Image.new("L", (300, 100), 255).save(png, format="PNG")
    record_hash = "ab" * 32
    fields = SAMPLE_DOCUMENT_FIELDS["counseling_record"]
    doc = render_document(
        "counseling_record", fields, signature_png=png.getvalue(), signature_hash=record_hash
    )
    assert record_hash in pdftotext(doc.pdf, tmp_path).replace("\n", "")
    assert b"/Subtype /Image" in doc.pdf
    with pytest.raises(ValueError):
        render_document("counseling_record", fields, signature_png=png.getvalue())


def test_pades_intact_then_broken_by_one_byte() -> None:
    credentials = make_demo_credentials()
    doc = render_document("aftercare_plan", SAMPLE_DOCUMENT_FIELDS["aftercare_plan"])
    signed = pades_sign(doc.pdf, DocumentSigner.from_demo(credentials))
    roots = (credentials.ca_cert_pem,)
    assert validate_pades(signed, roots)
    position = len(doc.pdf) // 2  # inside the signed byte range
    tampered = signed[:position] + bytes([signed[position] ^ 0x01]) + signed[position + 1 :]
    assert not validate_pades(tampered, roots)
    assert not validate_pades(signed, (make_demo_credentials().ca_cert_pem,))  # someone else's CA
    assert not validate_pades(doc.pdf, roots)  # unsigned
    assert not validate_pades(b"not a pdf", roots)


def test_missing_field_is_a_clear_error() -> None:
    fields = dict(SAMPLE_DOCUMENT_FIELDS["intake_summary"])
    del fields["verdicts"]
    with pytest.raises(DocumentFieldError) as caught:
        render_document("intake_summary", fields)
    assert caught.value.missing == ["verdicts"] and caught.value.code == "DOC-TEMPLATE-FIELD"


def test_archived_document_keeps_id_version_and_hash_of_the_stored_bytes(engine: Engine) -> None:
    import hashlib

    from db.models.documents import Document
    from db.session import make_sessionmaker
    from printers.documents.archive import archive_document

    credentials = make_demo_credentials()
    doc = render_document("consent", SAMPLE_DOCUMENT_FIELDS["consent"])
    signed = pades_sign(doc.pdf, DocumentSigner.from_demo(credentials))
    sessions = make_sessionmaker(engine)
    doc_uuid = archive_document(sessions, doc, pdf=signed)
    assert str(doc_uuid) == doc.doc_id
    with sessions() as session:
        row = session.get(Document, doc_uuid)
        assert row is not None and row.pdf == signed and row.template_version == "1"
        assert row.sha256 == hashlib.sha256(signed).hexdigest()
        assert validate_pades(row.pdf or b"", (credentials.ca_cert_pem,))


def test_signer_from_settings_uses_the_configured_certificate(tmp_path: Path) -> None:
    from config.sections.printer import PrinterSection

    credentials = make_demo_credentials()
    (tmp_path / "cert.pem").write_bytes(credentials.signer_cert_pem)
    (tmp_path / "key.pem").write_bytes(credentials.signer_key_pem)
    (tmp_path / "ca.pem").write_bytes(credentials.ca_cert_pem)
    section = PrinterSection(
        signing_cert_file=str(tmp_path / "cert.pem"),
        signing_key_file=str(tmp_path / "key.pem"),
        signing_chain_files=[str(tmp_path / "ca.pem")],
    )
    signer = DocumentSigner.from_settings(section)
    assert not signer.is_demo
    doc = render_document("counseling_record", SAMPLE_DOCUMENT_FIELDS["counseling_record"])
    assert validate_pades(pades_sign(doc.pdf, signer), (credentials.ca_cert_pem,))
    assert DocumentSigner.from_settings(PrinterSection()).is_demo


def test_missing_signing_key_file_is_a_config_error(tmp_path: Path) -> None:
    from config import ConfigError
    from config.sections.printer import PrinterSection

    section = PrinterSection(signing_cert_file=str(tmp_path / "nope.pem"), signing_key_file="x")
    with pytest.raises(ConfigError, match="signing_cert_file"):
        DocumentSigner.from_settings(section)
