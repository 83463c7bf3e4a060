"""The debtor's side of a plan: income, household and the creditor list, checked before any sum.

The shape is `kiosk debt plan --debts FILE`'s JSON. Checks are strict (a number is a number, not "12");
every problem comes back in Korean and English naming the place (``debts[3].annual_rate``), and none
is half-accepted: one bad line refuses the whole list.

Decisions stated once:
- at most ``MAX_CREDITORS`` lines (a real list is a few dozen at most; 500 is a slipped export);
- the same creditor twice with the same kind is refused (the person or the counselor should add the
  two amounts into one line — merging silently would hide which rate belongs to which amount); the same
  creditor with another kind (a card and a loan at one bank) is two lines and fine;
- ``annual_rate`` is a fraction (0.159 = 15.9%); above 1.0 (100%) is refused, which also catches a
  percent typed as a number (15.9);
- "other" debts count as unsecured for the caps.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kiosk.matching.fields import FIELDS

MAX_CREDITORS = 100
MAX_PRINCIPAL_KRW = 10_000_000_000  # ₩10B on one line: above any personal debt a center sees
MAX_MONTHLY_INCOME_KRW = 1_000_000_000  # ₩1B a month
MAX_OVERDUE_DAYS = 18_250  # 50 years

# The matching's hardship flags, plus disability (it makes a person vulnerable for the workout's cut).
HARDSHIP: dict[str, tuple[str, str]] = {
    **{c.value: (c.ko, c.en) for c in FIELDS["hardship"].choices},
    "disability": ("장애", "disability"),
}
DebtKind = Literal["card", "unsecured_loan", "secured_loan", "other"]
SECURED_KINDS = frozenset({"secured_loan"})
KIND_WORDS: dict[str, tuple[str, str]] = {
    "card": ("카드", "card"),
    "unsecured_loan": ("신용대출", "unsecured loan"),
    "secured_loan": ("담보대출", "secured loan"),
    "other": ("기타", "other"),
}


class DebtLine(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    creditor: str = Field(min_length=1, max_length=60)
    kind: DebtKind
    principal_krw: int = Field(ge=1, le=MAX_PRINCIPAL_KRW)
    annual_rate: float = Field(ge=0, le=1, allow_inf_nan=False)
    overdue_days: int = Field(ge=0, le=MAX_OVERDUE_DAYS)
    written_off: bool

    @field_validator("creditor")
    @classmethod
    def _named(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("blank")
        return value

    @property
    def secured(self) -> bool:
        return self.kind in SECURED_KINDS


class DebtorInput(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    monthly_income_krw: int = Field(ge=0, le=MAX_MONTHLY_INCOME_KRW)
    household_size: int = Field(ge=1, le=20)
    livelihood_status: Literal["none", "near_poverty", "basic"]
    age: int = Field(ge=0, le=120)
    hardship: tuple[str, ...] = ()
    debts: tuple[DebtLine, ...] = Field(min_length=1, max_length=MAX_CREDITORS)

    @field_validator("hardship", mode="before")
    @classmethod
    def _known_hardship(cls, value: Any) -> Any:
        if isinstance(value, list):
            value = tuple(value)
        if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
            unknown = [v for v in value if v not in HARDSHIP]
            if unknown:
                raise ValueError(f"hardship:{unknown[0]}")
            return tuple(sorted(set(value)))
        return value

    @field_validator("debts", mode="before")
    @classmethod
    def _as_tuple(cls, value: Any) -> Any:
        return tuple(value) if isinstance(value, list) else value

    @field_validator("debts")
    @classmethod
    def _no_duplicate_creditor(cls, debts: tuple[DebtLine, ...]) -> tuple[DebtLine, ...]:
        seen: dict[tuple[str, str], int] = {}
        for index, debt in enumerate(debts):
            key = (debt.creditor.casefold(), debt.kind)
            if key in seen:
                raise ValueError(f"duplicate:{seen[key]}:{index}")
            seen[key] = index
        return debts

    @property
    def longest_overdue_days(self) -> int:
        return max(d.overdue_days for d in self.debts)

    @property
    def secured_krw(self) -> int:
        return sum(d.principal_krw for d in self.debts if d.secured)

    @property
    def unsecured_krw(self) -> int:
        return sum(d.principal_krw for d in self.debts if not d.secured)

    @property
    def total_krw(self) -> int:
        return sum(d.principal_krw for d in self.debts)


@dataclass(frozen=True)
class DebtProblem:
    where: str
    ko: str
    en: str

    def to_dict(self) -> dict[str, str]:
        return {"where": self.where, "ko": self.ko, "en": self.en}


class InvalidDebts(ValueError):
    """The file cannot be planned from; ``problems`` says where and why, Korean first."""

    code = "DEBT_INPUT_INVALID"

    def __init__(self, problems: list[DebtProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.where}: {p.en}" for p in problems))


_LABELS: dict[str, tuple[str, str]] = {
    "monthly_income_krw": ("한 달 소득", "monthly income"),
    "household_size": ("가구원 수", "household size"),
    "livelihood_status": ("수급 자격", "welfare status"),
    "age": ("나이", "age"),
    "hardship": ("어려운 사정", "hardship"),
    "debts": ("빚 목록", "debt list"),
    "creditor": ("채권자", "creditor"),
    "kind": ("빚 종류", "kind of debt"),
    "principal_krw": ("원금", "principal"),
    "annual_rate": ("이자율", "annual rate"),
    "overdue_days": ("연체 일수", "days overdue"),
    "written_off": ("상각 여부", "written off"),
}
_TYPE_WORDS = {
    "int_type": ("정수(숫자)로", "a whole number"),
    "float_type": ("숫자로", "a number"),
    "bool_type": ("true 또는 false로", "true or false"),
    "string_type": ("글로", "text"),
    "tuple_type": ("목록으로", "a list"),
    "model_type": ("항목이 있는 객체로", "an object"),
}


def _where(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


def _label(loc: tuple[Any, ...]) -> tuple[str, str]:
    names = [p for p in loc if isinstance(p, str)]
    ko, en = _LABELS.get(names[-1], (str(names[-1]), str(names[-1]))) if names else ("입력", "input")
    lines = [p for p in loc if isinstance(p, int)]
    if names and names[0] == "debts" and lines and len(names) > 1:
        return f"{lines[0] + 1}번째 빚의 {ko}", f"{en} of debt no. {lines[0] + 1}"
    return ko, en


def _problem(error: Mapping[str, Any]) -> DebtProblem:
    loc = tuple(error["loc"])
    where = _where(loc)
    ko, en = _label(loc)
    kind = error["type"]
    ctx = error.get("ctx") or {}
    field = next((p for p in reversed(loc) if isinstance(p, str)), "")
    if kind == "missing":
        return DebtProblem(where, f"{ko}이(가) 빠졌어요", f"{en} is missing")
    if kind == "extra_forbidden":
        return DebtProblem(where, f"알 수 없는 항목이에요: {loc[-1]}", f"unknown key {loc[-1]!r}")
    if kind in _TYPE_WORDS:
        words_ko, words_en = _TYPE_WORDS[kind]
        return DebtProblem(where, f"{ko}은(는) {words_ko} 적어 주세요", f"{en} must be {words_en}")
    if field == "annual_rate" and kind in ("less_than_equal", "finite_number"):
        return DebtProblem(
            where,
            f"{ko}은(는) 0에서 1 사이 소수로 적어요 (연 15.9%는 0.159). 100%가 넘는 이자율은 받을 수 없어요",
            f"{en} is a fraction from 0 to 1 (15.9% is 0.159); rates over 100% are refused",
        )
    if field == "debts" and kind == "too_long":
        got = ctx.get("actual_length", "?")
        return DebtProblem(
            where,
            f"채권자는 {MAX_CREDITORS}곳까지 적을 수 있어요 ({got}곳이 왔어요). 목록을 다시 확인해 주세요",
            f"at most {MAX_CREDITORS} creditors ({got} given); please check the list",
        )
    if field == "debts" and kind == "too_short":
        return DebtProblem(where, "빚을 하나 이상 적어 주세요", "list at least one debt")
    if kind in ("greater_than_equal", "greater_than"):
        if field in ("principal_krw",):
            return DebtProblem(where, f"{ko}은(는) 1원 이상이어야 해요", f"{en} must be at least ₩1")
        if field == "overdue_days":
            return DebtProblem(
                where,
                f"{ko}은(는) 0일 이상이어야 해요 (앞으로 올 날짜는 연체가 아니에요)",
                f"{en} cannot be negative (a date in the future is not overdue)",
            )
        limit = ctx.get("ge", ctx.get("gt"))
        return DebtProblem(where, f"{ko}은(는) {limit} 이상이어야 해요", f"{en} must be at least {limit}")
    if kind in ("less_than_equal", "less_than"):
        limit = ctx.get("le", ctx.get("lt"))
        shown = f"{limit:,}" if isinstance(limit, int) else str(limit)
        return DebtProblem(
            where,
            f"{ko}이(가) 너무 커요 ({shown} 이하로 적어 주세요). 숫자를 다시 확인해 주세요",
            f"{en} is too large (at most {shown}); please check the figure",
        )
    if kind == "literal_error":
        return DebtProblem(
            where,
            f"{ko}: 보기에 없는 값이에요 ({ctx.get('expected', '')} 중 하나로 적어 주세요)",
            f"{en}: not one of {ctx.get('expected', '')}",
        )
    if kind in ("string_too_short", "string_too_long", "value_error") and field == "creditor":
        return DebtProblem(
            where, f"{ko} 이름을 1~60자로 적어 주세요", f"{en} name must be 1 to 60 characters"
        )
    if kind == "value_error":
        message = str(ctx.get("error", ""))
        if message.startswith("hardship:"):
            value = message.split(":", 1)[1]
            allowed = ", ".join(HARDSHIP)
            return DebtProblem(
                where,
                f"어려운 사정에 모르는 값이 있어요: {value} ({allowed} 중에서 골라요)",
                f"unknown hardship {value!r} (one of {allowed})",
            )
        if message.startswith("duplicate:"):
            _, first, second = message.split(":")
            a, b = int(first) + 1, int(second) + 1
            return DebtProblem(
                where,
                f"{a}번째와 {b}번째 빚이 같은 채권자, 같은 종류예요. 두 금액을 한 줄로 합쳐 적어 주세요",
                f"debts no. {a} and {b} are the same creditor and kind; add them into one line",
            )
    return DebtProblem(where, f"{ko}을(를) 다시 확인해 주세요", f"{en}: {error.get('msg', 'invalid')}")


def validate_debtor(raw: object) -> DebtorInput:
    """The checked input, or InvalidDebts listing every problem (nothing is kept from a bad file)."""
    if not isinstance(raw, Mapping):
        raise InvalidDebts(
            [DebtProblem("(file)", "빚 파일은 JSON 객체여야 해요", "the debts file must be a JSON object")]
        )
    debts = raw.get("debts")
    if isinstance(debts, list) and len(debts) > MAX_CREDITORS:  # refused before 500 lines are read
        raise InvalidDebts(
            [_problem({"loc": ("debts",), "type": "too_long", "ctx": {"actual_length": len(debts)}})]
        )
    try:
        return DebtorInput.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors()
        if isinstance(debts, list) and debts:  # pydantic counts only the good lines: not "empty" then
            errors = [e for e in errors if not (e["type"] == "too_short" and tuple(e["loc"]) == ("debts",))]
        raise InvalidDebts([_problem(e) for e in errors]) from None
