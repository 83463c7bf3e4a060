"""Parse a condition tree from catalogue data, collecting every problem with where it is.

The checks are the ones an administrator editing a TOML file needs: unknown fields and keys, operators
that do not fit the field, values outside what the field can hold, and bounds in one ``all`` that no
answer could satisfy together (e.g. ``delinquency_days ≥ 90`` and ``≤ 30``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.matching.conditions import AllOf, AnyOf, Compare, Condition, Confirm, NoneOf
from kiosk.matching.fields import FIELDS, NUMERIC_KINDS, ORDER_OPS, AnswerField
from kiosk.matching.plain import PlainText

_LEAF_KEYS = {
    "field", "op", "value", "ratio_of", "alt_value", "source_ko", "source_en",
    "alt_source_ko", "alt_source_en", "note_ko", "note_en", *("met_ko", "met_en", "unmet_ko", "unmet_en"),
}  # fmt: skip
_PLAIN_KEYS = ("met_ko", "met_en", "unmet_ko", "unmet_en")
_LIST_OPS = {"in", "not_in", "has_any", "has_none"}


@dataclass(frozen=True)
class CatalogueProblem:
    file: str
    where: str
    ko: str
    en: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.ko} ({self.en})"


class TreeParser:
    def __init__(self, file: str, problems: list[CatalogueProblem]) -> None:
        self.file, self.problems = file, problems

    def problem(self, where: str, ko: str, en: str) -> None:
        self.problems.append(CatalogueProblem(self.file, where, ko, en))

    def parse(self, raw: Any, where: str) -> Condition | None:
        if not isinstance(raw, dict):
            self.problem(where, "조건은 표(테이블)여야 해요", "a condition must be a table")
            return None
        shape = [key for key in ("all", "any", "not", "field", "confirm") if key in raw]
        if len(shape) != 1:
            self.problem(
                where,
                "조건에는 all, any, not, field, confirm 중 하나만 있어야 해요",
                f"a condition needs exactly one of all/any/not/field/confirm, found {shape or list(raw)}",
            )
            return None
        kind = shape[0]
        if kind in ("all", "any"):
            return self._group(raw, kind, where)
        if kind == "not":
            self._no_extra(raw, {"not"}, where)
            child = self.parse(raw["not"], f"{where}.not")
            return NoneOf(child) if child else None
        if kind == "confirm":
            self._no_extra(raw, {"confirm", "ko", "en"}, where)
            if not all(isinstance(raw.get(k), str) and raw.get(k) for k in ("confirm", "ko", "en")):
                self.problem(
                    where,
                    "확인 항목에는 confirm, ko, en 글이 있어야 해요",
                    "confirm needs confirm, ko, en text",
                )
                return None
            return Confirm(raw["confirm"], raw["ko"], raw["en"])
        return self._leaf(raw, where)

    def _no_extra(self, raw: dict[str, Any], allowed: set[str], where: str) -> None:
        for key in raw:
            if key not in allowed:
                self.problem(
                    f"{where}.{key}", "알 수 없는 키예요 (철자를 확인해 주세요)", f"unknown key {key!r}"
                )

    def _group(self, raw: dict[str, Any], kind: str, where: str) -> Condition | None:
        self._no_extra(raw, {kind}, where)
        items = raw[kind]
        if not isinstance(items, list) or not items:
            self.problem(f"{where}.{kind}", "조건 목록이 비어 있어요", f"{kind} needs a non-empty list")
            return None
        children = [self.parse(item, f"{where}.{kind}[{i}]") for i, item in enumerate(items)]
        parsed = [c for c in children if c is not None]
        if len(parsed) != len(children):
            return None
        if kind == "all":
            self._check_satisfiable(parsed, f"{where}.all")
            return AllOf(parsed)
        return AnyOf(parsed)

    def _leaf(self, raw: dict[str, Any], where: str) -> Condition | None:
        self._no_extra(raw, _LEAF_KEYS, where)
        name = raw.get("field")
        spec = FIELDS.get(name) if isinstance(name, str) else None
        if spec is None:
            self.problem(
                f"{where}.field",
                f"알 수 없는 항목이에요: {name!r}",
                f"unknown field {name!r}; known: {', '.join(FIELDS)}",
            )
            return None
        op = raw.get("op")
        if op not in spec.ops:
            self.problem(
                f"{where}.op",
                f"{spec.ko}에는 쓸 수 없는 비교예요: {op!r}",
                f"operator {op!r} does not fit field {name} (allowed: {', '.join(sorted(spec.ops))})",
            )
            return None
        if "value" not in raw:
            self.problem(f"{where}.value", "기준값이 없어요", "value is missing")
            return None
        ratio_of = None
        if "ratio_of" in raw:
            ratio_of = FIELDS.get(raw["ratio_of"]) if isinstance(raw["ratio_of"], str) else None
            if ratio_of is None or ratio_of.kind != spec.kind or spec.kind != "krw" or op not in ORDER_OPS:
                self.problem(
                    f"{where}.ratio_of",
                    "비율 비교는 금액 항목끼리 크기 비교로만 쓸 수 있어요",
                    "ratio_of needs two amount (krw) fields and an order operator (lt/le/gt/ge)",
                )
                return None
            value = raw["value"]
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 10:
                self.problem(
                    f"{where}.value", "비율은 0에서 10 사이의 수예요", "a ratio must be a number from 0 to 10"
                )
                return None
        elif not self._value_ok(spec, op, raw["value"], f"{where}.value"):
            return None
        alt = raw.get("alt_value")
        if alt is not None:
            if ratio_of is not None or not self._value_ok(spec, op, alt, f"{where}.alt_value"):
                return None
            if not (raw.get("alt_source_ko") and raw.get("alt_source_en") and raw.get("source_ko")):
                self.problem(
                    f"{where}.alt_value",
                    "다른 기준값에는 두 출처(source_ko, alt_source_ko, alt_source_en)를 적어 주세요",
                    "alt_value needs source_ko/source_en and alt_source_ko/alt_source_en",
                )
                return None
        text = {
            k: str(raw.get(k, ""))
            for k in ("source_ko", "source_en", "alt_source_ko", "alt_source_en", "note_ko", "note_en")
        }
        plain = [raw.get(k) for k in _PLAIN_KEYS]
        if any(plain) and not all(isinstance(t, str) and t.strip() for t in plain):
            self.problem(
                where,
                "쉬운 문장은 met_ko, met_en, unmet_ko, unmet_en 네 가지가 모두 있어야 해요",
                "plain sentences need all of met_ko, met_en, unmet_ko, unmet_en",
            )
            return None
        leaf = Compare(spec, op, raw["value"], ratio_of=ratio_of, alt_value=alt, **text)
        if all(plain):
            leaf.plain = PlainText(*(str(t).strip() for t in plain))
        return leaf

    def _value_ok(self, spec: AnswerField, op: str, value: Any, where: str) -> bool:
        values = value if op in _LIST_OPS else [value]
        if op in _LIST_OPS and (not isinstance(value, list) or not value):
            self.problem(where, "이 비교에는 값 목록이 필요해요", f"operator {op} needs a non-empty list")
            return False
        for v in values:
            if spec.kind in NUMERIC_KINDS:
                if isinstance(v, bool) or not isinstance(v, int):
                    self.problem(
                        where, f"{spec.ko}의 기준은 정수예요", f"{spec.name} needs a whole number, got {v!r}"
                    )
                    return False
                if v < spec.minimum or (spec.maximum is not None and v > spec.maximum):
                    self.problem(
                        where,
                        f"{spec.ko}에 불가능한 값이에요: {v} (가능한 범위 {spec.minimum}–{spec.maximum})",
                        f"impossible value {v} for {spec.name} (range {spec.minimum}–{spec.maximum})",
                    )
                    return False
            elif spec.kind == "bool":
                if not isinstance(v, bool):
                    self.problem(
                        where, f"{spec.ko}의 기준은 true/false예요", f"{spec.name} needs true or false"
                    )
                    return False
            elif spec.choice(v) is None if isinstance(v, str) else True:
                self.problem(
                    where,
                    f"{spec.ko}에 없는 보기예요: {v!r}",
                    f"{v!r} is not a choice of {spec.name} ({', '.join(c.value for c in spec.choices)})",
                )
                return False
        return True

    def _check_satisfiable(self, children: list[Condition], where: str) -> None:
        """Bounds on one numeric field inside one ``all`` must leave at least one possible value."""
        low: dict[str, float] = {}
        high: dict[str, float] = {}
        for child in children:
            if not isinstance(child, Compare) or child.ratio_of or child.spec.kind not in NUMERIC_KINDS:
                continue
            name, v = child.field, child.value
            lo = {"ge": v, "gt": v + 1, "eq": v}.get(child.op)
            hi = {"le": v, "lt": v - 1, "eq": v}.get(child.op)
            if lo is not None:
                low[name] = max(low.get(name, lo), lo)
            if hi is not None:
                high[name] = min(high.get(name, hi), hi)
        for name in low.keys() & high.keys():
            if low[name] > high[name]:
                spec = FIELDS[name]
                self.problem(
                    where,
                    f"{spec.ko} 조건끼리 맞지 않아 아무도 해당할 수 없어요 "
                    f"({low[name]:g} 이상·{high[name]:g} 이하)",
                    f"impossible range for {name}: at least {low[name]:g} and at most {high[name]:g}",
                )
