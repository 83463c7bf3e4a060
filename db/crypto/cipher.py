"""The field cipher and the ciphertext blob every ``*_enc`` column holds.

The cipher sits behind the small ``FieldCipher`` protocol so a KCMVP-validated cipher (ARIA, SEED, LEA
in an AEAD mode) can replace AES-256-GCM: register a factory in ``CIPHERS`` and name it in the key file.

Ciphertext blob::

    byte 0        format version, 0x01
    byte 1        n = length of the key id (1..64)
    bytes 2..2+n  key id, ASCII
    next 12       nonce (random per encryption)
    rest          ciphertext || 16-byte tag

The associated data is ``header || context`` (e.g. ``b"person.rrn"``), so a ciphertext cannot be moved to
another column, and its key id cannot be altered, without failing authentication.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

BLOB_VERSION = 1
NONCE_BYTES = 12
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
