"""The answer fields a walk-in gives and the catalogue's rules read: type, bounds, labels.

One table so the answer validator, the catalogue checker and the reason wording all agree on what a
field means. Amounts are integers in won; the questionnaire converts 만원 input before it gets here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Kinds of field and the comparison operators that make sense for each.
NUMERIC_KINDS = frozenset({"krw", "age", "days", "months", "count", "percentile"})
ORDER_OPS = frozenset({"lt", "le", "gt", "ge"})
NUMERIC_OPS = ORDER_OPS | {"eq", "ne"}
ENUM_OPS = frozenset({"eq", "ne", "in", "not_in"})
BOOL_OPS = frozenset({"eq", "ne"})
LIST_OPS = frozenset({"has_any", "has_none"})


@dataclass(frozen=True)
class Choice:
    value: str
    ko: str
    en: str


@dataclass(frozen=True)
class AnswerField:
    name: str
    kind: str  # krw | age | days | months | count | percentile | enum | bool | enum_list
    ko: str
    en: str
    minimum: int = 0
    maximum: int | None = None
    choices: tuple[Choice, ...] = field(default_factory=tuple)
    derived: bool = False  # computed by the engine, never asked

    @property
    def ops(self) -> frozenset[str]:
        if self.kind in NUMERIC_KINDS:
            return NUMERIC_OPS
        if self.kind == "enum":
            return ENUM_OPS
        if self.kind == "bool":
            return BOOL_OPS
        return LIST_OPS

    def choice(self, value: str) -> Choice | None:
        for choice in self.choices:
            if choice.value == value:
                return choice
        return None


_KRW_MAX = 10**13  # ₩10 trillion: far above any personal debt, catches a slipped digit
_PURPOSES = (
    Choice("living", "생활비", "living costs"),
    Choice("business_start", "창업 자금", "starting a business"),
    Choice("business_operating", "사업 운영 자금", "running a business"),
    Choice("debt", "빚 문제", "debt trouble"),
    Choice("credit_recovery", "신용 회복", "credit recovery"),
    Choice("job", "일자리", "finding a job"),
)
_EMPLOYMENT = (
    Choice("employed", "직장인(근로자)", "employed"),
    Choice("self_employed", "자영업자", "self-employed"),
    Choice("job_seeker", "구직자", "job seeker"),
    Choice("unemployed", "무직", "not working"),
)
_LIVELIHOOD = (
    Choice("basic", "기초생활수급자", "basic livelihood recipient"),
    Choice("near_poverty", "차상위계층", "near-poverty group"),
    Choice("eitc", "근로·자녀장려금 수급 자격", "EITC-eligible"),
    Choice("none", "해당 없음", "none"),
)
_HARDSHIP = (
    Choice("job_loss", "최근 6개월 안에 실직", "job loss within 6 months"),
    Choice("business_closure", "최근 6개월 안에 폐업", "business closure within 6 months"),
    Choice("illness", "질병·입원", "illness or hospital stay"),
    Choice("repeated_short_delays", "6개월 안에 5일 이상 연체 3번 이상", "3+ delays of 5+ days in 6 months"),
)
_COURT = (
    Choice("none", "없음", "none"),
    Choice("in_progress", "개인회생 진행 중", "court rehabilitation in progress"),
    Choice("completed", "개인회생 마침", "court rehabilitation completed"),
)

FIELDS: dict[str, AnswerField] = {
    f.name: f
    for f in (
        AnswerField("age", "age", "나이", "Age", 0, 120),
        AnswerField("purpose", "enum", "상담 목적", "Purpose", choices=_PURPOSES),
        AnswerField("annual_income_krw", "krw", "연소득", "Annual income", 0, _KRW_MAX),
        AnswerField("employment", "enum", "일하는 형태", "Employment", choices=_EMPLOYMENT),
        AnswerField("employment_months", "months", "지금 일한 기간", "Months in current job", 0, 720),
        AnswerField("sme_employee", "bool", "중소기업 재직", "Works at an SME"),
        AnswerField("credit_percentile", "percentile", "신용점수", "Credit score", 1, 100),
        AnswerField("livelihood_status", "enum", "수급 자격", "Welfare status", choices=_LIVELIHOOD),
        AnswerField("household_size", "count", "가구원 수", "Household size", 1, 20),
        AnswerField("total_debt_krw", "krw", "총채무", "Total debt", 0, _KRW_MAX),
        AnswerField("secured_debt_krw", "krw", "담보채무", "Secured debt", 0, _KRW_MAX),
        AnswerField("unsecured_debt_krw", "krw", "무담보채무", "Unsecured debt", 0, _KRW_MAX),
        AnswerField(
            "debt_last_6m_krw",
            "krw",
            "최근 6개월 안에 생긴 빚",
            "Debt taken in the last 6 months",
            0,
            _KRW_MAX,
        ),
        AnswerField("delinquency_days", "days", "가장 오래된 연체", "Longest delinquency", 0, 36500),
        AnswerField("hardship", "enum_list", "어려운 사정", "Hardship", choices=_HARDSHIP),
        AnswerField(
            "ccrs_repayment_months",
            "months",
            "채무조정 성실상환",
            "Months repaid under CCRS adjustment",
            0,
            600,
        ),
        AnswerField(
            "ccrs_completed_within_3y",
            "bool",
            "3년 안에 채무조정 상환 완료",
            "CCRS plan finished within 3 years",
        ),
        AnswerField("court_rehabilitation", "enum", "개인회생", "Court rehabilitation", choices=_COURT),
        AnswerField(
            "court_rehabilitation_months",
            "months",
            "개인회생 성실상환",
            "Months repaid under court plan",
            0,
            600,
        ),
        AnswerField(
            "policy_loan_good_standing_months",
            "months",
            "정책서민금융 성실상환",
            "Months of good standing on a policy loan",
            0,
            600,
        ),
        # Computed by the engine from household_size and the catalogue's reference table.
        AnswerField(
            "min_living_cost_krw",
            "krw",
            "최저생계비(연)",
            "Minimum cost of living (yearly)",
            0,
            _KRW_MAX,
            derived=True,
        ),
    )
}

ANSWER_FIELDS = tuple(name for name, f in FIELDS.items() if not f.derived)
