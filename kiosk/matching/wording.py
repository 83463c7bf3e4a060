"""How values and comparisons read in a reason: money in 만원 (억 above 1억), days, percent bands."""

from __future__ import annotations

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


# Units of a whole-number range in each language: "31~89일" / "31–89 days".
_UNIT_KO = {"days": "일", "months": "개월", "count": "명", "age": "세", "percentile": "%"}
_UNIT_EN = {"days": " days", "months": " months", "count": "", "age": "", "percentile": "%"}


def _lower_ko(low: int) -> tuple[str, bool]:
    """How a range's lower end reads in 만원: a range built from "≤ 3,500만원" starts at 3,500만원 + 1원,
    which reads "3,500만원 넘게" (True), not "약 3,500만원"."""
    if low > 0 and (low - 1) % _MAN == 0:
        return won_ko(low - 1), True
    return won_exact_ko(low), False


def range_ko(spec: AnswerField, r: AnswerRange) -> str:
    """3,500만원까지 · 2,000만~3,500만원 · 3,500만원 넘게 · 30일까지 · 31~89일 · 90일 이상 · 1~2명."""
    if r.high is not None and r.low == r.high:
        return value_ko(spec, r.low)
    if spec.kind == "krw":
        if r.high is None:
            text, above = _lower_ko(r.low)
            return f"{text} 넘게" if above else f"{text} 이상"
        if r.low <= spec.minimum:
            return f"{won_exact_ko(r.high)}까지"
        if r.low == 1:  # just above nothing: "0원" is its own answer, beside this one
            return f"{won_exact_ko(r.high)}까지"
        text, _ = _lower_ko(r.low)
        return f"{text.removesuffix('원')}~{won_exact_ko(r.high)}"
    unit = _UNIT_KO.get(spec.kind, "")
    lead = "만 " if spec.kind == "age" else "하위 " if spec.kind == "percentile" else ""
    if r.high is None:
        return f"{lead}{r.low:,}{unit} 이상"
    if r.low <= spec.minimum:
        return f"{lead}{r.high:,}{unit}까지"
    return f"{lead}{r.low:,}~{r.high:,}{unit}"


def range_en(spec: AnswerField, r: AnswerRange) -> str:
    """up to ₩35M · ₩20M–₩35M · over ₩35M · up to 30 days · 31–89 days · 90 days or more."""
    if r.high is not None and r.low == r.high:
        return value_en(spec, r.low)
    if spec.kind == "krw":
        above = r.low > 0 and (r.low - 1) % _MAN == 0
        low = r.low - 1 if above else r.low
        if r.high is None:
            return f"over {won_exact_en(low)}" if above else f"{won_exact_en(low)} or more"
        if r.low <= spec.minimum:
            return f"up to {won_exact_en(r.high)}"
        if r.low == 1:
            return f"up to {won_exact_en(r.high)}"
        return f"{won_exact_en(low)}–{won_exact_en(r.high)}"
    unit = _UNIT_EN.get(spec.kind, "")
    lead = "bottom " if spec.kind == "percentile" else ""
    if r.high is None:
        return f"{lead}{r.low:,}{unit} or more"
    if r.low <= spec.minimum:
        return f"up to {lead}{r.high:,}{unit}"
    return f"{lead}{r.low:,}–{r.high:,}{unit}"


def value_ko(spec: AnswerField, value: Any) -> str:
    if isinstance(value, AnswerRange):
        return range_ko(spec, value)
    kind = spec.kind
    if kind == "krw":
        return won_ko(value)
    if kind == "age":
        return f"만 {value}세"
    if kind == "days":
        return f"{value}일"
    if kind == "months":
        return f"{value}개월"
    if kind == "count":
        return f"{value}명"
    if kind == "percentile":
        return f"하위 {value}%"
    if kind == "bool":
        return "예" if value else "아니요"
    if kind == "enum":
        choice = spec.choice(value)
        return choice.ko if choice else str(value)
    items = value if isinstance(value, list | tuple) else [value]
    names = [(spec.choice(v).ko if spec.choice(v) else str(v)) for v in items]  # type: ignore[union-attr]
    return "·".join(names) if names else "없음"


def value_en(spec: AnswerField, value: Any) -> str:
    if isinstance(value, AnswerRange):
        return range_en(spec, value)
    kind = spec.kind
    if kind == "krw":
        return won_en(value)
    if kind == "age":
        return f"{value}"
    if kind == "days":
        return f"{value} days"
    if kind == "months":
        return f"{value} months"
    if kind == "count":
        return f"{value}"
    if kind == "percentile":
        return f"bottom {value}%"
    if kind == "bool":
        return "yes" if value else "no"
    if kind == "enum":
        choice = spec.choice(value)
        return choice.en if choice else str(value)
    items = value if isinstance(value, list | tuple) else [value]
    names = [(spec.choice(v).en if spec.choice(v) else str(v)) for v in items]  # type: ignore[union-attr]
    return ", ".join(names) if names else "none"


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
