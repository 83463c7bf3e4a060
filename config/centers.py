"""The registry of 서민금융통합지원센터 (config/centers.toml): code, Korean name, region.

Only centers whose names are public are listed; no addresses are invented. A center's site file may
point `app.center_code` at any code here (`kiosk config check` verifies it).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from config.loader import ConfigError, config_error_from, read_toml, resource_path


class CenterInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[a-z][a-z0-9-]{1,39}$")
    name_ko: str = Field(min_length=2, max_length=100)
    region: str = Field(min_length=1, max_length=40)


def load_centers(path: Path | None = None) -> tuple[CenterInfo, ...]:
    """Every center in the registry (the packaged one by default); ConfigError on a bad entry."""
    path = path or resource_path("centers.toml")
    data = read_toml(path)
    entries = data.get("center")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(str(path), "center", entries, "one or more [[center]] tables")
    extra = sorted(set(data) - {"center"})
    if extra:
        raise ConfigError(str(path), extra[0], data[extra[0]], "only [[center]] tables")
    centers: list[CenterInfo] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        try:
            center = CenterInfo.model_validate(entry)
        except ValidationError as exc:
            raise config_error_from(exc, str(path), f"center[{index}].") from None
        if center.code in seen:
            raise ConfigError(str(path), f"center[{index}].code", center.code, "a code not used above")
        seen.add(center.code)
        centers.append(center)
    return tuple(centers)


@lru_cache(maxsize=1)
def _packaged() -> tuple[CenterInfo, ...]:
    return load_centers()


def center_by_code(code: str, centers: tuple[CenterInfo, ...] | None = None) -> CenterInfo:
    """The center with this code; ConfigError naming the known codes otherwise."""
    centers = centers if centers is not None else _packaged()
    for center in centers:
        if center.code == code:
            return center
    raise ConfigError("config/centers.toml", "app.center_code", code, ", ".join(c.code for c in centers))
