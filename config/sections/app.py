"""Settings every process needs: which center this is, where its data lives."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator


class AppSection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    center_code: str = Field(
        "seoul-central",
        pattern=r"^[a-z][a-z0-9-]{1,39}$",
        description="code of this center in config/centers.toml (`kiosk config check` verifies it)",
    )
    timezone: str = Field("Asia/Seoul", description="IANA time zone in which times are shown")
    language: str = Field("ko", pattern="^(ko|en)$")
    data_dir: str = Field("", description="empty: the platform's user data directory")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("an IANA time zone such as Asia/Seoul") from None
        return value
