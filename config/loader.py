"""Load settings: packaged defaults, then a site file, then KIOSK_* environment overrides.

Every failure becomes one ConfigError that names the file, the key, the bad value and what is allowed,
so the CLI can print one line and exit 2 instead of a traceback.
"""

from __future__ import annotations

import enum
import os
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from config.clock import use_timezone
from config.settings import Settings

DataModel = TypeVar("DataModel", bound=BaseModel)

ENV_PREFIX = "KIOSK_"
# Variables that are options of the CLI, not settings keys.
_NOT_SETTINGS = {"KIOSK_CONFIG", "KIOSK_DB_URL", "KIOSK_KEYS"}
_ENV_SOURCE = "environment (KIOSK_*)"


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


def config_error_from(exc: ValidationError, source: str, key_prefix: str = "") -> ConfigError:
    """The first problem pydantic found in a data file, as one ConfigError naming file and key."""
    first = exc.errors()[0]
    key = key_prefix + ".".join(str(part) for part in first["loc"])
    return ConfigError(source, key, first.get("input"), str(first["msg"]))


def load_data_file(path: Path, model: type[DataModel]) -> DataModel:
    """Read one TOML data file (printer model, receipt template, consent texts …) and validate it."""
    data = read_toml(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise config_error_from(exc, str(path)) from None


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


def _field_at(key_path: tuple[str, ...]) -> tuple[type[BaseModel] | None, FieldInfo | None]:
    """The model that holds the last key of key_path, and that key's field (None when unknown)."""
    model: type[BaseModel] | None = Settings
    info: FieldInfo | None = None
    for index, part in enumerate(key_path):
        if model is None:
            return None, None
        info = model.model_fields.get(part)
        if info is None:
            return (model, None) if index == len(key_path) - 1 else (None, None)
        if index < len(key_path) - 1:
            annotation = info.annotation
            model = annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
    return model, info


def _type_words(annotation: Any) -> str:
    origin = get_origin(annotation)
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in get_args(annotation))
    if origin in (list, tuple, set, frozenset):
        inner = get_args(annotation)
        return f"a list of {_type_words(inner[0])}" if inner else "a list"
    if origin is not None and type(None) in get_args(annotation):  # X | None
        parts = [_type_words(a) for a in get_args(annotation) if a is not type(None)]
        return " or ".join(parts) + " (or leave it out)"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "a table of keys (" + ", ".join(sorted(annotation.model_fields)) + ")"
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return "one of " + ", ".join(repr(m.value) for m in annotation)
    return _TYPE_WORDS.get(annotation, getattr(annotation, "__name__", str(annotation)))


_TYPE_WORDS: dict[Any, str] = {
    bool: "true or false",
    int: "an integer",
    float: "a number",
    str: "text in quotes",
}


def _describe_field(info: FieldInfo) -> str:
    """A person-readable statement of what a field accepts: type, then bounds and pattern."""
    words = _type_words(info.annotation)
    bounds = []
    limits = {
        attr: getattr(m, attr) for m in info.metadata for attr in ("ge", "gt", "le", "lt") if hasattr(m, attr)
    }
    if "ge" in limits and "le" in limits:
        bounds.append(f"from {limits.pop('ge')} to {limits.pop('le')}")
    for attr, phrase in (("ge", ">= {}"), ("gt", "> {}"), ("le", "<= {}"), ("lt", "< {}")):
        if limits.get(attr) is not None:
            bounds.append(phrase.format(limits[attr]))
    for item in info.metadata:
        if getattr(item, "min_length", None) is not None:
            bounds.append(f"at least {item.min_length} long")
        if getattr(item, "max_length", None) is not None:
            bounds.append(f"at most {item.max_length} long")
        if getattr(item, "pattern", None) is not None:
            bounds.append(f"matching {item.pattern}")
    return words + (" " + ", ".join(bounds) if bounds else "")


def _allowed(error: Mapping[str, Any]) -> str:
    key_path = tuple(str(p) for p in error["loc"])
    model, info = _field_at(key_path)
    if error["type"] == "extra_forbidden":
        known = ", ".join(sorted(model.model_fields)) if model is not None else ""
        section = ".".join(key_path[:-1]) or "(top level)"
        return f"no such key; the keys of [{section}] are: {known}" if known else "no such key"
    if info is not None and error["type"] not in ("value_error", "assertion_error"):
        return _describe_field(info)
    ctx = error.get("ctx") or {}
    if "expected" in ctx:
        return str(ctx["expected"])
    return str(error["msg"]).removeprefix("Value error, ")


def _value_source(key_path: tuple[str, ...], layers: list[tuple[str, dict[str, Any]]]) -> str:
    """The last layer that set this key is the one to blame."""
    for source, layer in reversed(layers):
        node: Any = layer
        for part in key_path:
            if not isinstance(node, Mapping) or part not in node:
                break
            node = node[part]
        else:
            if source == _ENV_SOURCE:
                return f"environment variable {ENV_PREFIX}{'__'.join(p.upper() for p in key_path)}"
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
    layers.append((_ENV_SOURCE, _env_layer(environ)))

    data: dict[str, Any] = {}
    for _, layer in layers:
        data = _merge(data, layer)
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key_path = tuple(str(p) for p in first["loc"])
        raise ConfigError(
            _value_source(key_path, layers), ".".join(key_path), first.get("input"), _allowed(first)
        ) from None
    # Whoever loads the settings runs in that center: its clock follows app.timezone from here on.
    use_timezone(settings.app.timezone)
    return settings
