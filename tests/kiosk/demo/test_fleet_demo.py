"""`kiosk demo --headless --centers N --hq-db URL`: several centers sync to one HQ, which verifies each
chain and counts what the centers counted — then `kiosk hq verify` and `kiosk hq report` agree."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from kiosk.cli import main

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def test_two_centers_sync_to_hq_and_hq_counts_what_they_counted(
    tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "F"
    argv = [
        "demo",
        "--headless",
        "--centers",
        "2",
        "--walk-ins",
        "1",
        "--out",
        str(out),
        "--hq-db",
        postgres_url,
    ]
    assert main(argv) == 0
    summary = json.loads((out / "hq-summary.json").read_text(encoding="utf-8"))
    assert [c["synced"] for c in summary["centers"]] == [True, True]
    assert len(summary["verify"]) == 2 and all(" OK " in line for line in summary["verify"])
    # HQ's figures equal the centers' own databases
    for center in summary["centers"]:
        with sqlite3.connect(Path(center["out"]) / "center.db") as db:
            (visits,) = db.execute("SELECT count(*) FROM visit").fetchone()
        row = next(r for r in summary["statistics"] if r["center"] == center["code"])
        assert row["visits"] == visits == 1
    # Each walk-in's contacts reached HQ sealed to HQ's key (the privacy sweep reads the folder).
    assert summary["sealed_contacts"] == 2
    capsys.readouterr()
    assert main(["hq", "verify", "--db", postgres_url]) == 0
    assert capsys.readouterr().out.count(" OK ") == 2
    from config import clock

    today = clock.today().isoformat()
    report = tmp_path / "r.csv"
    code = main(
        [
            "hq",
            "report",
            "--db",
            postgres_url,
            "--from",
            today,
            "--to",
            today,
            "--format",
            "csv",
            "--out",
            str(report),
        ]
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(report.read_bytes().decode("utf-8-sig"))))
    assert sorted(r["센터 코드"] for r in rows) == sorted(c["code"] for c in summary["centers"])
    assert sum(int(r["방문"]) for r in rows) == 2


def test_a_second_run_on_the_same_hq_database_is_refused_with_a_reason(
    tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from sqlalchemy.orm import Session

    from db.session import make_engine
    from kiosk.hq.centers import add_center
    from kiosk.hq.migrate import upgrade

    engine = make_engine(postgres_url)
    upgrade(engine)
    with Session(engine) as session:
        add_center(session, "seoul-central", "서울중앙", b"\x01" * 32)
        session.commit()
    engine.dispose()
    argv = [
        "demo",
        "--headless",
        "--centers",
        "1",
        "--walk-ins",
        "1",
        "--out",
        str(tmp_path / "F"),
        "--hq-db",
        postgres_url,
    ]
    assert main(argv) == 2
    assert "빈 데이터베이스를 주세요" in capsys.readouterr().err


def test_centers_without_an_hq_database_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--headless", "--centers", "2", "--out", str(tmp_path / "F")]) == 2
    assert "--hq-db" in capsys.readouterr().err
