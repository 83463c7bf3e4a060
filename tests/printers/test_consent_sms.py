"""The consent PDF of a consent by SMS code states the method and the facts it rests on (issue 18);
a consent by signature says what it always said."""

from __future__ import annotations

import subprocess
from pathlib import Path

from printers.documents.render import render_document
from printers.documents.samples import SAMPLE_DOCUMENT_FIELDS

SMS = {
    "method": "휴대전화 문자 인증",
    "to_masked": "010-****-5432",
    "sent_at": "2026-12-02 16:10:05 (KST)",
    "confirmed_at": "2026-12-02 16:11:40 (KST)",
    "message_id": "5b0e8f3a-2a43-4a8c-9d55-0c4b8f1f2e11",
    "gateway_id": "smsc-000042",
    "delivery": "DELIVRD",
}


def pdftotext(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "consent.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_an_sms_consent_states_its_method_and_facts(tmp_path: Path) -> None:
    fields = {**SAMPLE_DOCUMENT_FIELDS["consent"], "consent_sms": SMS}
    text = pdftotext(render_document("consent", fields).pdf, tmp_path)
    assert "동의 방법: 휴대전화 문자 인증" in text
    for fact in ("010-****-5432", "2026-12-02 16:10:05 (KST)", "2026-12-02 16:11:40 (KST)", "DELIVRD"):
        assert fact in text
    assert SMS["message_id"] in text.replace("\n", "")


def test_an_unreported_delivery_says_so(tmp_path: Path) -> None:
    fields = {**SAMPLE_DOCUMENT_FIELDS["consent"], "consent_sms": {**SMS, "delivery": "미확인"}}
    text = pdftotext(render_document("consent", fields).pdf, tmp_path)
    assert "미확인" in text and "DELIVRD" not in text


def test_a_signed_consent_names_no_sms(tmp_path: Path) -> None:
    for fields in (
        SAMPLE_DOCUMENT_FIELDS["consent"],
        {**SAMPLE_DOCUMENT_FIELDS["consent"], "consent_sms": None},
    ):
        text = pdftotext(render_document("consent", fields).pdf, tmp_path)
        assert "문자 인증" not in text and "동의 방법" not in text
