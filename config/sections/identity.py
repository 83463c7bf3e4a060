"""Settings of the identity area: image reader, OCR, masking, PC/SC and the verifier port."""

from pydantic import BaseModel, ConfigDict, Field


class IdentitySection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    keep_gender_digit: bool | None = Field(
        None, description="keep the RRN's 7th digit visible when masking; unset: privacy.keep_gender_digit"
    )
    camera: str = Field("", description="camera index (0) or device path (/dev/video0); empty: none")
    drop_folder: str = Field("", description="folder a document scanner saves images into; empty: none")
    delete_after_read: bool = Field(True, description="delete a scanner's image once read (it is unmasked)")
    layouts_dir: str = Field("", description="card layout TOML files; empty: the packaged ones")
    ocr_lang: str = Field("", description="Tesseract language for the field lines; empty: per layout")
    read_license_serial: bool = Field(True, description="also OCR the licence's serial (for the verifier)")
    max_image_bytes: int = Field(40_000_000, ge=100_000, description="larger image files are refused")
    max_image_pixels: int = Field(40_000_000, ge=100_000, description="larger images are refused")
    min_field_confidence: float = Field(0.0, ge=0.0, le=1.0, description="below this a field is unreadable")
    pcsc_reader: str = Field("", description="PC/SC reader name filter; empty: any reader")
    vpcd_port: int = Field(
        35963, ge=1, le=65535, description="vsmartcard-vpcd port (/etc/reader.conf.d/vpcd)"
    )
    verifier: str = Field("emulated", pattern="^(emulated|none)$", description="authenticity-check backend")
