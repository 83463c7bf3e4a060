"""Settings of the center's link to HQ (issue 20): where HQ is, how much each batch carries, how often.

The hub only ever calls out (HTTPS POST to HQ); HQ never connects to a center. Empty ``url``: no sync.
"""

from pydantic import BaseModel, ConfigDict, Field, field_validator


class HqSection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field("", description="HQ's sync service, e.g. https://hq.example.kr (empty: no sync to HQ)")
    batch_events: int = Field(
        1000, ge=1, le=1000, description="events (and audit rows) per batch at most (HQ takes ≤ 1000)"
    )
    interval_seconds: float = Field(
        5.0, gt=0, le=3600, description="seconds between pushes when nothing wakes the pusher sooner"
    )
    timeout_seconds: float = Field(10.0, gt=0, le=300, description="how long one request to HQ may take")
    key_file: str = Field(
        "",
        description="the center's Ed25519 private key (PEM, 0600); empty: <data_dir>/hq/center-ed25519.pem",
    )

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and not value.startswith(("https://", "http://")):
            raise ValueError("an http(s) URL, e.g. https://hq.example.kr")
        return value
