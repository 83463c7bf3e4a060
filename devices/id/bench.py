"""The identity bench (``kiosk bench id``): the project's pipeline and the naive baseline on the same
generated cards in the same run, per level, per held-out font and held-out design against tuning.

The cards cross tuning and held-out faces and designs (``samples.card_samples(..., split="mixed")``);
the held-out rows are the figure that predicts real cards, since nothing was tuned on them. The score
a person notices is "name and the full RRN exactly right"; a wrong read (an answer that is not the
card's) is counted apart from a refusal, because a refusal asks for a retry and a wrong read does not.
Not a timed test: latency is per card, in-process, on whatever load the machine has.
"""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from devices.id.emulators.samples import (
    LEVELS,
    MIXED,
    REFUSAL_LEVELS,
    CardSample,
    canonical_level,
    card_samples,
)
from devices.id.emulators.split import HELD_OUT, HELD_OUT_DESIGNS, HELD_OUT_FONTS, TUNING
from devices.id.image import tesseract
from devices.id.image.pipeline import CardImagePipeline, ImageReadOptions, warm_up
from devices.id.model import DocumentKind, IdDocument, IdError
from devices.id.naive import read_naive

READERS = ("project", "naive")
DEFAULT_LEVELS = LEVELS + REFUSAL_LEVELS


@dataclass(frozen=True)
class Outcome:
    """One reader on one card: what it said (or the code it refused with) and what it cost."""

    name: str | None
    rrn: str | None = field(repr=False)
    error: str | None = None
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    fields_right: dict[str, bool] = field(default_factory=dict)


@dataclass
class Tally:
    cards: int = 0
    exact: int = 0  # name and full RRN both right
    names: int = 0
    rrns: int = 0
    wrong: int = 0  # answered, but not this card's name + RRN
    errors: dict[str, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    field_hits: dict[str, int] = field(default_factory=dict)
    field_totals: dict[str, int] = field(default_factory=dict)

    def add(self, outcome: Outcome, sample: CardSample) -> None:
        self.cards += 1
        name_ok = outcome.name == sample.identity.name
        rrn_ok = outcome.rrn == sample.identity.rrn
        self.names += name_ok
        self.rrns += rrn_ok
        self.exact += name_ok and rrn_ok
        if outcome.error is not None:
            self.errors[outcome.error] = self.errors.get(outcome.error, 0) + 1
        elif not (name_ok and rrn_ok):
            self.wrong += 1
        self.latencies.append(outcome.seconds)
        self.cpu.append(outcome.cpu_seconds)
        for key, right in outcome.fields_right.items():
            self.field_totals[key] = self.field_totals.get(key, 0) + 1
            self.field_hits[key] = self.field_hits.get(key, 0) + right

    def summary(self) -> dict[str, Any]:
        lat, cpu = sorted(self.latencies), sorted(self.cpu)
        p95 = _p95(lat)
        out: dict[str, Any] = {
            "cards": self.cards,
            "name+rrn": f"{self.exact}/{self.cards}",
            "exact_rate": round(self.exact / self.cards, 4) if self.cards else None,
            "name_rate": round(self.names / self.cards, 4) if self.cards else None,
            "rrn_rate": round(self.rrns / self.cards, 4) if self.cards else None,
            "wrong_reads": self.wrong,
            "errors": dict(sorted(self.errors.items(), key=lambda item: -item[1])),
            "latency_ms": {
                "median": round(1000 * statistics.median(lat), 1) if lat else None,
                "p95": round(1000 * p95, 1) if lat else None,
            },
            # CPU seconds per card (this process + the Tesseract processes): the cost on an idle
            # machine, independent of other load sharing the cores
            "cpu_ms_median": round(1000 * statistics.median(cpu), 1) if cpu else None,
            "cpu_ms_p95": round(1000 * _p95(cpu), 1) if cpu else None,
        }
        if self.field_totals:
            out["fields"] = {k: round(self.field_hits[k] / n, 4) for k, n in self.field_totals.items()}
        return out


def _p95(ordered: list[float]) -> float:
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] if ordered else 0.0


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _project_fields(sample: CardSample, doc: IdDocument | None) -> dict[str, bool]:
    who = sample.identity
    right = {
        "kind": doc is not None and doc.kind is sample.kind,
        "name": doc is not None and doc.name == who.name,
        "rrn": doc is not None and doc.rrn == who.rrn,
        "birth_date": doc is not None and doc.birth_date == who.birth_date,
        "issue_date": doc is not None and doc.issue_date == who.issue_date,
    }
    if sample.kind is DocumentKind.DRIVER_LICENSE:
        right["license_number"] = doc is not None and doc.license_number == who.license_number
    return right


def run_project(pipeline: CardImagePipeline, frame: np.ndarray, sample: CardSample) -> Outcome:
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    doc: IdDocument | None = None
    error: str | None = None
    try:
        doc = pipeline.read(frame)
    except IdError as exc:
        error = exc.code
    except Exception as exc:  # a crash is a result the bench must show, not a reason to stop
        error = f"crash:{type(exc).__name__}"
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu_started
    name, rrn = (doc.name or None, doc.rrn) if doc is not None else (None, None)
    return Outcome(name, rrn, error, seconds, cpu, _project_fields(sample, doc))


def run_naive(frame: np.ndarray) -> Outcome:
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    read = read_naive(frame)
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu_started
    return Outcome(read.name, read.rrn, read.error, seconds, cpu)


class Board:
    """Tallies per reader for every row of the report."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, ...], dict[str, Tally]] = {}

    def add(self, keys: list[tuple[str, ...]], reader: str, outcome: Outcome, sample: CardSample) -> None:
        for key in keys:
            self.rows.setdefault(key, {r: Tally() for r in READERS})[reader].add(outcome, sample)

    def row(self, key: tuple[str, ...]) -> dict[str, Any]:
        tallies = self.rows.get(key, {r: Tally() for r in READERS})
        return {reader: tallies[reader].summary() for reader in READERS}


def _keys(sample: CardSample) -> list[tuple[str, ...]]:
    level = sample.level
    keys = [
        ("level", level),
        ("level_split", level, HELD_OUT if sample.held_out else TUNING),
        ("level_design", level, sample.design_split),
        ("level_font", level, sample.font_split),
        ("capture", level, sample.capture),
    ]
    if level in LEVELS:  # the readable levels only: a washed-out card says nothing about a face
        keys += [("font", sample.font.name), ("design", sample.design.name)]
    return keys


def run_bench(
    count: int = 16,
    levels: tuple[str, ...] = DEFAULT_LEVELS,
    seed: int = 2026,
    options: ImageReadOptions | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, Any]:
    """``count`` cards per level (alternating resident cards and licences, crossing tuning and
    held-out faces and designs), each read by the pipeline and by the naive baseline."""
    pipeline = CardImagePipeline(options)
    for loading in warm_up():  # model loads are start-up cost, not a person's wait
        loading.result()
    chosen = tuple(dict.fromkeys(canonical_level(level) for level in levels))
    board = Board()
    fonts_seen: dict[str, str] = {}
    designs_seen: dict[str, str] = {}
    for level in chosen:
        for index, sample in enumerate(card_samples(level, count, MIXED, seed)):
            frame = sample.render()
            keys = _keys(sample)
            board.add(keys, "project", run_project(pipeline, frame, sample), sample)
            board.add(keys, "naive", run_naive(frame), sample)
            fonts_seen[sample.font.name] = sample.font_split
            designs_seen[sample.design.name] = sample.design_split
            if progress:
                progress(level, index + 1)
    report: dict[str, Any] = {
        "bench": "id",
        "ocr_backend": tesseract.backend(),  # "in-process" (libtesseract) or "cli" (the fallback)
        "cards_per_level": count,
        "seed": seed,
        "split": {"held_out_fonts": sorted(HELD_OUT_FONTS), "held_out_designs": sorted(HELD_OUT_DESIGNS)},
        "legend": {
            "held_out": "cards with a held-out face or design (what predicts real cards)",
            "tuning": "cards whose face and design are both in the tuning split",
            "held_out_font / tuning_font, held_out_design / tuning_design": "split by one axis only",
            "name+rrn": "name and the full RRN exactly right",
            "wrong_reads": "answered, but not this card's name + RRN (a refusal is not a wrong read)",
            "washout": "glare burnt out the name or RRN: a refusal is right there; count the wrong reads",
        },
        "levels": [
            {
                "level": level,
                **board.row(("level", level)),
                "held_out": board.row(("level_split", level, HELD_OUT)),
                "tuning": board.row(("level_split", level, TUNING)),
                "held_out_design": board.row(("level_design", level, HELD_OUT)),
                "tuning_design": board.row(("level_design", level, TUNING)),
                "held_out_font": board.row(("level_font", level, HELD_OUT)),
                "tuning_font": board.row(("level_font", level, TUNING)),
            }
            for level in chosen
        ],
        "fonts": [
            {"font": name, "split": split, **board.row(("font", name))}
            for name, split in sorted(fonts_seen.items(), key=lambda item: (item[1], item[0]))
            if ("font", name) in board.rows
        ],
        "designs": [
            {"design": name, "split": split, **board.row(("design", name))}
            for name, split in sorted(designs_seen.items())
            if ("design", name) in board.rows
        ],
        "captures": [
            {"level": key[1], "capture": key[2], **board.row(key)}
            for key in sorted(k for k in board.rows if k[0] == "capture")
        ],
    }
    report["naive_wins"] = rows_where_naive_wins(report)
    return report


def rows_where_naive_wins(report: dict[str, Any]) -> list[str]:
    """The readable-level rows (overall, held-out, per held-out font) where the naive way read more."""
    losing = []
    for row in report["levels"]:
        if row["level"] not in LEVELS:
            continue
        for label in ("", "held_out", "held_out_font", "held_out_design"):
            scores = row[label] if label else row
            if scores["naive"]["cards"] and scores["naive"]["exact_rate"] > scores["project"]["exact_rate"]:
                losing.append(f"{row['level']} {label or 'all'}")
    for font in report["fonts"]:
        if font["split"] == HELD_OUT and font["naive"]["exact_rate"] > font["project"]["exact_rate"]:
            losing.append(f"font {font['font']}")
    return losing


def _cell(scores: dict[str, Any]) -> str:
    if not scores["cards"]:
        return "—"
    return f"{scores['name+rrn']:>5} {scores['exact_rate']:>6.1%}"


def _latency(scores: dict[str, Any]) -> str:
    lat = scores["latency_ms"]
    return f"{lat['median']:>6.0f}/{lat['p95']:<6.0f}" if scores["cards"] else "—"


def _cpu(scores: dict[str, Any]) -> str:
    return f"{scores['cpu_ms_median']:>6.0f}/{scores['cpu_ms_p95']:<6.0f}" if scores["cards"] else "—"


def _errors(scores: dict[str, Any], limit: int = 3) -> str:
    parts = [f"{code} {n}" for code, n in list(scores["errors"].items())[:limit]]
    if scores["wrong_reads"]:
        parts.append(f"WRONG {scores['wrong_reads']}")
    return ", ".join(parts) or "-"


def format_table(report: dict[str, Any]) -> str:
    """The report as a table for a person: project vs naive, name + full RRN exactly right."""
    head = (f"{'row':<32} {'project':>12} {'naive':>12}  {'project ms med/p95':<18} {'cpu ms med/p95':<14}"
            f" {'naive ms':<14} project errors | naive errors")  # fmt: skip
    lines = [
        f"kiosk bench id: {report['cards_per_level']} cards per level, seed {report['seed']}; "
        f"held out: {', '.join(report['split']['held_out_fonts'])}; "
        f"designs {', '.join(report['split']['held_out_designs'])}",
        head,
        "-" * len(head),
    ]

    def line(label: str, scores: dict[str, Any]) -> None:
        project, naive = scores["project"], scores["naive"]
        if not project["cards"]:
            return
        lines.append(
            f"{label:<32} {_cell(project):>12} {_cell(naive):>12}  {_latency(project):<18} "
            f"{_cpu(project):<14} {_latency(naive):<14} {_errors(project)} | {_errors(naive)}"
        )

    for row in report["levels"]:
        line(row["level"], row)
        for key in ("held_out", "tuning", "held_out_font", "held_out_design", "tuning_design"):
            line(f"  {key.replace('_', ' ')}", row[key])
    lines.append("per font (readable levels pooled)")
    for font in report["fonts"]:
        line(f"  {font['font']} [{font['split']}]", font)
    lines.append("per design (readable levels pooled)")
    for design in report["designs"]:
        line(f"  {design['design']} [{design['split']}]", design)
    losing = rows_where_naive_wins(report)
    lines.append("naive reads more on: " + (", ".join(losing) if losing else "no row"))
    lines.append("k/n = name and full RRN exactly right; held out = a held-out face or design on the card; "
                 "WRONG = answered, but not the card's; ms = wall time (load-dependent), cpu ms = what the "
                 "read itself cost")  # fmt: skip
    return "\n".join(lines)
