"""Service lines (금융상담 A, 채무조정 B, 통합 C …) as data from ``config/service_lines.toml``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from config import ConfigError, resource_path
from config.loader import read_toml

_CODE = re.compile(r"^[A-Z]{1,3}$")


@dataclass(frozen=True)
class ServiceLine:
    code: str  # also the ticket prefix
    name_ko: str
    name_en: str
    description_ko: str
    description_en: str
    default_service_minutes: float

    def display(self, number: int) -> str:
        return f"{self.code}-{number:03d}"


def load_service_lines(path: str | Path | None = None) -> dict[str, ServiceLine]:
    """Read and check the lines; a problem is one ConfigError naming the file, key and value."""
    file = Path(path) if path else resource_path("service_lines.toml")
    rows = read_toml(file).get("line")
    if not isinstance(rows, list) or not rows:
        raise ConfigError(str(file), "line", rows, "at least one [[line]] table")
    lines: dict[str, ServiceLine] = {}
    for i, row in enumerate(rows):
        code = row.get("code")
        if not isinstance(code, str) or not _CODE.match(code):
            raise ConfigError(str(file), f"line[{i}].code", code, "1–3 capital letters, e.g. A")
        if code in lines:
            raise ConfigError(str(file), f"line[{i}].code", code, "a code not used by another line")
        for key in ("name_ko", "name_en", "description_ko", "description_en"):
            if not isinstance(row.get(key), str) or not row[key]:
                raise ConfigError(str(file), f"line[{i}].{key}", row.get(key), "non-empty text")
        minutes = row.get("default_service_minutes")
        if isinstance(minutes, bool) or not isinstance(minutes, int | float) or not 0 < minutes <= 240:
            raise ConfigError(
                str(file), f"line[{i}].default_service_minutes", minutes, "minutes between 0 and 240"
            )
        lines[code] = ServiceLine(
            code, row["name_ko"], row["name_en"], row["description_ko"], row["description_en"], float(minutes)
        )
    return lines


@lru_cache(maxsize=4)
def service_lines(path: str = "") -> dict[str, ServiceLine]:
    return load_service_lines(path or None)
