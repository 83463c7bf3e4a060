"""How values and comparisons read in a reason: money in 만원 (억 above 1억), days, percent bands."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.matching.fields import AnswerField
from kiosk.matching.ranges import AnswerRange

_MAN = 10_000
_EOK = 100_000_000


def won_ko(amount: float) -> str:
    """3,200만원 · 1억 5,000만원 · 10억원 · 50만원 (STYLE: money in 만원 with grouping)."""
    amount = round(amount)
    if amount >= _EOK:
        eok, rest = divmod(amount, _EOK)
        man = rest // _MAN
        return f"{eok:,}억 {man:,}만원" if man else f"{eok:,}억원"
    if amount >= _MAN:
        man, won = divmod(amount, _MAN)
        return f"{man:,}만원" if not won else f"약 {round(amount / _MAN):,}만원"
    return f"{amount:,}원"


def won_en(amount: float) -> str:
    """₩32M · ₩1.5B · ₩500k."""
    amount = round(amount)
    for size, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "k")):
        if amount >= size:
            text = f"{amount / size:,.2f}".rstrip("0").rstrip(".")
            return f"₩{text}{suffix}"
    return f"₩{amount:,}"


def won_en_full(amount: float) -> str:
    """₩24,000,000 — the visitor's screen in English spells the amount out (UI.md units)."""
    return f"₩{round(amount):,}"


def _to_man(amount: int) -> int:
    """A rule's line as a person says it, in whole 만원 (2,831만 5,139원 → 2,831만원). Only the words are
    rounded: the range keeps the exact line, and nobody reports a yearly income closer than 1만원."""
    return amount - amount % _MAN if amount >= _MAN else amount


def won_exact_ko(amount: int) -> str:
    """An amount that is a rule's line, in 만원: 2,831만원 (no "약", no won-level tail to decode)."""
    return won_ko(_to_man(amount))


def won_exact_en(amount: int) -> str:
    """₩35M, ₩28.31M: the line in whole 만원, as the Korean screen says it."""
    return won_en(_to_man(amount))


@dataclass(frozen=True)
class RangeWords:
    """How one language words a range answer; ``range_ko``/``range_en`` are one path over these."""

    money: Callable[[int], str]  # a rule's line in whole 만원: "2,831만원" / "₩28.31M"
    up_to: str  # "{x}까지" / "up to {x}"
    at_least: str  # "{x} 이상" / "{x} or more"
    above: str  # "{x} 넘게" / "over {x}" (a range that starts just over a line)
    between: str  # "{a}~{b}" / "{a}–{b}"
    trim_low: str  # dropped from the lower amount of a pair: "2,831만~3,500만원" says 원 once
    units: Mapping[str, str]  # a whole-number field kind → its unit ("31~89일" / "31–89 days")
    leads: Mapping[str, str]  # … and the word before its numbers ("만 20세", "bottom 20%")
    point: Callable[[AnswerField, Any], str]  # a one-value range: the value itself


def _range(words: RangeWords, spec: AnswerField, r: AnswerRange) -> str:
    if r.high is not None and r.low == r.high:
        return words.point(spec, r.low)
    if spec.kind == "krw":
        # a range built from "≤ 3,500만원" starts at 3,500만원 + 1원: it reads "3,500만원 넘게"
        above = r.low > 0 and (r.low - 1) % _MAN == 0
        low = words.money(r.low - 1 if above else r.low)
        if r.high is None:
            return (words.above if above else words.at_least).format(x=low)
        if r.low <= spec.minimum or r.low == 1:  # just above nothing: "0원" is its own answer beside it
            return words.up_to.format(x=words.money(r.high))
        return words.between.format(a=low.removesuffix(words.trim_low), b=words.money(r.high))
    unit, lead = words.units.get(spec.kind, ""), words.leads.get(spec.kind, "")
    if r.high is None:
        return words.at_least.format(x=f"{lead}{r.low:,}{unit}")
    if r.low <= spec.minimum:
        return words.up_to.format(x=f"{lead}{r.high:,}{unit}")
    return f"{lead}{words.between.format(a=f'{r.low:,}', b=f'{r.high:,}')}{unit}"


def range_ko(spec: AnswerField, r: AnswerRange) -> str:
    """3,500만원까지 · 2,000만~3,500만원 · 3,500만원 넘게 · 30일까지 · 31~89일 · 90일 이상 · 1~2명."""
    return _range(KO_RANGES, spec, r)


def range_en(spec: AnswerField, r: AnswerRange) -> str:
    """up to ₩35M · ₩20M–₩35M · over ₩35M · up to 30 days · 31–89 days · 90 days or more."""
    return _range(EN_RANGES, spec, r)


@dataclass(frozen=True)
class ValueWords:
    """How one language words a single answer; ``value_ko``/``value_en`` are one path over these."""

    ranges: Callable[[AnswerField, AnswerRange], str]
    money: Callable[[float], str]
    kinds: Mapping[str, str]  # a whole-number field kind → "{v}일" / "{v} days"
    yes_no: tuple[str, str]
    choice_attr: str  # which wording of a choice: "ko" / "en"
    joiner: str  # between the options of a multi-choice answer
    none: str  # a multi-choice answer with nothing chosen


def _value(words: ValueWords, spec: AnswerField, value: Any) -> str:
    if isinstance(value, AnswerRange):
        return words.ranges(spec, value)
    kind = spec.kind
    if kind == "krw":
        return words.money(value)
    if kind in words.kinds:
        return words.kinds[kind].format(v=value)
    if kind == "bool":
        return words.yes_no[0] if value else words.yes_no[1]

    def name(v: Any) -> str:
        choice = spec.choice(v)
        return str(getattr(choice, words.choice_attr)) if choice else str(v)

    if kind == "enum":
        return name(value)
    items = value if isinstance(value, list | tuple) else [value]
    return words.joiner.join(name(v) for v in items) if items else words.none


def value_ko(spec: AnswerField, value: Any) -> str:
    return _value(KO_VALUES, spec, value)


def value_en(spec: AnswerField, value: Any) -> str:
    return _value(EN_VALUES, spec, value)


KO_RANGES = RangeWords(
    money=won_exact_ko,
    up_to="{x}까지",
    at_least="{x} 이상",
    above="{x} 넘게",
    between="{a}~{b}",
    trim_low="원",
    units={"days": "일", "months": "개월", "count": "명", "age": "세", "percentile": "%"},
    leads={"age": "만 ", "percentile": "하위 "},
    point=value_ko,
)
EN_RANGES = RangeWords(
    money=won_exact_en,
    up_to="up to {x}",
    at_least="{x} or more",
    above="over {x}",
    between="{a}–{b}",
    trim_low="",
    units={"days": " days", "months": " months", "count": "", "age": "", "percentile": "%"},
    leads={"percentile": "bottom "},
    point=value_en,
)

SYMBOL = {"lt": "<", "le": "≤", "gt": ">", "ge": "≥", "eq": "=", "ne": "≠"}


_SHOWN: dict[tuple[str, Any], tuple[str, str]] = {}


def shown(spec: AnswerField, actual: Any) -> tuple[str, str]:
    """How an answer reads, memoised: the same income is worded in a dozen reasons per applicant."""
    key = (spec.name, tuple(actual) if isinstance(actual, list) else actual)
    text = _SHOWN.get(key)
    if text is None:
        if len(_SHOWN) > 8192:
            _SHOWN.clear()
        text = _SHOWN[key] = (value_ko(spec, actual), value_en(spec, actual))
    return text


KO_VALUES = ValueWords(
    ranges=range_ko,
    money=won_ko,
    kinds={
        "age": "만 {v}세",
        "days": "{v}일",
        "months": "{v}개월",
        "count": "{v}명",
        "percentile": "하위 {v}%",
    },
    yes_no=("예", "아니요"),
    choice_attr="ko",
    joiner="·",
    none="없음",
)
EN_VALUES = ValueWords(
    ranges=range_en,
    money=won_en,
    kinds={
        "age": "{v}",
        "days": "{v} days",
        "months": "{v} months",
        "count": "{v}",
        "percentile": "bottom {v}%",
    },
    yes_no=("yes", "no"),
    choice_attr="en",
    joiner=", ",
    none="none",
)
