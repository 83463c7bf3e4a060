"""Settings of the lobby kiosk: physical screen size, text sizes, idle timing, staff PIN, kiosk mode."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_HUB_URL = re.compile(r"^https?://[A-Za-z0-9.\-]+(:\d{1,5})?(/[^\s?#]*)?$")


class TextSizes(BaseModel):
    """Body text height in millimetres for the three text sizes (KS X 9211 asks at least 4.8 mm)."""

    model_config = ConfigDict(extra="forbid")

    normal: float = Field(6.0, ge=4.8, le=20)
    large: float = Field(8.0, ge=4.8, le=25)
    extra_large: float = Field(10.0, ge=4.8, le=30)

    @model_validator(mode="after")
    def _ordered(self) -> TextSizes:
        if not (self.normal < self.large < self.extra_large):
            raise ValueError("text sizes must grow: normal < large < extra_large")
        return self


class LobbySection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    screen_dpi: float = Field(
        96.0, ge=40, le=600, description="pixels per inch of the kiosk screen (23 inch 1080x1920 ≈ 96)"
    )
    window_width_px: int = Field(1080, ge=320, le=8000, description="portrait kiosk screen width")
    window_height_px: int = Field(1920, ge=320, le=8000)
    min_touch_mm: float = Field(15.0, ge=9, le=40, description="shortest side of any touch target")
    keypad_key_mm: float = Field(18.0, ge=12, le=40)
    text_mm: TextSizes = Field(default_factory=TextSizes)
    idle_seconds: int = Field(90, ge=10, le=3600, description="no touch for this long → warning")
    warning_seconds: int = Field(20, ge=5, le=120, description="countdown shown before the wipe")
    goodbye_seconds: int = Field(12, ge=3, le=120, description="goodbye screen stays this long")
    staff_pin: str = Field(
        "",
        description="staff mode PIN in plain digits (test/demo only); prefer staff_pin_hash",
        pattern=r"^(\d{4,12})?$",
    )
    staff_pin_hash: str = Field("", description="argon2 hash of the staff PIN (argon2-cffi)")
    fullscreen: bool = Field(True, description="frameless full screen, no window-manager escape")
    voice_enabled: bool = Field(False, description="voice guidance on at the start of each visit")
    voice_rate_wpm: int = Field(150, ge=80, le=300, description="espeak-ng words per minute")
    voice_command: str = Field("espeak-ng", description="offline TTS program (espeak-ng)")
    default_language: Literal["ko", "en"] = "ko"
    kiosk_id: str = Field("lobby-1", min_length=1, max_length=40)
    hub_url: str = Field(
        "", description="center hub base URL (http(s)://host[:port]); empty = standalone, visits stay local"
    )
    device_token_file: str = Field(
        "", description="file holding this kiosk's enrolled device token (never the token itself here)"
    )

    @field_validator("hub_url")
    @classmethod
    def _hub_url(cls, value: str) -> str:
        value = value.strip()
        if value and not _HUB_URL.match(value):
            raise ValueError("hub_url must be empty or http(s)://host[:port][/path]")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _hub_needs_token(self) -> LobbySection:
        if self.hub_url and not self.device_token_file.strip():
            raise ValueError("hub_url is set: device_token_file must name the device token file")
        return self
