"""PAdES signatures on our PDFs with pyHanko, and their validation.

The center's certificate signs every archived PDF; a validator with the center's CA as trust root
reports the signature intact, and broken once any signed byte changes.
"""

from __future__ import annotations

import io
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from config import ConfigError
from config.sections.printer import PrinterSection
from printers.documents.demo_cert import DemoCredentials, make_demo_credentials

log = logging.getLogger(__name__)


def _read(path: str, key: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(
            "settings", f"printer.{key}", path, f"a readable PEM file ({exc.strerror})"
        ) from None


def _cert(pem: bytes) -> asn1_x509.Certificate:
    return next(iter(load_certs_from_pemder_data(pem)))


@dataclass(frozen=True)
class DocumentSigner:
    """The center's signing identity (certificate chain and key) in pyHanko's form."""

    signer: signers.SimpleSigner
    trust_roots_pem: tuple[bytes, ...]
    is_demo: bool = False

    @classmethod
    def from_pem(
        cls,
        cert_pem: bytes,
        key_pem: bytes,
        chain_pem: tuple[bytes, ...] = (),
        *,
        passphrase: bytes | None = None,
    ) -> DocumentSigner:
        cert = _cert(cert_pem)
        key = load_private_key_from_pemder_data(key_pem, passphrase=passphrase)
        registry = SimpleCertificateStore.from_certs([_cert(pem) for pem in chain_pem])
        return cls(signers.SimpleSigner(cert, key, registry), chain_pem)

    @classmethod
    def from_demo(cls, credentials: DemoCredentials) -> DocumentSigner:
        signer = cls.from_pem(
            credentials.signer_cert_pem, credentials.signer_key_pem, (credentials.ca_cert_pem,)
        )
        return cls(signer.signer, signer.trust_roots_pem, is_demo=True)

    @classmethod
    def from_settings(cls, section: PrinterSection) -> DocumentSigner:
        """The center's configured certificate, or a throwaway demo one (logged) when none is set."""
        if not section.signing_cert_file:
            log.warning(
                "no signing certificate configured: PDFs are signed with a throwaway demo certificate"
            )
            return cls.from_demo(make_demo_credentials())
        passphrase = os.environ.get(section.signing_key_env)
        try:
            return cls.from_pem(
                _read(section.signing_cert_file, "signing_cert_file"),
                _read(section.signing_key_file, "signing_key_file"),
                tuple(_read(path, "signing_chain_files") for path in section.signing_chain_files),
                passphrase=passphrase.encode() if passphrase else None,
            )
        except (ValueError, TypeError) as exc:  # not PEM/DER, wrong passphrase
            raise ConfigError("settings", "printer.signing_*", section.signing_cert_file, str(exc)) from None


def pades_sign(
    pdf: bytes, signer: DocumentSigner, *, reason: str = "서민금융통합지원센터 전자문서 보관"
) -> bytes:
    """The PDF with an invisible PAdES baseline signature appended as an incremental update."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name="CenterSignature", subfilter=SigSeedSubFilter.PADES, reason=reason, md_algorithm="sha256"
    )
    out = signers.sign_pdf(writer, meta, signer=signer.signer)
    return out.getvalue()


def validate_pades(pdf: bytes, trust_roots_pem: tuple[bytes, ...]) -> bool:
    """True when every signature is intact, cryptographically valid and chains to a trusted root."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        if not reader.embedded_signatures:
            return False
        context = ValidationContext(trust_roots=[_cert(pem) for pem in trust_roots_pem])
        for embedded in reader.embedded_signatures:
            status = validate_pdf_signature(embedded, context)
            if not (status.intact and status.valid and status.trusted):
                log.info("signature %s not valid: %s", embedded.field_name, status.summary())
                return False
        return True
    except Exception as exc:  # a damaged file is simply not a valid signed document
        log.info("signature validation failed: %s", exc)
        return False
