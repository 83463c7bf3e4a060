"""Settings of the center hub and of the clients (lobby, desk, counter) that talk to it."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator


class HubSection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: str = Field("127.0.0.1", description="address `kiosk hub` listens on")
    port: int = Field(8420, ge=1, le=65535)
    url: str = Field("http://127.0.0.1:8420", description="where clients find the hub")
    max_body_bytes: int = Field(1_048_576, ge=1024, le=64 * 1_048_576, description="larger bodies get 413")
    session_minutes: int = Field(480, ge=5, le=1440, description="counselor session lifetime")
    login_max_failures: int = Field(
        5, ge=1, le=50, description="failed logins in a row before an account's login delay starts"
    )
    login_lockout_minutes: int = Field(
        5, ge=1, le=1440, description="cap of the account's doubling login delay (never a hard lock)"
    )
    pairing_code_minutes: int = Field(10, ge=1, le=1440, description="one-time pairing codes expire")
    offline_reserve_per_line: int = Field(
        5, ge=0, le=100, description="ticket numbers a lobby reserves per line for offline use"
    )
    reconnect_max_seconds: float = Field(10.0, gt=0, le=300, description="client back-off ceiling")
    request_timeout_seconds: float = Field(5.0, gt=0, le=120)
    archive_dir: str = Field("", description="signed PDFs; empty: <data_dir>/archive")
    # TLS on the LAN (`kiosk hub tls init` writes them). On a device, tls_ca_file is the center CA it
    # pinned at enrollment; on the hub, the CA that signed tls_cert_file.
    tls_cert_file: str = Field(
        "", description="hub certificate + CA chain (PEM); empty: <data_dir>/tls/hub.pem"
    )
    tls_key_file: str = Field(
        "", description="hub private key (PEM, 0600); empty: <data_dir>/tls/hub-key.pem"
    )
    tls_ca_file: str = Field("", description="center CA certificate (PEM); empty: <data_dir>/tls/ca.pem")
    # The fleet alert (kiosk.hub.fleet): a printer outage counts only while the center is open.
    open_hours: str = Field(
        "09:00-18:00",
        pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$",
        description="opening hours on the center's clock (HH:MM-HH:MM)",
    )
    open_weekdays: list[Annotated[int, Field(ge=0, le=6)]] = Field(
        [0, 1, 2, 3, 4], description="days the center opens: 0 Monday … 6 Sunday"
    )
    printer_alert_minutes: int = Field(
        10, ge=1, le=240, description="minutes of opening hours a printer may be out before the desk is told"
    )

    @field_validator("open_hours")
    @classmethod
    def _opens_before_closing(cls, value: str) -> str:
        opens, closes = value.split("-")
        if closes <= opens:
            raise ValueError("hub.open_hours must close after it opens (HH:MM-HH:MM)")
        return value
