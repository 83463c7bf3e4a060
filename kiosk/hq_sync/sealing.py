"""Personal contact sealed to HQ: what after-care across centers needs to reach a person, readable only
with HQ's X25519 private key (issue 20 item 4). The center seals; kiosk.hq.sealed opens.

Envelope (base64 of): ``0x01 | ephemeral X25519 public key (32) | AES-256-GCM ciphertext + tag``. The AES
key and nonce are HKDF-SHA256 of the X25519 shared secret (salt: ephemeral ‖ HQ public key). The
associated data names the center code and the event seq, so a sealed blob moved to another event or
center does not open. kiosk.hq may not import this package (import-linter), so HQ keeps its own copy of
these constants; tests/kiosk/hq_sync/test_seal.py proves the two halves agree.

The ephemeral key is derived (HKDF of the center's signing key, the associated data and the plaintext's
digest) instead of drawn at random: a batch rebuilt for the same events is then byte-for-byte the same,
so HQ's replay rule ("the very row it holds") still holds, and a changed plaintext gets a fresh key, so
no key and nonce pair ever encrypts two different texts.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from config import ConfigError, Settings
from kiosk.hq.signing import raw_public_key
from kiosk.hq_sync.keys import CenterKey, key_path

VERSION = 1
SEAL_KEY_INFO = b"kiosk-person-seal/1 aes-256-gcm"
EPHEMERAL_INFO = b"kiosk-person-seal/1 ephemeral"
RAW_KEY_BYTES = 32
# Plaintexts are padded to whole blocks so the envelope's length does not tell a name's length.
PAD_BLOCK = 128
MAX_PLAINTEXT = 1024
# HQ's public half, beside the center's own key (keys.key_path's directory is the one home of HQ keys).
HQ_PUBLIC_NAME = "hq-seal-x25519.pub.pem"


class SealKeyError(ValueError):
    """Not an X25519 public key (neither PEM, base64 nor 32 raw bytes)."""


def associated_data(center_code: str, seq: int) -> bytes:
    """What binds an envelope to its event: the center's code and the event's seq."""
    return f"kiosk-person-seal/{VERSION}\x00{center_code}\x00{seq}".encode()


def hq_public_path(settings: Settings) -> Path:
    return key_path(settings).parent / HQ_PUBLIC_NAME


def public_key_bytes(data: bytes) -> bytes:
    """The raw 32 bytes of an X25519 public key given as PEM, base64 or raw bytes."""
    return raw_public_key(data, X25519PublicKey, SealKeyError)


def load_hq_public(settings: Settings) -> bytes | None:
    """HQ's sealing public key when this center has one (the file exists); None: seal nothing."""
    path = hq_public_path(settings)
    if not path.exists():
        return None
    try:
        return public_key_bytes(path.read_bytes())
    except SealKeyError as exc:
        raise ConfigError(str(path), "(key)", str(exc), "HQ's X25519 public key (PEM)") from None


@dataclass(frozen=True)
class Contact:
    """How after-care reaches a person: name, mobile phone, birth date (never the RRN: the national blind
    index already links the person's visits, so HQ holding RRNs would only make it a national RRN store)."""

    name: str | None
    phone: str | None
    birth_date: date | None

    @property
    def empty(self) -> bool:
        return not (self.name or self.phone or self.birth_date)

    def plaintext(self) -> bytes:
        doc = {
            "name": self.name,
            "phone": self.phone,
            "birth_date": self.birth_date and self.birth_date.isoformat(),
        }
        text = json.dumps({k: v for k, v in doc.items() if v}, ensure_ascii=False, separators=(",", ":"))
        raw = text.encode("utf-8")
        padded = -(-max(len(raw), 1) // PAD_BLOCK) * PAD_BLOCK
        if padded > MAX_PLAINTEXT:
            raise ValueError("contact longer than an envelope holds")
        return raw + b" " * (padded - len(raw))  # JSON allows trailing whitespace

    def __repr__(self) -> str:  # never a name or a number in a log line
        return "Contact(<sealed fields>)"


def _derive(shared: bytes, salt: bytes) -> tuple[bytes, bytes]:
    okm = HKDF(algorithm=hashes.SHA256(), length=44, salt=salt, info=SEAL_KEY_INFO).derive(shared)
    return okm[:32], okm[32:]


class PersonSealer:
    """Seals contacts to HQ's public key for one center (its code and signing key)."""

    def __init__(self, hq_public: bytes, center_code: str, center_key: CenterKey) -> None:
        if len(hq_public) != RAW_KEY_BYTES:
            raise SealKeyError("HQ's public key is 32 bytes")
        self.hq_public = hq_public
        self.center_code = center_code
        self._secret = center_key.private.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )

    def seal(self, seq: int, contact: Contact) -> str:
        """The base64 envelope of ``contact`` for the event ``seq`` of this center."""
        plaintext = contact.plaintext()
        aad = associated_data(self.center_code, seq)
        seed = HKDF(
            algorithm=hashes.SHA256(),
            length=32,
            salt=self.hq_public,
            info=EPHEMERAL_INFO + aad + hashlib.sha256(plaintext).digest(),
        ).derive(self._secret)
        ephemeral = X25519PrivateKey.from_private_bytes(seed)
        ephemeral_public = ephemeral.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(self.hq_public))
        key, nonce = _derive(shared, ephemeral_public + self.hq_public)
        sealed = AESGCM(key).encrypt(nonce, plaintext, aad)
        return base64.b64encode(bytes([VERSION]) + ephemeral_public + sealed).decode("ascii")
