"""A condition's plain sentences for a visitor, as the catalogue words them (never built from operators).

``{value}`` in a sentence stands for the person's own answer, worded in the sentence's language:
"45일" / "45 days", "4,800만원" / "₩48,000,000" (UI.md units).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.matching.fields import AnswerField
from kiosk.matching.ranges import AnswerRange
from kiosk.matching.wording import value_en, value_ko, won_en_full


@dataclass(frozen=True)
class PlainText:
    """When the condition holds (met) and when it doesn't (what the program is for), ko and en."""

    met_ko: str
    met_en: str
    unmet_ko: str
    unmet_en: str

    def worded(self, met: bool, spec: AnswerField, actual: Any) -> tuple[str, str] | None:
        ko, en = (self.met_ko, self.met_en) if met else (self.unmet_ko, self.unmet_en)
        ko, en = _fill(ko, spec, actual, english=False), _fill(en, spec, actual, english=True)
        return (ko, en) if ko and en else None


def _fill(template: str, spec: AnswerField, actual: Any, *, english: bool) -> str:
    if "{value}" not in template:
        return template
    if actual is None:  # settled without the answer (e.g. by the whole debt): no sentence names it
        return ""
    if english:
        exact_amount = spec.kind == "krw" and not isinstance(actual, AnswerRange)
        shown = won_en_full(actual) if exact_amount else value_en(spec, actual)  # a range: "₩20M–₩35M"
    else:
        shown = value_ko(spec, actual)
    text = template.replace("{value}", shown)
    if isinstance(actual, AnswerRange) and not english:  # "3,500만원까지이라" reads "3,500만원까지라"
        text = text.replace("까지이라", "까지라").replace("넘게이라", "넘어서")
    return text
