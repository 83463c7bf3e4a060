"""The center's Ed25519 key for HQ: made once by `kiosk hq keygen`, kept 0600 in <data_dir>/hq/.

HQ knows the public half (registered with `kiosk hq center add --public-key FILE`); the private key never
leaves the hub. A key file others may read is refused, as the field-encryption key file is.
"""

from __future__ import annotations

import base64
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from config import ConfigError, Settings
from db.session import data_dir

KEY_NAME = "center-ed25519.pem"
PUBLIC_NAME = "center-ed25519.pub.pem"


def key_path(settings: Settings) -> Path:
    configured = settings.hq.key_file
    return Path(configured) if configured else data_dir(settings.app.data_dir) / "hq" / KEY_NAME


def public_path(private: Path) -> Path:
    return private.with_name(PUBLIC_NAME) if private.name == KEY_NAME else private.with_suffix(".pub.pem")


@dataclass(frozen=True)
class CenterKey:
    private: Ed25519PrivateKey

    def sign(self, message: bytes) -> str:
        """The base64 Ed25519 signature of ``message`` (the contract's header and head form)."""
        return base64.b64encode(self.private.sign(message)).decode("ascii")

    @property
    def public_raw(self) -> bytes:
        return self.private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )

    @property
    def public_b64(self) -> str:
        return base64.b64encode(self.public_raw).decode("ascii")

    @property
    def public_pem(self) -> bytes:
        return self.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


def load_key(path: Path) -> CenterKey:
    """The key at ``path``; ConfigError when it is missing, readable by others or not an Ed25519 key."""
    if not path.exists():
        raise ConfigError(str(path), "(file)", "missing", "a center key: run `kiosk hq keygen` first")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConfigError(str(path), "(permissions)", oct(mode), "0o600: owner read/write only (chmod 600)")
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise ConfigError(
            str(path), "(syntax)", str(exc).splitlines()[0], "an Ed25519 private key (PEM)"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigError(str(path), "(key type)", type(key).__name__, "an Ed25519 private key")
    return CenterKey(key)


def create_key(path: Path) -> tuple[CenterKey, bool]:
    """The key at ``path``, made now (0600, never overwriting) if there is none; (key, made)."""
    if path.exists():
        return load_key(path), False
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = CenterKey(Ed25519PrivateKey.generate())
    pem = key.private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another keygen won the race: use its key
        return load_key(path), False
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
        handle.flush()
        os.fsync(handle.fileno())
    public = public_path(path)
    public.write_bytes(key.public_pem)  # not secret: what HQ registers
    return key, True
