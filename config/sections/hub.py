"""Settings of the center hub and of the clients (lobby, desk, counter) that talk to it."""

from pydantic import BaseModel, ConfigDict, Field


class HubSection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: str = Field("127.0.0.1", description="address `kiosk hub` listens on")
    port: int = Field(8420, ge=1, le=65535)
    url: str = Field("http://127.0.0.1:8420", description="where clients find the hub")
    max_body_bytes: int = Field(1_048_576, ge=1024, le=64 * 1_048_576, description="larger bodies get 413")
    session_minutes: int = Field(480, ge=5, le=1440, description="counselor session lifetime")
    login_max_failures: int = Field(5, ge=1, le=50, description="failed logins before a lockout")
    login_lockout_minutes: int = Field(5, ge=1, le=1440)
    pairing_code_minutes: int = Field(10, ge=1, le=1440, description="one-time pairing codes expire")
    offline_reserve_per_line: int = Field(
        5, ge=0, le=100, description="ticket numbers a lobby reserves per line for offline use"
    )
    reconnect_max_seconds: float = Field(10.0, gt=0, le=300, description="client back-off ceiling")
    request_timeout_seconds: float = Field(5.0, gt=0, le=120)
    archive_dir: str = Field("", description="signed PDFs; empty: <data_dir>/archive")
