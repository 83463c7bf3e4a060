"""The needs questionnaire as data: questions, input types, bounds, help — asked adaptively.

``Questionnaire.next_question(answers)`` gives the next screen: only a question whose answer could still
change some program's verdict (``kiosk.matching.relevance``), the most decisive first; questions marked
``always`` (the purpose: results are ordered by it) come first. ``remaining(answers)`` is what is left,
for the progress counter. ``accept(question_id, value)`` turns what the person touched into the engine's
answer value (만원 → won) or raises InvalidAnswers with Korean and English messages.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from config import ConfigError, resource_path
from config.loader import read_toml
from kiosk.matching.answers import AnswerProblem, InvalidAnswers, validate_answers
from kiosk.matching.catalogue import Catalogue, shipped_catalogue
from kiosk.matching.conditions import MET, Condition
from kiosk.matching.fields import FIELDS, NUMERIC_KINDS
from kiosk.matching.relevance import decisiveness, open_fields, probe_values
from kiosk.matching.tree_parser import CatalogueProblem, TreeParser

TYPES = ("choice", "multi_choice", "amount_manwon", "count", "days", "yes_no")
_NUMBER_TYPES = ("amount_manwon", "count", "days")
MANWON = 10_000


@dataclass(frozen=True)
class Option:
    value: Any
    ko: str
    en: str


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

    def probes(self, catalogue: Catalogue) -> list[Any]:
        """The answers tried when judging how decisive this question is."""
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
            "choices": [{"value": c.value, "ko": c.ko, "en": c.en} for c in self.choices],
        }


def _problem(question: Question, ko: str, en: str) -> InvalidAnswers:
    return InvalidAnswers([AnswerProblem(question.field, ko, en)])


@dataclass(frozen=True)
class Questionnaire:
    version: str
    questions: tuple[Question, ...]

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def applicable(self, answers: Mapping[str, Any], catalogue: Catalogue | None = None) -> list[Question]:
        """Questions answered so far plus those still to ask: this person's questionnaire as known now."""
        done = [q for q in self.questions if q.field in answers and q.applies(answers)]
        return done + self.remaining(answers, catalogue)

    def remaining(self, answers: Mapping[str, Any], catalogue: Catalogue | None = None) -> list[Question]:
        """Unanswered questions that could still change a verdict, most decisive first.

        An explicit None ("잘 모르겠어요") counts as answered; a field given by the ID card (age) is never
        asked. The list only shrinks as answers arrive, so a counter built on it never jumps up."""
        cat = catalogue or shipped_catalogue()
        needed = open_fields(cat, answers)
        todo = [
            q
            for q in self.questions
            if q.field not in answers and q.applies(answers) and (q.always or q.field in needed)
        ]
        first = [q for q in todo if q.always]
        rest = [q for q in todo if not q.always]
        score = {q.id: decisiveness(cat, answers, q.field, needed[q.field], q.probes(cat)) for q in rest}
        order = {q.id: i for i, q in enumerate(self.questions)}
        rest.sort(key=lambda q: (-score[q.id], order[q.id]))
        return first + rest

    def next_question(
        self, answers: Mapping[str, Any], catalogue: Catalogue | None = None
    ) -> Question | None:
        """The question to show next, or None when no answer could change any verdict any more."""
        todo = self.remaining(answers, catalogue)
        return todo[0] if todo else None

    def walk(
        self,
        answers: Mapping[str, Any],
        catalogue: Catalogue | None = None,
        given: tuple[str, ...] = ("age",),
    ) -> tuple[list[str], dict[str, Any]]:
        """A visitor whose true answers are ``answers`` (validated, in won) goes through the questionnaire.

        ``given`` fields come from the ID card and are never asked. A question on a field the visitor
        has no answer for is answered "잘 모르겠어요" (None). Returns the question ids in the order asked and
        the answers given (asked or from the card) — all the engine needs for the same verdicts."""
        full = validate_answers(answers)
        known: dict[str, Any] = {name: full[name] for name in given if full.get(name) is not None}
        asked: list[str] = []
        question = self.next_question(known, catalogue)
        while question is not None:
            asked.append(question.id)
            known[question.field] = full.get(question.field)
            question = self.next_question(known, catalogue)
        return asked, known

    def prune(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        """Drop answers to questions that no longer apply (e.g. after going back and changing the purpose)."""
        asked = {q.field for q in self.questions}
        kept = {k: v for k, v in answers.items() if k not in asked}  # pre-filled, e.g. age from the ID card
        for question in self.questions:
            if question.field in answers and question.applies({**kept, **answers}):
                kept[question.field] = answers[question.field]
        return kept

    def accept(self, question_id: str, value: Any) -> Any:
        """The answer value to store for what the person entered, or InvalidAnswers."""
        question = self.question(question_id)
        if value is None:
            if question.allow_unknown:
                return None
            raise _problem(question, "이 질문에는 답을 골라 주세요", "this question needs an answer")
        if question.type in _NUMBER_TYPES:
            if isinstance(value, bool) or not isinstance(value, int):
                raise _problem(question, "숫자로 입력해 주세요", "please enter a whole number")
            lo, hi = question.minimum, question.maximum
            if (lo is not None and value < lo) or (hi is not None and value > hi):
                unit = question.unit_ko or ("만원" if question.type == "amount_manwon" else "")
                raise _problem(
                    question,
                    f"{lo:,}{unit}에서 {hi:,}{unit} 사이로 입력해 주세요",
                    f"please enter a number from {lo} to {hi}",
                )
            stored: Any = value * MANWON if question.type == "amount_manwon" else value
        elif question.type == "yes_no":
            if not isinstance(value, bool):
                raise _problem(question, "예 또는 아니요를 골라 주세요", "please choose yes or no")
            stored = value
        elif question.type == "choice":
            if not any(c.value == value and type(c.value) is type(value) for c in question.choices):
                raise _problem(question, "보기 중에서 골라 주세요", f"{value!r} is not one of the choices")
            stored = value
        else:  # multi_choice
            allowed = {c.value for c in question.choices}
            if not isinstance(value, list) or any(v not in allowed for v in value):
                raise _problem(question, "보기 중에서만 골라 주세요", "please choose only from the list")
            stored = sorted(set(value))
        # The engine's own field check (range, type) is the last word.
        validate_answers({question.field: stored})
        return stored


def _parse(path: Path) -> Questionnaire:
    data = read_toml(path)
    version = data.get("version")
    if not isinstance(version, str) or not version:
        raise ConfigError(str(path), "version", version, "a version string")
    rows = data.get("question")
    if not isinstance(rows, list) or not rows:
        raise ConfigError(str(path), "question", rows, "at least one [[question]]")
    problems: list[CatalogueProblem] = []
    questions: list[Question] = []
    seen: set[str] = set()
    allowed = set(Question.__dataclass_fields__) - {"minimum", "maximum"} | {"min", "max"}
    for i, row in enumerate(rows):
        where = f"question[{i}]"
        for key in row:
            if key not in allowed:
                raise ConfigError(str(path), f"{where}.{key}", row[key], "a known question key")
        qid, name, kind = row.get("id"), row.get("field"), row.get("type")
        if not isinstance(qid, str) or qid in seen:
            raise ConfigError(str(path), f"{where}.id", qid, "a unique question id")
        seen.add(qid)
        spec = FIELDS.get(name) if isinstance(name, str) else None
        if spec is None or spec.derived:
            raise ConfigError(str(path), f"{where}.field", name, "an answer field of the matching engine")
        if kind not in TYPES:
            raise ConfigError(str(path), f"{where}.type", kind, " | ".join(TYPES))
        fits = {
            "choice": spec.kind in ("enum", *NUMERIC_KINDS),
            "multi_choice": spec.kind == "enum_list",
            "yes_no": spec.kind == "bool",
        }.get(kind, spec.kind in NUMERIC_KINDS and (kind != "amount_manwon" or spec.kind == "krw"))
        if not fits:
            raise ConfigError(
                str(path), f"{where}.type", kind, f"a type that fits field {name} ({spec.kind})"
            )
        for key in ("ko", "en"):
            if not isinstance(row.get(key), str) or not row[key]:
                raise ConfigError(str(path), f"{where}.{key}", row.get(key), "the question text")
        choices = tuple(Option(c["value"], c["ko"], c["en"]) for c in row.get("choices", []))
        if kind in ("choice", "multi_choice"):
            if not choices:
                raise ConfigError(str(path), f"{where}.choices", None, "at least one choice")
            for c in choices:
                check = [c.value] if kind == "multi_choice" else c.value
                try:
                    validate_answers({name: check})
                except InvalidAnswers:
                    raise ConfigError(
                        str(path), f"{where}.choices", c.value, f"a valid value of {name}"
                    ) from None
        ask_when = None
        if "ask_when" in row:
            ask_when = TreeParser(path.name, problems).parse(row["ask_when"], f"{where}.ask_when")
            if ask_when is None:
                raise ConfigError(str(path), f"{where}.ask_when", row["ask_when"], str(problems[-1]))
        questions.append(
            Question(
                id=qid,
                field=name,
                type=kind,
                ko=row["ko"],
                en=row["en"],
                help_ko=row.get("help_ko", ""),
                help_en=row.get("help_en", ""),
                unit_ko=row.get("unit_ko", ""),
                unit_en=row.get("unit_en", ""),
                minimum=row.get("min"),
                maximum=row.get("max"),
                allow_unknown=bool(row.get("allow_unknown", False)),
                choices=choices,
                ask_when=ask_when,
                always=bool(row.get("always", False)),
            )
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
    return Questionnaire(f"{version}-{digest}", tuple(questions))


def load_questionnaire(path: str | Path | None = None) -> Questionnaire:
    """Read and check the questionnaire; problems are a ConfigError naming the file and key."""
    return _parse(Path(path) if path else resource_path("questionnaire.toml"))


@lru_cache(maxsize=4)
def questionnaire(path: str = "") -> Questionnaire:
    return load_questionnaire(path or None)
