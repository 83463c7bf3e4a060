"""How values and comparisons read in a reason: money in 만원 (억 above 1억), days, percent bands."""

from __future__ import annotations

from typing import Any

from kiosk.matching.fields import AnswerField

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


def value_ko(spec: AnswerField, value: Any) -> str:
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
