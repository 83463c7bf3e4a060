"""Settings of the citizen's mobile web (issue 19): where phones reach it, and how hard it may be asked."""

from pydantic import BaseModel, ConfigDict, Field, field_validator


class WebSection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    public_url: str = Field(
        "",
        description="base of QR and SMS links, e.g. https://m.center.example (empty: the hub's url)",
    )
    requests_per_minute: int = Field(
        120, ge=1, le=100_000, description="page requests one address may make per minute (then 429)"
    )
    live_connections: int = Field(
        2000, ge=1, le=100_000, description="open live-update streams the hub keeps at most"
    )

    @field_validator("public_url")
    @classmethod
    def _url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and not value.startswith(("https://", "http://")):
            raise ValueError("an http(s) URL, e.g. https://m.center.example")
        return value
