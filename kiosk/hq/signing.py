"""Ed25519 checks of the contract: a batch's body and a center's signed audit-chain head."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

RAW_KEY_BYTES = 32
SIGNATURE_BYTES = 64


class KeyFormatError(ValueError):
    """Not an Ed25519 public key (neither PEM nor 32 raw bytes)."""


def public_key_bytes(data: bytes) -> bytes:
    """The raw 32 bytes of an Ed25519 public key given as PEM (SubjectPublicKeyInfo), raw bytes, or the
    base64 of the raw bytes (what `kiosk hq keygen` prints on the hub, pasted into a file)."""
    return raw_public_key(data, Ed25519PublicKey, KeyFormatError)


def raw_public_key(data: bytes, kind: type[Any], error: type[Exception]) -> bytes:
    """The raw 32 bytes of a public key of ``kind`` (Ed25519 or X25519) as PEM, raw or base64; else
    ``error``. One reading for every key a center or HQ is given as a file."""
    if data.lstrip().startswith(b"-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(data)
        except ValueError as exc:
            raise error(f"not a PEM public key: {exc}") from None
        if not isinstance(key, kind):
            raise error(f"not an {kind.__name__.removesuffix('PublicKey')} key: {type(key).__name__}")
        return bytes(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))
    if len(data) == RAW_KEY_BYTES:
        return data
    try:
        decoded = base64.b64decode(data.strip(), validate=True)
    except (binascii.Error, ValueError):
        decoded = b""
    if len(decoded) == RAW_KEY_BYTES:
        return decoded
    raise error(f"expected PEM, base64 or {RAW_KEY_BYTES} raw bytes, got {len(data)} bytes")


def decode_signature(text: str) -> bytes | None:
    """The 64 signature bytes of a base64 header or field; None when it is not that."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == SIGNATURE_BYTES else None


def verifies(public_key: bytes, signature_b64: str, message: bytes) -> bool:
    signature = decode_signature(signature_b64)
    if signature is None or len(public_key) != RAW_KEY_BYTES:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except InvalidSignature:
        return False
    return True


def head_message(center_code: str, audit_seq: int, audit_hash: str, signed_at: str) -> bytes:
    """The ASCII text a hub signs for its chain head; signed_at exactly as the hub wrote it."""
    return f"{center_code}:{audit_seq}:{audit_hash}:{signed_at}".encode()
