"""Validate a walk-in's answers (JSON-shaped dict) into the normalized form the engine reads.

Unknown stays unknown: a missing key or ``null`` becomes ``None`` and the engine answers "maybe" for
rules that need it. Everything else is checked strictly — a string where a number belongs, a negative
income or an unknown choice is an error with a Korean and an English message naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.matching.fields import ANSWER_FIELDS, FIELDS, NUMERIC_KINDS, AnswerField
from kiosk.matching.ranges import AnswerRange, RangeInvalid, add, high_of, is_range_shape, low_of

Answers = dict[str, Any]


@dataclass(frozen=True)
class AnswerProblem:
    field: str
    ko: str
    en: str

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "ko": self.ko, "en": self.en}


class InvalidAnswers(ValueError):
    """One or more answers cannot be used; ``problems`` says which and why, in Korean and English."""

    code = "VISIT_ANSWERS_INVALID"

    def __init__(self, problems: list[AnswerProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.en}" for p in problems))


def _check_range(spec: AnswerField, value: Any) -> AnswerRange | AnswerProblem:
    """A numeric answer given as a range ({"from", "to"}): the right shape, within the field's bounds."""
    name = spec.name
    try:
        r = AnswerRange.parse(value)
    except RangeInvalid as exc:
        return AnswerProblem(name, f"{spec.ko}: 범위 답의 형식이 올바르지 않아요", f"{spec.en}: {exc}")
    if r.low < spec.minimum:
        return AnswerProblem(
            name,
            f"{spec.ko}은(는) {spec.minimum} 이상이어야 해요",
            f"{spec.en} must be at least {spec.minimum}",
        )
    if spec.maximum is not None and r.high is not None and r.high > spec.maximum:
        return AnswerProblem(
            name,
            f"{spec.ko}이(가) 너무 커요 ({spec.maximum} 이하로 입력해 주세요)",
            f"{spec.en} is too large (at most {spec.maximum})",
        )
    if spec.maximum is not None and r.low > spec.maximum:
        return AnswerProblem(
            name, f"{spec.ko}이(가) 너무 커요", f"{spec.en} is too large (at most {spec.maximum})"
        )
    return r


def _check_value(spec: AnswerField, value: Any) -> AnswerProblem | None:
    name = spec.name
    if spec.kind in NUMERIC_KINDS:
        # bool is an int subclass in Python; "yes" is not an amount.
        if isinstance(value, bool) or not isinstance(value, int):
            return AnswerProblem(
                name, f"{spec.ko}은(는) 숫자로 입력해 주세요", f"{spec.en} must be a whole number"
            )
        if value < spec.minimum:
            return AnswerProblem(
                name,
                f"{spec.ko}은(는) {spec.minimum} 이상이어야 해요",
                f"{spec.en} must be at least {spec.minimum}",
            )
        if spec.maximum is not None and value > spec.maximum:
            return AnswerProblem(
                name,
                f"{spec.ko}이(가) 너무 커요 ({spec.maximum} 이하로 입력해 주세요)",
                f"{spec.en} is too large (at most {spec.maximum})",
            )
        return None
    if spec.kind == "bool":
        if not isinstance(value, bool):
            return AnswerProblem(
                name, f"{spec.ko}은(는) 예/아니요로 답해 주세요", f"{spec.en} must be true or false"
            )
        return None
    allowed = [c.value for c in spec.choices]
    if spec.kind == "enum":
        if not isinstance(value, str) or value not in allowed:
            return AnswerProblem(
                name,
                f"{spec.ko}: 보기에 없는 답이에요 ({', '.join(c.ko for c in spec.choices)} 중에서 골라요)",
                f"{spec.en}: {value!r} is not one of {', '.join(allowed)}",
            )
        return None
    # enum_list
    if not isinstance(value, list) or any(not isinstance(v, str) or v not in allowed for v in value):
        return AnswerProblem(
            name,
            f"{spec.ko}: 보기에 있는 항목만 고를 수 있어요",
            f"{spec.en} must be a list of {', '.join(allowed)}",
        )
    return None


def validate_answers(raw: Mapping[str, Any]) -> Answers:
    """Return every answer field (``None`` where unknown) or raise InvalidAnswers listing all problems."""
    if not isinstance(raw, Mapping):
        raise InvalidAnswers(
            [AnswerProblem("(answers)", "답변 형식이 올바르지 않아요", "answers must be an object")]
        )
    problems: list[AnswerProblem] = []
    for key in raw:
        if key not in FIELDS or FIELDS[key].derived:
            problems.append(AnswerProblem(str(key), "알 수 없는 항목이에요", f"unknown answer field {key!r}"))
    answers: Answers = {}
    for name in ANSWER_FIELDS:
        value = raw.get(name)
        if value is None:
            answers[name] = None
            continue
        if FIELDS[name].kind in NUMERIC_KINDS and is_range_shape(value):
            checked = _check_range(FIELDS[name], value)
            if isinstance(checked, AnswerProblem):
                problems.append(checked)
                answers[name] = None
            else:
                answers[name] = checked
            continue
        problem = _check_value(FIELDS[name], value)
        if problem:
            problems.append(problem)
            answers[name] = None
        else:
            answers[name] = sorted(set(value)) if FIELDS[name].kind == "enum_list" else value
    problems.extend(_cross_checks(answers))
    if problems:
        raise InvalidAnswers(problems)
    return answers


def _cross_checks(answers: Answers) -> list[AnswerProblem]:
    problems = []
    total, secured, unsecured = (
        answers[k] for k in ("total_debt_krw", "secured_debt_krw", "unsecured_debt_krw")
    )
    # Ranges: a problem only when no values in them fit (the smallest parts already exceed the largest whole).
    if total is None and secured is not None and unsecured is not None:
        answers["total_debt_krw"] = total = add(secured, unsecured)
    if total is not None and low_of(secured or 0) + low_of(unsecured or 0) > high_of(total):
        problems.append(
            AnswerProblem(
                "total_debt_krw",
                "담보채무와 무담보채무를 더한 금액이 총채무보다 많아요. 금액을 다시 확인해 주세요",
                "secured plus unsecured debt exceeds total debt; please check the amounts",
            )
        )
    recent = answers["debt_last_6m_krw"]
    if total is not None and recent is not None and low_of(recent) > high_of(total):
        problems.append(
            AnswerProblem(
                "debt_last_6m_krw",
                "최근 6개월 안에 생긴 빚이 총채무보다 많아요. 금액을 다시 확인해 주세요",
                "debt taken in the last 6 months exceeds total debt; please check the amounts",
            )
        )
    return problems
