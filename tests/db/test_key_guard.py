"""A process that finds encrypted data without its key refuses to start, and never makes a new key then."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

import db.rotation
from db.bench import synthetic_rrns
from db.crypto import KeyRing, load_keyring
from db.key_guard import MissingKeyError, ensure_keyring, open_keyring
from db.models import Person, Visit
from db.people import read_person, store_person
from db.rotation import key_ids_in_use
from db.session import make_engine
from tests.db.conftest import Run

KIOSK = str(Path(sys.executable).parent / "kiosk")
RRN = synthetic_rrns(1, seed=13)[0]


def _store_visit(sessions: sessionmaker[Session], keys: KeyRing) -> uuid.UUID:
    with sessions() as session:
        person = store_person(session, keys, name="김하나", rrn=RRN, phone="010-2345-6789")
        session.add(Visit(person_id=person.id, status="open", state={}))
        session.commit()
        return person.id


def test_first_run_on_an_empty_database_makes_a_key_0600(engine: Engine, tmp_path: Path) -> None:
    key_file = tmp_path / "data" / "keys.json"
    ring, created = ensure_keyring(engine, key_file, environ={})
    assert created and ring.source == key_file
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    again, created_again = ensure_keyring(engine, key_file, environ={})
    assert not created_again and again.current_key_id == ring.current_key_id


def test_first_run_before_any_table_exists_makes_a_key(tmp_path: Path) -> None:
    bare = make_engine(f"sqlite:///{tmp_path / 'bare.db'}")
    try:
        ring = open_keyring(bare, tmp_path / "keys.json", environ={})
    finally:
        bare.dispose()
    assert (tmp_path / "keys.json").exists() and ring.current_key_id


def test_moved_key_file_refuses_with_key_id_file_and_fix(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    key_file = tmp_path / "keys.json"
    keys = open_keyring(engine, key_file, environ={})
    _store_visit(sessions, keys)
    key_file.rename(tmp_path / "keys.json.moved")
    with pytest.raises(MissingKeyError) as caught:
        open_keyring(engine, key_file, environ={})
    message = str(caught.value)
    assert keys.current_key_id in message and str(key_file) in message
    assert "kiosk keys restore" in message and "2 encrypted values" in message
    assert caught.value.missing == {keys.current_key_id: 2}
    assert not key_file.exists()  # no new key was made over the data


def test_a_replaced_key_file_is_refused_and_left_untouched(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    key_file = tmp_path / "keys.json"
    keys = open_keyring(engine, key_file, environ={})
    _store_visit(sessions, keys)
    key_file.unlink()
    other = load_keyring(key_file, environ={})  # what the old code did: a fresh key nobody backed up
    before = key_file.read_bytes()
    with pytest.raises(MissingKeyError) as caught:
        open_keyring(engine, key_file, environ={})
    assert keys.current_key_id in str(caught.value) and other.current_key_id not in caught.value.missing
    assert "does not hold key" in str(caught.value)
    assert key_file.read_bytes() == before


def test_environment_keys_without_the_key_name_kiosk_keys(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    _store_visit(sessions, open_keyring(engine, tmp_path / "keys.json", environ={}))
    environ = {"KIOSK_KEYS": json.dumps(KeyRing.generate().to_document())}
    with pytest.raises(MissingKeyError, match="KIOSK_KEYS"):
        open_keyring(engine, tmp_path / "elsewhere.json", environ=environ)
    assert not (tmp_path / "elsewhere.json").exists()


def test_key_ids_in_use_reads_headers_of_every_length_and_skips_garbage(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    short = KeyRing(keys={"k1": os.urandom(32)}, current_key_id="k1", blind_index_key=os.urandom(32))
    long_id = "k" * 64
    longest = KeyRing(keys={long_id: os.urandom(32)}, current_key_id=long_id, blind_index_key=os.urandom(32))
    generated = KeyRing.generate()
    with sessions() as session:
        store_person(session, short, name="a", phone="010-1111-2222")
        store_person(session, longest, name="b", address="서울")
        store_person(session, generated, name="c", phone="010-3333-4444")
        for garbage in (b"", b"\x01", b"\x02abc" + bytes(40), b"\x01\x05ab", b"\x01\x02\xff\xfe" + bytes(30)):
            session.add(Person(name="x", phone_enc=garbage))
        session.commit()
    assert key_ids_in_use(engine) == {"k1", long_id, generated.current_key_id}


def test_a_key_added_by_a_rotation_meanwhile_is_found_by_rereading(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key_file = tmp_path / "keys.json"
    _store_visit(sessions, open_keyring(engine, key_file, environ={}))
    real = db.rotation.key_ids_in_use

    def rotation_elsewhere(eng: Engine) -> set[str]:
        # Another process begins a rotation after this one read the key file, and writes a row under it.
        rotator = load_keyring(key_file, environ={})
        rotator.begin_rotation()
        with sessions() as session:
            store_person(session, rotator, name="new", phone="010-5555-6666")
            session.commit()
        return real(eng)

    monkeypatch.setattr(db.rotation, "key_ids_in_use", rotation_elsewhere)
    ring = open_keyring(engine, key_file, environ={})
    assert ring.rotation_target is not None and ring.rotation_target in ring.keys


def test_processes_starting_together_share_one_new_key(engine: Engine, tmp_path: Path) -> None:
    key_file = tmp_path / "keys.json"
    rings: list[KeyRing] = []
    threads = [
        threading.Thread(target=lambda: rings.append(open_keyring(engine, key_file, {}))) for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(rings) == 6 and len({ring.current_key_id for ring in rings}) == 1


# --- as an operator sees it: the CLI ----------------------------------------------------------------


@pytest.fixture
def stored(tmp_path: Path, isolated_data_dir: Path) -> tuple[str, uuid.UUID, KeyRing]:
    """A database holding a visit with an encrypted RRN, under the installation's default key file."""
    import db.models  # noqa: F401
    from db.base import Base
    from db.session import make_sessionmaker

    url = f"sqlite:///{tmp_path / 'hub.db'}"
    eng = make_engine(url)
    Base.metadata.create_all(eng)
    keys = open_keyring(eng, isolated_data_dir / "keys.json", environ={})
    person_id = _store_visit(make_sessionmaker(eng), keys)
    eng.dispose()
    return url, person_id, keys


def test_hub_load_keys_refuses_and_status_only_reads(
    stored: tuple[str, uuid.UUID, KeyRing], isolated_data_dir: Path, kiosk: Run
) -> None:
    url, _person_id, keys = stored
    key_file = isolated_data_dir / "keys.json"
    key_file.rename(isolated_data_dir / "keys.json.away")
    hub = kiosk("--db", url, "hub", "pairing-code", "--kind", "lobby")  # the hub's prepare/load_keys path
    assert hub.returncode == 2
    assert keys.current_key_id in hub.stderr and str(key_file) in hub.stderr
    assert "kiosk keys restore" in hub.stderr and "Traceback" not in hub.stderr
    status = kiosk("keys", "status", "--db", url)
    assert status.returncode == 2 and "no key file" in status.stdout
    assert f"{keys.current_key_id}: 2 encrypted values" in status.stdout and "MISSING" in status.stdout
    rotate = kiosk("keys", "rotate", "--db", url)
    assert rotate.returncode == 2 and keys.current_key_id in rotate.stderr
    init = kiosk("keys", "init", "--db", url)
    assert init.returncode == 2 and keys.current_key_id in init.stderr
    assert not key_file.exists()  # none of these made a key


def test_status_without_a_key_file_on_an_empty_database_says_so_and_writes_nothing(
    tmp_path: Path, isolated_data_dir: Path, kiosk: Run
) -> None:
    import db.models  # noqa: F401
    from db.base import Base

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    eng = make_engine(url)
    Base.metadata.create_all(eng)
    eng.dispose()
    status = kiosk("keys", "status", "--db", url)
    assert status.returncode == 0 and "no key file" in status.stdout and "kiosk keys init" in status.stdout
    assert not (isolated_data_dir / "keys.json").exists()
    init = kiosk("keys", "init", "--db", url)
    assert init.returncode == 0 and "new key ring made" in init.stdout
    assert stat.S_IMODE((isolated_data_dir / "keys.json").stat().st_mode) == 0o600
    assert "already present" in kiosk("keys", "init", "--db", url).stdout


def test_rotate_ends_in_messages_not_tracebacks(
    stored: tuple[str, uuid.UUID, KeyRing],
    isolated_data_dir: Path,
    kiosk: Run,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    url, person_id, _keys = stored
    no_schema = kiosk("keys", "rotate", "--db", f"sqlite:///{tmp_path / 'nothing.db'}")
    assert no_schema.returncode == 2 and "kiosk db upgrade" in no_schema.stdout

    def read_only(path: Path, doc: object, replace: bool) -> bool:
        raise PermissionError(13, "Permission denied", str(path))

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr("db.crypto.private_file.write_private_json", read_only)  # as on a read-only data folder
        denied = kiosk("keys", "rotate", "-q", "--db", url)
    assert denied.returncode == 2 and "cannot write the key file" in denied.stderr
    assert "nothing lost" in denied.stderr and "Traceback" not in denied.stderr
    with monkeypatch.context() as patch:
        patch.setattr("db.rotation.rotate_keys", interrupted)
        stopped = kiosk("keys", "rotate", "-q", "--db", url)
    assert stopped.returncode == 2 and "run `kiosk keys rotate` again" in stopped.stderr

    done = kiosk("keys", "rotate", "-q", "--db", url)
    assert done.returncode == 0 and "2 values re-encrypted" in done.stdout
    eng = make_engine(url)
    from db.session import make_sessionmaker

    ring = open_keyring(eng, isolated_data_dir / "keys.json", environ={})
    with make_sessionmaker(eng)() as session:
        assert read_person(session, ring, person_id, actor="test", purpose="check").rrn == RRN
        session.rollback()
    eng.dispose()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_kiosk_hub_process_exits_2_naming_the_missing_key(
    stored: tuple[str, uuid.UUID, KeyRing], isolated_data_dir: Path
) -> None:
    url, _person_id, keys = stored
    (isolated_data_dir / "keys.json").rename(isolated_data_dir / "keys.json.away")
    command = [KIOSK, "--db", url, "hub", "--host", "127.0.0.1", "--port", str(_free_port())]
    # A hub that wrongly started would serve until killed: the timeout bounds the test then.
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, env=os.environ.copy())
    assert done.returncode == 2, done.stdout + done.stderr
    assert keys.current_key_id in done.stderr and "keys.json" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (isolated_data_dir / "keys.json").exists()


def test_lobby_process_exits_2_before_opening_any_screen(
    stored: tuple[str, uuid.UUID, KeyRing], isolated_data_dir: Path
) -> None:
    url, _person_id, keys = stored
    (isolated_data_dir / "keys.json").rename(isolated_data_dir / "keys.json.away")
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen"}
    # A lobby that wrongly started would show its screens until killed: the timeout bounds the test.
    done = subprocess.run(
        [KIOSK, "--db", url, "lobby", "--emulated", "--windowed"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert keys.current_key_id in done.stderr and "kiosk keys restore" in done.stderr
    assert not (isolated_data_dir / "keys.json").exists()


def test_every_process_opens_the_key_file_its_settings_name_the_one_safe_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hub, lobby and `kiosk keys` all start through AppContext.keyring (db.key_guard.open_site_keyring)."""
    import db.models  # noqa: F401 - every table on the metadata
    from db.base import Base
    from kiosk.context import AppContext

    key_file = tmp_path / "elsewhere" / "site-keys.json"
    monkeypatch.delenv("KIOSK_KEYS", raising=False)
    monkeypatch.setenv("KIOSK_PRIVACY__KEY_FILE", str(key_file))
    ctx = AppContext(db_url_option=f"sqlite:///{tmp_path / 'site.db'}")
    try:
        Base.metadata.create_all(ctx.engine)
        keys = ctx.keyring()
        assert keys.source == key_file and key_file.exists()  # privacy.key_file, not <data dir>/keys.json
        _store_visit(ctx.sessions, keys)
        key_file.rename(tmp_path / "moved.json")
        with pytest.raises(MissingKeyError) as caught:
            ctx.keyring()
        assert str(key_file) in str(caught.value) and not key_file.exists()
    finally:
        ctx.engine.dispose()
