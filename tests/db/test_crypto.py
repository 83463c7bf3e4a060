"""Field encryption: the blob format, tamper detection, the key file and the environment keys."""

from __future__ import annotations

import base64
import json
import os
import stat
import threading
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from hypothesis import given, settings
from hypothesis import strategies as st

from config import ConfigError
from db import crypto
from db.crypto import (
    CIPHERS,
    DecryptionError,
    KeyRing,
    blob_key_id,
    create_key_file,
    load_keyring,
    read_keyring,
)
from db.pii import InvalidRRN

RING = KeyRing.generate()


def test_text_round_trips_and_blob_names_its_key() -> None:
    blob = RING.encrypt_text("서울특별시 중구 세종대로 110", "person.address")
    assert blob[0] == 1 and blob_key_id(blob) == RING.current_key_id
    assert "세종대로".encode() not in blob
    assert RING.decrypt_text(blob, "person.address") == "서울특별시 중구 세종대로 110"


def test_same_text_encrypts_differently_each_time() -> None:
    assert RING.encrypt_text("010-1234-5678", "person.phone") != RING.encrypt_text(
        "010-1234-5678", "person.phone"
    )


def test_ciphertext_cannot_move_to_another_column() -> None:
    blob = RING.encrypt_text("900101-1234567", "person.rrn")
    with pytest.raises(DecryptionError):
        RING.decrypt_text(blob, "person.phone")


@given(st.data())
@settings(max_examples=100, deadline=None)
def test_any_flipped_bit_is_detected(data: st.DataObject) -> None:
    blob = bytearray(RING.encrypt_text("900101-1234567", "person.rrn"))
    index = data.draw(st.integers(0, len(blob) - 1))
    blob[index] ^= 1 << data.draw(st.integers(0, 7))
    with pytest.raises(DecryptionError):
        RING.decrypt(bytes(blob), "person.rrn")


@given(st.binary(max_size=200))
@settings(max_examples=200, deadline=None)
def test_arbitrary_bytes_never_decrypt_and_never_crash(junk: bytes) -> None:
    with pytest.raises(DecryptionError):
        RING.decrypt(junk, "person.rrn")


def test_unknown_key_id_is_refused() -> None:
    other_blob = KeyRing.generate().encrypt_text("x", "person.rrn")
    assert blob_key_id(other_blob) != RING.current_key_id
    with pytest.raises(DecryptionError, match="unknown key id"):
        RING.decrypt(other_blob, "person.rrn")


def test_blind_index_normalises_the_rrn_and_depends_on_the_key() -> None:
    assert RING.blind_index("900101-1234567") == RING.blind_index("9001011234567")
    assert len(RING.blind_index("900101-1234567")) == 64
    assert RING.blind_index("900101-1234567") != RING.blind_index("900101-1234568")
    assert RING.blind_index("900101-1234567") != KeyRing.generate().blind_index("900101-1234567")
    with pytest.raises(InvalidRRN):
        RING.blind_index("901301-1234567")


def test_one_blind_index_home_with_domains_keeps_stored_indexes_valid() -> None:
    """The ring takes a domain and a value. The RRN's bytes are hashed bare and the phone's as
    "sms.phone:" + digits, as before the ring took domains: indexes already stored still match."""
    import hashlib
    import hmac

    key = RING.blind_index_key
    rrn_before = hmac.new(key, b"9001011234567", hashlib.sha256).hexdigest()
    phone_before = hmac.new(key, b"sms.phone:01012345678", hashlib.sha256).hexdigest()
    assert RING.blind_index("900101-1234567") == RING.blind_index("9001011234567", "rrn") == rrn_before
    assert RING.blind_index("01012345678", "sms.phone") == phone_before
    assert RING.blind_index("9001011234567", "sms.phone") != rrn_before  # domains never collide
    for domain, value in (("", "x"), ("Phone", "x"), ("a b", "x"), ("sms.phone", "")):
        with pytest.raises(ValueError, match="domain"):
            RING.blind_index(value, domain)


def test_key_file_is_created_0600_and_reloaded(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "keys.json"
    first = load_keyring(path, environ={})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = load_keyring(path, environ={})
    blob = first.encrypt_text("010-1234-5678", "person.phone")
    assert again.decrypt_text(blob, "person.phone") == "010-1234-5678"
    assert again.blind_index("900101-1234567") == first.blind_index("900101-1234567")
    assert "keys=" in repr(first) and base64.b64encode(first.keys[first.current_key_id]).decode() not in repr(
        first
    )


def test_concurrent_first_runs_agree_on_one_key_file(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    rings: list[KeyRing] = []
    barrier = threading.Barrier(6)

    def start() -> None:
        barrier.wait()
        rings.append(load_keyring(path, environ={}))

    threads = [threading.Thread(target=start) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({ring.keys[ring.current_key_id] for ring in rings}) == 1
    assert not [p for p in tmp_path.iterdir() if p.name != "keys.json"]  # no temp files left


def test_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    load_keyring(path, environ={})
    os.chmod(path, 0o644)
    with pytest.raises(ConfigError) as info:
        load_keyring(path, environ={})
    assert str(path) in str(info.value) and "0o644" in str(info.value) and "chmod 600" in str(info.value)


@pytest.mark.parametrize(
    ("content", "key"),
    [
        ("{not json", "(syntax)"),
        ("[]", "(document)"),
        ('{"keys": {}, "current": "a", "blind_index_key": ""}', "keys"),
        ('{"keys": {"a": "c2hvcnQ="}, "current": "a", "blind_index_key": ""}', "keys.a"),
        ('{"keys": {"a": "%s"}, "current": "b", "blind_index_key": "%s"}', "current"),
        ('{"keys": {"a": "%s"}, "current": "a", "blind_index_key": "!!"}', "blind_index_key"),
        ('{"keys": {"a": "%s"}, "current": "a", "blind_index_key": "%s", "cipher": "rot13"}', "cipher"),
    ],
)
def test_malformed_key_files_name_the_key(tmp_path: Path, content: str, key: str) -> None:
    good = base64.b64encode(b"k" * 32).decode()
    if "%s" in content:
        content = content.replace("%s", good)
    path = tmp_path / "keys.json"
    path.write_text(content)
    os.chmod(path, 0o600)
    with pytest.raises(ConfigError) as info:
        load_keyring(path, environ={})
    assert info.value.key == key and info.value.source == str(path)
    assert good not in str(info.value)  # key material never appears in a message


def test_keys_from_the_environment_raw_or_base64(tmp_path: Path) -> None:
    document = json.dumps(KeyRing.generate().to_document())
    for value in (document, base64.b64encode(document.encode()).decode()):
        ring = load_keyring(tmp_path / "unused.json", environ={"KIOSK_KEYS": value})
        assert ring.source is None
        assert ring.decrypt_text(ring.encrypt_text("a", "t.c"), "t.c") == "a"
    assert not (tmp_path / "unused.json").exists()
    with pytest.raises(ConfigError) as info:
        load_keyring(None, environ={"KIOSK_KEYS": "%%%"})
    assert info.value.source == "KIOSK_KEYS"


def test_another_aead_cipher_plugs_in_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Stand-in for a KCMVP cipher (ARIA-GCM etc.): any AEAD with the FieldCipher methods is accepted.
    monkeypatch.setitem(CIPHERS, "chacha20-poly1305", ChaCha20Poly1305)
    doc = KeyRing.generate().to_document() | {"cipher": "chacha20-poly1305"}
    ring = crypto.parse_document(doc, "test")
    blob = ring.encrypt_text("900101-1234567", "person.rrn")
    assert ring.decrypt_text(blob, "person.rrn") == "900101-1234567"
    aes = crypto.parse_document(doc | {"cipher": "aes-256-gcm"}, "test")
    with pytest.raises(DecryptionError):
        aes.decrypt_text(blob, "person.rrn")


def test_rotation_mark_survives_a_reload(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    ring = load_keyring(path, environ={})
    old = ring.current_key_id
    old_blob = ring.encrypt_text("x", "person.rrn")
    target = ring.begin_rotation()
    reloaded = load_keyring(path, environ={})
    assert reloaded.rotation_target == target == reloaded.current_key_id and old in reloaded.keys
    assert reloaded.decrypt_text(old_blob, "person.rrn") == "x"
    assert reloaded.finish_rotation(drop_old_keys=True) == [old]
    assert set(load_keyring(path, environ={}).keys) == {target}


def test_a_ring_loaded_before_a_rotation_reloads_to_read_new_rows(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    stale = load_keyring(path, environ={})
    rotator = load_keyring(path, environ={})
    rotator.begin_rotation()
    blob = rotator.encrypt_text("010-1234-5678", "person.phone")
    assert stale.decrypt_text(blob, "person.phone") == "010-1234-5678"


def test_default_key_file_follows_the_settings(tmp_path: Path) -> None:
    ring = load_keyring(environ={"KIOSK_APP__DATA_DIR": str(tmp_path / "data")})
    assert ring.source == tmp_path / "data" / "keys.json" and ring.source.exists()
    chosen = tmp_path / "elsewhere" / "k.json"
    assert load_keyring(environ={"KIOSK_PRIVACY__KEY_FILE": str(chosen)}).source == chosen


def test_read_keyring_only_reads(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    assert read_keyring(path, environ={}) is None and not path.exists()
    env_ring = KeyRing.generate()
    from_env = read_keyring(path, environ={"KIOSK_KEYS": json.dumps(env_ring.to_document())})
    assert from_env is not None and from_env.current_key_id == env_ring.current_key_id and not path.exists()
    made, created = create_key_file(path)
    again, created_again = create_key_file(path)  # never replaces a key file that exists
    assert created and not created_again and again.keys == made.keys
    loaded = read_keyring(path, environ={})
    assert loaded is not None and loaded.keys == made.keys


def test_a_damaged_key_file_points_to_the_restore(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    load_keyring(path, environ={})
    path.write_text(path.read_text()[:40])  # truncated, as by a full disk
    with pytest.raises(ConfigError, match="kiosk keys restore"):
        read_keyring(path, environ={})


def test_new_key_ids_never_look_like_an_rrn_or_a_phone() -> None:
    from db.pii import mask_pii_text

    def survives(key_id: str) -> bool:
        # A blob header in a database page: the key id, then nonce bytes that may be ASCII digits.
        return all(
            key_id in mask_pii_text(f"1973-03-28\x01\x17{key_id}{after}")
            for after in ("", "C", "7", " 5", "\x00")
        )

    assert not survives("k20261201T202530-836431")  # the old hex suffix could read as an RRN
    assert all(survives(KeyRing.generate().current_key_id) for _ in range(300))
