"""`kiosk hq migrate | center add/revoke/list | account add | verify | report` as an operator runs them."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from db.session import make_engine
from kiosk.hq.app import create_app
from tests.db.conftest import Run
from tests.kiosk.hq.signer import T0, FakeCenter

pytestmark = pytest.mark.postgres


@pytest.fixture
def hq(postgres_url: str, kiosk: Run, tmp_path: Path) -> str:
    result = kiosk("hq", "migrate", "--db", postgres_url)
    assert result.returncode == 0, result.stderr
    assert "HQ schema at revision 0" in result.stdout
    assert kiosk("hq", "migrate", "--db", postgres_url).returncode == 0  # again: nothing to do
    return postgres_url


def enrol(kiosk: Run, url: str, center: FakeCenter, tmp_path: Path) -> None:
    key = tmp_path / f"{center.code}.pem"
    key.write_bytes(center.public_pem)
    result = kiosk(
        "hq",
        "center",
        "add",
        "--db",
        url,
        "--code",
        center.code,
        "--name",
        center.name,
        "--public-key",
        str(key),
    )
    assert result.returncode == 0, result.stderr


def push(url: str, center: FakeCenter) -> None:
    engine = make_engine(url)
    with TestClient(create_app(engine)) as client:
        body = center.body(head=center.head())
        response = client.post("/sync/v1/batches", content=body, headers=center.headers(body))
        assert response.status_code == 200, response.json()
    engine.dispose()


def two_centers(kiosk: Run, url: str, tmp_path: Path) -> tuple[FakeCenter, FakeCenter]:
    seoul, suwon = FakeCenter("C001", "서울중앙"), FakeCenter("C002", "수원")
    for center, visits in ((seoul, 3), (suwon, 2)):
        enrol(kiosk, url, center, tmp_path)
        for n in range(visits):
            at = T0 + timedelta(minutes=30 * n)
            center.event(
                "visit.submitted",
                at,
                visit_id=f"00000000-0000-4000-8000-{n:012d}",
                path="walk_in",
                line="A",
                programs_eligible=["sunshine"],
                programs_maybe=[],
            )
            center.ticket(at)
            center.audit_row("visit.submit", at, target=f"v{n}")
        push(url, center)
    return seoul, suwon


def test_verify_prints_one_ok_line_per_center(hq: str, kiosk: Run, tmp_path: Path) -> None:
    two_centers(kiosk, hq, tmp_path)
    result = kiosk("hq", "verify", "--db", hq)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("서울중앙 OK 3 events head ") and "signed at seq 3" in lines[0]
    assert lines[1].startswith("수원 OK 2 events head ")


def test_verify_names_the_first_row_edited_at_hq(hq: str, kiosk: Run, tmp_path: Path) -> None:
    two_centers(kiosk, hq, tmp_path)
    engine = make_engine(hq)
    with Session(engine) as session, session.begin():
        session.execute(
            text(
                "UPDATE hq_audit SET target = 'edited' WHERE seq = 2 AND center_id = "
                "(SELECT id FROM hq_center WHERE code = 'C002')"
            )
        )
    engine.dispose()
    result = kiosk("hq", "verify", "--db", hq)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        result.stdout.splitlines()[0],
        "수원 BROKEN at seq 2: content does not match its hash",
    ]
    assert " OK " in result.stdout.splitlines()[0]


def test_verify_sees_rows_cut_off_the_end(hq: str, kiosk: Run, tmp_path: Path) -> None:
    two_centers(kiosk, hq, tmp_path)
    engine = make_engine(hq)
    with Session(engine) as session, session.begin():
        session.execute(text("DELETE FROM hq_audit WHERE seq = 3"))  # 서울중앙's last; the chain stays whole
    engine.dispose()
    result = kiosk("hq", "verify", "--db", hq)
    assert result.returncode == 1
    assert "서울중앙 BROKEN at seq 3: an event is missing" in result.stdout


def test_verify_checks_the_signed_head_against_the_stored_row(hq: str, kiosk: Run, tmp_path: Path) -> None:
    two_centers(kiosk, hq, tmp_path)
    engine = make_engine(hq)
    with Session(engine) as session, session.begin():
        session.execute(text("UPDATE hq_head SET signature = 'QUJD' WHERE audit_seq = 2"))  # 수원's head
    engine.dispose()
    result = kiosk("hq", "verify", "--db", hq)
    assert result.returncode == 1
    assert "수원 BROKEN at seq 2: the signed head's signature does not verify" in result.stdout


def test_report_csv_opens_in_excel_with_center_and_visits(hq: str, kiosk: Run, tmp_path: Path) -> None:
    two_centers(kiosk, hq, tmp_path)
    out = tmp_path / "report.csv"
    day = T0.date().isoformat()
    result = kiosk(
        "hq", "report", "--db", hq, "--from", day, "--to", day, "--format", "csv", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the BOM
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    # The header a person reads in Excel is Korean.
    assert [(r["센터 코드"], r["센터"], r["방문"]) for r in rows] == [
        ("C001", "서울중앙", "3"),
        ("C002", "수원", "2"),
    ]
    assert sum(int(r["방문"]) for r in rows) == 5
    assert rows[0]["발권"] == "3"

    # Scripts ask for the machine names: the same figures under them.
    names = tmp_path / "names.csv"
    named = kiosk(
        "hq", "report", "--db", hq, "--from", day, "--to", day, "--csv-header", "names", "--out", str(names)
    )
    assert named.returncode == 0, named.stderr
    rows = list(csv.DictReader(io.StringIO(names.read_bytes().decode("utf-8-sig"))))
    assert [(r["center"], r["visits"]) for r in rows] == [("C001", "3"), ("C002", "2")]
    assert rows[0]["tickets_issued"] == "3" and rows[0]["wait_median_min"] == "10.0"


def test_report_xlsx_has_korean_labels_then_machine_names(hq: str, kiosk: Run, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    two_centers(kiosk, hq, tmp_path)
    out = tmp_path / "report.xlsx"
    day = T0.date().isoformat()
    result = kiosk(
        "hq",
        "report",
        "--db",
        hq,
        "--from",
        day,
        "--to",
        day,
        "--by",
        "day",
        "--format",
        "xlsx",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    sheet = load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "센터 통계"
    assert rows[0][:3] == ("센터 코드", "센터", "기간 시작일") and "방문" in rows[0]
    assert rows[1][:3] == ("center", "center_name", "period")
    visits = rows[1].index("visits")
    assert [(r[0], r[visits]) for r in rows[2:]] == [("C001", 3), ("C002", 2)]


def test_revoked_center_is_listed_and_refused(hq: str, kiosk: Run, tmp_path: Path) -> None:
    seoul = FakeCenter("C001", "서울중앙")
    enrol(kiosk, hq, seoul, tmp_path)
    assert kiosk("hq", "center", "revoke", "--db", hq, "--code", "C001").returncode == 0
    listing = kiosk("hq", "center", "list", "--db", hq)
    assert "C001\t서울중앙\trevoked\tnever synced" in listing.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["hq", "center", "add", "--code", "C1", "--name", "x", "--public-key", "/nonexistent"], "not added"),
        (["hq", "center", "revoke", "--code", "NOPE"], "no center NOPE"),
        (["hq", "report", "--from", "2026-11-02", "--to", "2026-11-01"], "ends before"),
        (["hq", "report", "--from", "2026-11-02", "--to", "2026-11-02", "--format", "xlsx"], "needs --out"),
    ],
)
def test_bad_operator_input_says_what_and_exits_2(hq: str, kiosk: Run, args: list[str], words: str) -> None:
    result = kiosk(*args, "--db", hq)
    assert result.returncode == 2
    assert words in result.stderr


def test_a_bad_key_file_and_a_duplicate_code_are_refused(hq: str, kiosk: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.pem"
    bad.write_bytes(b"-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n")
    result = kiosk("hq", "center", "add", "--db", hq, "--code", "C1", "--name", "x", "--public-key", str(bad))
    assert result.returncode == 2 and "not a PEM public key" in result.stderr
    enrol(kiosk, hq, FakeCenter("C001", "서울중앙"), tmp_path)
    again = tmp_path / "again.pem"
    again.write_bytes(FakeCenter("C001", "x").public_pem)
    result = kiosk(
        "hq", "center", "add", "--db", hq, "--code", "C001", "--name", "x", "--public-key", str(again)
    )
    assert result.returncode == 2 and "already registered" in result.stderr


def test_commands_without_a_database_or_schema_say_so(postgres_url: str, kiosk: Run, monkeypatch) -> None:
    monkeypatch.delenv("KIOSK_HQ_DB", raising=False)
    assert "--db URL" in kiosk("hq", "verify").stderr
    result = kiosk("hq", "verify", "--db", postgres_url)
    assert result.returncode == 2 and "kiosk hq migrate" in result.stderr
    assert kiosk("hq", "verify", "--db", "sqlite:///x.db").returncode == 2


def test_account_add_stores_an_argon2_hash(hq: str, kiosk: Run, monkeypatch) -> None:
    from kiosk.hq.accounts import check_password

    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    result = kiosk(
        "hq", "account", "add", "--db", hq, "--username", "kim", "--role", "analyst", "--password-stdin"
    )
    assert result.returncode == 0, result.stderr
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    short = kiosk(
        "hq", "account", "add", "--db", hq, "--username", "lee", "--role", "admin", "--password-stdin"
    )
    assert short.returncode == 2 and "at least 12" in short.stderr
    engine = make_engine(hq)
    with Session(engine) as session:
        stored = session.execute(text("SELECT password_hash FROM hq_account WHERE username = 'kim'")).scalar()
        assert stored.startswith("$argon2id$") and "correct" not in stored
        assert check_password(session, "kim", "correct horse battery") is not None
        assert check_password(session, "kim", "wrong horse battery") is None
        assert check_password(session, "nobody", "correct horse battery") is None
    engine.dispose()


def test_serve_refuses_plain_http_off_loopback(hq: str, kiosk: Run) -> None:
    result = kiosk("hq", "serve", "--db", hq, "--host", "0.0.0.0")
    assert result.returncode == 2 and "TLS" in result.stderr
