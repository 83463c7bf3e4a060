"""Range answers for the needs screen's number questions ("30일까지", "31~89일", "90일 넘게").

The questionnaire builds them from the catalogue thresholds that can still change a verdict; a range is
stored as a range, never as a made-up number. The screen keeps the ranges it first offered for each
question, so 이전 shows the same buttons with the earlier answer selected.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kiosk.matching.answers import InvalidAnswers
from kiosk.matching.catalogue import shipped_catalogue
from kiosk.visit.question import Option, Question
from kiosk.visit.questionnaire import Questionnaire


class RangeOffers:
    """The range buttons offered per question for this visit (empty: keypad only)."""

    def __init__(self) -> None:
        self._offered: dict[str, tuple[Option, ...]] = {}

    def clear(self) -> None:
        self._offered.clear()

    def for_question(
        self, questionnaire: Questionnaire, question: Question, answers: Mapping[str, Any]
    ) -> tuple[Option, ...]:
        if question.type not in ("amount_manwon", "count", "days") or question.compound:
            return ()
        if question.id not in self._offered:
            # What the person had answered before this question (its own earlier answer left out).
            before = {k: v for k, v in answers.items() if k not in question.filled}
            self._offered[question.id] = tuple(questionnaire.ranges(question.id, before, shipped_catalogue()))
        return self._offered[question.id]


def chosen_range(
    questionnaire: Questionnaire, question_id: str, options: list[Any], stored: Any
) -> int | None:
    """Which offered range the stored answer is (for 이전), or None (no answer, or an exact number)."""
    if stored is None or isinstance(stored, int):
        return None
    for index, value in enumerate(options):
        if value == stored:
            return index
    for index, value in enumerate(options):  # the stored form may differ (만원 → won)
        try:
            if stored in questionnaire.fill(question_id, value).values():
                return index
        except InvalidAnswers:
            continue
    return None
