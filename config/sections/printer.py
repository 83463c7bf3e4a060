"""Settings of the receipt printer: which model on which port, health polling and the spool's patience."""

from pydantic import BaseModel, ConfigDict, Field


class PrinterSection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    model: str = Field("bixolon-srp-350iii", description="a printer model in config/printers/<name>.toml")
    port: str = Field("", description="serial device, e.g. /dev/ttyUSB0; empty = no printer configured")
    baud: int | None = Field(None, ge=1200, le=921600, description="overrides the model's baud rate")
    poll_interval_s: float = Field(2.0, gt=0, le=60, description="health poll (DLE EOT) interval")
    status_timeout_s: float = Field(0.5, gt=0, le=10, description="no status byte within this → unknown")
    give_up_after_s: float = Field(
        45.0, gt=0, le=3600, description="a job not printed within this is reported (offer QR/SMS)"
    )
    substitute_char: str = Field(
        "〓", min_length=1, max_length=3, description="printed for text the printer cannot print"
    )
    # The center's document-signing identity for PAdES. Empty = a throwaway demo certificate (demo/tests).
    signing_cert_file: str = Field("", description="PEM certificate that signs archived PDFs")
    signing_key_file: str = Field("", description="its PEM private key (passphrase: env signing_key_env)")
    signing_chain_files: list[str] = Field(default_factory=list, description="issuer CA certificates (PEM)")
    signing_key_env: str = Field(
        "KIOSK_DOCUMENT_KEY_PASSPHRASE", description="env var holding the passphrase"
    )
