"""Card layouts as data (config/card_layouts/*.toml): where each field sits on the corrected card.

Card designs change by year; a new design is a new TOML file, not code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from config import ConfigError, resource_path
from devices.id.model import DocumentKind

# The corrected card image: ID-1 (85.6 x 54 mm) at ~300 dpi.
CARD_W, CARD_H = 1012, 638
ID1_ASPECT = 85.6 / 54.0

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Region:
    name: str
    box: Box
    font_px: int = 32
    bold: bool = False
    ocr: bool = True
    lang: str = "kor+eng"
    psm: int = 7
    whitelist: str = ""
    kind: str = "text"

    def pixels(self, width: int = CARD_W, height: int = CARD_H) -> tuple[int, int, int, int]:
        x0, y0, x1, y1 = self.box
        return round(x0 * width), round(y0 * height), round(x1 * width), round(y1 * height)


@dataclass(frozen=True)
class CardLayout:
    kind: DocumentKind
    title: str
    photo: Box
    regions: dict[str, Region] = field(default_factory=dict)
    stack_lang: str = "kor"

    def ocr_regions(self) -> list[Region]:
        return [r for r in self.regions.values() if r.ocr]


def _box(source: str, key: str, value: object) -> Box:
    if (
        not isinstance(value, list)
        or len(value) != 4
        or not all(isinstance(v, int | float) and 0 <= v <= 1 for v in value)
        or not (value[0] < value[2] and value[1] < value[3])
    ):
        raise ConfigError(
            source, key, value, "[left, top, right, bottom] fractions 0..1, left<right, top<bottom"
        )
    return (float(value[0]), float(value[1]), float(value[2]), float(value[3]))


def parse_layout(data: dict[str, object], source: str) -> CardLayout:
    try:
        kind = DocumentKind(str(data.get("kind")))
    except ValueError:
        raise ConfigError(source, "kind", data.get("kind"), "resident_card or driver_license") from None
    fields = data.get("fields")
    if not isinstance(fields, dict) or not fields:
        raise ConfigError(source, "fields", fields, "a table of field regions")
    regions: dict[str, Region] = {}
    allowed = set(Region.__dataclass_fields__) - {"name", "box"}
    for name, spec in fields.items():
        if not isinstance(spec, dict):
            raise ConfigError(source, f"fields.{name}", spec, "a table")
        unknown = set(spec) - allowed - {"box"}
        if unknown:
            raise ConfigError(source, f"fields.{name}.{sorted(unknown)[0]}", "?", ", ".join(sorted(allowed)))
        extra = {k: v for k, v in spec.items() if k != "box"}
        regions[name] = Region(name=name, box=_box(source, f"fields.{name}.box", spec.get("box")), **extra)
    return CardLayout(
        kind,
        str(data.get("title", "")),
        _box(source, "photo", data.get("photo")),
        regions,
        str(data.get("stack_lang", "kor")),
    )


def load_layout(path: Path) -> CardLayout:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(str(path), "(file)", str(exc), "a readable TOML card layout") from None
    return parse_layout(data, str(path))


@lru_cache(maxsize=8)
def load_layouts(directory: str = "") -> dict[DocumentKind, CardLayout]:
    folder = Path(directory) if directory else resource_path("card_layouts")
    layouts = {}
    for path in sorted(folder.glob("*.toml")):
        layout = load_layout(path)
        layouts[layout.kind] = layout
    return layouts


def layout_for(kind: DocumentKind, directory: str = "") -> CardLayout:
    return load_layouts(directory)[kind]
