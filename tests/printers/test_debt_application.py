"""채무조정 신청서 (issue 21): the creditor table, the estimate with its reasons, the estimate sentence and
the consent references, as text a reader (or a screen reader) can extract; incomplete fields refused."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from printers.documents.render import DocumentFieldError, render_document

FIELDS: dict[str, Any] = {
    "center_name": "서울중앙 서민금융통합지원센터",
    "person_label": "김*수 · 900101-1******",
    "visit_date": "2026-12-03",
    "debt": {
        "source": "credit_port",
        "source_ko": "신용정보 조회 · 에뮬레이터 (시험용)",
        "fetched_at": "2026-12-03 10:00:00 (KST)",
        "creditors": [
            {
                "creditor": "가온카드",
                "kind_ko": "카드",
                "principal_krw": 8_000_000,
                "annual_rate": 0.179,
                "overdue_days": 400,
                "written_off": True,
                "since": "2021-02-01",
            },
            {
                "creditor": "푸른저축은행",
                "kind_ko": "신용대출",
                "principal_krw": 12_500_000,
                "annual_rate": 0.145,
                "overdue_days": 120,
                "written_off": False,
                "since": "-",
            },
        ],
        "plan": {
            "program": "ccrs.individual_workout",
            "name_ko": "개인워크아웃",
            "eligible": True,
            "principal_before_krw": 20_500_000,
            "principal_after_krw": 16_500_000,
            "annual_rate": 0.0,
            "term_months": 60,
            "monthly_payment_krw": 275_000,
            "total_repaid_krw": 16_500_000,
            "term_chosen": True,
            "reasons_ko": [
                "상각된 빚 원금을 50% 줄였어요 (출처: 신용회복위원회)",
                "예상치예요 — 최종 결정은 신용회복위원회 심사 후에 나요",
            ],
        },
        "available_income_monthly_krw": 300_000,
        "rules_version": "2025.1",
        "consent": {
            "consent_id": "6f1c2a9e-0000-4000-8000-000000000001",
            "text_version": "2025.1",
            "method": "서명",
            "evidence_id": "sig-1",
            "credit_inquiry": True,
        },
    },
}


def pdftotext(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "debt.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_application_shows_creditors_plan_estimate_and_consent(tmp_path: Path) -> None:
    doc = render_document("debt_application", FIELDS, doc_id="doc-1")
    text = pdftotext(doc.pdf, tmp_path)
    flat = text.replace("\n", " ")
    assert "채무조정 신청서" in text
    for creditor in ("가온카드", "푸른저축은행"):
        assert creditor in text
    assert "12,500,000원" in flat and "연 17.90%" in flat
    assert "개인워크아웃" in text and "275,000원" in flat and "60개월" in flat
    assert "원금을 50% 줄였어요" in flat  # each figure's reason
    assert flat.count("예상치예요 — 최종 결정은 신용회복위원회 심사 후에 나요") >= 2
    assert "6f1c2a9e-0000-4000-8000-000000000001" in flat and "2025.1" in flat
    assert "에뮬레이터" in text  # an emulated list says so on paper too
    assert "900101-1******" in flat and "900101-1234" not in flat


def test_no_fitting_program_says_to_talk_about_the_court_routes(tmp_path: Path) -> None:
    fields = {**FIELDS, "debt": {**FIELDS["debt"], "plan": None, "consent": None}}
    text = pdftotext(render_document("debt_application", fields).pdf, tmp_path)
    assert "법원 절차" in text and "동의 기록이 없어요" in text


@pytest.mark.parametrize("debt", [None, {}])
def test_without_a_debt_list_there_is_no_application(debt: Any) -> None:
    with pytest.raises(DocumentFieldError) as caught:
        render_document("debt_application", {**FIELDS, "debt": debt})
    assert "debt" in caught.value.missing and caught.value.message_ko
