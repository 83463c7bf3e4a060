"""From the `sms` settings to a running gateway: the credentials (file or environment), the backend.

Secrets never sit in the settings: ``sms.credentials_file`` names an owner-only (0600) JSON file
(``{"password": …}`` for SMPP, ``{"api_key": …, "api_secret": …}`` for HTTP), or the variables named by
``sms.password_env`` / ``api_key_env`` / ``api_secret_env`` hold them. A file wins over the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from config import ConfigError
from config.sections.sms import SmsSection
from config.settings import Settings
from db.crypto.private_file import read_private_json
from kiosk.sms.gateway import SmsGateway
from kiosk.sms.templates import Template, default_templates, load_templates

_FIELDS = {"smpp": ("password",), "http": ("api_key", "api_secret")}


def sms_section(settings: Settings) -> SmsSection:
    """The settings' `sms` section."""
    return settings.sms


def read_credentials(section: SmsSection, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The backend's secrets; ConfigError naming the file or the variables when one is missing."""
    environ = os.environ if environ is None else environ
    fields = _FIELDS.get(section.backend, ())
    if section.credentials_file:
        path = Path(section.credentials_file).expanduser()
        if not path.is_file():
            raise ConfigError("sms.credentials_file", "(file)", str(path), "an existing 0600 JSON file")
        doc = read_private_json(path, "a JSON object with " + ", ".join(fields))
        if not isinstance(doc, dict):
            raise ConfigError(str(path), "(document)", type(doc).__name__, "a JSON object")
        found = {f: doc.get(f) for f in fields}
        missing = [f for f, v in found.items() if not isinstance(v, str) or not v]
        if missing:
            raise ConfigError(str(path), missing[0], "(missing)", "a non-empty string")
        return {f: str(v) for f, v in found.items()}
    names = {
        "password": section.password_env,
        "api_key": section.api_key_env,
        "api_secret": section.api_secret_env,
    }
    out: dict[str, str] = {}
    for name in fields:
        value = environ.get(names[name], "")
        if not value:
            raise ConfigError(
                "environment",
                names[name],
                "(unset)",
                f"the {name} of sms.backend = {section.backend!r}, or set sms.credentials_file",
            )
        out[name] = value
    return out


def build_gateway(section: SmsSection, environ: Mapping[str, str] | None = None) -> SmsGateway | None:
    """The configured backend, connected; None when ``sms.backend = "off"``."""
    if section.backend == "off":
        return None
    secrets = read_credentials(section, environ)
    if section.backend == "smpp":
        from kiosk.sms.smpp.backend import SmppGateway

        return SmppGateway(
            section.smpp_host,
            section.smpp_port,
            section.smpp_system_id,
            secrets["password"],
            window=section.smpp_window,
            source_addr=section.sender,
        )
    from kiosk.sms.http.backend import HttpGateway

    return HttpGateway(section.http_base_url, secrets["api_key"], secrets["api_secret"])


def section_templates(section: SmsSection) -> dict[str, Template]:
    return load_templates(Path(section.templates_file)) if section.templates_file else default_templates()
