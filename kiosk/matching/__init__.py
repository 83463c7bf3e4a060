"""Matching: the program catalogue, eligibility condition trees, the engine, triage and ranking.

Entry points: ``match(raw_answers) -> MatchReport`` (validates, evaluates, ranks), ``validate_answers``,
``load_catalogue`` / ``check_catalogue``; ``relevance.open_fields`` says which unasked answers could still
change a verdict (the adaptive questionnaire asks only those). Qt-free and database-free.
"""

from kiosk.matching.answers import AnswerProblem, InvalidAnswers, validate_answers
from kiosk.matching.catalogue import (
    Catalogue,
    CatalogueInvalid,
    check_catalogue,
    load_catalogue,
    shipped_catalogue,
)
from kiosk.matching.engine import (
    ELIGIBLE,
    ENGINE_VERSION,
    INELIGIBLE,
    MAYBE,
    MatchReport,
    ProgramVerdict,
    evaluate,
    match,
)

__all__ = [
    "ELIGIBLE",
    "ENGINE_VERSION",
    "INELIGIBLE",
    "MAYBE",
    "AnswerProblem",
    "Catalogue",
    "CatalogueInvalid",
    "InvalidAnswers",
    "MatchReport",
    "ProgramVerdict",
    "check_catalogue",
    "evaluate",
    "load_catalogue",
    "match",
    "shipped_catalogue",
    "validate_answers",
]
