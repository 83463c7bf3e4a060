"""Settings of the SMS gateway (issue 18): which backend, the registered sender number, where the gateway
is, and where its credentials are — a file path or the names of environment variables, never the secret.

A password, API key or secret written into the settings file would be committed and copied with it, so
any such key is refused with a message saying where the secret goes instead.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]{0,63}")
_SECRET_KEYS = re.compile(r"pass(word)?|secret|api_?key|token|credential$", re.IGNORECASE)
_ALLOWED_SECRET_REFERENCES = {
    "credentials_file",
    "password_env",
    "api_key_env",
    "api_secret_env",
}
WHERE_SECRETS_GO = (
    "never inline: put secrets in credentials_file (a 0600 JSON file) or name environment variables "
    "in password_env / api_key_env / api_secret_env"
)


class SmsSection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    backend: Literal["smpp", "http", "off"] = Field("off", description="which gateway sends; off = none")
    sender: str = Field("", description="the pre-registered sender number (발신번호), digits only")
    # SMPP 3.4 to a carrier's SMSC
    smpp_host: str = Field("127.0.0.1", description="SMSC host")
    smpp_port: int = Field(2775, ge=1, le=65535, description="SMSC port")
    smpp_system_id: str = Field("", max_length=16, description="bind system_id (not a secret)")
    smpp_window: int = Field(10, ge=1, le=100, description="submits in flight before waiting")
    # a Korean HTTP provider (Solapi v4 shape)
    http_base_url: str = Field("", description="provider API base URL, e.g. https://api.solapi.com")
    # credentials: a file, or environment variable names
    credentials_file: str = Field(
        "", description="0600 JSON file: {password} for SMPP, {api_key, api_secret} for HTTP"
    )
    password_env: str = Field("KIOSK_SMS_PASSWORD", description="env var holding the SMPP password")
    api_key_env: str = Field("KIOSK_SMS_API_KEY", description="env var holding the HTTP API key")
    api_secret_env: str = Field("KIOSK_SMS_API_SECRET", description="env var holding the HTTP API secret")
    # outbox behaviour
    daytime_start_hour: int = Field(8, ge=0, le=23, description="reminders not before (center clock)")
    daytime_end_hour: int = Field(21, ge=1, le=24, description="reminders not from this hour on")
    max_attempts: int = Field(8, ge=1, le=100, description="tries before a message is given up")
    templates_file: str = Field("", description="message templates; empty = config/sms/templates.toml")

    @model_validator(mode="before")
    @classmethod
    def _no_inline_secret(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in data:
                if _SECRET_KEYS.search(str(key)) and key not in _ALLOWED_SECRET_REFERENCES:
                    raise ValueError(f"sms.{key}: {WHERE_SECRETS_GO}")
        return data

    @field_validator("password_env", "api_key_env", "api_secret_env")
    @classmethod
    def _env_name(cls, value: str) -> str:
        if not _ENV_NAME.fullmatch(value):
            raise ValueError("an environment variable NAME (A-Z, 0-9, _), not its value")
        return value

    @field_validator("sender")
    @classmethod
    def _sender_digits(cls, value: str) -> str:
        digits = value.replace("-", "")
        if value and not (digits.isascii() and digits.isdigit() and 8 <= len(digits) <= 12):
            raise ValueError("a Korean sender number, 8-12 digits (e.g. 0215880000 or 1588-0000)")
        return digits

    @field_validator("http_base_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if value and not re.fullmatch(r"https?://[^\s/@]+(:\d+)?(/[^\s@]*)?", value):
            raise ValueError("an http(s) URL without user:password@ (credentials go elsewhere)")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _complete(self) -> SmsSection:
        if self.daytime_end_hour <= self.daytime_start_hour:
            raise ValueError("sms.daytime_end_hour must be after sms.daytime_start_hour")
        if self.backend == "off":
            return self
        if not self.sender:
            raise ValueError(f"sms.sender is needed when sms.backend = {self.backend!r}")
        if self.backend == "smpp" and not self.smpp_system_id:
            raise ValueError("sms.smpp_system_id is needed when sms.backend = 'smpp'")
        if self.backend == "http" and not self.http_base_url:
            raise ValueError("sms.http_base_url is needed when sms.backend = 'http'")
        return self
