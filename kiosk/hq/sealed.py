"""HQ's half of the sealed contact (issue 20 item 4): its X25519 key, the envelope's shape, and opening.

The centers seal (kiosk.hq_sync.sealing, which HQ may not import): the constants below are the
contract's and must match that module's (tests/kiosk/hq_sync/test_seal.py checks). HQ stores an
envelope as it came (encrypted at rest) and opens it only in an audited after-care read
(kiosk.hq.accounts.aftercare_contacts). The private key lives in one file given to the command
(`kiosk hq seal-keygen --out FILE`), 0600, never in the database and never committed.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import stat
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from db.pii import mask_name, mask_phone

VERSION = 1
SEAL_KEY_INFO = b"kiosk-person-seal/1 aes-256-gcm"
KEY_BYTES = 32
TAG_BYTES = 16
MAX_PLAINTEXT = 1024
MIN_BLOB = 1 + KEY_BYTES + TAG_BYTES + 1
MAX_BLOB = 1 + KEY_BYTES + MAX_PLAINTEXT + TAG_BYTES
MAX_SEALED_CHARS = 4 * -(-MAX_BLOB // 3)  # base64 of the largest envelope


class SealedShapeError(ValueError):
    """Not an envelope of the contract's shape (the batch carrying it is refused)."""


class SealOpenError(ValueError):
    """An envelope that does not open: tampered, moved to another event, or sealed to another key."""


def associated_data(center_code: str, seq: int) -> bytes:
    return f"kiosk-person-seal/{VERSION}\x00{center_code}\x00{seq}".encode()


def envelope_bytes(text: object) -> bytes:
    """The envelope's bytes; SealedShapeError when ``text`` is not base64 of an envelope's size."""
    if not isinstance(text, str) or not text or len(text) > MAX_SEALED_CHARS:
        raise SealedShapeError(f"person_sealed: base64 text of at most {MAX_SEALED_CHARS} characters")
    try:
        blob = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise SealedShapeError("person_sealed: not base64") from None
    if not MIN_BLOB <= len(blob) <= MAX_BLOB:
        raise SealedShapeError("person_sealed: not an envelope's length")
    if blob[0] != VERSION:
        raise SealedShapeError(f"person_sealed: envelope version must be {VERSION}")
    return blob


@dataclass(frozen=True)
class PersonContact:
    """A contact opened for after-care: show ``name_masked`` / ``phone_masked`` on screens."""

    name: str | None
    phone: str | None
    birth_date: date | None

    @property
    def name_masked(self) -> str:
        return mask_name(self.name)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone) if self.phone else ""

    def __repr__(self) -> str:  # a contact must never reach a log line whole
        return f"PersonContact(name={self.name_masked!r}, phone={self.phone_masked!r})"


@dataclass(frozen=True)
class SealKey:
    private: X25519PrivateKey

    @property
    def public_raw(self) -> bytes:
        return self.private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )

    @property
    def public_pem(self) -> bytes:
        return self.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def open(self, text: str, center_code: str, seq: int) -> PersonContact:
        """The contact sealed for event ``seq`` of ``center_code``; SealOpenError if it is not that."""
        try:
            blob = envelope_bytes(text)
        except SealedShapeError as exc:
            raise SealOpenError(str(exc)) from None
        ephemeral, sealed = blob[1 : 1 + KEY_BYTES], blob[1 + KEY_BYTES :]
        try:
            shared = self.private.exchange(X25519PublicKey.from_public_bytes(ephemeral))
        except ValueError:  # a low-order point: no shared secret, so no envelope of ours
            raise SealOpenError("person_sealed: not sealed to this HQ key") from None
        okm = HKDF(
            algorithm=hashes.SHA256(), length=44, salt=ephemeral + self.public_raw, info=SEAL_KEY_INFO
        ).derive(shared)
        try:
            plaintext = AESGCM(okm[:32]).decrypt(okm[32:], sealed, associated_data(center_code, seq))
        except InvalidTag:
            raise SealOpenError(
                "person_sealed: does not open (altered, moved to another event, or another HQ key)"
            ) from None
        return _contact(plaintext)


def _contact(plaintext: bytes) -> PersonContact:
    try:
        doc = json.loads(plaintext.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise SealOpenError("person_sealed: opened, but not a contact") from None
    if not isinstance(doc, dict) or not set(doc) <= {"name", "phone", "birth_date"}:
        raise SealOpenError("person_sealed: opened, but not a contact")
    name, phone, born = doc.get("name"), doc.get("phone"), doc.get("birth_date")
    if not all(v is None or isinstance(v, str) for v in (name, phone, born)):
        raise SealOpenError("person_sealed: opened, but not a contact")
    try:
        birth_date = date.fromisoformat(born) if born else None
    except ValueError:
        raise SealOpenError("person_sealed: opened, but its birth date is not a date") from None
    return PersonContact(name=name, phone=phone, birth_date=birth_date)


class SealKeyFileError(ValueError):
    """The key file is missing, readable by others, or not an X25519 private key."""


def load_seal_key(path: Path) -> SealKey:
    if not path.exists():
        raise SealKeyFileError(f"{path}: missing (run `kiosk hq seal-keygen --out {path}`)")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise SealKeyFileError(f"{path}: mode {oct(mode)}, must be 0o600 (chmod 600)")
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError):
        raise SealKeyFileError(f"{path}: not a PEM private key") from None
    if not isinstance(key, X25519PrivateKey):
        raise SealKeyFileError(f"{path}: not an X25519 private key")
    return SealKey(key)


def public_path(private: Path) -> Path:
    return private.with_suffix(".pub.pem")


def create_seal_key(path: Path) -> tuple[SealKey, bool]:
    """The key at ``path``, made now (0600, never overwriting) with its public half beside it."""
    if path.exists():
        return load_seal_key(path), False
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = SealKey(X25519PrivateKey.generate())
    pem = key.private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another keygen won the race: use its key
        return load_seal_key(path), False
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
        handle.flush()
        os.fsync(handle.fileno())
    public_path(path).write_bytes(key.public_pem)  # not secret: what each center installs
    return key, True
