"""Settings every process needs: which center this is, where its data lives."""

from pydantic import BaseModel, ConfigDict, Field


class AppSection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    center_code: str = Field("seoul-central", description="code of this center in config/centers.toml")
    timezone: str = "Asia/Seoul"
    language: str = Field("ko", pattern="^(ko|en)$")
    data_dir: str = Field("", description="empty: the platform's user data directory")
