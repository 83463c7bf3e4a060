"""TLS on the center LAN: the center's own CA and the hub's server certificate.

Devices pin the CA by its fingerprint at enrollment (kiosk.api.trust says the format; kiosk.client
fetches and keeps it), so the hub's certificate file carries the chain up to the CA.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
from collections.abc import Iterable
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from config import clock
from kiosk.api.trust import TlsFiles, TlsSetupError, fingerprint, write_public

CA_YEARS = 10
SERVER_DAYS = 825  # the longest server lifetime common TLS clients still accept


def is_loopback(host: str) -> bool:
    """Whether listening on `host` keeps the hub on this machine (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything, so it counts as the LAN


def _private_key(kind: str) -> ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey:
    if kind == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    if kind == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=3072)
    raise TlsSetupError(f"키 종류는 ec 또는 rsa 예요 (key type must be ec or rsa): {kind!r}")


def _san(names: Iterable[str]) -> list[x509.GeneralName]:
    seen: list[x509.GeneralName] = []
    for name in names:
        name = name.strip().strip("[]")
        if not name or name in ("0.0.0.0", "::"):  # noqa: S104 - names to skip, not an address to bind
            continue  # "every interface" is not a name a client connects to
        try:
            entry: x509.GeneralName = x509.IPAddress(ipaddress.ip_address(name))
        except ValueError:
            if not re.fullmatch(r"[A-Za-z0-9.-]{1,253}", name):
                raise TlsSetupError(
                    f"인증서 이름으로 쓸 수 없어요 (not a host name or address): {name!r}"
                ) from None
            entry = x509.DNSName(name.lower())
        if entry not in seen:
            seen.append(entry)
    return seen


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.chmod(path, 0o600)  # also when the file was already there with looser bits


def init_center_tls(
    files: TlsFiles,
    center_code: str,
    hosts: Iterable[str],
    *,
    key_type: str = "ec",
    overwrite: bool = False,
) -> str:
    """Make the center CA and the hub's certificate for `hosts` (plus 127.0.0.1 and localhost).

    Returns the CA's SHA-256 fingerprint. Refuses to replace existing files unless `overwrite`:
    a new CA means every enrolled device must be enrolled again.
    """
    if not overwrite and any(p.exists() for p in (files.cert, files.key, files.ca)):
        raise TlsSetupError(
            f"TLS 파일이 이미 있어요 (TLS files exist): {files.cert.parent} — "
            "새 CA는 모든 기기를 다시 등록해야 해요; --force 로 바꿀 수 있어요 (use --force to replace)"
        )
    names = _san([*hosts, "127.0.0.1", "localhost"])
    now = clock.now()
    ca_key = _private_key(key_type)
    ca_name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "paperless-kiosk"),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{center_code} center CA"),
        ]
    )
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    server_key = _private_key(key_type)
    server_cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{center_code} hub")]))
        .issuer_name(ca_name)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=SERVER_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    ca_pem = ca_cert.public_bytes(pem)
    key_format = serialization.PrivateFormat.PKCS8
    plain = serialization.NoEncryption()
    # The CA key signs only this one server certificate; it stays beside it, readable by the hub only.
    _write_private(
        files.ca.with_name(files.ca.stem + "-key.pem"), ca_key.private_bytes(pem, key_format, plain)
    )
    _write_private(files.key, server_key.private_bytes(pem, key_format, plain))
    write_public(files.cert, server_cert.public_bytes(pem) + ca_pem)
    write_public(files.ca, ca_pem)
    return fingerprint(ca_pem)


def check_server_files(files: TlsFiles) -> str:
    """The CA fingerprint of a usable set of files; TlsSetupError naming what is wrong."""
    for path in (files.cert, files.key, files.ca):
        if not path.is_file():
            raise TlsSetupError(f"TLS 파일이 없어요 (TLS file missing): {path} — `kiosk hub tls init`")
    ca_pem = files.ca.read_bytes()
    try:
        chain = x509.load_pem_x509_certificates(files.cert.read_bytes())
        ca = x509.load_pem_x509_certificate(ca_pem)
    except ValueError as exc:
        raise TlsSetupError(f"인증서를 읽을 수 없어요 (unreadable certificate): {exc}") from None
    if ca not in chain[1:]:
        raise TlsSetupError(
            f"{files.cert} 에 CA 인증서가 이어져 있지 않아요 (the certificate file must end with the CA "
            "so devices can fetch and pin it)"
        )
    return fingerprint(ca_pem)
