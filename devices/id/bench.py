"""The identity bench: generated cards at three perturbation levels through the real pipeline.

Not a timed test (``kiosk bench id``): exact-match rate per field and latency per card.
"""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from devices.id.emulators.card_render import Perturbation, render_card
from devices.id.emulators.identities import SyntheticIdentity, identities
from devices.id.image.pipeline import CardImagePipeline, ImageReadOptions
from devices.id.model import DocumentKind, IdError

LEVELS = ("clean", "moderate", "heavy")
FIELDS = ("kind", "name", "rrn", "name+rrn", "birth_date", "issue_date", "license_number")


@dataclass
class LevelResult:
    level: str
    cards: int = 0
    matches: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    latencies: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # our process + Tesseract children, per card
    errors: dict[str, int] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latencies)
        p95 = lat[min(len(lat) - 1, round(0.95 * (len(lat) - 1)))] if lat else 0.0
        return {
            "level": self.level,
            "cards": self.cards,
            "exact_match": {k: round(self.matches[k] / self.totals[k], 4) for k in FIELDS if self.totals[k]},
            "latency_ms": {
                "median": round(1000 * statistics.median(lat), 1) if lat else None,
                "p95": round(1000 * p95, 1) if lat else None,
            },
            # CPU seconds spent per card (this process + the Tesseract processes): what a card costs
            # on an idle machine, independent of other load sharing the cores
            "cpu_ms": {"median": round(1000 * statistics.median(self.cpu), 1) if self.cpu else None},
            "errors": self.errors,
        }


def _score(result: LevelResult, identity: SyntheticIdentity, kind: DocumentKind, doc: Any) -> None:
    expected = {
        "kind": kind.value,
        "name": identity.name,
        "rrn": identity.rrn,
        "birth_date": identity.birth_date,
        "issue_date": identity.issue_date,
    }
    got = {
        "kind": doc.kind.value if doc else None,
        "name": doc.name if doc else None,
        "rrn": doc.rrn if doc else None,
        "birth_date": doc.birth_date if doc else None,
        "issue_date": doc.issue_date if doc else None,
    }
    if kind is DocumentKind.DRIVER_LICENSE:
        expected["license_number"] = identity.license_number
        got["license_number"] = doc.license_number if doc else None
    for key, value in expected.items():
        result.totals[key] += 1
        result.matches[key] += int(got[key] == value)
    result.totals["name+rrn"] += 1
    result.matches["name+rrn"] += int(got["name"] == expected["name"] and got["rrn"] == expected["rrn"])


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_bench(
    count: int = 200,
    levels: tuple[str, ...] = LEVELS,
    seed: int = 2026,
    options: ImageReadOptions | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, Any]:
    """``count`` identities per level, alternating resident cards and driver's licences."""
    pipeline = CardImagePipeline(options)
    people = identities(count, seed)
    results = []
    for level in levels:
        result = LevelResult(level)
        for index, identity in enumerate(people):
            kind = DocumentKind.RESIDENT_CARD if index % 2 == 0 else DocumentKind.DRIVER_LICENSE
            frame = render_card(identity, kind, Perturbation.level(level, seed * 1000 + index))
            started = time.perf_counter()
            cpu_started = _cpu_seconds()
            doc = None
            try:
                doc = pipeline.read(frame)
            except IdError as exc:
                result.errors[exc.code] = result.errors.get(exc.code, 0) + 1
            result.latencies.append(time.perf_counter() - started)
            result.cpu.append(_cpu_seconds() - cpu_started)
            result.cards += 1
            _score(result, identity, kind, doc)
            if progress:
                progress(level, index + 1)
        results.append(result.summary())
    return {"bench": "id", "cards_per_level": count, "seed": seed, "levels": results}
