"""`sms` settings: the backend, the sender, where the gateway is; secrets only by file or env var name."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from config import ConfigError
from config.sections.sms import SmsSection
from config.settings import Settings
from kiosk.sms.config import build_gateway, read_credentials, sms_section


def test_off_by_default_and_nothing_to_build() -> None:
    section = SmsSection()
    assert section.backend == "off"
    assert build_gateway(section, environ={}) is None
    assert sms_section(Settings()).backend == "off"  # the shipped settings send nothing


@pytest.mark.parametrize("key", ["password", "api_secret", "api_key", "smpp_password", "token"])
def test_an_inline_secret_is_refused_with_where_it_goes(key: str) -> None:
    with pytest.raises(ValidationError) as caught:
        SmsSection.model_validate({"backend": "http", key: "hunter2"})
    message = str(caught.value)
    assert "never inline" in message and "credentials_file" in message and "_env" in message


@pytest.mark.parametrize(
    "bad",
    [
        {"backend": "kakao"},
        {"backend": "smpp", "smpp_system_id": "kiosk"},  # no sender
        {"backend": "smpp", "sender": "0215880000"},  # no system id
        {"backend": "http", "sender": "0215880000"},  # no base URL
        {"backend": "http", "sender": "0215880000", "http_base_url": "https://u:p@api.example.kr"},
        {"sender": "02-1588-000A"},
        {"password_env": "s3cr3t value"},  # a value where a variable name goes
        {"daytime_start_hour": 21, "daytime_end_hour": 8},
        {"smpp_port": 70000},
    ],
)
def test_bad_settings_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        SmsSection.model_validate(bad)


def test_a_complete_http_section() -> None:
    section = SmsSection.model_validate(
        {"backend": "http", "sender": "02-1588-0000", "http_base_url": "https://api.solapi.com/"}
    )
    assert section.sender == "0215880000" and section.http_base_url == "https://api.solapi.com"


def test_credentials_from_the_environment_by_name() -> None:
    section = SmsSection(backend="http", sender="0215880000", http_base_url="http://127.0.0.1:1")
    env = {"KIOSK_SMS_API_KEY": "k", "KIOSK_SMS_API_SECRET": "s"}
    assert read_credentials(section, env) == {"api_key": "k", "api_secret": "s"}
    with pytest.raises(ConfigError) as caught:
        read_credentials(section, {"KIOSK_SMS_API_KEY": "k"})
    assert caught.value.key == "KIOSK_SMS_API_SECRET" and caught.value.value == "(unset)"


def test_credentials_from_an_owner_only_file(tmp_path: Path) -> None:
    path = tmp_path / "sms.json"
    path.write_text(json.dumps({"password": "secret"}), encoding="utf-8")
    os.chmod(path, 0o600)
    section = SmsSection(
        backend="smpp", sender="0215880000", smpp_system_id="kiosk", credentials_file=str(path)
    )
    assert read_credentials(section, {}) == {"password": "secret"}
    os.chmod(path, 0o644)
    with pytest.raises(ConfigError) as caught:
        read_credentials(section, {})
    assert "600" in caught.value.allowed
    os.chmod(path, 0o600)
    path.write_text(json.dumps({"pass": "x"}), encoding="utf-8")
    with pytest.raises(ConfigError) as missing:
        read_credentials(section, {})
    assert missing.value.key == "password"
