"""Measure the assistant on the labelled set: top-1 accuracy, abstention, latency; calibrate the threshold.

The set is split in two halves by a hash of each question (stable, not chosen by hand): the threshold is
calibrated on the "calibration" half and the figures that matter are reported on the "test" half.
"""

from __future__ import annotations

import hashlib
import itertools
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from config import ConfigError
from config.loader import read_toml
from kiosk.assistant.engine import Assistant
from kiosk.assistant.language import clean_text

DEFAULT_SET = Path(__file__).resolve().parents[2] / "tests" / "kiosk" / "assistant" / "eval" / "labelled.toml"


@dataclass(frozen=True)
class Case:
    question: str
    expected: str | None  # None: must abstain

    @property
    def half(self) -> str:
        digest = hashlib.sha256(self.question.encode()).digest()
        return "calibration" if digest[0] % 2 == 0 else "test"


def load_cases(path: Path = DEFAULT_SET) -> list[Case]:
    data = read_toml(path)
    in_scope = data.get("in_scope", {})
    out = data.get("out_of_scope", {}).get("questions", [])
    if not isinstance(in_scope, dict) or not isinstance(out, list):
        raise ConfigError(
            str(path), "(layout)", "?", "[in_scope] id = [questions] and [out_of_scope] questions"
        )
    cases = [Case(q, entry_id) for entry_id, questions in in_scope.items() for q in questions]
    return cases + [Case(q, None) for q in out]


@dataclass(frozen=True)
class Outcome:
    case: Case
    top_id: str | None
    confidence: float
    seconds: float


def run(assistant: Assistant, cases: list[Case]) -> list[Outcome]:
    """Ask every question once; the top entry and its confidence are kept, whatever the threshold."""
    outcomes = []
    for case in cases:
        started = time.perf_counter()
        assistant.ask(case.question)  # the full path a visitor's question takes is what is timed
        elapsed = time.perf_counter() - started
        text = clean_text(case.question, assistant.settings.max_question_chars)
        hits = assistant.index.search(text, k=1)  # the top entry whatever the threshold (untimed)
        top = hits[0] if hits else None
        outcomes.append(
            Outcome(case, top.answerable.id if top else None, top.confidence if top else 0.0, elapsed)
        )
    return outcomes


def metrics(outcomes: list[Outcome], threshold: float) -> dict[str, float | int]:
    inside = [o for o in outcomes if o.case.expected is not None]
    outside = [o for o in outcomes if o.case.expected is None]
    answered_in = [o for o in inside if o.confidence >= threshold]
    correct = [o for o in answered_in if o.top_id == o.case.expected]
    abstain_out = [o for o in outside if o.confidence < threshold]
    abstained = len(inside) - len(answered_in) + len(abstain_out)
    return {
        "in_scope": len(inside),
        "out_of_scope": len(outside),
        # top-1 over all in-scope questions: an abstention counts as a miss
        "top1_accuracy": round(len(correct) / len(inside), 4) if inside else 0.0,
        # top-1 of the retrieval alone, before the threshold
        "top1_retrieval": round(sum(o.top_id == o.case.expected for o in inside) / len(inside), 4)
        if inside
        else 0.0,
        "answered_precision": round(len(correct) / len(answered_in), 4) if answered_in else 0.0,
        "in_scope_abstain_rate": round(1 - len(answered_in) / len(inside), 4) if inside else 0.0,
        "out_of_scope_abstain_rate": round(len(abstain_out) / len(outside), 4) if outside else 0.0,
        # abstention as a classifier of "should not answer"
        "abstention_precision": round(len(abstain_out) / abstained, 4) if abstained else 0.0,
        "abstention_recall": round(len(abstain_out) / len(outside), 4) if outside else 0.0,
    }


def calibrate(outcomes: list[Outcome], min_out_of_scope_abstain: float = 0.95) -> float:
    """The threshold with the best top-1 accuracy among those that still abstain on
    ``min_out_of_scope_abstain`` of the out-of-scope questions — a margin above the 90 % target, because a
    wrong answer about a financial rule does more harm than a hand-off. The cut is placed halfway between
    the two neighbouring confidences, not right above one, so it does not hinge on a single question."""
    levels = sorted({round(o.confidence, 4) for o in outcomes} | {0.0, 1.0})
    best, best_accuracy = 1.0, -1.0
    for low, high in itertools.pairwise(levels):
        threshold = round((low + high) / 2, 4)
        m = metrics(outcomes, threshold)
        if float(m["out_of_scope_abstain_rate"]) < min_out_of_scope_abstain:
            continue
        if float(m["top1_accuracy"]) > best_accuracy + 1e-9:
            best, best_accuracy = threshold, float(m["top1_accuracy"])
    return best


def latency(outcomes: list[Outcome]) -> dict[str, float]:
    times = sorted(o.seconds * 1000 for o in outcomes)
    if not times:
        return {"median_ms": 0.0, "p95_ms": 0.0}
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 2),
    }
