"""A backup of the key ring, encrypted under a passphrase, and its restore into the key file.

Without the key ring every encrypted RRN, phone and address is lost, so it must be kept somewhere else
(a USB stick in the center's safe, the administrator's password manager). The backup is a small JSON
envelope (version 1)::

    {"format": "paperless-kiosk-key-backup", "version": 1, "created_at": iso, "current": key_id,
     "key_ids": [...], "kdf": {"name": "scrypt", "n": 131072, "r": 8, "p": 1, "salt": b64},
     "cipher": {"name": "aes-256-gcm", "nonce": b64}, "ciphertext": b64}

The plaintext is the key-file document. scrypt (memory-hard, in `cryptography`) turns the passphrase
into the AES-256-GCM key; every field but the ciphertext is the associated data, so no header value
(KDF cost, key ids) can be altered without the passphrase failing. Key ids are not secret (every blob
names its key) and are shown in clear so an operator can tell which backup holds which key.

Restoring merges into the key file: keys present there are kept, a different current key or blind-index
key is replaced only with ``force``, and a key id holding different bytes is always refused.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from config import ConfigError
from config.clock import now
from db.crypto import KeyRing, parse_document, read_keyring, write_private_json

ENVELOPE_FORMAT = "paperless-kiosk-key-backup"
ENVELOPE_VERSION = 1
SALT_BYTES = 16
NONCE_BYTES = 12
MIN_PASSPHRASE_CHARS = 12
MAX_BACKUP_BYTES = 1_000_000  # a ring of a thousand keys is ~60 kB


class KeyBackupError(Exception):
    """A backup cannot be written, read or restored; the message says why, Korean first."""


@dataclass(frozen=True)
class ScryptCost:
    """scrypt parameters, bounded on read so a crafted file cannot ask for gigabytes or hours."""

    n: int = 2**17  # 128 MiB with r=8: about half a second on a kiosk PC
    r: int = 8
    p: int = 1

    def check(self) -> ScryptCost:
        power_of_two = self.n > 1 and self.n & (self.n - 1) == 0
        if not (power_of_two and 2**14 <= self.n <= 2**20 and 1 <= self.r <= 16 and 1 <= self.p <= 4):
            raise KeyBackupError(
                "백업 파일의 scrypt 값이 허용 범위를 벗어났어요 (scrypt parameters out of range: "
                f"n={self.n}, r={self.r}, p={self.p}; n a power of two in 2^14..2^20, r 1..16, p 1..4)"
            )
        if 128 * self.n * self.r > 2**30:
            raise KeyBackupError("백업 파일이 1 GiB 넘는 메모리를 요구해요 (scrypt would need over 1 GiB)")
        return self


DEFAULT_COST = ScryptCost()


@dataclass(frozen=True)
class Envelope:
    created_at: str
    current: str
    key_ids: tuple[str, ...]
    cost: ScryptCost
    salt: bytes
    nonce: bytes
    ciphertext: bytes = field(repr=False)

    def header(self) -> dict[str, Any]:
        return {
            "format": ENVELOPE_FORMAT,
            "version": ENVELOPE_VERSION,
            "created_at": self.created_at,
            "current": self.current,
            "key_ids": list(self.key_ids),
            "kdf": {
                "name": "scrypt",
                "n": self.cost.n,
                "r": self.cost.r,
                "p": self.cost.p,
                "salt": _b64(self.salt),
            },
            "cipher": {"name": "aes-256-gcm", "nonce": _b64(self.nonce)},
        }

    def associated_data(self) -> bytes:
        return json.dumps(self.header(), sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()

    def to_document(self) -> dict[str, Any]:
        return self.header() | {"ciphertext": _b64(self.ciphertext)}


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _derive(passphrase: str, salt: bytes, cost: ScryptCost) -> bytes:
    # NFC: the same Korean passphrase typed on another keyboard/OS may arrive decomposed (NFD).
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    return Scrypt(salt=salt, length=32, n=cost.n, r=cost.r, p=cost.p).derive(secret)


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        raise KeyBackupError(
            f"암호 문구는 {MIN_PASSPHRASE_CHARS}자 이상이어야 해요 "
            f"(the passphrase must have at least {MIN_PASSPHRASE_CHARS} characters)"
        )


def seal(ring: KeyRing, passphrase: str, cost: ScryptCost = DEFAULT_COST) -> Envelope:
    check_new_passphrase(passphrase)
    cost.check()
    salt, nonce = secrets.token_bytes(SALT_BYTES), secrets.token_bytes(NONCE_BYTES)
    plaintext = json.dumps(ring.to_document(), sort_keys=True).encode("utf-8")
    unsealed = Envelope(
        created_at=now().isoformat(timespec="seconds"),
        current=ring.current_key_id,
        key_ids=tuple(sorted(ring.keys)),
        cost=cost,
        salt=salt,
        nonce=nonce,
        ciphertext=b"",
    )
    ciphertext = AESGCM(_derive(passphrase, salt, cost)).encrypt(nonce, plaintext, unsealed.associated_data())
    return replace(unsealed, ciphertext=ciphertext)


def _bad(where: str, what: str) -> KeyBackupError:
    return KeyBackupError(
        f"키 백업 파일이 아니거나 손상됐어요 (not a key backup, or damaged): {where}: {what}"
    )


def _field(doc: dict[str, Any], name: str, kind: type, where: str) -> Any:
    value = doc.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise _bad(where, f"{name} missing or not a {kind.__name__}")
    return value


def _unb64(value: Any, name: str, where: str, exact: int | None = None) -> bytes:
    try:
        raw = base64.b64decode(value, validate=True) if isinstance(value, str) else None
    except (binascii.Error, ValueError):
        raw = None
    if raw is None or (exact is not None and len(raw) != exact):
        raise _bad(where, f"{name} is not valid base64" + (f" of {exact} bytes" if exact else ""))
    return raw


def parse_envelope(data: bytes | str, where: str = "backup") -> Envelope:
    """Check the shape of a backup file before any key derivation; KeyBackupError for anything else."""
    if len(data) > MAX_BACKUP_BYTES:
        raise _bad(where, f"larger than {MAX_BACKUP_BYTES} bytes")
    try:
        doc = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise _bad(where, "not JSON (truncated?)") from None
    if not isinstance(doc, dict) or doc.get("format") != ENVELOPE_FORMAT:
        raise _bad(where, f"format is not {ENVELOPE_FORMAT!r}")
    version = doc.get("version")
    if version != ENVELOPE_VERSION or isinstance(version, bool):
        raise KeyBackupError(
            f"이 프로그램이 모르는 백업 버전이에요 (backup version {version!r}; this program reads "
            f"version {ENVELOPE_VERSION}): {where}"
        )
    kdf = _field(doc, "kdf", dict, where)
    cipher = _field(doc, "cipher", dict, where)
    if kdf.get("name") != "scrypt" or cipher.get("name") != "aes-256-gcm":
        raise _bad(where, "kdf must be scrypt and cipher aes-256-gcm")
    cost = ScryptCost(
        _field(kdf, "n", int, where), _field(kdf, "r", int, where), _field(kdf, "p", int, where)
    )
    key_ids = _field(doc, "key_ids", list, where)
    if not key_ids or not all(isinstance(kid, str) for kid in key_ids):
        raise _bad(where, "key_ids must be a list of key ids")
    envelope = Envelope(
        created_at=_field(doc, "created_at", str, where),
        current=_field(doc, "current", str, where),
        key_ids=tuple(key_ids),
        cost=cost.check(),
        salt=_unb64(kdf.get("salt"), "kdf.salt", where, SALT_BYTES),
        nonce=_unb64(cipher.get("nonce"), "cipher.nonce", where, NONCE_BYTES),
        ciphertext=_unb64(doc.get("ciphertext"), "ciphertext", where),
    )
    if len(envelope.ciphertext) < 16:
        raise _bad(where, "ciphertext is truncated")
    return envelope


def open_envelope(envelope: Envelope, passphrase: str, where: str = "backup") -> KeyRing:
    """The ring inside; KeyBackupError for a wrong passphrase or altered bytes (GCM cannot tell which)."""
    key = _derive(passphrase, envelope.salt, envelope.cost)
    try:
        plaintext = AESGCM(key).decrypt(envelope.nonce, envelope.ciphertext, envelope.associated_data())
    except InvalidTag:
        raise KeyBackupError(
            f"암호 문구가 틀렸거나 파일이 바뀌었어요 (wrong passphrase, or the file was altered): {where}"
        ) from None
    try:
        ring = parse_document(json.loads(plaintext), f"{where} (inside)")
    except (ConfigError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _bad(where, f"the decrypted key ring is invalid: {exc}") from None
    if sorted(ring.keys) != sorted(envelope.key_ids) or ring.current_key_id != envelope.current:
        raise _bad(where, "the key ids inside differ from the header")
    return ring


def write_backup(
    path: Path, ring: KeyRing, passphrase: str, *, overwrite: bool = False, cost: ScryptCost = DEFAULT_COST
) -> Envelope:
    """Write the sealed ring to path (0600, atomically). An existing file is kept unless overwrite:
    an older backup may hold a key the current ring no longer has."""
    envelope = seal(ring, passphrase, cost)
    if not write_private_json(Path(path), envelope.to_document(), replace=overwrite):
        raise KeyBackupError(
            f"파일이 이미 있어요. 덮어쓰려면 --force (file exists; --force to overwrite): {path}"
        )
    return envelope


def read_backup(path: Path, passphrase: str) -> KeyRing:
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BACKUP_BYTES + 1)
    except FileNotFoundError:
        raise KeyBackupError(f"백업 파일이 없어요 (no such backup file): {path}") from None
    except IsADirectoryError:
        raise KeyBackupError(f"백업 파일이 아니라 폴더예요 (a folder, not a backup file): {path}") from None
    return open_envelope(parse_envelope(data, str(path)), passphrase, str(path))


@dataclass
class RestoreReport:
    key_file: Path
    added: list[str]  # key ids the key file did not have
    current_key_id: str
    replaced_current: str | None = None  # the key file's previous current key, when --force replaced it
    replaced_blind_index: bool = False
    written: bool = True


def merge(existing: KeyRing, restored: KeyRing, force: bool) -> tuple[KeyRing, RestoreReport]:
    """existing plus the keys of restored; see the module docstring for what needs force."""
    assert existing.source is not None
    if existing.cipher_name != restored.cipher_name:
        raise KeyBackupError(
            f"암호 방식이 달라요 (cipher differs): key file {existing.cipher_name}, "
            f"backup {restored.cipher_name}"
        )
    clashing = sorted(k for k in restored.keys if k in existing.keys and existing.keys[k] != restored.keys[k])
    if clashing:
        raise KeyBackupError(
            "같은 키 id에 다른 키가 있어요. 복구하지 않았어요 "
            f"(same key id, different key; nothing restored): {', '.join(clashing)}"
        )
    new_current = restored.current_key_id != existing.current_key_id
    new_blind = restored.blind_index_key != existing.blind_index_key
    if (new_current or new_blind) and not force:
        differs = []
        if new_current:
            differs.append(f"current key: file {existing.current_key_id}, backup {restored.current_key_id}")
        if new_blind:
            differs.append("blind-index key differs")
        raise KeyBackupError(
            "키 파일의 현재 키가 백업과 달라요. 그대로 두었어요 (the key file's current key differs from the "
            f"backup; left as it is): {'; '.join(differs)}. --force: keep every key of both and make the "
            "backup's current key (and blind-index key) the ones in use"
        )
    added = sorted(k for k in restored.keys if k not in existing.keys)
    keys = existing.keys | restored.keys
    base = restored if force and (new_current or new_blind) else existing
    merged = KeyRing(
        keys=keys,
        current_key_id=base.current_key_id,
        blind_index_key=base.blind_index_key,
        cipher_name=existing.cipher_name,
        rotation_target=base.rotation_target,
        rotation_started_at=base.rotation_started_at,
        source=existing.source,
    )
    report = RestoreReport(
        key_file=existing.source,
        added=added,
        current_key_id=merged.current_key_id,
        replaced_current=existing.current_key_id if base is restored and new_current else None,
        replaced_blind_index=base is restored and new_blind,
        written=bool(added) or base is restored,
    )
    return merged, report


def restore_key_file(key_file: Path, restored: KeyRing, *, force: bool = False) -> RestoreReport:
    """Write restored into key_file (0600, atomic), merging with a ring already there."""
    key_file = Path(key_file)
    existing = read_keyring(key_file, environ={})  # the file itself, whatever KIOSK_KEYS says
    if existing is None:
        ring = replace_source(restored, key_file)
        if not write_private_json(key_file, ring.to_document(), replace=False):
            raise KeyBackupError(
                f"복구하는 사이에 키 파일이 생겼어요. 다시 실행하세요 (key file appeared; rerun): {key_file}"
            )
        return RestoreReport(key_file=key_file, added=sorted(ring.keys), current_key_id=ring.current_key_id)
    merged, report = merge(existing, restored, force)
    if report.written:
        write_private_json(key_file, merged.to_document(), replace=True)
    return report


def replace_source(ring: KeyRing, source: Path) -> KeyRing:
    return KeyRing(
        keys=dict(ring.keys),
        current_key_id=ring.current_key_id,
        blind_index_key=ring.blind_index_key,
        cipher_name=ring.cipher_name,
        rotation_target=ring.rotation_target,
        rotation_started_at=ring.rotation_started_at,
        source=source,
    )
