"""`kiosk hq report --format pdf`: a monthly PDF whose pages hold every center's name and figures as
text (searchable Korean, the font embedded) and its three charts as images. Read back with poppler's
pdfinfo / pdftotext / pdfimages / pdffonts, as tests/printers/test_documents.py reads documents."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from kiosk.hq.app import create_app
from kiosk.hq.pdf_report import build_pdf, outcome_label
from tests.kiosk.hq import dashboard_data as data
from tests.kiosk.hq.signer import T0, FakeCenter

pytestmark = pytest.mark.postgres


def poppler(tool: str, pdf: Path, *args: str) -> str:
    return subprocess.run(
        [tool, *args, str(pdf), *(["-"] if tool == "pdftotext" else [])],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.fixture
def synced(
    hq_engine: Engine, hq_sessions: sessionmaker[Session], seoul: FakeCenter, suwon: FakeCenter
) -> Iterator[sessionmaker[Session]]:
    data.fill(seoul, suwon)
    # A second week, so outcomes over time has more than one point.
    data.visit(seoul, 7 * 24 * 60, data.LEE, "welfare_referral")
    seoul.ticket(T0 + timedelta(days=7), line="A", counselor=data.LEE, wait_min=70)
    with TestClient(create_app(hq_engine)) as client:
        data.send(client, seoul)
        data.send(client, suwon)
    yield hq_sessions


def test_the_monthly_pdf_has_the_centers_their_figures_and_three_charts(
    synced: sessionmaker[Session], tmp_path: Path
) -> None:
    from datetime import date

    out = tmp_path / "2026-11.pdf"
    with synced() as session:
        assert build_pdf(session, date(2026, 11, 1), date(2026, 11, 30), out) == 2
    assert "Pages:           2" in poppler("pdfinfo", out)
    text = poppler("pdftotext", out)
    for words in (
        "센터 통계 월간 보고서 2026-11",
        "서울중앙 (C001)",
        "수원 (C002)",
        "대기 시간 분포",
        "결과별 방문 추이",
    ):
        assert words in text, words
    # 서울중앙's row: 5 visits, 6 tickets, 5 served, 1 no-show (wait figures follow)
    assert "\n5\n\n6\n\n5\n\n1\n" in text
    listing = poppler("pdfimages", out, "-list").splitlines()[2:]
    images = [line.split() for line in listing if line.split()[2] == "image"]
    assert len(images) == 3  # visits per center, wait distribution, outcomes over time
    assert [row[0] for row in images] == ["1", "2", "2"] and all(int(row[3]) >= 1000 for row in images)
    assert "NanumGothic" in poppler("pdffonts", out)


def test_the_cli_writes_the_pdf_and_asks_for_out(
    synced: sessionmaker[Session], postgres_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk.cli import main

    out = tmp_path / "report.pdf"
    args = [
        "hq",
        "report",
        "--db",
        postgres_url,
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--format",
        "pdf",
    ]
    assert main(args) == 2
    assert "pdf needs --out" in capsys.readouterr().err
    assert main([*args, "--out", str(out)]) == 0
    assert "PDF report of 2 centers" in capsys.readouterr().out
    assert out.read_bytes().startswith(b"%PDF-")


def test_an_empty_month_still_makes_a_readable_report(
    hq_sessions: sessionmaker[Session], seoul: FakeCenter, tmp_path: Path
) -> None:
    from datetime import date

    out = tmp_path / "empty.pdf"
    with hq_sessions() as session:
        assert build_pdf(session, date(2026, 10, 1), date(2026, 10, 31), out) == 0
    text = poppler("pdftotext", out)
    assert "2026-10" in text and "합계" in text


def test_outcome_words_are_the_hubs_and_unknown_ones_pass_through() -> None:
    assert outcome_label("debt_adjustment_applied") == "채무조정 신청"
    assert outcome_label("new_kind") == "new_kind"
