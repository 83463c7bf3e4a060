"""Eligibility as a declarative condition tree: all / any / not over answer-field comparisons.

Nothing is eval'd: a tree is parsed from catalogue data into these node classes, checked against the
field table, and evaluated with three-valued logic — met, not met, or unknown (an answer is missing or
something must be proven with a document). Every leaf yields a reason in Korean and English.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Mapping
from typing import Any

from kiosk.matching.fields import FIELDS, NUMERIC_KINDS, ORDER_OPS, AnswerField
from kiosk.matching.plain import PlainText
from kiosk.matching.ranges import AnswerRange, Interval, compare_intervals, interval, scale
from kiosk.matching.reasons import MET, NOT_MET, UNKNOWN, RawReason, Reason, materialize
from kiosk.matching.wording import SYMBOL, shown, value_en, value_ko

# Where ``with_derived`` puts the ranges the debt amounts must lie in (the parts of a debt cannot exceed
# the whole): a cap like "secured ≤ ₩1B" is settled by a total of ₩48M without asking the parts.
BOUNDS = "_bounds"


def _shown_span(span: Interval) -> AnswerRange:
    """A range of thresholds as whole won, for the wording (rounded outwards)."""
    low, high = span
    return AnswerRange(math.floor(low), None if high == math.inf else math.ceil(high))


class Condition:
    def evaluate(self, answers: Mapping[str, Any], reasons: list[RawReason]) -> str:
        raise NotImplementedError

    def leaves(self) -> list[Condition]:
        return [self]


def _has_any(actual: Any, target: Any) -> bool:
    return not target.isdisjoint(actual)


def _has_none(actual: Any, target: Any) -> bool:
    return target.isdisjoint(actual)


def _is_in(actual: Any, target: Any) -> bool:
    return actual in target


def _not_in(actual: Any, target: Any) -> bool:
    return actual not in target


_COMPARE: dict[str, Any] = {
    "lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge, "eq": operator.eq,
    "ne": operator.ne, "in": _is_in, "not_in": _not_in, "has_any": _has_any, "has_none": _has_none,
}  # fmt: skip


class Compare(Condition):
    """``field op value`` (or ``field op value × ratio_of``), optionally with a disputed alternative value."""

    def __init__(
        self,
        spec: AnswerField,
        op: str,
        value: Any,
        *,
        ratio_of: AnswerField | None = None,
        alt_value: Any = None,
        source_ko: str = "",
        source_en: str = "",
        alt_source_ko: str = "",
        alt_source_en: str = "",
        note_ko: str = "",
        note_en: str = "",
    ) -> None:
        self.spec, self.field, self.op, self.value = spec, spec.name, op, value
        self.ratio_of, self.alt_value = ratio_of, alt_value
        self.source_ko, self.source_en = source_ko, source_en
        self.alt_source_ko, self.alt_source_en = alt_source_ko, alt_source_en
        self.note_ko = f" ({note_ko})" if note_ko else ""
        self.note_en = f" ({note_en})" if note_en else ""
        self.target_value = value if op not in ("in", "not_in", "has_any", "has_none") else frozenset(value)
        self.target_ko = self._target_ko(value)
        self.target_en = self._target_en(value)
        self.compare = _COMPARE[op]
        self.req_ko, self.req_en = self._requirement()
        self.plain: PlainText | None = None
        if ratio_of is None and alt_value is None:
            self.evaluate = self._evaluate_plain  # type: ignore[method-assign]

    # -- wording -------------------------------------------------------------------------------------
    def _target_ko(self, value: Any) -> str:
        if self.ratio_of is not None:
            return f"{self.ratio_of.ko}의 {value * 100:g}%"
        if isinstance(value, list | tuple | frozenset):
            return "·".join(
                value_ko(self.spec, v) if self.spec.kind == "enum" else value_ko(self.spec, [v])
                for v in value
            )
        return value_ko(self.spec, value)

    def _target_en(self, value: Any) -> str:
        if self.ratio_of is not None:
            return f"{value * 100:g}% of {self.ratio_of.en.lower()}"
        if isinstance(value, list | tuple | frozenset):
            return ", ".join(
                value_en(self.spec, v) if self.spec.kind == "enum" else value_en(self.spec, [v])
                for v in value
            )
        return value_en(self.spec, value)

    def _requirement(self) -> tuple[str, str]:
        """The rule itself, e.g. ("≤ 3,500만원", "≤ ₩35M")."""
        op = self.op
        if op in SYMBOL and self.spec.kind in NUMERIC_KINDS:
            return f"{SYMBOL[op]} {self.target_ko}", f"{SYMBOL[op]} {self.target_en}"
        if op in ("eq", "in"):
            return f"{self.target_ko}", f"{self.target_en}"
        if op in ("ne", "not_in"):
            return f"{self.target_ko} 아님", f"not {self.target_en}"
        if op == "has_any":
            return f"{self.target_ko} 중 하나 이상", f"any of {self.target_en}"
        return f"{self.target_ko} 없음", f"none of {self.target_en}"

    def render(self, status: str, actual: Any, threshold: float | None) -> tuple[str, str]:
        spec = self.spec
        req_ko, req_en = self.req_ko, self.req_en
        if threshold is not None:  # ratio: show what the percentage comes to
            req_ko += f" ({value_ko(spec, threshold)})"
            req_en += f" ({value_en(spec, threshold)})"
        if status == UNKNOWN and actual is None:
            ko = f"{spec.ko} 정보가 없어요 — 기준: {req_ko}, 확인이 필요해요"
            en = f"{spec.en} not given — required {req_en}: to be confirmed"
        elif status == UNKNOWN and self.ratio_of is not None and threshold is None:  # the base is missing
            shown_ko, shown_en = shown(spec, actual)
            base = self.ratio_of
            ko = f"{spec.ko} {shown_ko}: 기준({req_ko}) — {base.ko} 계산에 필요한 정보가 없어 확인이 필요해요"
            en = f"{spec.en} {shown_en}: required {req_en} — {base.en.lower()} unknown, to be confirmed"
        elif status == UNKNOWN:  # a range answer that straddles the rule's line
            shown_ko, shown_en = shown(spec, actual)
            ko = f"{spec.ko} {shown_ko}: 기준({req_ko}) — 범위로 답해 주셔서 정확한 금액·기간 확인이 필요해요"
            en = f"{spec.en} {shown_en}: required {req_en} — answered as a range, to be confirmed"
        else:
            shown_ko, shown_en = shown(spec, actual)
            if status == MET and self.op in SYMBOL and spec.kind in NUMERIC_KINDS:
                ko = f"{spec.ko} {shown_ko} {req_ko} 충족"
                en = f"{spec.en} {shown_en} {req_en}: met"
            elif status == MET:
                ko = f"{spec.ko} {shown_ko}: 기준({req_ko}) 충족"
                en = f"{spec.en} {shown_en}: required {req_en}: met"
            else:
                ko = f"{spec.ko} {shown_ko}: 기준({req_ko}) 미충족"
                en = f"{spec.en} {shown_en}: required {req_en}: not met"
        return ko + self.note_ko, en + self.note_en

    # -- evaluation ----------------------------------------------------------------------------------
    def evaluate(self, answers: Mapping[str, Any], reasons: list[RawReason]) -> str:
        actual = answers.get(self.field)
        threshold: Any = None
        span: Interval | None = None
        if self.ratio_of is not None:
            base = answers.get(self.ratio_of.name)
            if base is None:
                reasons.append((self, UNKNOWN, actual, None))
                return UNKNOWN
            if isinstance(base, AnswerRange):  # a range of bases: a range of thresholds
                span = scale(interval(base), self.value)
                threshold = _shown_span(span)
            else:
                threshold = base * self.value
            if actual is None:
                return self._by_bounds(answers, reasons, span or (threshold, threshold))
            if span is not None or isinstance(actual, AnswerRange):
                return self._over_range(reasons, actual, span or (threshold, threshold), threshold)
            met = self.compare(actual, threshold)
        elif actual is None:
            target = self.target_value
            return self._by_bounds(answers, reasons, (target, target))
        elif isinstance(actual, AnswerRange):
            return self._over_range(reasons, actual, (self.target_value, self.target_value), None)
        else:
            met = self.compare(actual, self.target_value)
            if self.alt_value is not None and self.compare(actual, self.alt_value) != met:
                ko, en = self._disputed(actual)
                reasons.append(Reason(UNKNOWN, ko, en, field=self.field))
                return UNKNOWN
        status = MET if met else NOT_MET
        reasons.append((self, status, actual, threshold))
        return status

    def _evaluate_plain(self, answers: Mapping[str, Any], reasons: list[RawReason]) -> str:
        """The common case (no ratio, no disputed alternative), kept short because it runs most."""
        actual = answers.get(self.field)
        if actual is None:
            target = self.target_value
            return self._by_bounds(answers, reasons, (target, target))
        if isinstance(actual, AnswerRange):
            return self._over_range(reasons, actual, (self.target_value, self.target_value), None)
        status = MET if self.compare(actual, self.target_value) else NOT_MET
        reasons.append((self, status, actual, None))
        return status

    def _over_range(self, reasons: list[RawReason], actual: Any, span: Interval, threshold: Any) -> str:
        """A range answer (or a range of thresholds): met when every value meets the rule, not met when
        none does, else unknown — a range never stands in for a made-up point value."""
        result = compare_intervals(self.op, self.compare, interval(actual), span)
        if self.alt_value is not None and result is not None:
            alt = compare_intervals(self.op, self.compare, interval(actual), (self.alt_value, self.alt_value))
            if alt != result:
                ko, en = self._disputed(actual)
                reasons.append(Reason(UNKNOWN, ko, en, field=self.field))
                return UNKNOWN
        status = UNKNOWN if result is None else MET if result else NOT_MET
        reasons.append((self, status, actual, threshold))
        return status

    def _by_bounds(self, answers: Mapping[str, Any], reasons: list[RawReason], span: Interval) -> str:
        """An unanswered amount still settles the rule when every value it could take gives one result."""
        bounds = answers.get(BOUNDS)
        part = bounds.get(self.field) if bounds else None
        if part is None or self.op not in ORDER_OPS:
            reasons.append((self, UNKNOWN, None, None))
            return UNKNOWN
        result = compare_intervals(self.op, self.compare, part, span)
        if self.alt_value is not None and result is not None:
            alt = compare_intervals(self.op, self.compare, part, (self.alt_value, self.alt_value))
            result = result if alt == result else None
        if result is None:
            reasons.append((self, UNKNOWN, None, None))
            return UNKNOWN
        status = MET if result else NOT_MET
        reasons.append(
            Reason(status, *self._bounded(status, part[1]), field=self.field, leaf=self, actual=None)
        )
        return status

    def _bounded(self, status: str, high: float) -> tuple[str, str]:
        word = ("충족", "met") if status == MET else ("미충족", "not met")
        if high == math.inf:  # not reachable for the caps (≤), kept honest for any other rule
            return (
                f"{self.spec.ko}: 기준({self.req_ko}) {word[0]}",
                f"{self.spec.en}: required {self.req_en}: {word[1]}",
            )
        return (
            f"{self.spec.ko}: 빚이 모두 {value_ko(self.spec, high)} 이하라 기준({self.req_ko}) {word[0]}",
            f"{self.spec.en}: at most {value_en(self.spec, high)} (the whole debt), "
            f"required {self.req_en}: {word[1]}",
        )

    def _disputed(self, actual: Any) -> tuple[str, str]:
        """Sources disagree on the threshold and the answer falls between them: a person must decide."""
        spec, sym = self.spec, SYMBOL.get(self.op, self.op)
        a_ko, b_ko = value_ko(spec, self.value), value_ko(spec, self.alt_value)
        a_en, b_en = value_en(spec, self.value), value_en(spec, self.alt_value)
        ko = (
            f"{spec.ko} {value_ko(spec, actual)}: 기준이 자료마다 달라요 — {self.source_ko} {sym} {a_ko}, "
            f"{self.alt_source_ko} {sym} {b_ko}. 상담 때 확인해요"
        )
        en = (
            f"{spec.en} {value_en(spec, actual)}: sources disagree — {self.source_en} {sym} {a_en}, "
            f"{self.alt_source_en} {sym} {b_en}; a counselor confirms"
        )
        return ko, en


class Confirm(Condition):
    """A fact the answers cannot show (e.g. a rejection letter): always 'to be proven'."""

    def __init__(self, key: str, ko: str, en: str) -> None:
        self.key = key
        self.reason = Reason(UNKNOWN, f"확인 필요: {ko}", f"To be confirmed: {en}", confirm=key)

    def evaluate(self, answers: Mapping[str, Any], reasons: list[RawReason]) -> str:
        reasons.append(self.reason)
        return UNKNOWN


class AllOf(Condition):
    def __init__(self, children: list[Condition]) -> None:
        self.children = children

    def evaluate(self, answers: Mapping[str, Any], reasons: list[RawReason]) -> str:
        result = MET
        for child in self.children:
            status = child.evaluate(answers, reasons)
            if status == NOT_MET:
                result = NOT_MET
            elif status == UNKNOWN and result == MET:
                result = UNKNOWN
        return result

    def leaves(self) -> list[Condition]:
        return [leaf for child in self.children for leaf in child.leaves()]


class AnyOf(AllOf):
    def evaluate(self, answers: Mapping[str, Any], reasons: list[RawReason]) -> str:
        result = NOT_MET
        for child in self.children:
            status = child.evaluate(answers, reasons)
            if status == MET:
                result = MET
            elif status == UNKNOWN and result == NOT_MET:
                result = UNKNOWN
        return result


class NoneOf(Condition):
    """``not``: met when the inner condition is not met."""

    def __init__(self, child: Condition) -> None:
        self.child = child

    def evaluate(self, answers: Mapping[str, Any], reasons: list[RawReason]) -> str:
        inner: list[RawReason] = []
        status = self.child.evaluate(answers, inner)
        flipped = {MET: NOT_MET, NOT_MET: MET}.get(status, UNKNOWN)
        reasons.extend(r.negated(flipped) for r in materialize(inner))
        return flipped

    def leaves(self) -> list[Condition]:
        return self.child.leaves()


__all__ = [
    "FIELDS",
    "MET",
    "NOT_MET",
    "ORDER_OPS",
    "UNKNOWN",
    "AllOf",
    "AnyOf",
    "Compare",
    "Condition",
    "Confirm",
    "NoneOf",
    "Reason",
]
