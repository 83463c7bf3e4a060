"""Settings of the signature area: the serial pad's line and geometry, and the acceptance rules.

Pad defaults describe a Topaz-style serial pad (19200 baud 8O1, ~410 counts per inch). The pad reports
raw 12-bit counts; ``area_*`` is the rectangle of those counts that is the signing area, and
``orientation`` says how the pad is mounted relative to the person signing.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator


class SignatureSection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # --- the serial line -------------------------------------------------------------------
    port: str = Field("", description="serial device of the pad, e.g. /dev/ttyUSB0; empty: none fitted")
    baud: int = Field(19200, ge=1200, le=921600)
    parity: Literal["odd", "even", "none"] = "odd"
    pressure: bool = Field(False, description="the pad sends a pressure packet (type 7) before each point")
    sample_rate_hz: int = Field(120, ge=20, le=1000, description="reports per second while the pen is near")

    # --- geometry ----------------------------------------------------------------------------
    resolution_dpi: int = Field(410, ge=50, le=5000, description="pad counts per inch")
    area_x_min: int = Field(0, ge=0, le=4095)
    area_x_max: int = Field(2000, ge=1, le=4095)
    area_y_min: int = Field(0, ge=0, le=4095)
    area_y_max: int = Field(600, ge=1, le=4095)
    orientation: Literal["normal", "rotated_90", "rotated_180", "rotated_270"] = "normal"

    # --- unplugged pad -----------------------------------------------------------------------
    stall_timeout_ms: int = Field(
        600, ge=50, le=60000, description="silence while the pen is near/down that means the pad is gone"
    )

    # --- acceptance (a dot, a short line or a too-quick mark is refused) ---------------------
    min_extent_mm: float = Field(8.0, ge=0, description="the larger side of the bounding box")
    min_path_mm: float = Field(30.0, ge=0, description="total length of the pen-down strokes")
    min_duration_ms: int = Field(500, ge=0, description="time from the first to the last pen-down sample")
    min_points: int = Field(10, ge=1)

    # --- rendering ---------------------------------------------------------------------------
    png_px_per_mm: float = Field(8.0, gt=0, le=40)
    ink_color: str = Field("#14213D", pattern="^#[0-9A-Fa-f]{6}$")
    ink_width_mm: float = Field(0.6, gt=0, le=5)

    # Field validators (not a model validator) so a ConfigError names the very key that is wrong;
    # they see only fields declared above them, hence the order of the fields.
    @field_validator("sample_rate_hz")
    @classmethod
    def _fits_the_line(cls, rate: int, info: ValidationInfo) -> int:
        baud, parity, pressure = (info.data.get(k) for k in ("baud", "parity", "pressure"))
        if baud is None or parity is None or pressure is None:
            return rate  # an earlier field is already invalid; that error is reported
        bits_per_byte = 1 + 8 + (0 if parity == "none" else 1) + 1
        line_limit = baud / bits_per_byte / (10 if pressure else 5)
        if rate > line_limit:
            raise ValueError(
                f"sample_rate_hz {rate} does not fit the line: at {baud} baud at most "
                f"{int(line_limit)} samples per second"
            )
        return rate

    @field_validator("area_x_max", "area_y_max")
    @classmethod
    def _area_not_empty(cls, high: int, info: ValidationInfo) -> int:
        axis = (info.field_name or "area_x_max")[:6]  # "area_x" or "area_y"
        low = info.data.get(f"{axis}_min")
        if low is not None and high <= low:
            raise ValueError(f"{axis}_max must be greater than {axis}_min ({low})")
        return high
