"""Where a number question can be cut into range buttons without losing any verdict.

``range_cuts(catalogue, answers, field)`` gives the values at which a new range must start so that each
range decides every rule on ``field`` that can still change an unsettled program (and the debt route and
the loan limit), given the answers so far: a rule "≤ 30 days" cuts at 31, "≥ 90" at 90, "income ≥ the
household's minimum cost of living" at that line once the household is known. When a line depends on an
answer not given yet (the base of a percentage), it returns None: only the exact keypad keeps the
verdicts then, unless that answer is asked first (``blockers`` names it).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from kiosk.matching.catalogue import Catalogue
from kiosk.matching.conditions import NOT_MET, AllOf, Compare, Condition, NoneOf
from kiosk.matching.ranges import AnswerRange, interval
from kiosk.matching.relevance import _BOUND_SOURCES, _SOURCES, Known, _Walker
from kiosk.matching.triage import triage_needs

# The lines the debt route reads (``triage.triage``): arrears 0 / 1–30 / 31–89 / 90+, any debt at all.
TRIAGE_CUTS: dict[str, tuple[int, ...]] = {
    "delinquency_days": (1, 31, 90),
    "total_debt_krw": (1,),
    "credit_percentile": (11,),
}


class Blocked(Exception):
    """A line on the field depends on an answer still to ask (``field``)."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def _flip(pred: Callable[[int], bool], approx: float) -> int | None:
    """The smallest whole x near ``approx`` where ``pred(x) != pred(x - 1)`` (the engine's own float
    arithmetic decides, so a cut is exactly where an answer starts to read differently)."""
    base = math.floor(approx)
    for x in range(base - 2, base + 4):
        if pred(x) != pred(x - 1):
            return x
    return None


def _holds_against(leaf: Compare, threshold: float, x: int) -> bool:
    return bool(leaf.compare(x, threshold))


def _base_holds(leaf: Compare, actual: float, base: int) -> bool:
    """``actual op base × value`` for a base of ``base`` (the field asked is the percentage's base)."""
    return bool(leaf.compare(actual, base * leaf.value))


def _part_holds(leaf: Compare, threshold: int, others: int, whole: int) -> bool:
    """Whether a part bounded by ``whole - others`` meets its cap."""
    return bool(leaf.compare(whole - others, threshold))


def _threshold_cuts(leaf: Compare, thresholds: list[float]) -> set[int]:
    cuts: set[int] = set()
    for t in thresholds:
        if leaf.op in ("eq", "ne"):
            if float(t).is_integer():
                cuts.update({int(t), int(t) + 1})
            continue
        cut = _flip(partial(_holds_against, leaf, t), t)
        if cut is not None:
            cuts.add(cut)
    return cuts


def _number(known: Known, name: str) -> list[float] | None:
    """The known value of a field as its extreme values; None when not known."""
    value = known.values.get(name)
    if value is None:
        return None
    low, high = interval(value)
    return [low] if low == high else [v for v in (low, high) if v != math.inf]


def _pending(known: Known, name: str) -> str | None:
    """The question to ask so that ``name`` becomes known, if it was never asked."""
    if name not in known.unasked:
        return None
    return _SOURCES.get(name, (name,))[0]


def _leaf_cuts(leaf: Compare, field: str, known: Known) -> set[int]:
    cuts: set[int] = set()
    if leaf.field == field:
        if leaf.ratio_of is None:
            thresholds = [t for t in (leaf.value, leaf.alt_value) if isinstance(t, int | float)]
            return _threshold_cuts(leaf, [t for t in thresholds if not isinstance(t, bool)])
        base = _number(known, leaf.ratio_of.name)
        if base is None:
            blocker = _pending(known, leaf.ratio_of.name)
            if blocker:
                raise Blocked(blocker)
            return cuts  # "잘 모르겠어요": the rule stays to be confirmed whatever the number
        return _threshold_cuts(leaf, [b * leaf.value for b in base])
    if leaf.ratio_of is not None and leaf.ratio_of.name == field:
        other = _number(known, leaf.field)
        if other is None:
            blocker = _pending(known, leaf.field)
            if blocker:
                raise Blocked(blocker)
            return cuts
        for h in other:
            cut = _flip(partial(_base_holds, leaf, h), h / leaf.value if leaf.value else 0)
            if cut is not None:
                cuts.add(cut)
        return cuts
    # the whole debt bounds an unanswered part: "secured ≤ 10억" is settled by a total of at most 10억
    if (
        field == "total_debt_krw"
        and known.values.get(leaf.field) is None
        and field in _BOUND_SOURCES.get(leaf.field, ())
    ):
        if leaf.ratio_of is None and leaf.op in ("le", "lt"):
            others = [n for n in _BOUND_SOURCES[leaf.field] if n != field]
            given = sum(int(interval(known.values.get(n) or 0)[0]) for n in others)
            for t in (leaf.value, leaf.alt_value):
                if isinstance(t, int) and not isinstance(t, bool):
                    cut = _flip(partial(_part_holds, leaf, t, given), t + given)
                    if cut is not None:
                        cuts.add(cut)
    return cuts


def _open_leaves(walker: _Walker, node: Condition, out: list[Compare]) -> None:
    """The comparisons reachable from the top through nodes whose outcome is still open."""
    if len(walker.outcomes(node)) < 2:
        return
    if isinstance(node, Compare):
        out.append(node)
    elif isinstance(node, AllOf):  # AnyOf too
        for child in node.children:
            _open_leaves(walker, child, out)
    elif isinstance(node, NoneOf):
        _open_leaves(walker, node.child, out)


def range_cuts(catalogue: Catalogue, answers: Mapping[str, Any], field: str) -> list[int]:
    """Sorted cut points for ``field`` (raises Blocked when a line depends on an unasked answer)."""
    known = Known.of(catalogue, answers)
    cuts: set[int] = set()
    for program in catalogue.programs:
        walker = _Walker(known)
        leaves: list[Compare] = []
        _open_leaves(walker, program.eligibility, leaves)
        for leaf in leaves:
            cuts |= _leaf_cuts(leaf, field, known)
        if program.limit_field == field and walker.outcomes(program.eligibility) - {NOT_MET}:
            for bracket in program.limit_brackets:
                cuts.add(bracket.minimum)
                if bracket.maximum is not None:
                    cuts.add(bracket.maximum + 1)
    if field in triage_needs(known.values, known.unasked):
        cuts.update(TRIAGE_CUTS.get(field, ()))
    return sorted(cuts)


def blockers(catalogue: Catalogue, answers: Mapping[str, Any], field: str) -> str | None:
    """The unasked field whose answer the ranges of ``field`` wait for, or None."""
    try:
        range_cuts(catalogue, answers, field)
    except Blocked as blocked:
        return blocked.field
    return None


def split(cuts: list[int], low: int, high: int | None) -> list[AnswerRange]:
    """The ranges between the cuts, from ``low`` up (the last one open when ``high`` is None)."""
    inside = [c for c in cuts if c > low and (high is None or c <= high)]
    starts = [low, *inside]
    ends: list[int | None] = [*(c - 1 for c in inside), high]
    return [AnswerRange(a, b) for a, b in zip(starts, ends, strict=True)]


__all__ = ["TRIAGE_CUTS", "Blocked", "blockers", "range_cuts", "split"]
