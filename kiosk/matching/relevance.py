"""Which unanswered fields could still change a program's verdict: the adaptive questionnaire's guide.

Every condition is evaluated over what is known so far, as the *set of outcomes it could still have*
once the missing answers arrive (a person may also answer "잘 모르겠어요", so unknown stays possible):
an answered leaf has one outcome, an unasked one all three. ``all``/``any``/``not`` combine those sets
(children are treated as independent, which can only over-estimate — a question is then asked that was
not needed, never skipped when it was). A program whose set has one element is settled: no later answer
changes it (three-valued logic is monotone). A field matters when a leaf on it can be reached from an
unsettled program through unsettled nodes only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kiosk.matching.catalogue import Catalogue, Program
from kiosk.matching.conditions import MET, NOT_MET, UNKNOWN, AllOf, AnyOf, Compare, Condition, Confirm, NoneOf
from kiosk.matching.engine import with_derived
from kiosk.matching.fields import ANSWER_FIELDS, FIELDS
from kiosk.matching.ranges import add, as_range
from kiosk.matching.triage import triage_needs

Outcomes = frozenset[str]
ANY_OUTCOME: Outcomes = frozenset({MET, NOT_MET, UNKNOWN})
_SETTLED_UNKNOWN: Outcomes = frozenset({UNKNOWN})
# Fields computed from others: asking the source is how they become known.
_SOURCES = {"min_living_cost_krw": ("household_size",)}
# An unanswered debt part can be settled by the whole or the other part (see ``engine.debt_bounds``).
_BOUND_SOURCES = {
    "secured_debt_krw": ("total_debt_krw", "unsecured_debt_krw"),
    "unsecured_debt_krw": ("total_debt_krw", "secured_debt_krw"),
    "debt_last_6m_krw": ("total_debt_krw",),
}
BOUND_SOURCES = _BOUND_SOURCES  # a part → the amounts that bound it (the questionnaire orders by it)


@dataclass(frozen=True)
class Known:
    """Answers so far: ``values`` for the engine (None where unknown) and which fields were never asked."""

    values: dict[str, Any]
    unasked: frozenset[str]

    @classmethod
    def of(cls, catalogue: Catalogue, answers: Mapping[str, Any]) -> Known:
        raw = {name: as_range(answers.get(name)) for name in ANSWER_FIELDS}  # a stored {"from", "to"}
        unasked = {name for name in ANSWER_FIELDS if name not in answers}
        secured, unsecured = raw["secured_debt_krw"], raw["unsecured_debt_krw"]
        if raw["total_debt_krw"] is None and secured is not None and unsecured is not None:
            raw["total_debt_krw"] = add(secured, unsecured)  # as validate_answers derives it
            unasked.discard("total_debt_krw")
        for derived, sources in _SOURCES.items():
            if any(source in unasked for source in sources):
                unasked.add(derived)
        return cls(with_derived(catalogue, raw), frozenset(unasked))

    def missing(self, names: Iterable[str]) -> list[str]:
        return [name for name in names if name in self.unasked]


def _leaf(leaf: Compare, known: Known) -> Outcomes:
    status = leaf.evaluate(known.values, [])
    if status != UNKNOWN:
        return frozenset({status})
    return ANY_OUTCOME if _open_fields(leaf, known) else _SETTLED_UNKNOWN


def _open_fields(leaf: Compare, known: Known) -> list[str]:
    """The unasked fields whose answer could still settle this leaf."""
    names = [leaf.field]
    if leaf.ratio_of is not None:
        names.append(leaf.ratio_of.name)
    if known.values.get(leaf.field) is None:
        names.extend(_BOUND_SOURCES.get(leaf.field, ()))
    out: list[str] = []
    for name in known.missing(names):
        out.extend(_SOURCES.get(name, (name,)))
    return out


def _all_of(sets: list[Outcomes]) -> Outcomes:
    out = set()
    if all(MET in s for s in sets):
        out.add(MET)
    if any(NOT_MET in s for s in sets):
        out.add(NOT_MET)
    if all(s - {NOT_MET} for s in sets) and any(UNKNOWN in s for s in sets):
        out.add(UNKNOWN)
    return frozenset(out)


def _any_of(sets: list[Outcomes]) -> Outcomes:
    out = set()
    if any(MET in s for s in sets):
        out.add(MET)
    if all(NOT_MET in s for s in sets):
        out.add(NOT_MET)
    if all(s - {MET} for s in sets) and any(UNKNOWN in s for s in sets):
        out.add(UNKNOWN)
    return frozenset(out)


_FLIP = {MET: NOT_MET, NOT_MET: MET, UNKNOWN: UNKNOWN}


class _Walker:
    """Outcome sets bottom-up (remembered per node), then the open fields top-down."""

    def __init__(self, known: Known) -> None:
        self.known = known
        self.memo: dict[int, Outcomes] = {}

    def outcomes(self, node: Condition) -> Outcomes:
        got = self.memo.get(id(node))
        if got is not None:
            return got
        if isinstance(node, Compare):
            got = _leaf(node, self.known)
        elif isinstance(node, Confirm):
            got = _SETTLED_UNKNOWN
        elif isinstance(node, AnyOf):
            got = _any_of([self.outcomes(child) for child in node.children])
        elif isinstance(node, AllOf):
            got = _all_of([self.outcomes(child) for child in node.children])
        elif isinstance(node, NoneOf):
            got = frozenset(_FLIP[s] for s in self.outcomes(node.child))
        else:
            raise TypeError(f"unknown condition node {type(node).__name__}")
        self.memo[id(node)] = got
        return got

    def open_fields(self, node: Condition, out: set[str]) -> None:
        if len(self.outcomes(node)) < 2:
            return
        if isinstance(node, Compare):
            out.update(_open_fields(node, self.known))
        elif isinstance(node, AllOf):  # AnyOf too
            for child in node.children:
                self.open_fields(child, out)
        elif isinstance(node, NoneOf):
            self.open_fields(node.child, out)


def program_outcomes(program: Program, known: Known) -> Outcomes:
    return _Walker(known).outcomes(program.eligibility)


def open_fields(catalogue: Catalogue, answers: Mapping[str, Any]) -> dict[str, list[str]]:
    """Unasked field → the programs whose verdict it could still change (empty when all are settled)."""
    known = Known.of(catalogue, answers)
    fields: dict[str, list[str]] = {}
    for program in catalogue.programs:
        walker = _Walker(known)
        found: set[str] = set()
        walker.open_fields(program.eligibility, found)
        # the loan limit is read from an answer too, once the program may fit
        if program.limit_field in known.unasked and walker.outcomes(program.eligibility) - {NOT_MET}:
            found.add(program.limit_field)
        for name in found:
            fields.setdefault(name, []).append(program.id)
    # the debt route (which CCRS program, or the court) reads a few answers of its own
    for name in triage_needs(known.values, known.unasked):
        fields.setdefault(name, [])
    return fields


def settled_count(catalogue: Catalogue, answers: Mapping[str, Any], program_ids: Iterable[str]) -> int:
    """How many of these programs no later answer can change."""
    known = Known.of(catalogue, answers)
    return sum(1 for pid in program_ids if len(program_outcomes(catalogue.program(pid), known)) == 1)


def _leaves(node: Condition) -> list[Condition]:
    return node.leaves()


def probe_values(catalogue: Catalogue, field: str) -> list[Any]:
    """Answers worth trying for a numeric field: every threshold the catalogue puts on it, and either side."""
    spec = FIELDS[field]
    values: set[int] = {spec.minimum}
    for program in catalogue.programs:
        for leaf in _leaves(program.eligibility):
            if not isinstance(leaf, Compare) or leaf.field != field:
                continue
            if leaf.ratio_of is not None:
                if leaf.ratio_of.name == "min_living_cost_krw":
                    for monthly in catalogue.min_living_cost_monthly.values():
                        line = round(monthly * 12 * leaf.value)
                        values.update({line - 1, line})
                continue
            for threshold in (leaf.value, leaf.alt_value):
                if isinstance(threshold, int) and not isinstance(threshold, bool):
                    values.update({threshold - 1, threshold, threshold + 1})
    top = spec.maximum if spec.maximum is not None else max(values)
    return sorted(v for v in values if spec.minimum <= v <= top)


def decisiveness(
    catalogue: Catalogue, answers: Mapping[str, Any], programs: list[str], probes: Sequence[Mapping[str, Any]]
) -> float:
    """How many of ``programs`` an answer settles, on average over the possible answers (each a mapping
    field → value: a compound question fills several fields at once)."""
    if not probes:
        return 0.0
    total = sum(settled_count(catalogue, {**answers, **probe}, programs) for probe in probes)
    return total / len(probes)
