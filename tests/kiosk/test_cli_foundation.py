"""The foundation commands as a user runs them: exit codes, messages, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from db.audit import append_event, verify_chain
from db.crypto import load_keyring
from db.models import Case, Visit
from db.people import store_person
from db.session import make_engine, make_sessionmaker
from kiosk.cli import main

KIOSK = str(Path(sys.executable).parent / "kiosk")


def kiosk_process(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed console script in its own process: exit status and streams exactly as a user sees."""
    return subprocess.run([KIOSK, *args], capture_output=True, text=True, timeout=180, env=os.environ.copy())


@pytest.fixture
def kiosk(capsys: pytest.CaptureFixture[str]) -> Callable[..., subprocess.CompletedProcess[str]]:
    """The same CLI entry point called in this process (starting a process costs seconds on 2 cores)."""

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse --help / usage errors
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(list(args), code, out, err)

    return run


@pytest.fixture
def upgraded(tmp_path: Path, kiosk: Callable[..., subprocess.CompletedProcess[str]]) -> str:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    assert kiosk("db", "upgrade", "--db", url).returncode == 0
    return url


def test_config_check_bad_toml_names_everything_and_exits_2(tmp_path: Path) -> None:
    kiosk = kiosk_process
    bad = tmp_path / "bad.toml"
    bad.write_text('[privacy]\nretention_years = "five"\n', encoding="utf-8")
    done = kiosk("config", "check", str(bad))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    for part in (str(bad), "privacy.retention_years", "'five'", "an integer from 1 to 50"):
        assert part in lines[0]


def test_config_check_good_file_prints_ok_and_a_summary(tmp_path: Path, kiosk: Callable[..., Any]) -> None:
    site = tmp_path / "site.toml"
    site.write_text('[app]\ncenter_code = "suwon"\n[db]\nurl = "postgresql://kiosk:s3cret@db/kiosk"\n')
    done = kiosk("--config", str(site), "config", "check")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"OK: {site}")
    assert "수원서민금융통합지원센터" in done.stdout and "s3cret" not in done.stdout


def test_config_check_unknown_center_code(tmp_path: Path, kiosk: Callable[..., Any]) -> None:
    site = tmp_path / "site.toml"
    site.write_text('[app]\ncenter_code = "atlantis"\n')
    done = kiosk("config", "check", str(site))
    assert done.returncode == 2 and "app.center_code" in done.stderr and "gwanak" in done.stderr


def test_commands_on_an_empty_database_say_to_upgrade(tmp_path: Path, kiosk: Callable[..., Any]) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    for command in (["audit", "verify"], ["db", "purge"], ["keys", "rotate"]):
        done = kiosk(*command, "--db", url)
        assert done.returncode == 2 and "kiosk db upgrade" in done.stdout, command
        assert "Traceback" not in done.stderr


def test_audit_verify_names_the_hand_edited_row(upgraded: str) -> None:
    kiosk = kiosk_process
    engine = make_engine(upgraded)
    sessions = make_sessionmaker(engine)
    with sessions() as session:
        for i in range(6):
            append_event(session, "counselor:c-01", "case.note", f"case:{i}")
        session.commit()
    ok = kiosk("audit", "verify", "--db", upgraded)
    assert ok.returncode == 0 and ok.stdout.splitlines()[0] == "OK: 6 events"
    with sessions() as session:
        assert verify_chain(session).head_hash in ok.stdout
    with engine.begin() as conn:  # what someone with a SQL shell would do
        conn.exec_driver_sql("UPDATE audit_event SET actor = 'admin' WHERE seq = 4")
    engine.dispose()
    done = kiosk("audit", "verify", "--db", upgraded)
    assert done.returncode == 1
    assert "seq 4" in done.stdout and "Traceback" not in done.stderr


def test_purge_dry_run_then_real(upgraded: str, isolated_data_dir: Path, kiosk: Callable[..., Any]) -> None:
    engine = make_engine(upgraded)
    sessions = make_sessionmaker(engine)
    keys = load_keyring(isolated_data_dir / "keys.json", environ={})
    long_ago = datetime.now(UTC) - timedelta(days=7 * 366)
    with sessions() as session:
        person = store_person(session, keys, name="가", rrn="800101-1234567")
        visit = Visit(person_id=person.id, status="completed", ended_at=long_ago, state={"x": 1})
        session.add(visit)
        session.flush()
        session.add(Case(visit_id=visit.id, notes_enc=b"n", ended_at=long_ago))
        session.commit()
    dry = kiosk("db", "purge", "--dry-run", "--db", upgraded)
    assert dry.returncode == 0 and dry.stdout.startswith("DRY RUN") and "persons: 1" in dry.stdout
    real = kiosk("db", "purge", "--db", upgraded)
    assert real.returncode == 0 and real.stdout.startswith("OK") and "persons: 1" in real.stdout
    again = kiosk("db", "purge", "--db", upgraded)
    assert "deleted 0 item(s)" in again.stdout
    assert (
        kiosk("audit", "verify", "--db", upgraded).stdout.splitlines()[0] == "OK: 2 events"
    )  # each run audited
    engine.dispose()


def test_keys_status_and_rotate(upgraded: str, isolated_data_dir: Path, kiosk: Callable[..., Any]) -> None:
    engine = make_engine(upgraded)
    keys = load_keyring(isolated_data_dir / "keys.json", environ={})
    with make_sessionmaker(engine)() as session:
        store_person(session, keys, name="가", rrn="800101-1234567", phone="010-1234-5678")
        session.commit()
    engine.dispose()
    before = kiosk("keys", "status", "--db", upgraded)
    assert f"{keys.current_key_id}: 2 encrypted values" in before.stdout
    done = kiosk("keys", "rotate", "-q", "--db", upgraded)
    assert done.returncode == 0 and "2 values re-encrypted" in done.stdout
    new_key = load_keyring(isolated_data_dir / "keys.json", environ={}).current_key_id
    assert new_key != keys.current_key_id
    assert f"{new_key}: 2 encrypted values" in kiosk("keys", "status", "--db", upgraded).stdout


def test_bench_db_json(kiosk: Callable[..., Any]) -> None:
    done = kiosk("bench", "db", "--json", "--inserts", "300", "--lookups", "100")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)["results"][0]
    assert result["backend"] == "sqlite" and result["inserts"] == 300
    assert result["inserts_per_s"] > 0 and result["lookups_per_s"] > 0


def test_every_foundation_command_has_help(kiosk: Callable[..., Any]) -> None:
    for command in (
        ["config", "check"],
        ["db", "upgrade"],
        ["db", "purge"],
        ["keys", "rotate"],
        ["audit", "verify"],
        ["bench", "db"],
    ):
        done = kiosk(*command, "--help")
        assert done.returncode == 0 and "usage: kiosk" in done.stdout, command


def test_config_check_validates_an_existing_key_file(
    isolated_data_dir: Path, kiosk: Callable[..., Any]
) -> None:
    fresh = kiosk("config", "check")
    assert fresh.returncode == 0 and "created 0600 on first use" in fresh.stdout
    ring = load_keyring(isolated_data_dir / "keys.json", environ={})
    assert ring.current_key_id in kiosk("config", "check").stdout
    os.chmod(isolated_data_dir / "keys.json", 0o640)
    loose = kiosk("config", "check")
    assert loose.returncode == 2 and "keys.json" in loose.stderr and "chmod 600" in loose.stderr
