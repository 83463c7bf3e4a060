"""Load settings: packaged defaults, then a site file, then KIOSK_* environment overrides.

Every failure becomes one ConfigError that names the file, the key, the bad value and what is allowed,
so the CLI can print one line and exit 2 instead of a traceback.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from config.settings import Settings

ENV_PREFIX = "KIOSK_"
# Variables that are options of the CLI, not settings keys.
_NOT_SETTINGS = {"KIOSK_CONFIG", "KIOSK_DB_URL"}


class ConfigError(Exception):
    """A configuration problem a person can fix: where, which key, what value, what is allowed."""

    def __init__(self, source: str, key: str, value: object, allowed: str) -> None:
        self.source, self.key, self.value, self.allowed = source, key, value, allowed
        super().__init__(f"{source}: {key} = {value!r} is not valid; allowed: {allowed}")


def resource_path(*parts: str) -> Path:
    """Path of a data file shipped inside the config package."""
    return Path(str(resources.files("config").joinpath(*parts)))


def read_toml(path: Path) -> dict[str, Any]:
    """Parse one TOML file, turning syntax errors into ConfigError."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(str(path), "(file)", str(path), "an existing TOML file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), "(syntax)", str(exc), "valid TOML") from None


def _merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _env_layer(environ: Mapping[str, str]) -> dict[str, Any]:
    """KIOSK_SECTION__KEY=value -> {"section": {"key": value}}; values are parsed as TOML scalars."""
    layer: dict[str, Any] = {}
    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX) or name in _NOT_SETTINGS or "__" not in name:
            continue
        path = name[len(ENV_PREFIX) :].lower().split("__")
        try:
            value: Any = tomllib.loads(f"v = {raw}")["v"]
        except tomllib.TOMLDecodeError:
            value = raw  # a bare word such as a path stays a string
        node = layer
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value
    return layer


def _allowed(error: Mapping[str, Any]) -> str:
    ctx = error.get("ctx") or {}
    if "expected" in ctx:
        return str(ctx["expected"])
    if "pattern" in ctx:
        return f"text matching {ctx['pattern']}"
    for bound in ("ge", "gt", "le", "lt"):
        if bound in ctx:
            return f"{error['msg'].lower()}"
    if error["type"] == "extra_forbidden":
        return "no such key (remove it or check its spelling)"
    return str(error["msg"])


def _value_source(key_path: tuple[str, ...], layers: list[tuple[str, dict[str, Any]]]) -> str:
    """The last layer that set this key is the one to blame."""
    for source, layer in reversed(layers):
        node: Any = layer
        for part in key_path:
            if not isinstance(node, Mapping) or part not in node:
                break
            node = node[part]
        else:
            return source
    return layers[0][0]


def load_settings(site_file: str | Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Build Settings from defaults, the site file (or KIOSK_CONFIG) and the environment."""
    environ = os.environ if environ is None else environ
    layers: list[tuple[str, dict[str, Any]]] = []
    defaults_dir = resource_path("defaults")
    for path in sorted(defaults_dir.glob("*.toml")):
        layers.append((str(path), read_toml(path)))
    site = site_file or environ.get("KIOSK_CONFIG")
    if site:
        layers.append((str(site), read_toml(Path(site))))
    layers.append(("environment (KIOSK_*)", _env_layer(environ)))

    data: dict[str, Any] = {}
    for _, layer in layers:
        data = _merge(data, layer)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key_path = tuple(str(p) for p in first["loc"])
        raise ConfigError(
            _value_source(key_path, layers), ".".join(key_path), first.get("input"), _allowed(first)
        ) from None
