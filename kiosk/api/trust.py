"""What the hub and its devices agree on about the center CA: fingerprints, the enrollment string, files.

Devices do not trust the operating system's CAs for the hub: at enrollment they are handed the SHA-256
fingerprint of the center CA beside the one-time code (`<code>@sha256:<hex>`, printed by
`kiosk hub pairing-code`, parsed by kiosk.client), fetch the CA once from the hub's TLS handshake and
from then on verify every connection against that CA alone. Making the CA is the hub's (kiosk.hub.tls).
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

_FINGERPRINT = re.compile(r"[0-9a-f]{64}")


class TlsSetupError(ValueError):
    """Files or names that cannot make a working TLS setup; the message is for the operator."""


@dataclass(frozen=True)
class TlsFiles:
    cert: Path  # the hub's certificate followed by the CA (the chain a device is shown)
    key: Path
    ca: Path

    def exist(self) -> bool:
        return self.cert.is_file() and self.key.is_file()


def tls_files(hub: object, data_dir: Path) -> TlsFiles:
    """Where the hub section says the files are, defaulting to <data dir>/tls/ (on a device: ca.pem)."""
    base = data_dir / "tls"

    def pick(name: str, default: str) -> Path:
        configured = str(getattr(hub, name, "") or "")
        return Path(configured).expanduser() if configured else base / default

    return TlsFiles(
        pick("tls_cert_file", "hub.pem"), pick("tls_key_file", "hub-key.pem"), pick("tls_ca_file", "ca.pem")
    )


def fingerprint(cert_pem: bytes) -> str:
    """SHA-256 of the certificate's DER, lower-case hex (what devices pin)."""
    return hashlib.sha256(
        x509.load_pem_x509_certificate(cert_pem).public_bytes(serialization.Encoding.DER)
    ).hexdigest()


def der_fingerprint(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


def normalize_fingerprint(text: str) -> str:
    """`sha256:AB:CD…`, `abcd…` → 64 lower-case hex digits; TlsSetupError when it is not one."""
    cleaned = text.strip().lower().removeprefix("sha256:").replace(":", "").replace(" ", "")
    if not _FINGERPRINT.fullmatch(cleaned):
        raise TlsSetupError("인증서 지문은 SHA-256 16진수 64자리예요 (fingerprint must be 64 hex digits)")
    return cleaned


def enrollment_string(code: str, ca_fingerprint: str) -> str:
    return f"{code}@sha256:{ca_fingerprint}"


def parse_enrollment(text: str) -> tuple[str, str | None]:
    """`<code>@sha256:<hex>` → (code, fingerprint); a bare code → (code, None)."""
    code, sep, pin = text.strip().partition("@")
    return code, (normalize_fingerprint(pin) if sep else None)


def write_public(path: Path, data: bytes) -> None:
    """A certificate anyone may read (0644), in a folder only its owner lists (0700)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.write_bytes(data)
    os.chmod(path, 0o644)
