"""Range buttons for a number question ("30일까지", "31~89일", "90일 이상"): one tap instead of a keypad.

The ranges are cut where the catalogue's lines on that field still matter for this person
(``kiosk.matching.cuts``), so each range decides every such rule exactly as the exact figure would. The
values are ``AnswerRange`` in the engine's unit (won for amounts, not 만원): a line such as two thirds of a
household's minimum cost of living is not a round number of 만원. No ranges (an empty tuple) means the
keypad only: a line waits for an answer not given yet, or more than ``MAX_OPTIONS`` ranges would be needed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kiosk.matching.catalogue import Catalogue
from kiosk.matching.cuts import Blocked, blockers, range_cuts, split
from kiosk.matching.fields import FIELDS
from kiosk.matching.ranges import AnswerRange, as_range, interval
from kiosk.matching.relevance import BOUND_SOURCES
from kiosk.matching.wording import range_en, range_ko
from kiosk.visit.question import Option, Question

# "About six": income can need seven (0, the household line, 3,500만, 4,000만, 4,500만, 5,000만, more).
MAX_OPTIONS = 7
MANWON = 10_000
NUMBER_TYPES = ("amount_manwon", "count", "days")


def range_options(question: Question, answers: Mapping[str, Any], catalogue: Catalogue) -> tuple[Option, ...]:
    """The range buttons for ``question`` given the answers so far, or () for the keypad only."""
    if question.type not in NUMBER_TYPES or question.compound:
        return ()
    spec = FIELDS[question.field]
    try:
        cuts = range_cuts(catalogue, answers, question.field)
    except Blocked:
        return ()
    factor = MANWON if question.type == "amount_manwon" else 1
    low = max(spec.minimum, (question.minimum or 0) * factor, _known_parts(question.field, answers))
    ranges = split(cuts, low, None)
    if len(ranges) < 2 or len(ranges) > MAX_OPTIONS:
        return ()  # one range says nothing; too many is no kinder than the keypad
    return tuple(option(question, r) for r in ranges)


def _known_parts(field: str, answers: Mapping[str, Any]) -> int:
    """The least the whole can be, given a part already told (all the debt is at least the new
    borrowing): no button below what the person just said."""
    lows = [
        int(interval(as_range(answers[part]))[0])
        for part, wholes in BOUND_SOURCES.items()
        if field in wholes and answers.get(part) is not None
    ]
    return max(lows, default=0)


def option(question: Question, r: AnswerRange) -> Option:
    spec = FIELDS[question.field]
    return Option(r, range_ko(spec, r), range_en(spec, r))


def containing(options: tuple[Option, ...], value: Any) -> Option | None:
    """The button (a range holding it, or the exact value) a visitor with the exact ``value`` presses."""
    for choice in options:
        if isinstance(choice.value, AnswerRange) and choice.value.holds(value):
            return choice
        if choice.value == value and type(choice.value) is type(value):
            return choice
    return None


def _part_of(part: Question, whole: Question) -> bool:
    """Whether ``part`` asks for a share of what ``whole`` asks (the new borrowing of all the debt)."""
    return whole.field in BOUND_SOURCES.get(part.field, ())


def sources_first(order: list[Question], answers: Mapping[str, Any], cat: Catalogue) -> list[Question]:
    """Ask first what a later number question's range lines wait for (the household before the
    income, whose line is the household's minimum cost of living), unless that one waits too.

    Two amounts that wait on each other (the new borrowing may be at most 30% of all the debt) go last:
    the other answers may settle that rule, and then the whole is one tap on its other lines. When it
    still matters the part is asked first — the recent, smaller figure a person remembers, on the
    keypad — and the whole, the sum nobody knows to the 만원, is one tap on a range cut at that line."""
    out = list(order)
    for question in order:
        if question.type not in NUMBER_TYPES or question.compound:
            continue
        source = blockers(cat, answers, question.field)
        ahead = next(
            (
                q
                for q in out
                if source in q.filled and not q.compound and (not q.follows or _part_of(q, question))
            ),
            None,
        )
        if ahead is None:
            continue
        if _part_of(ahead, question) and blockers(cat, answers, ahead.field):
            # last but for the other parts, which the whole may bound without asking them
            out.remove(ahead)
            out.remove(question)
            parts = [q for q in out if _part_of(q, question)]
            at = min((out.index(q) for q in parts), default=len(out))
            out[at:at] = [ahead, question]
            continue
        if out.index(ahead) < out.index(question):
            continue
        if ahead.type in NUMBER_TYPES and blockers(cat, answers, ahead.field):
            continue
        out.remove(ahead)
        out.insert(out.index(question), ahead)
    return out


__all__ = ["MAX_OPTIONS", "containing", "option", "range_options", "sources_first"]
