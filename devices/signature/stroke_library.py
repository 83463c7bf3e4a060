"""The signatures shipped as package data (``devices/signature/strokes/*.json``)."""

from __future__ import annotations

import json
from importlib import resources

from devices.signature.stroke_synth import StrokeFile

DEFAULT_SIGNATURE = "kim-minjun"


def stroke_names() -> list[str]:
    """Names of the shipped signatures, sorted."""
    folder = resources.files("devices.signature").joinpath("strokes")
    return sorted(p.name[: -len(".json")] for p in folder.iterdir() if p.name.endswith(".json"))


def load_strokes(name: str | None = None) -> StrokeFile:
    """One shipped signature; KeyError names the ones that exist."""
    name = name or DEFAULT_SIGNATURE
    if name not in stroke_names():
        raise KeyError(f"no stroke file {name!r}; shipped: {', '.join(stroke_names())}")
    text = resources.files("devices.signature").joinpath("strokes", f"{name}.json").read_text("utf-8")
    return StrokeFile.from_json(json.loads(text))
