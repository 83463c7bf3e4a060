"""The key ring: data keys by id, the current one, the blind-index key, and the key-file document.

Key-file document (the file, or ``KIOSK_KEYS``)::

    {"format": 1, "cipher": "aes-256-gcm", "current": "k20261126T041130",
     "keys": {"k20261126T041130": "<base64 32 bytes>"},
     "blind_index_key": "<base64 32 bytes>",
     "rotation": null}

``rotation`` is ``{"target": key_id, "started_at": iso}`` while ``kiosk keys rotate`` is unfinished.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag

import db.crypto.private_file as private_file
from config import ConfigError
from db.crypto.cipher import (
    BLOB_VERSION,
    CIPHERS,
    DEFAULT_CIPHER,
    NONCE_BYTES,
    DecryptionError,
    FieldCipher,
    split_blob,
)
from db.pii import normalize_rrn

KEY_FILE_FORMAT = 1
ENV_VAR = "KIOSK_KEYS"
RESTORE_HINT = "a JSON key file (restore it from a backup: kiosk keys restore FILE)"
RRN_DOMAIN = "rrn"  # the historical domain: hashed without a prefix, so stored indexes stay valid
_DOMAIN = re.compile(r"[a-z][a-z0-9_.]{0,39}")


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
            raise ConfigError(self._where(), "current", self.current_key_id, "one of the ids under keys")
        if len(self.blind_index_key) < 32:
            raise ConfigError(self._where(), "blind_index_key", "(hidden)", "base64 of at least 32 bytes")
        factory = CIPHERS.get(self.cipher_name)
        if factory is None:
            raise ConfigError(self._where(), "cipher", self.cipher_name, ", ".join(sorted(CIPHERS)))
        for key_id, raw in self.keys.items():
            _check_key_id(key_id, self._where())
            try:
                self._ciphers[key_id] = factory(raw)
            except ValueError as exc:
                raise ConfigError(self._where(), f"keys.{key_id}", "(hidden)", str(exc)) from None

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

    def blind_index(self, value: str, domain: str = RRN_DOMAIN) -> str:
        """HMAC-SHA256 (hex) under the blind-index key of ``value`` in ``domain`` — the one home of every
        blind index, so one key rotation plan and one review cover them all.

        ``"rrn"``: the 13 digits of an RRN (db.pii.InvalidRRN for a malformed one), hashed bare as they
        always were. Any other domain hashes ``"<domain>:" + value`` (value already normalised by the
        caller, e.g. kiosk.sms.numbers for "sms.phone"), so equal digits in two domains never share an
        index: a phone number's index is no RRN's.
        """
        if domain == RRN_DOMAIN:
            message = normalize_rrn(value).encode("ascii")
        else:
            if not _DOMAIN.fullmatch(domain) or not value:
                raise ValueError("a blind index needs a lower-case domain name and a value")
            message = f"{domain}:{value}".encode()
        return hmac.new(self.blind_index_key, message, hashlib.sha256).hexdigest()

    # --- key management -----------------------------------------------------------------------------
    def _reload(self) -> None:
        assert self.source is not None
        fresh = load_file(self.source)
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
            raise ConfigError(
                ENV_VAR, "(source)", "environment", "a key file: keys from the environment are read-only"
            )
        private_file.write_private_json(self.source, self.to_document(), replace=True)

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
        raise ConfigError(where, "keys", key_id, "key ids of 1-64 printable ASCII characters")


def _b64(where: str, key: str, value: Any, min_len: int) -> bytes:
    try:
        raw = base64.b64decode(value, validate=True) if isinstance(value, str) else b""
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) < min_len:
        raise ConfigError(where, key, "(hidden)", f"base64 of {min_len} random bytes")
    return raw


def parse_document(doc: Any, where: str, source: Path | None = None) -> KeyRing:
    """Validate a key-file document (already JSON-decoded) and build the ring."""
    if not isinstance(doc, Mapping):
        raise ConfigError(where, "(document)", type(doc).__name__, "a JSON object")
    if doc.get("format", KEY_FILE_FORMAT) != KEY_FILE_FORMAT:
        raise ConfigError(where, "format", doc.get("format"), str(KEY_FILE_FORMAT))
    keys_doc = doc.get("keys")
    if not isinstance(keys_doc, Mapping) or not keys_doc:
        raise ConfigError(where, "keys", "(missing)", "an object of key id -> base64 key")
    keys = {str(kid): _b64(where, f"keys.{kid}", value, 32) for kid, value in keys_doc.items()}
    rotation = doc.get("rotation") or {}
    if not isinstance(rotation, Mapping):
        raise ConfigError(where, "rotation", rotation, "null or {target, started_at}")
    target = rotation.get("target")
    if target is not None and target not in keys:
        raise ConfigError(where, "rotation.target", target, "one of the ids under keys")
    return KeyRing(
        keys=keys,
        current_key_id=str(doc.get("current", "")),
        blind_index_key=_b64(where, "blind_index_key", doc.get("blind_index_key"), 32),
        cipher_name=str(doc.get("cipher", DEFAULT_CIPHER)),
        rotation_target=target,
        rotation_started_at=rotation.get("started_at"),
        source=source,
    )


def load_file(path: Path) -> KeyRing:
    """The ring in a key file (owner-only, valid JSON, a valid document) or ConfigError saying why not."""
    return parse_document(private_file.read_private_json(path, RESTORE_HINT), str(path), source=path)
