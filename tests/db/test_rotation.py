"""Key rotation re-encrypts everything, and a rotation killed with SIGKILL loses nothing when resumed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from db.audit import verify_chain
from db.bench import synthetic_rrns
from db.crypto import KeyRing, load_keyring
from db.models import AuditEvent, Person
from db.people import read_person, store_person
from db.rotation import count_by_key, encrypted_columns, key_ids_in_use, rotate_keys, rows_not_under
from db.session import make_engine

KIOSK = str(Path(sys.executable).parent / "kiosk")


def _populate(sessions: sessionmaker[Session], keys: KeyRing, n: int) -> dict[str, tuple[str, str, str]]:
    expected = {}
    with sessions() as session:
        for i, rrn in enumerate(synthetic_rrns(n, seed=3)):
            phone, address = f"010-{1000 + i:04d}-{2000 + i:04d}", f"주소 {i}"
            person = store_person(session, keys, name=f"p{i}", rrn=rrn, phone=phone, address=address)
            expected[str(person.id)] = (rrn, phone, address)
        session.commit()
    return expected


def _decrypt_all(sessions: sessionmaker[Session], keys: KeyRing) -> dict[str, tuple[str, str, str]]:
    out = {}
    with sessions() as session:
        for person_id in session.scalars(select(Person.id)):
            view = read_person(session, keys, person_id, actor="test", purpose="rotation check")
            out[str(person_id)] = (view.rrn or "", view.phone or "", view.address or "")
        session.rollback()  # these reads need no audit trail
    return out


def test_encrypted_columns_are_found_by_convention() -> None:
    contexts = {enc.context for enc in encrypted_columns()}
    assert {"person.rrn", "person.phone", "person.address"} <= contexts


def test_rotation_re_encrypts_every_value(
    engine: Engine, sessions: sessionmaker[Session], keys: KeyRing, tmp_path: Path
) -> None:
    expected = _populate(sessions, keys, 30)
    old = keys.current_key_id
    report = rotate_keys(engine, keys, batch_size=7)
    assert report.target_key_id != old and report.total == 90 and not report.resumed
    assert count_by_key(engine) == {report.target_key_id: 90}
    fresh = load_keyring(tmp_path / "keys.json", environ={})
    assert fresh.current_key_id == report.target_key_id and fresh.rotation_target is None
    assert old in fresh.keys  # kept for backups unless --drop-old-keys
    assert _decrypt_all(sessions, fresh) == expected
    with sessions() as session:
        assert verify_chain(session).ok
        assert session.scalars(select(AuditEvent.action)).all() == ["keys.rotate"]
    dropped = rotate_keys(engine, fresh, drop_old_keys=True)
    assert set(load_keyring(tmp_path / "keys.json", environ={}).keys) == {dropped.target_key_id}


def test_keys_from_the_environment_cannot_be_rotated(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    env = os.environ | {"KIOSK_KEYS": json.dumps(KeyRing.generate().to_document())}
    subprocess.run([KIOSK, "db", "upgrade", "--db", url], check=True, capture_output=True, env=env)
    done = subprocess.run([KIOSK, "keys", "rotate", "--db", url], capture_output=True, text=True, env=env)
    assert done.returncode == 2 and "KIOSK_KEYS" in done.stdout and "Traceback" not in done.stderr


def test_rotation_killed_midway_resumes_and_loses_nothing(
    db_url: str, engine: Engine, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    key_file = tmp_path / "keys.json"
    keys = load_keyring(key_file, environ={})
    expected = _populate(sessions, keys, 300)
    old_key = keys.current_key_id
    env = os.environ | {"KIOSK_PRIVACY__KEY_FILE": str(key_file)}
    command = [KIOSK, "keys", "rotate", "--db", db_url, "--batch-size", "10", "--pause", "0.1"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    deadline = time.monotonic() + 120
    progress = 0
    for line in proc.stdout:  # wait until some batches are committed, then kill without warning
        if "re-encrypted" in line and int(line.split(",")[1].split()[0]) > 0:
            progress += 1
        if progress >= 3 or time.monotonic() > deadline:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    interrupted = load_keyring(key_file, environ={})
    target = interrupted.rotation_target
    assert target is not None and target != old_key and old_key in interrupted.keys
    left = rows_not_under(engine, target)
    assert 0 < sum(left.values()) < 900  # really stopped midway: some rows rotated, some not
    assert _decrypt_all(sessions, interrupted) == expected  # nothing lost while half rotated

    done = subprocess.run(command[:-2], capture_output=True, text=True, env=env, timeout=240)
    assert done.returncode == 0, done.stderr
    assert "resuming" in done.stdout and target in done.stdout
    finished = load_keyring(key_file, environ={})
    assert finished.rotation_target is None and finished.current_key_id == target
    assert count_by_key(engine) == {target: 900}
    assert _decrypt_all(sessions, finished) == expected


@pytest.mark.parametrize("garbage", [b"", b"\x01", b"\x02abc" + bytes(40), b"\x01\x05ab"])
def test_count_by_key_reports_unreadable_values(
    engine: Engine, sessions: sessionmaker[Session], garbage: bytes
) -> None:
    with sessions() as session:
        session.add(Person(name="x", rrn_enc=garbage))
        session.commit()
    assert count_by_key(engine) == {"(unreadable)": 1}


def test_a_database_without_tables_uses_no_key(tmp_path: Path) -> None:
    bare = make_engine(f"sqlite:///{tmp_path / 'bare.db'}")
    try:
        assert count_by_key(bare) == {} and key_ids_in_use(bare) == set()
    finally:
        bare.dispose()


def test_key_ids_in_use_agree_with_count_by_key(
    engine: Engine, sessions: sessionmaker[Session], keys: KeyRing
) -> None:
    _populate(sessions, keys, 5)
    other = KeyRing.generate()
    _populate(sessions, other, 2)
    assert key_ids_in_use(engine) == set(count_by_key(engine)) == {keys.current_key_id, other.current_key_id}
