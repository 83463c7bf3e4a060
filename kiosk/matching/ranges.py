"""An answer given as a range ("31~89일", "3,500만원까지"): a person rarely knows the exact figure.

``AnswerRange(low, high)`` is inclusive; ``high=None`` has no upper bound. It is stored as a range —
never turned into a made-up point value — and travels as ``{"from": low, "to": high}``. The engine
evaluates a comparison over it with three-valued logic: met when every value in the range meets the
rule, not met when none does, unknown otherwise (see ``interval`` helpers below, used by
``kiosk.matching.conditions``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

# Far above any amount the answer fields allow (₩10 trillion): a range beyond it is a slip.
RANGE_MAX = 10**13


class RangeInvalid(ValueError):
    """A range object of the wrong shape; the message says what is allowed."""


class AnswerRange(dict[str, int | None]):
    """``{"from": low, "to": high}`` itself (a dict, so it is stored and sent as JSON unchanged and equals
    its JSON form), with ``low``/``high`` and a whole-number check on the way in."""

    __slots__ = ()

    def __init__(self, low: int, high: int | None = None) -> None:
        for name, value in (("from", low), ("to", high)):
            if value is None and name == "to":
                continue
            if isinstance(value, bool) or not isinstance(value, int):
                raise RangeInvalid(f"range {name!r} must be a whole number, got {value!r}")
            if not 0 <= value <= RANGE_MAX:
                raise RangeInvalid(f"range {name!r} must be between 0 and {RANGE_MAX}, got {value}")
        if high is not None and high < low:
            raise RangeInvalid(f"range 'from' ({low}) must not exceed 'to' ({high})")
        super().__init__({"from": low, "to": high})

    @property
    def low(self) -> int:
        return self["from"]  # type: ignore[return-value]

    @property
    def high(self) -> int | None:
        return self["to"]

    def holds(self, value: object) -> bool:
        """Whether an exact answer lies in this range."""
        if isinstance(value, bool) or not isinstance(value, int):
            return False
        return self.low <= value and (self.high is None or value <= self.high)

    def __hash__(self) -> int:  # type: ignore[override]
        return hash((AnswerRange, self.low, self.high))

    def __reduce__(self) -> tuple[Any, ...]:
        return (AnswerRange, (self.low, self.high))

    def __repr__(self) -> str:
        return f"AnswerRange(low={self.low}, high={self.high})"

    def to_dict(self) -> dict[str, int | None]:
        return {"from": self.low, "to": self.high}

    def scaled(self, factor: int) -> AnswerRange:
        """The same range in another unit (만원 → won)."""
        return AnswerRange(self.low * factor, None if self.high is None else self.high * factor)

    @classmethod
    def parse(cls, raw: object) -> AnswerRange:
        """``{"from": int, "to": int | null}``, strictly: exactly those keys, whole numbers, from ≤ to."""
        if isinstance(raw, AnswerRange):
            return raw
        if not isinstance(raw, Mapping):
            raise RangeInvalid(f'a range must be an object {{"from": …, "to": …}}, got {type(raw).__name__}')
        keys = set(raw)
        if keys != {"from", "to"}:
            raise RangeInvalid(f"a range has exactly the keys 'from' and 'to', got {sorted(map(str, keys))}")
        return cls(raw["from"], raw["to"])


def as_range(value: Any) -> Any:
    """An answer value with a range in its JSON form read as an AnswerRange (anything else as is)."""
    if isinstance(value, Mapping) and not isinstance(value, AnswerRange) and set(value) == {"from", "to"}:
        try:
            return AnswerRange.parse(value)
        except RangeInvalid:
            return value
    return value


def ranges_read(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Answers as stored or sent (ranges as plain ``{"from", "to"}``) with their ranges read."""
    return {name: as_range(value) for name, value in answers.items()}


def is_range_shape(raw: object) -> bool:
    """Whether a JSON value is meant as a range (an object with a 'from' key), valid or not."""
    return isinstance(raw, AnswerRange) or (isinstance(raw, Mapping) and "from" in raw)


def dump(value: Any) -> Any:
    """An answer value in its JSON form (a range becomes ``{"from", "to"}``, anything else as is)."""
    return value.to_dict() if isinstance(value, AnswerRange) else value


def dump_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    return {name: dump(value) for name, value in answers.items()}


# -- interval arithmetic ------------------------------------------------------------------------------
# An interval is (low, high) with high = math.inf for no upper bound; an exact number x is (x, x).
Interval = tuple[Any, Any]  # numbers (math.inf allowed at the top)


def interval(value: Any) -> Interval:
    if isinstance(value, AnswerRange):
        return (value.low, math.inf if value.high is None else value.high)
    return (value, value)


def scale(span: Interval, factor: float) -> Interval:
    """``span × factor`` for a factor ≥ 0 (a percentage of an amount)."""
    low, high = span
    return (low * factor, high * factor if high != math.inf else math.inf)


def low_of(value: Any) -> int:
    return value.low if isinstance(value, AnswerRange) else value


def high_of(value: Any) -> float:
    """The largest value an answer can be (math.inf for an open range)."""
    if isinstance(value, AnswerRange):
        return math.inf if value.high is None else value.high
    return value


def add(a: Any, b: Any) -> Any:
    """The sum of two amounts, exact or ranges (a range when either is one)."""
    if not isinstance(a, AnswerRange) and not isinstance(b, AnswerRange):
        return a + b
    high = high_of(a) + high_of(b)
    return AnswerRange(low_of(a) + low_of(b), None if high == math.inf else int(high))


def compare_intervals(op: str, compare: Callable[[Any, Any], bool], a: Interval, b: Interval) -> bool | None:
    """``a op b`` for every pair of values (True), for none (False), or it depends (None).

    Order operators are monotone, so the extreme pairs decide; eq/ne hold for every pair only when both
    sides are the same single value."""
    (a_lo, a_hi), (b_lo, b_hi) = a, b
    if op in ("le", "lt"):
        every, some = compare(a_hi, b_lo), compare(a_lo, b_hi)
    elif op in ("ge", "gt"):
        every, some = compare(a_lo, b_hi), compare(a_hi, b_lo)
    elif op in ("eq", "ne"):
        single = a_lo == a_hi == b_lo == b_hi
        overlap = a_lo <= b_hi and b_lo <= a_hi
        equal_all, equal_some = single, overlap
        if op == "eq":
            every, some = equal_all, equal_some
        else:
            every, some = not equal_some, not equal_all
    else:
        raise ValueError(f"no interval rule for {op!r}")
    if every:
        return True
    if not some:
        return False
    return None


__all__ = [
    "RANGE_MAX",
    "AnswerRange",
    "RangeInvalid",
    "add",
    "as_range",
    "compare_intervals",
    "dump",
    "dump_answers",
    "high_of",
    "interval",
    "is_range_shape",
    "low_of",
    "ranges_read",
    "scale",
]
