"""One question of the needs questionnaire: its words, input type and bounds, and for a compound
question how each option maps to the answer fields it fills (see ``config/questionnaire.toml``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.matching.catalogue import Catalogue
from kiosk.matching.conditions import MET, Condition
from kiosk.matching.fields import FIELDS
from kiosk.matching.ranges import AnswerRange, dump
from kiosk.matching.relevance import probe_values

_OPEN = object()  # a field left for the follow-up question


@dataclass(frozen=True)
class Option:
    value: Any
    ko: str
    en: str
    # compound questions only: the fields this option fills, and the follow-up question it opens
    sets: tuple[tuple[str, Any], ...] = ()
    opens: str = ""


@dataclass(frozen=True)
class Question:
    id: str
    field: str
    type: str
    ko: str
    en: str
    help_ko: str = ""
    help_en: str = ""
    unit_ko: str = ""
    unit_en: str = ""
    minimum: int | None = None
    maximum: int | None = None
    allow_unknown: bool = False
    choices: tuple[Option, ...] = ()
    ask_when: Condition | None = None
    always: bool = False  # asked of everyone, whatever the programs need
    # A compound question fills several fields from one screen of options; ``none`` is what choosing
    # nothing ("없어요") means for each. A follow-up (``follows``) is asked only once its parent left
    # its field open, i.e. the person chose the option that needs it.
    fields: tuple[str, ...] = ()
    none: tuple[tuple[str, Any], ...] = ()
    follows: str = ""
    # The help shown when the creditor list already settled some of this screen's fields (the options
    # it settles are gone, see ``Questionnaire.knowing``).
    listed_help_ko: str = ""
    listed_help_en: str = ""

    @property
    def filled(self) -> tuple[str, ...]:
        """Every answer field this question fills."""
        return self.fields or (self.field,)

    @property
    def compound(self) -> bool:
        """A multi-choice screen of several fields, with "없어요" (see ``config/questionnaire.toml``)."""
        return len(self.filled) > 1 and self.type == "multi_choice"

    @property
    def several(self) -> bool:
        """A single choice whose options fill several fields ("직장에 다닌 지 1년이 넘었어요": the work and
        a range of months in it): one decision, one tap."""
        return len(self.filled) > 1 and self.type == "choice"

    def choose(self, value: Any) -> dict[str, Any]:
        """A ``several`` answer as engine fields: what the option sets (None: every field unknown). A field
        the option leaves out stays unasked (its own question may follow)."""
        if value is None:
            return {name: None for name in self.filled}
        for option in self.choices:
            if option.value == value:
                return dict(option.sets)
        raise KeyError(value)

    def _best(self, values: Mapping[str, Any]) -> Option | None:
        """The option of a ``several`` question that says the most of what ``values`` holds."""
        fits = [o for o in self.choices if o.sets and all(_fits(values.get(f), v) for f, v in o.sets)]
        return max(fits, key=lambda o: len(o.sets), default=None)

    def answered(self, answers: Mapping[str, Any]) -> bool:
        """Whether this screen was answered: for a compound one, a field every answer to it fills is
        there (one only a follow-up fills may have been given on its own)."""
        return any(name in answers for name in self.filled if name not in self.opened)

    @property
    def opened(self) -> frozenset[str]:
        """Fields of a compound question left open for a follow-up when their option is chosen."""
        return frozenset(o.opens for o in self.choices if o.opens)

    def chosen(self, answers: Mapping[str, Any]) -> list[Any]:
        """The options of a compound question that the stored answers say were chosen (for 이전)."""
        if self.several:
            best = self._best(answers)
            return [best.value] if best is not None else []
        nothing = dict(self.none)
        picked = []
        for option in self.choices:
            if option.sets and all(_holds(answers.get(f), v) for f, v in option.sets):
                picked.append(option.value)
            elif option.opens:
                value = answers.get(option.opens, _OPEN)  # still open: the follow-up is next
                if value is _OPEN or value not in (None, nothing.get(option.opens)):
                    picked.append(option.value)
        return picked

    def visitor_answer(self, full: Mapping[str, Any]) -> dict[str, Any]:
        """What a visitor whose true answers are ``full`` gives on this screen: each field as it is,
        except a field a follow-up asks, which stays open when the person would choose its option."""
        if self.several:  # the option that holds the person's own values, or "잘 모르겠어요"
            if all(full.get(name) is None for name in self.filled):
                return self.choose(None)
            best = self._best(full)
            # no option says it (the work not known, the months known): the months keep their own question
            return dict(best.sets) if best is not None else {self.field: None}
        out: dict[str, Any] = {}
        nothing = dict(self.none)
        for name in self.filled:
            value = full.get(name)
            ticked = self._range_option(name, value) if value != nothing.get(name) else None
            if ticked is not None:  # an option says it as a range: the tick, no follow-up
                out[name] = ticked
                continue
            if name in self.opened and value is not None and value != nothing.get(name):
                continue  # they tick the option; the follow-up asks how much / how long
            out[name] = value
        return out

    def _range_option(self, name: str, value: Any) -> AnswerRange | None:
        """The range an option of this screen sets for ``name`` that holds the exact ``value``
        ("한 달 넘게 밀렸어요 (31~89일)" for 45 days): the tick, not the figure."""
        for option in self.choices:
            for field, wanted in option.sets:
                if field == name and isinstance(wanted, AnswerRange) and wanted.holds(value):
                    return wanted
        return None

    def fill(self, chosen: list[Any] | None) -> dict[str, Any]:
        """A compound answer as engine fields. None ("잘 모르겠어요") leaves every field unknown; else each
        field is what the chosen options set (a list field collects them, the first option wins a single
        one) or its ``none`` value; a field a chosen option opens is left out, for the follow-up."""
        if chosen is None:
            return {name: None for name in self.filled}
        values = dict(self.none)
        for option in self.choices:
            if option.value not in chosen:
                continue
            for name, value in option.sets:
                if FIELDS[name].kind == "enum_list":
                    values[name] = sorted({*values[name], value})
                elif values.get(name) == dict(self.none).get(name):
                    values[name] = value
            if option.opens:
                values.pop(option.opens, None)
        return values

    def probes(self, catalogue: Catalogue) -> list[dict[str, Any]]:
        """The answers (field → value) tried when judging how decisive this question is."""
        if self.several:
            return [self.choose(c.value) for c in self.choices]
        if self.compound:
            return [self.fill([]), *(self.fill([c.value]) for c in self.choices)]
        return [{self.field: value} for value in self._values(catalogue)]

    def _values(self, catalogue: Catalogue) -> list[Any]:
        if self.type == "yes_no":
            return [True, False]
        if self.type == "multi_choice":
            return [[], *([c.value] for c in self.choices)]
        if self.choices:
            return [c.value for c in self.choices]
        return probe_values(catalogue, self.field)

    def applies(self, answers: Mapping[str, Any]) -> bool:
        return self.ask_when is None or self.ask_when.evaluate(answers, []) == MET

    def to_dict(self) -> dict[str, Any]:
        """What a screen needs to show this question."""
        return {
            "id": self.id,
            "field": self.field,
            "fields": list(self.filled),
            "type": self.type,
            "text": {"ko": self.ko, "en": self.en},
            "help": {"ko": self.help_ko, "en": self.help_en},
            "unit": {
                "ko": self.unit_ko or ("만원" if self.type == "amount_manwon" else ""),
                "en": self.unit_en,
            },
            "min": self.minimum,
            "max": self.maximum,
            "allow_unknown": self.allow_unknown,
            "choices": [{"value": dump(c.value), "ko": c.ko, "en": c.en} for c in self.choices],
        }


def _fits(actual: Any, wanted: Any) -> bool:
    """A person's exact value is what an option sets, or inside the range it sets."""
    if isinstance(wanted, AnswerRange):
        return wanted.holds(actual) or actual == wanted
    return actual == wanted  # None: the option says "not known", and so does the person


def _holds(actual: Any, wanted: Any) -> bool:
    """An option's value is in the answer (a list field holds it among others)."""
    return wanted in actual if isinstance(actual, list) else actual == wanted


__all__ = ["Option", "Question"]
