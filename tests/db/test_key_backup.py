"""Key backups: sealed under a passphrase, refused when wrong or damaged, restored without losing keys."""

from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
import sys
import unicodedata
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.bench import synthetic_rrns
from db.crypto import KeyRing, load_keyring
from db.key_backup import (
    DEFAULT_COST,
    MAX_BACKUP_BYTES,
    KeyBackupError,
    ScryptCost,
    open_envelope,
    parse_envelope,
    read_backup,
    restore_key_file,
    seal,
    write_backup,
)
from db.key_guard import open_keyring
from db.models import Visit
from db.people import read_person, store_person
from db.session import make_engine, make_sessionmaker
from tests.db.conftest import Run

KIOSK = str(Path(sys.executable).parent / "kiosk")
CHEAP = ScryptCost(n=2**14, r=8, p=1)  # the lowest cost a backup may have: keeps the tests quick
PASSPHRASE = "서민금융 금고 열쇠 2026"
RRN = synthetic_rrns(1, seed=29)[0]
RING = KeyRing.generate()
SEALED = seal(RING, PASSPHRASE, CHEAP)
SEALED_TEXT = json.dumps(SEALED.to_document())



def _same_ring(a: KeyRing, b: KeyRing) -> bool:
    return (a.keys, a.current_key_id, a.blind_index_key) == (b.keys, b.current_key_id, b.blind_index_key)


def test_backup_round_trips_and_holds_no_key_in_clear(tmp_path: Path) -> None:
    path = tmp_path / "usb" / "keys.backup"
    write_backup(path, RING, PASSPHRASE, cost=CHEAP)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    for raw in [*RING.keys.values(), RING.blind_index_key]:
        assert base64.b64encode(raw).decode() not in text and raw.hex() not in text
    doc = json.loads(text)
    assert doc["version"] == 1 and doc["kdf"]["name"] == "scrypt" and doc["cipher"]["name"] == "aes-256-gcm"
    assert doc["key_ids"] == sorted(RING.keys) and doc["current"] == RING.current_key_id
    assert _same_ring(read_backup(path, PASSPHRASE), RING)


def test_default_cost_is_the_strong_one() -> None:
    assert DEFAULT_COST.n >= 2**17 and DEFAULT_COST.check() == DEFAULT_COST


def test_wrong_passphrase_is_a_clear_refusal() -> None:
    with pytest.raises(KeyBackupError, match="wrong passphrase"):
        open_envelope(SEALED, "서민금융 금고 열쇠 2025")


def test_the_same_korean_passphrase_typed_decomposed_still_opens() -> None:
    decomposed = unicodedata.normalize("NFD", PASSPHRASE)
    assert decomposed != PASSPHRASE
    assert _same_ring(open_envelope(SEALED, decomposed), RING)


def test_short_passphrase_is_refused() -> None:
    with pytest.raises(KeyBackupError, match="at least 12"):
        seal(RING, "short", CHEAP)


@pytest.mark.parametrize(
    "cut", [0, 1, 10, len(SEALED_TEXT) // 2, len(SEALED_TEXT) - 30, len(SEALED_TEXT) - 1]
)
def test_truncated_backup_is_refused_before_or_at_decryption(cut: int) -> None:
    with pytest.raises(KeyBackupError):
        open_envelope(parse_envelope(SEALED_TEXT[:cut]), PASSPHRASE)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("key_ids", ["k-someone-else"]),
        ("current", "k-someone-else"),
        ("created_at", "2020-01-01T00:00:00+00:00"),
        ("ciphertext", base64.b64encode(SEALED.ciphertext[:-5]).decode()),  # truncated inside valid JSON
        ("ciphertext", base64.b64encode(SEALED.ciphertext + b"\0").decode()),
    ],
)
def test_an_altered_header_fails_authentication(field: str, value: Any) -> None:
    doc = SEALED.to_document() | {field: value}
    with pytest.raises(KeyBackupError, match="altered"):
        open_envelope(parse_envelope(json.dumps(doc)), PASSPHRASE)


@pytest.mark.parametrize(
    "kdf",
    [
        {"n": 2**30},  # 128 GiB of memory: refused before any derivation
        {"n": 3000},
        {"n": 2**10},
        {"r": 0},
        {"p": 99},
        {"n": 2**20, "r": 16},
        {"name": "pbkdf2"},
        {"n": True},
    ],
)
def test_kdf_parameters_outside_the_bounds_are_refused(kdf: dict[str, Any]) -> None:
    doc = SEALED.to_document()
    doc["kdf"] = doc["kdf"] | kdf
    with pytest.raises(KeyBackupError):
        parse_envelope(json.dumps(doc))


def test_other_files_are_not_backups(tmp_path: Path) -> None:
    for text in ("", "null", "[]", '{"format": "x"}', json.dumps(RING.to_document())):
        with pytest.raises(KeyBackupError, match="not a key backup"):
            parse_envelope(text)
    with pytest.raises(KeyBackupError, match="version"):
        parse_envelope(json.dumps(SEALED.to_document() | {"version": 2}))
    with pytest.raises(KeyBackupError, match="larger than"):
        parse_envelope(b" " * (MAX_BACKUP_BYTES + 1))
    with pytest.raises(KeyBackupError, match="no such backup"):
        read_backup(tmp_path / "absent", PASSPHRASE)
    with pytest.raises(KeyBackupError, match="folder"):
        read_backup(tmp_path, PASSPHRASE)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10,
)


@given(st.binary(max_size=400) | st.text(max_size=400))
@settings(max_examples=200, deadline=None)
def test_arbitrary_input_is_an_envelope_or_a_clear_refusal(junk: bytes | str) -> None:
    try:
        parse_envelope(junk)
    except KeyBackupError:
        pass


@given(st.sampled_from(sorted(SEALED.to_document())), _json, st.sampled_from(["kdf", "cipher", None]))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_changed_field_is_refused_and_never_crashes(field: str, value: Any, nested: str | None) -> None:
    doc = SEALED.to_document()
    if nested and isinstance(value, dict):
        doc[nested] = doc[nested] | value
    else:
        doc[field] = value
    try:
        envelope = parse_envelope(json.dumps(doc))
    except KeyBackupError:
        return
    if envelope == SEALED:
        return  # the change kept the same value
    if envelope.cost != CHEAP:
        return  # a valid but costlier KDF: deriving it proves nothing more and takes seconds
    with pytest.raises(KeyBackupError):
        open_envelope(envelope, PASSPHRASE)


def test_write_backup_never_overwrites_without_being_told(tmp_path: Path) -> None:
    path = tmp_path / "keys.backup"
    write_backup(path, RING, PASSPHRASE, cost=CHEAP)
    before = path.read_bytes()
    with pytest.raises(KeyBackupError, match="--force"):
        write_backup(path, KeyRing.generate(), PASSPHRASE, cost=CHEAP)
    assert path.read_bytes() == before
    other = KeyRing.generate()
    write_backup(path, other, PASSPHRASE, overwrite=True, cost=CHEAP)
    assert _same_ring(read_backup(path, PASSPHRASE), other)


# --- restore into the key file: merge, never destroy ------------------------------------------------


def test_restore_into_a_missing_key_file_writes_it_0600(tmp_path: Path) -> None:
    key_file = tmp_path / "data" / "keys.json"
    report = restore_key_file(key_file, RING)
    assert report.added == sorted(RING.keys) and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert _same_ring(load_keyring(key_file, environ={}), RING)


def test_restore_keeps_keys_the_file_has_and_needs_force_for_another_current(tmp_path: Path) -> None:
    key_file = tmp_path / "keys.json"
    fresh = load_keyring(key_file, environ={})  # e.g. made by an old version after the loss
    before = key_file.read_bytes()
    with pytest.raises(KeyBackupError, match="current key"):
        restore_key_file(key_file, RING)
    assert key_file.read_bytes() == before
    report = restore_key_file(key_file, RING, force=True)
    merged = load_keyring(key_file, environ={})
    assert set(merged.keys) == set(RING.keys) | set(fresh.keys)
    assert merged.current_key_id == RING.current_key_id and merged.blind_index_key == RING.blind_index_key
    assert report.replaced_current == fresh.current_key_id and report.replaced_blind_index
    again = restore_key_file(key_file, RING)
    assert not again.written and again.added == []


def test_restore_adds_an_old_key_to_a_rotated_file_without_force(tmp_path: Path) -> None:
    key_file = tmp_path / "keys.json"
    ring = load_keyring(key_file, environ={})
    backup = seal(ring, PASSPHRASE, CHEAP)
    ring.begin_rotation()
    ring.finish_rotation(drop_old_keys=True)  # the old key is gone from the file, but in the backup
    restored = open_envelope(backup, PASSPHRASE)
    with pytest.raises(KeyBackupError):  # the backup's current is the old key: needs a decision
        restore_key_file(key_file, restored)
    rotated = load_keyring(key_file, environ={})
    partial = KeyRing(
        keys=restored.keys | {rotated.current_key_id: rotated.keys[rotated.current_key_id]},
        current_key_id=rotated.current_key_id,
        blind_index_key=rotated.blind_index_key,
    )
    report = restore_key_file(key_file, partial)
    assert report.added == sorted(restored.keys) and report.current_key_id == rotated.current_key_id


def test_same_key_id_with_other_bytes_is_refused_even_with_force(tmp_path: Path) -> None:
    key_file = tmp_path / "keys.json"
    ring = load_keyring(key_file, environ={})
    impostor = KeyRing(
        keys={ring.current_key_id: os.urandom(32)},
        current_key_id=ring.current_key_id,
        blind_index_key=os.urandom(32),
    )
    before = key_file.read_bytes()
    with pytest.raises(KeyBackupError, match="same key id"):
        restore_key_file(key_file, impostor, force=True)
    assert key_file.read_bytes() == before


# --- the acceptance story, as an operator runs it ---------------------------------------------------



def test_lose_the_key_file_then_restore_it_and_read_the_visit_again(
    tmp_path: Path, isolated_data_dir: Path, kiosk: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import db.models  # noqa: F401
    from db.base import Base

    url = f"sqlite:///{tmp_path / 'hub.db'}"
    key_file = isolated_data_dir / "keys.json"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    keys = open_keyring(engine, key_file, environ={})
    with make_sessionmaker(engine)() as session:
        person = store_person(session, keys, name="김하나", rrn=RRN, phone="010-2345-6789")
        session.add(Visit(person_id=person.id, status="open", state={}))
        session.commit()
        person_id: uuid.UUID = person.id
    engine.dispose()

    backup = tmp_path / "usb" / "keys.backup"
    monkeypatch.setenv("KIOSK_KEYS_PASSPHRASE", PASSPHRASE)
    made = kiosk("keys", "backup", str(backup), "--db", url)
    assert made.returncode == 0, made.stderr
    assert keys.current_key_id in made.stdout and stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert kiosk("keys", "backup", str(backup), "--db", url).returncode == 2  # no silent overwrite

    key_file.rename(tmp_path / "lost.json")
    refused = kiosk("--db", url, "hub", "pairing-code", "--kind", "lobby")
    assert refused.returncode == 2 and keys.current_key_id in refused.stderr and not key_file.exists()

    monkeypatch.setenv("KIOSK_KEYS_PASSPHRASE", "not the passphrase at all")
    wrong = kiosk("keys", "restore", str(backup), "--db", url)
    assert wrong.returncode == 2 and "wrong passphrase" in wrong.stderr and not key_file.exists()
    damaged = tmp_path / "damaged.backup"
    damaged.write_bytes(backup.read_bytes()[:-40])
    broken = kiosk("keys", "restore", str(damaged), "--db", url)
    assert broken.returncode == 2 and "damaged" in broken.stderr and "Traceback" not in broken.stderr

    monkeypatch.setenv("KIOSK_KEYS_PASSPHRASE", PASSPHRASE)
    restored = kiosk("keys", "restore", str(backup), "--db", url)
    assert restored.returncode == 0, restored.stderr
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert kiosk("--db", url, "hub", "pairing-code", "--kind", "lobby").returncode == 0
    assert f"{keys.current_key_id}: 2 encrypted values" in kiosk("keys", "status", "--db", url).stdout

    engine = make_engine(url)
    ring = open_keyring(engine, key_file, environ={})
    with make_sessionmaker(engine)() as session:
        view = read_person(session, ring, person_id, actor="test", purpose="restore check")
        assert (view.rrn, view.phone) == (RRN, "010-2345-6789")
        session.rollback()
    engine.dispose()


def test_backup_passphrase_from_standard_input_in_its_own_process(
    tmp_path: Path, isolated_data_dir: Path
) -> None:
    load_keyring(isolated_data_dir / "keys.json", environ={})
    env = {k: v for k, v in os.environ.items() if k != "KIOSK_KEYS_PASSPHRASE"}
    backup = tmp_path / "keys.backup"
    run = [KIOSK, "keys", "backup", str(backup)]
    short = subprocess.run(run, input="short\n", capture_output=True, text=True, timeout=120, env=env)
    assert short.returncode == 2 and "at least 12" in short.stderr and not backup.exists()
    done = subprocess.run(run, input=PASSPHRASE + "\n", capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert _same_ring(
        read_backup(backup, PASSPHRASE), load_keyring(isolated_data_dir / "keys.json", environ={})
    )


class _Terminal:
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_passphrase_is_asked_twice_and_must_match(
    tmp_path: Path, isolated_data_dir: Path, kiosk: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_keyring(isolated_data_dir / "keys.json", environ={})
    monkeypatch.delenv("KIOSK_KEYS_PASSPHRASE", raising=False)
    monkeypatch.setattr("sys.stdin", _Terminal())
    typed = iter([PASSPHRASE, PASSPHRASE + "x", PASSPHRASE, PASSPHRASE])
    prompts: list[str] = []

    def getpass(prompt: str) -> str:
        prompts.append(prompt)
        return next(typed)

    monkeypatch.setattr("getpass.getpass", getpass)
    backup = tmp_path / "keys.backup"
    differ = kiosk("keys", "backup", str(backup))
    assert differ.returncode == 2 and "differ" in differ.stderr and not backup.exists()
    assert kiosk("keys", "backup", str(backup)).returncode == 0
    assert len(prompts) == 4 and _same_ring(
        read_backup(backup, PASSPHRASE), load_keyring(isolated_data_dir / "keys.json", environ={})
    )
