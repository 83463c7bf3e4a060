"""What the kiosk leaves on disk is its user's alone: data folders 0700, database, WAL, SHM and archived
PDFs 0600, even under a permissive umask (022, the usual default) and in folders that were looser."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

import db.models  # noqa: F401  - registers every table
from db.base import Base
from db.models import Center
from db.session import data_dir, make_engine, make_sessionmaker
from printers.documents.archive import write_archive_pdf
from tests.kiosk.hub.conftest import make_hub
from tests.kiosk.hub.factories import submission
from tests.kiosk.hub.test_tickets_documents import _desk_and_counter, _signature

KIOSK = str(Path(sys.executable).parent / "kiosk")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    """The modes must come from the code, not from a umask an earlier `kiosk` call left in this process."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def test_the_data_directory_is_created_private_and_a_loose_one_is_tightened(tmp_path: Path) -> None:
    fresh = data_dir(str(tmp_path / "new" / "data"))
    assert fresh.is_dir() and mode(fresh) == 0o700 and mode(fresh.parent) == 0o700
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    loose.chmod(0o755)
    assert mode(data_dir(str(loose))) == 0o700


def test_database_wal_and_shm_are_0600_after_a_real_write(tmp_path: Path) -> None:
    database = data_dir(str(tmp_path / "data")) / "kiosk.db"
    engine = make_engine(f"sqlite:///{database}")
    try:
        Base.metadata.create_all(engine)
        with make_sessionmaker(engine)() as session:
            session.add(Center(code="seoul-central", name_ko="서울중앙"))
            session.commit()
        files = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
        assert all(f.exists() for f in files)
        assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
    finally:
        engine.dispose()


def test_an_existing_loose_database_is_tightened_on_connect(tmp_path: Path) -> None:
    database = tmp_path / "old.db"
    for name in (database, Path(f"{database}-wal")):
        name.touch()
        name.chmod(0o644)
    engine = make_engine(f"sqlite:///{database}")
    try:
        with engine.connect():
            pass
        assert mode(database) == 0o600
    finally:
        engine.dispose()


def test_kiosk_db_upgrade_makes_a_private_data_directory(tmp_path: Path) -> None:
    data = tmp_path / "fresh-site"
    env = {**os.environ, "KIOSK_APP__DATA_DIR": str(data)}
    done = subprocess.run(
        [KIOSK, "db", "upgrade"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert mode(data) == 0o700 and mode(data / "kiosk.db") == 0o600


def test_archive_writes_0600_files_in_0700_folders(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    root.mkdir(mode=0o755)
    root.chmod(0o755)  # an archive folder made by an earlier version, readable by everyone
    written = write_archive_pdf(root, root / "center" / "2026-11" / "doc.pdf", b"%PDF-1.7 x")
    assert written.read_bytes() == b"%PDF-1.7 x" and mode(written) == 0o600
    assert [mode(p) for p in (root, root / "center", root / "center" / "2026-11")] == [0o700] * 3
    assert [p.name for p in written.parent.iterdir()] == ["doc.pdf"]  # no temporary file left behind
    again = write_archive_pdf(root, written, b"%PDF-1.7 y")
    assert again.read_bytes() == b"%PDF-1.7 y" and mode(again) == 0o600


def test_a_signed_document_archived_by_the_hub_is_0600(sqlite_engine: Engine) -> None:
    for hub in make_hub(sqlite_engine):
        lobby, _ = hub.enroll("lobby")
        visit_id = hub.http.post("/visits", json=submission(9), headers=lobby).json()["visit_id"]
        counselor, counter = _desk_and_counter(hub)
        doc = hub.http.post(f"/visits/{visit_id}/documents", json={"template": "consent"}, headers=counselor)
        doc_id, sha = doc.json()["id"], doc.json()["sha256"]
        assert hub.http.post(f"/documents/{doc_id}/push", headers=counselor).status_code == 200
        sign_headers = {**counter, "Idempotency-Key": "sign-0001"}
        signed = hub.http.post(f"/documents/{doc_id}/sign", json=_signature(sha), headers=sign_headers)
        assert signed.status_code == 200, signed.text
        archived = hub.http.post(f"/documents/{doc_id}/archive", headers=counselor)
        assert archived.status_code == 200, archived.text
        root = hub.app.state.hub.archive_dir
        (pdf,) = root.rglob(f"{doc_id}.pdf")
        assert mode(pdf) == 0o600
        folders = [pdf.parent, pdf.parent.parent, root]
        assert [mode(f) for f in folders] == [0o700] * 3
