"""Evaluate every catalogue program for one set of answers: verdict, reasons, what to prove, rank.

``match(answers)`` is the one entry point the visit flow, the hub and the CLI call. Every report
carries the catalogue version and the engine version so a stored result can be explained later.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kiosk.matching.answers import Answers, validate_answers
from kiosk.matching.catalogue import Catalogue, Program, Text, shipped_catalogue
from kiosk.matching.conditions import BOUNDS, MET, NOT_MET, RawReason, Reason, materialize
from kiosk.matching.ranges import AnswerRange, high_of, low_of
from kiosk.matching.triage import DebtTriage, is_delinquent, triage

ENGINE_VERSION = "match-1.0.0"
ELIGIBLE, MAYBE, INELIGIBLE = "eligible", "maybe", "ineligible"
_VERDICT_OF = {MET: ELIGIBLE, NOT_MET: INELIGIBLE}
# UI.md "Words": encouraging and honest, never a bare "불가".
VERDICT_TEXT = {
    ELIGIBLE: Text("신청할 수 있어요", "You can apply"),
    MAYBE: Text("서류 확인 후 가능할 수 있어요", "May be possible once documents are checked"),
    INELIGIBLE: Text(
        "지금은 어려워요 — 대신 이런 방법이 있어요", "Not possible right now — here are other options"
    ),
}


@dataclass
class ProgramVerdict:
    program: Program
    verdict: str
    raw_reasons: list[RawReason]
    limit_krw: int | None = None
    rank: int = 0
    recommended: bool = False
    _reasons: list[Reason] | None = None

    @property
    def reasons(self) -> list[Reason]:
        """One reason per condition, in the order of the program's rule (worded on first read)."""
        if self._reasons is None:
            self._reasons = materialize(self.raw_reasons)
        return self._reasons

    @property
    def id(self) -> str:
        return self.program.id

    @property
    def to_confirm(self) -> list[Reason]:
        """What is missing or must be proven — the content of a "maybe"."""
        return [r for r in self.reasons if r.status == "unknown"]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.program.id,
            "verdict": self.verdict,
            "verdict_text": VERDICT_TEXT[self.verdict].to_dict(),
            "rank": self.rank,
            "recommended": self.recommended,
            "reasons": [r.to_dict() for r in self.reasons],
            "to_confirm": [{"ko": r.ko, "en": r.en} for r in self.to_confirm],
            "limit_krw": self.limit_krw,
        }
        out.update(_program_facts(self.program))
        return out


_FACTS: dict[int, dict[str, Any]] = {}


def _program_facts(p: Program) -> dict[str, Any]:
    """The program's own description (same for every applicant), built once per program object."""
    facts = _FACTS.get(id(p))
    if facts is None or facts["_program"] is not p:
        facts = _FACTS[id(p)] = {
            "_program": p,
            "name": {"ko": p.text["name_ko"], "en": p.text["name_en"]},
            "provider": {"ko": p.text["provider_ko"], "en": p.text["provider_en"]},
            "category": p.category,
            "helps": p.helps,
            "limit": {"ko": p.text["limit_ko"], "en": p.text["limit_en"]},
            "rate": {"ko": p.text["rate_ko"], "en": p.text["rate_en"]},
            "term": {"ko": p.text["term_ko"], "en": p.text["term_en"]},
            "required_documents": [d.to_dict() for d in p.required_documents],
            "notes": [n.to_dict() for n in p.notes],
            "source": dict(p.source),
            "effective_date": p.effective_date.isoformat(),
        }
    return {k: v for k, v in facts.items() if k != "_program"}


@dataclass
class MatchReport:
    catalogue_version: str
    engine_version: str
    programs: list[ProgramVerdict]
    triage: DebtTriage | None = None
    answers: Answers = field(default_factory=dict)

    def verdict(self, program_id: str) -> ProgramVerdict:
        for verdict in self.programs:
            if verdict.id == program_id:
                return verdict
        raise KeyError(program_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "catalogue_version": self.catalogue_version,
            "engine_version": self.engine_version,
            "programs": [v.to_dict() for v in self.programs],
            "triage": self.triage.to_dict() if self.triage else None,
        }


def with_derived(catalogue: Catalogue, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Answers plus fields the engine computes (yearly minimum cost of living for the household)."""
    full = dict(answers)
    size = answers.get("household_size")
    table = catalogue.min_living_cost_monthly
    if size is not None and table:
        full["min_living_cost_krw"] = _min_living_cost(table, size)
    else:
        full["min_living_cost_krw"] = None
    bounds = debt_bounds(full)
    if bounds:
        full[BOUNDS] = bounds
    return full


def _min_living_cost(table: Mapping[int, int], size: Any) -> Any:
    """The yearly minimum cost of living for a household size (a range of sizes gives a range)."""
    top = max(table)
    if not isinstance(size, AnswerRange):
        return table[min(size, top)] * 12
    low = table[min(size.low, top)] * 12
    # every size from the table's last row up costs the same
    high = table[top if size.high is None else min(size.high, top)] * 12
    return AnswerRange(low, high) if high != low else low


def debt_bounds(answers: Mapping[str, Any]) -> dict[str, tuple[float, float]]:
    """Ranges of the unanswered debt parts, known from the whole (validate_answers keeps parts ≤ total);
    the whole or a part given as a range bounds them by its extreme values (math.inf: no bound)."""
    total = answers.get("total_debt_krw")
    if total is None:
        return {}
    secured, unsecured = answers.get("secured_debt_krw"), answers.get("unsecured_debt_krw")
    spans: dict[str, tuple[float, float]] = {}
    whole = high_of(total)
    if secured is None:
        spans["secured_debt_krw"] = (0, whole - low_of(unsecured or 0))
    if unsecured is None:
        spans["unsecured_debt_krw"] = (0, whole - low_of(secured or 0))
    if answers.get("debt_last_6m_krw") is None:
        spans["debt_last_6m_krw"] = (0, whole)
    return spans


def _limit(program: Program, answers: Mapping[str, Any]) -> int | None:
    if program.limit_field is None:
        return None
    value = answers.get(program.limit_field)
    if value is None:
        return None
    low, high = low_of(value), high_of(value)  # a range answer: only a bracket holding all of it
    for bracket in program.limit_brackets:
        if low >= bracket.minimum and (bracket.maximum is None or high <= bracket.maximum):
            return bracket.limit_krw
    return None


def evaluate(catalogue: Catalogue, answers: Answers) -> MatchReport:
    """Evaluate already-validated answers against every program and rank the verdicts."""
    full = with_derived(catalogue, answers)
    verdicts = []
    for program in catalogue.programs:
        reasons: list[RawReason] = []
        status = program.eligibility.evaluate(full, reasons)
        verdict = _VERDICT_OF.get(status, MAYBE)
        limit = _limit(program, full) if verdict != INELIGIBLE else None
        verdicts.append(ProgramVerdict(program, verdict, reasons, limit))
    debt = triage(full, {v.id: v.verdict for v in verdicts})
    _rank(verdicts, full, debt)
    return MatchReport(catalogue.version, ENGINE_VERSION, verdicts, debt, answers)


_VERDICT_ORDER = {ELIGIBLE: 0, MAYBE: 1, INELIGIBLE: 2}


def _rank(verdicts: list[ProgramVerdict], answers: Mapping[str, Any], debt: DebtTriage | None) -> None:
    """Eligible first; among equals what helps most — debt relief before new debt when delinquent."""
    helps_order = (
        {"debt_relief": 0, "new_credit": 1, "referral": 2}
        if is_delinquent(answers)
        else {"new_credit": 0, "debt_relief": 1, "referral": 2}
    )
    route = debt.route if debt else None
    for v in verdicts:
        v.recommended = v.id == route
    verdicts.sort(
        key=lambda v: (
            _VERDICT_ORDER[v.verdict],
            not v.recommended,
            helps_order.get(v.program.helps, 3),
            v.program.priority,
            v.id,
        )
    )
    for rank, v in enumerate(verdicts, start=1):
        v.rank = rank


def match(raw_answers: Mapping[str, Any], catalogue: Catalogue | None = None) -> MatchReport:
    """Validate raw answers (raises InvalidAnswers) and evaluate them against the catalogue."""
    return evaluate(catalogue or shipped_catalogue(), validate_answers(raw_answers))
