"""Field encryption for personal data at rest (PIPA §24의2) and the blind index of the RRN.

The cipher sits behind the small ``FieldCipher`` protocol so a KCMVP-validated cipher (ARIA, SEED, LEA
in an AEAD mode) can replace AES-256-GCM: register a factory in ``CIPHERS`` and name it in the key file.

Ciphertext blob (what an ``*_enc`` column holds)::

    byte 0        format version, 0x01
    byte 1        n = length of the key id (1..64)
    bytes 2..2+n  key id, ASCII
    next 12       nonce (random per encryption)
    rest          ciphertext || 16-byte tag

The associated data is ``header || context`` (e.g. ``b"person.rrn"``), so a ciphertext cannot be moved to
another column, and its key id cannot be altered, without failing authentication.

Keys come from, in order: the environment variable ``KIOSK_KEYS`` (the key-file JSON, raw or base64),
or a key file (``privacy.key_file`` or ``<data_dir>/keys.json``, mode 0600)::

    {"format": 1, "cipher": "aes-256-gcm", "current": "k20261126T041130",
     "keys": {"k20261126T041130": "<base64 32 bytes>"},
     "blind_index_key": "<base64 32 bytes>",
     "rotation": null}

``rotation`` is ``{"target": key_id, "started_at": iso}`` while ``kiosk keys rotate`` is unfinished.

A process never calls ``load_keyring`` to start: it calls ``db.key_guard.open_keyring``, which creates a
key file only while the database holds no encrypted value, and otherwise refuses to start without the
keys that made them. ``read_keyring`` only reads; ``load_keyring`` (read or create) is for tests and
throwaway rings.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
import stat
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from config import ConfigError, Settings
from db.pii import normalize_rrn

BLOB_VERSION = 1
NONCE_BYTES = 12
KEY_FILE_FORMAT = 1
ENV_VAR = "KIOSK_KEYS"
DEFAULT_CIPHER = "aes-256-gcm"


class FieldCipher(Protocol):
    """An AEAD cipher under one key. Implementations must be safe to call from several threads."""

    def encrypt(self, nonce: bytes, plaintext: bytes, associated_data: bytes) -> bytes: ...

    def decrypt(self, nonce: bytes, ciphertext: bytes, associated_data: bytes) -> bytes: ...


class AesGcmCipher:
    """AES-256-GCM from `cryptography` (OpenSSL)."""

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("AES-256-GCM needs a 32-byte key")
        self._aead = AESGCM(key)

    def encrypt(self, nonce: bytes, plaintext: bytes, associated_data: bytes) -> bytes:
        return self._aead.encrypt(nonce, plaintext, associated_data)

    def decrypt(self, nonce: bytes, ciphertext: bytes, associated_data: bytes) -> bytes:
        return self._aead.decrypt(nonce, ciphertext, associated_data)


# Cipher name in the key file -> factory taking the raw key. A KCMVP cipher registers itself here.
CIPHERS: dict[str, Callable[[bytes], FieldCipher]] = {DEFAULT_CIPHER: AesGcmCipher}


class DecryptionError(Exception):
    """A ciphertext could not be decrypted: unknown key id, wrong context, or tampered bytes."""


def _key_error(source: str, key: str, value: object, allowed: str) -> ConfigError:
    return ConfigError(source, key, value, allowed)


@dataclass
class KeyRing:
    """The data keys by id, which one encrypts new data, and the blind-index HMAC key."""

    keys: dict[str, bytes]
    current_key_id: str
    blind_index_key: bytes
    cipher_name: str = DEFAULT_CIPHER
    rotation_target: str | None = None
    rotation_started_at: str | None = None
    source: Path | None = None  # the key file, when the keys came from one (None: environment/memory)
    _ciphers: dict[str, FieldCipher] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.current_key_id not in self.keys:
            raise _key_error(self._where(), "current", self.current_key_id, "one of the ids under keys")
        if len(self.blind_index_key) < 32:
            raise _key_error(self._where(), "blind_index_key", "(hidden)", "base64 of at least 32 bytes")
        factory = CIPHERS.get(self.cipher_name)
        if factory is None:
            raise _key_error(self._where(), "cipher", self.cipher_name, ", ".join(sorted(CIPHERS)))
        for key_id, raw in self.keys.items():
            _check_key_id(key_id, self._where())
            try:
                self._ciphers[key_id] = factory(raw)
            except ValueError as exc:
                raise _key_error(self._where(), f"keys.{key_id}", "(hidden)", str(exc)) from None

    def _where(self) -> str:
        return str(self.source) if self.source else ENV_VAR

    def __repr__(self) -> str:  # never print key material
        return f"KeyRing(current={self.current_key_id!r}, keys={sorted(self.keys)!r}, source={self.source})"

    # --- encryption -------------------------------------------------------------------------------
    def encrypt(self, plaintext: bytes, context: str, key_id: str | None = None) -> bytes:
        key_id = key_id or self.current_key_id
        cipher = self._ciphers[key_id]
        header = bytes([BLOB_VERSION, len(key_id)]) + key_id.encode("ascii")
        nonce = secrets.token_bytes(NONCE_BYTES)
        return header + nonce + cipher.encrypt(nonce, plaintext, header + context.encode("utf-8"))

    def decrypt(self, blob: bytes, context: str) -> bytes:
        key_id, header, body = split_blob(blob)
        cipher = self._ciphers.get(key_id)
        if cipher is None and self.source is not None:
            # Another process may have rotated keys since this ring was loaded: reload once.
            self._reload()
            cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise DecryptionError(f"unknown key id {key_id!r}")
        nonce, ciphertext = body[:NONCE_BYTES], body[NONCE_BYTES:]
        try:
            return cipher.decrypt(nonce, ciphertext, header + context.encode("utf-8"))
        except InvalidTag:
            raise DecryptionError(f"ciphertext does not authenticate for {context!r}") from None

    def encrypt_text(self, text: str, context: str) -> bytes:
        return self.encrypt(text.encode("utf-8"), context)

    def decrypt_text(self, blob: bytes, context: str) -> str:
        return self.decrypt(blob, context).decode("utf-8")

    def blind_index(self, rrn: str) -> str:
        """HMAC-SHA256 (hex) of the 13 RRN digits; raises db.pii.InvalidRRN for a malformed number."""
        return hmac.new(self.blind_index_key, normalize_rrn(rrn).encode("ascii"), hashlib.sha256).hexdigest()

    # --- key management -----------------------------------------------------------------------------
    def _reload(self) -> None:
        assert self.source is not None
        fresh = _load_file(self.source)
        self.keys, self._ciphers = fresh.keys, fresh._ciphers
        self.current_key_id = fresh.current_key_id
        self.rotation_target, self.rotation_started_at = fresh.rotation_target, fresh.rotation_started_at

    def to_document(self) -> dict[str, Any]:
        rotation = None
        if self.rotation_target:
            rotation = {"target": self.rotation_target, "started_at": self.rotation_started_at}
        return {
            "format": KEY_FILE_FORMAT,
            "cipher": self.cipher_name,
            "current": self.current_key_id,
            "keys": {kid: base64.b64encode(raw).decode("ascii") for kid, raw in self.keys.items()},
            "blind_index_key": base64.b64encode(self.blind_index_key).decode("ascii"),
            "rotation": rotation,
        }

    def save(self) -> None:
        """Atomically replace the key file (temp file, fsync, rename, fsync of the directory)."""
        if self.source is None:
            raise _key_error(
                ENV_VAR, "(source)", "environment", "a key file: keys from the environment are read-only"
            )
        write_private_json(self.source, self.to_document(), replace=True)

    def begin_rotation(self) -> str:
        """Add a new key, make it current and record the unfinished rotation, all in one file write.

        The file is saved before any row is re-encrypted, so a crash never leaves a row under a key that
        exists nowhere.
        """
        key_id = new_key_id(set(self.keys))
        raw = secrets.token_bytes(32)
        self.keys[key_id] = raw
        self._ciphers[key_id] = CIPHERS[self.cipher_name](raw)
        self.current_key_id = key_id
        self.rotation_target = key_id
        self.rotation_started_at = datetime.now(UTC).isoformat()
        self.save()
        return key_id

    def finish_rotation(self, drop_old_keys: bool = False) -> list[str]:
        """Clear the rotation mark; optionally forget every key but the current one. Returns dropped ids."""
        dropped: list[str] = []
        if drop_old_keys:
            dropped = [kid for kid in self.keys if kid != self.current_key_id]
            for kid in dropped:
                del self.keys[kid]
                del self._ciphers[kid]
        self.rotation_target = self.rotation_started_at = None
        self.save()
        return dropped

    @classmethod
    def generate(cls, source: Path | None = None) -> KeyRing:
        key_id = new_key_id(set())
        return cls(
            keys={key_id: secrets.token_bytes(32)},
            current_key_id=key_id,
            blind_index_key=secrets.token_bytes(32),
            source=source,
        )


def blob_key_id(blob: bytes) -> str:
    return split_blob(blob)[0]


def split_blob(blob: bytes) -> tuple[str, bytes, bytes]:
    """(key id, header, nonce||ciphertext||tag); DecryptionError when the bytes are not a blob."""
    if not isinstance(blob, bytes | bytearray | memoryview):
        raise DecryptionError("not a ciphertext blob")
    blob = bytes(blob)
    if len(blob) < 2 or blob[0] != BLOB_VERSION:
        raise DecryptionError("not a version-1 ciphertext blob")
    n = blob[1]
    header_end = 2 + n
    if n == 0 or len(blob) < header_end + NONCE_BYTES + 16:
        raise DecryptionError("ciphertext blob is truncated")
    try:
        key_id = blob[2:header_end].decode("ascii")
    except UnicodeDecodeError:
        raise DecryptionError("ciphertext blob has a malformed key id") from None
    return key_id, blob[:header_end], blob[header_end:]


def new_key_id(existing: set[str]) -> str:
    """Time-ordered and globally unique (random suffix), so keys of different sites never share an id.

    The suffix is letters only: with hex digits, ``...T202530-836431`` is RRN-shaped (6 digits, dash,
    digits) and every blob header under that key would look like an RRN in clear to the privacy checks.
    """
    while True:
        suffix = "".join(secrets.choice(string.ascii_lowercase) for _ in range(6))
        key_id = f"k{datetime.now(UTC):%Y%m%dT%H%M%S}-{suffix}"
        if key_id not in existing:
            return key_id


def _check_key_id(key_id: str, where: str) -> None:
    if not (1 <= len(key_id) <= 64) or not key_id.isascii() or not key_id.isprintable():
        raise _key_error(where, "keys", key_id, "key ids of 1-64 printable ASCII characters")


def _b64(where: str, key: str, value: Any, min_len: int) -> bytes:
    try:
        raw = base64.b64decode(value, validate=True) if isinstance(value, str) else b""
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) < min_len:
        raise _key_error(where, key, "(hidden)", f"base64 of {min_len} random bytes")
    return raw


def parse_document(doc: Any, where: str, source: Path | None = None) -> KeyRing:
    """Validate a key-file document (already JSON-decoded) and build the ring."""
    if not isinstance(doc, Mapping):
        raise _key_error(where, "(document)", type(doc).__name__, "a JSON object")
    if doc.get("format", KEY_FILE_FORMAT) != KEY_FILE_FORMAT:
        raise _key_error(where, "format", doc.get("format"), str(KEY_FILE_FORMAT))
    keys_doc = doc.get("keys")
    if not isinstance(keys_doc, Mapping) or not keys_doc:
        raise _key_error(where, "keys", "(missing)", "an object of key id -> base64 key")
    keys = {str(kid): _b64(where, f"keys.{kid}", value, 32) for kid, value in keys_doc.items()}
    rotation = doc.get("rotation") or {}
    if not isinstance(rotation, Mapping):
        raise _key_error(where, "rotation", rotation, "null or {target, started_at}")
    target = rotation.get("target")
    if target is not None and target not in keys:
        raise _key_error(where, "rotation.target", target, "one of the ids under keys")
    return KeyRing(
        keys=keys,
        current_key_id=str(doc.get("current", "")),
        blind_index_key=_b64(where, "blind_index_key", doc.get("blind_index_key"), 32),
        cipher_name=str(doc.get("cipher", DEFAULT_CIPHER)),
        rotation_target=target,
        rotation_started_at=rotation.get("started_at"),
        source=source,
    )


def _load_file(path: Path) -> KeyRing:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise _key_error(str(path), "(permissions)", oct(mode), "0o600: owner read/write only (chmod 600)")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _key_error(
            str(path),
            "(syntax)",
            str(exc).splitlines()[0],
            "a JSON key file (restore it from a backup: kiosk keys restore FILE)",
        ) from None
    return parse_document(doc, str(path), source=path)


def write_private_json(path: Path, doc: Mapping[str, Any], replace: bool) -> bool:
    """Write doc to path via a 0600 temp file. With replace=False, never overwrite: returns False then.

    The key file and its backups both go through here: a crash leaves the old file or the new one, never
    half of either.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(doc, handle, indent=2, sort_keys=True)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # atomic and fails if another process created the file first
            except FileExistsError:
                return False
            finally:
                tmp.unlink(missing_ok=True)
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        return True
    finally:
        tmp.unlink(missing_ok=True)


def keyring_from_environment(environ: Mapping[str, str] | None = None) -> KeyRing | None:
    """The ring in ``KIOSK_KEYS`` (key-file JSON, raw or base64), or None when the variable is unset."""
    environ = os.environ if environ is None else environ
    raw_env = environ.get(ENV_VAR)
    if not raw_env:
        return None
    text = raw_env.strip()
    if not text.startswith("{"):
        try:
            text = base64.b64decode(text, validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            raise _key_error(ENV_VAR, "(value)", "(hidden)", "key-file JSON, raw or base64") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _key_error(ENV_VAR, "(syntax)", exc.msg, "key-file JSON, raw or base64") from None
    return parse_document(doc, ENV_VAR)


def read_keyring(key_file: Path, environ: Mapping[str, str] | None = None) -> KeyRing | None:
    """The ring from ``KIOSK_KEYS`` if set, else from key_file; None when neither exists. Never writes."""
    from_env = keyring_from_environment(environ)
    if from_env is not None:
        return from_env
    key_file = Path(key_file)
    if not key_file.exists():
        return None
    return _load_file(key_file)


def create_key_file(key_file: Path) -> tuple[KeyRing, bool]:
    """Write a fresh ring to key_file unless the file exists; (the ring in the file, whether we made it).

    Two processes starting at once end up with the same ring: the second one loads the first one's file.
    Callers decide *whether* a new key may be made (db.key_guard); this only makes it safely.
    """
    key_file = Path(key_file)
    fresh = KeyRing.generate(source=key_file)
    created = write_private_json(key_file, fresh.to_document(), replace=False)
    return _load_file(key_file), created


def load_keyring(key_file: Path | None = None, environ: Mapping[str, str] | None = None) -> KeyRing:
    """The key ring from ``KIOSK_KEYS`` if set, else from key_file, which is created when missing.

    For tests and throwaway rings only: a process starting on a database uses db.key_guard.open_keyring,
    which never makes a new key while encrypted data exists. Without key_file: ``privacy.key_file`` or
    ``<data_dir>/keys.json`` of the settings that ``config.load_settings`` builds from the same environment.
    """
    environ = os.environ if environ is None else environ
    from_env = keyring_from_environment(environ)
    if from_env is not None:
        return from_env
    if key_file is None:
        from config import load_settings

        key_file = key_file_for(load_settings(environ=environ))
    key_file = Path(key_file)
    if key_file.exists():
        return _load_file(key_file)
    return create_key_file(key_file)[0]


def key_file_for(settings: Settings) -> Path:
    """``privacy.key_file``, or keys.json in the data directory."""
    from db.session import data_dir

    if settings.privacy.key_file:
        return Path(settings.privacy.key_file)
    return data_dir(settings.app.data_dir) / "keys.json"


def keyring_for(settings: Settings, environ: Mapping[str, str] | None = None) -> KeyRing:
    """The key ring this installation's settings point at (created when missing, like load_keyring).

    Start-up code goes through db.key_guard.open_keyring first, so by the time this runs the file exists
    or the process has refused to start.
    """
    return load_keyring(key_file_for(settings), environ)
