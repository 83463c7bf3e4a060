"""How many questions may still follow the one on screen: the needs counter's honest "at most".

The questionnaire is adaptive, so the number still to ask depends on answers not given yet. The counter
promises an upper bound and keeps it: ``at_most_after(question, answers)`` is the largest number of
questions any answer to ``question`` could leave to ask — each possible answer tried, and what could
still matter after it counted (``Questionnaire.remaining``'s set, without its ordering). It never grows
from one screen to the next (a question asked is one fewer that can remain), it shrinks as soon as an
answer rules questions out, and it is 0 exactly when every answer to this one ends the questionnaire:
then the screen can say "마지막 질문이에요".
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from typing import Any

from kiosk.matching.catalogue import Catalogue, shipped_catalogue
from kiosk.matching.relevance import open_fields, probe_values
from kiosk.visit.question import Question
from kiosk.visit.questionnaire import Questionnaire

# A compound screen's subsets are tried in full up to this many options (2^11 fills are cheap; what the
# counting costs is the distinct answers, and options setting one field collapse onto each other).
_MAX_OPTIONS = 12


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _distinct(fills: Iterator[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[tuple[tuple[str, Any], ...], dict[str, Any]] = {}
    for fill in fills:
        seen.setdefault(tuple(sorted((k, _frozen(v)) for k, v in fill.items())), fill)
    return list(seen.values())


def possible_answers(
    questionnaire: Questionnaire, question: Question, answers: Mapping[str, Any], catalogue: Catalogue
) -> list[dict[str, Any]]:
    """Every distinct way (as engine fields) a person could answer ``question`` — "잘 모르겠어요" too."""
    unknown = [{name: None for name in question.filled}] if question.allow_unknown else []
    if question.several:
        return _distinct(iter([question.choose(c.value) for c in question.choices] + unknown))
    if question.compound:
        values = [c.value for c in question.choices][:_MAX_OPTIONS]
        subsets = itertools.chain.from_iterable(
            itertools.combinations(values, n) for n in range(len(values) + 1)
        )
        return _distinct(itertools.chain((question.fill(list(s)) for s in subsets), unknown))
    name = question.field
    if question.type == "yes_no":
        tried: list[Any] = [True, False]
    elif question.choices:
        tried = [c.value for c in question.choices]
    else:  # a number: the ranges offered and every exact figure either side of a line
        offered = [o.value for o in questionnaire.ranges(question.id, answers, catalogue)]
        tried = [*offered, *probe_values(catalogue, name)]
    return _distinct(iter([{name: value} for value in tried] + unknown))


def still_to_ask(questionnaire: Questionnaire, answers: Mapping[str, Any], catalogue: Catalogue) -> int:
    """How many questions could still be asked after ``answers`` (``remaining``, not ordered: cheap)."""
    needed = open_fields(catalogue, answers)
    return sum(
        1
        for q in questionnaire.questions
        if not q.answered(answers)
        and q.applies(answers)
        and (q.always or any(name in needed for name in q.filled))
    )


def at_most_after(
    questionnaire: Questionnaire,
    question: Question,
    answers: Mapping[str, Any],
    catalogue: Catalogue | None = None,
) -> int:
    """The most questions that can follow ``question`` (asked now, on ``answers`` so far)."""
    cat = catalogue or shipped_catalogue()
    before = {k: v for k, v in answers.items() if k not in question.filled}  # 이전: its own answer out
    return max(
        (
            still_to_ask(questionnaire, {**before, **given}, cat)
            for given in possible_answers(questionnaire, question, before, cat)
        ),
        default=0,
    )


__all__ = ["at_most_after", "possible_answers", "still_to_ask"]
