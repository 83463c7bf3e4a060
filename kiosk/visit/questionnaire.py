"""The needs questionnaire as data: questions, input types, bounds, help — asked adaptively.

``Questionnaire.next_question(answers)`` gives the next screen: only a question whose answer could still
change some program's verdict (``kiosk.matching.relevance``), the most decisive first; questions marked
``always`` (the purpose: results are ordered by it) come first. ``remaining(answers)`` is what is left,
for the progress counter. ``fill(question_id, value)`` turns what the person touched into the engine's
answer values (만원 → won; a compound question fills several fields from one screen of options) or
raises InvalidAnswers with Korean and English messages.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from config import ConfigError, resource_path
from config.loader import read_toml
from kiosk.matching.answers import AnswerProblem, InvalidAnswers, validate_answers
from kiosk.matching.catalogue import Catalogue, shipped_catalogue
from kiosk.matching.fields import FIELDS, NUMERIC_KINDS
from kiosk.matching.ranges import AnswerRange, RangeInvalid, as_range, is_range_shape
from kiosk.matching.relevance import decisiveness, open_fields
from kiosk.matching.tree_parser import CatalogueProblem, TreeParser
from kiosk.visit.question import Option, Question
from kiosk.visit.range_options import containing, range_options, sources_first

TYPES = ("choice", "multi_choice", "amount_manwon", "count", "days", "yes_no")
_NUMBER_TYPES = ("amount_manwon", "count", "days")
MANWON = 10_000


def _programs(needed: Mapping[str, list[str]], question: Question) -> list[str]:
    return sorted({pid for name in question.filled for pid in needed.get(name, [])})


def _problem(question: Question, ko: str, en: str) -> InvalidAnswers:
    return InvalidAnswers([AnswerProblem(question.field, ko, en)])


@dataclass(frozen=True)
class Questionnaire:
    version: str
    questions: tuple[Question, ...]

    def knowing(self, known: Collection[str]) -> Questionnaire:
        """This questionnaire for a person whose ``known`` fields are already said (by the creditor
        list): a question whose fields are all known is answered by them and so never asked; on a
        compound screen the options and fields they settle go, and the options they cannot know stay."""
        settled = frozenset(known)
        if not settled:
            return self
        return Questionnaire(self.version, tuple(_without(q, settled) for q in self.questions))

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def applicable(self, answers: Mapping[str, Any], catalogue: Catalogue | None = None) -> list[Question]:
        """Questions answered so far plus those still to ask: this person's questionnaire as known now."""
        done = [q for q in self.questions if q.answered(answers) and q.applies(answers)]
        return done + self.remaining(answers, catalogue)

    def remaining(self, answers: Mapping[str, Any], catalogue: Catalogue | None = None) -> list[Question]:
        """Unanswered questions that could still change a verdict, most decisive first.

        An explicit None ("잘 모르겠어요") counts as answered; a field given by the ID card (age) is never
        asked. A follow-up counts while its parent is still to ask (the person may choose its option), so
        the list only shrinks as answers arrive and a counter built on it never jumps up."""
        cat = catalogue or shipped_catalogue()
        needed = open_fields(cat, answers)
        todo = [
            q
            for q in self.questions
            if not q.answered(answers)
            and q.applies(answers)
            and (q.always or any(name in needed for name in q.filled))
        ]
        first = [q for q in todo if q.always]
        rest = [q for q in todo if not q.always]
        score = {q.id: decisiveness(cat, answers, _programs(needed, q), q.probes(cat)) for q in rest}
        order = {q.id: i for i, q in enumerate(self.questions)}
        rest.sort(key=lambda q: (-score[q.id], order[q.id]))
        return first + sources_first(rest, answers, cat)

    def ranges(
        self, question_id: str, answers: Mapping[str, Any], catalogue: Catalogue | None = None
    ) -> tuple[Option, ...]:
        """Range buttons for a number question given the answers so far (``Option.value`` is an
        ``AnswerRange`` in the engine's unit, won for amounts; ``.ko``/``.en`` its label), each deciding
        every rule that can still change a verdict; () means the keypad only."""
        return range_options(self.question(question_id), answers, catalogue or shipped_catalogue())

    def next_question(
        self, answers: Mapping[str, Any], catalogue: Catalogue | None = None
    ) -> Question | None:
        """The question to show next, or None when no answer could change any verdict any more."""
        for question in self.remaining(answers, catalogue):
            if not question.follows or self.question(question.follows).answered(answers):
                return question
        return None

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
            given_now = question.visitor_answer(full)
            value = given_now.get(question.field)
            if not question.compound and value is not None and FIELDS[question.field].kind in NUMERIC_KINDS:
                # one tap on the range (or the choice) that holds the figure; the keypad when none is offered
                offered = self.ranges(question.id, known, catalogue) or question.choices
                picked = containing(offered, value)
                if picked is not None:
                    given_now[question.field] = picked.value
            known.update(given_now)
            question = self.next_question(known, catalogue)
        return asked, known

    def prune(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        """Drop answers to questions that no longer apply (e.g. after going back and changing the purpose)."""
        asked = {name for q in self.questions for name in q.filled}
        kept = {k: v for k, v in answers.items() if k not in asked}  # pre-filled, e.g. age from the ID card
        for question in self.questions:
            if question.answered(answers) and question.applies({**kept, **answers}):
                kept.update({n: answers[n] for n in question.filled if n in answers})
        return kept

    def fields_with(self, name: str) -> tuple[str, ...]:
        """The fields answered on the same screen as ``name`` (taken back together by 이전)."""
        if any(q.follows and q.field == name for q in self.questions):
            return (name,)  # a follow-up's answer is taken back alone
        for question in self.questions:
            if name in question.filled:
                return question.filled
        return (name,)

    def fill(self, question_id: str, value: Any) -> dict[str, Any]:
        """What the person touched as engine answers, field → value (a compound question fills several;
        a field left for its follow-up is absent), or InvalidAnswers."""
        question = self.question(question_id)
        if question.several:
            if value is None and not question.allow_unknown:
                raise _problem(question, "이 질문에는 답을 골라 주세요", "this question needs an answer")
            if value is not None and not any(c.value == value for c in question.choices):
                raise _problem(question, "보기 중에서 골라 주세요", f"{value!r} is not one of the choices")
            chosen = question.choose(value)
            validate_answers(chosen)
            return chosen
        if not question.compound:
            return {question.field: self.accept(question_id, value)}
        if value is None and not question.allow_unknown:
            raise _problem(question, "이 질문에는 답을 골라 주세요", "this question needs an answer")
        allowed = {c.value for c in question.choices}
        if value is not None and (not isinstance(value, list) or any(v not in allowed for v in value)):
            raise _problem(question, "보기 중에서만 골라 주세요", "please choose only from the list")
        values = question.fill(value)
        validate_answers(values)
        return values

    def accept(self, question_id: str, value: Any) -> Any:
        """The answer value to store for what the person entered, or InvalidAnswers."""
        question = self.question(question_id)
        if value is None:
            if question.allow_unknown:
                return None
            raise _problem(question, "이 질문에는 답을 골라 주세요", "this question needs an answer")
        stored: Any
        if question.type in _NUMBER_TYPES and is_range_shape(value):
            try:  # a range button: already in the engine's unit (won for amounts)
                stored = AnswerRange.parse(value)
            except RangeInvalid as exc:
                raise _problem(question, "범위 답의 형식이 올바르지 않아요", str(exc)) from None
        elif question.type in _NUMBER_TYPES:
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
            stored = value * MANWON if question.type == "amount_manwon" else value
        elif question.type == "yes_no":
            if not isinstance(value, bool):
                raise _problem(question, "예 또는 아니요를 골라 주세요", "please choose yes or no")
            stored = value
        elif question.type == "choice":
            value = as_range(value)  # "6명 이상" as sent or stored: {"from": 6, "to": null}
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


def _without(question: Question, known: frozenset[str]) -> Question:
    """A compound question without the fields ``known`` settles (a screen of one field is kept whole)."""
    if not question.compound or not known & set(question.filled):
        return question
    fields = tuple(name for name in question.filled if name not in known)
    if len(fields) < 2:
        return question
    options = []
    for option in question.choices:
        sets = tuple((name, value) for name, value in option.sets if name not in known)
        opens = "" if option.opens in known else option.opens
        if sets or opens:
            options.append(replace(option, sets=sets, opens=opens))
    return replace(
        question,
        field=fields[0],
        fields=fields,
        choices=tuple(options),
        none=tuple((name, value) for name, value in question.none if name not in known),
        help_ko=question.listed_help_ko or question.help_ko,
        help_en=question.listed_help_en or question.help_en,
    )


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
        qid, kind = row.get("id"), row.get("type")
        fields = row.get("fields")
        name = fields[0] if isinstance(fields, list) and fields else row.get("field")
        if not isinstance(qid, str) or qid in seen:
            raise ConfigError(str(path), f"{where}.id", qid, "a unique question id")
        seen.add(qid)
        if kind not in TYPES:
            raise ConfigError(str(path), f"{where}.type", kind, " | ".join(TYPES))
        for key in ("ko", "en"):
            if not isinstance(row.get(key), str) or not row[key]:
                raise ConfigError(str(path), f"{where}.{key}", row.get(key), "the question text")
        if fields is not None:
            choices = _compound_choices(path, where, row)
        else:
            _check_field(path, where, name, kind)
            choices = tuple(
                Option(_choice_value(c["value"]), c["ko"], c["en"]) for c in row.get("choices", [])
            )
            _check_choices(path, where, name, kind, choices)
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
                fields=tuple(fields or ()),
                none=tuple((row.get("none") or {}).items()),
                follows=str(row.get("follows", "")),
                listed_help_ko=row.get("listed_help_ko", ""),
                listed_help_en=row.get("listed_help_en", ""),
            )
        )
    _check_follow_ups(path, questions)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
    return Questionnaire(f"{version}-{digest}", tuple(questions))


def _choice_value(raw: Any) -> Any:
    """A choice's value; a table ``{ from = 6 }`` (TOML has no null) is the range "6 or more"."""
    if isinstance(raw, dict) and "from" in raw:
        return AnswerRange(raw["from"], raw.get("to"))
    return raw


def _check_field(path: Path, where: str, name: object, kind: str) -> None:
    spec = FIELDS.get(name) if isinstance(name, str) else None
    if spec is None or spec.derived:
        raise ConfigError(str(path), f"{where}.field", name, "an answer field of the matching engine")
    fits = {
        "choice": spec.kind in ("enum", *NUMERIC_KINDS),
        "multi_choice": spec.kind == "enum_list",
        "yes_no": spec.kind == "bool",
    }.get(kind, spec.kind in NUMERIC_KINDS and (kind != "amount_manwon" or spec.kind == "krw"))
    if not fits:
        raise ConfigError(str(path), f"{where}.type", kind, f"a type that fits field {name} ({spec.kind})")


def _check_choices(path: Path, where: str, name: str, kind: str, choices: tuple[Option, ...]) -> None:
    if kind not in ("choice", "multi_choice"):
        return
    if not choices:
        raise ConfigError(str(path), f"{where}.choices", None, "at least one choice")
    for c in choices:
        check = [c.value] if kind == "multi_choice" else c.value
        try:
            validate_answers({name: check})
        except InvalidAnswers:
            raise ConfigError(str(path), f"{where}.choices", c.value, f"a valid value of {name}") from None


def _compound_choices(path: Path, where: str, row: Mapping[str, Any]) -> tuple[Option, ...]:
    """A compound question's options: each sets some of its fields or opens one for a follow-up."""
    fields, none = row.get("fields"), row.get("none")
    if row.get("type") not in ("multi_choice", "choice") or not isinstance(fields, list) or len(fields) < 2:
        raise ConfigError(str(path), f"{where}.fields", fields, "two or more fields on a (multi_)choice")
    for name in fields:
        spec = FIELDS.get(name) if isinstance(name, str) else None
        if spec is None or spec.derived:
            raise ConfigError(str(path), f"{where}.fields", name, "answer fields of the matching engine")
    if row["type"] == "choice":
        return _several_choices(path, where, row, fields)
    if not isinstance(none, dict) or set(none) != set(fields):
        raise ConfigError(str(path), f"{where}.none", none, "the 'nothing chosen' value of every field")
    _valid(path, f"{where}.none", dict(none))
    options: list[Option] = []
    for c in row.get("choices", []):
        sets, opens = c.get("sets", {}), c.get("opens", "")
        if not isinstance(sets, dict) or not set(sets) <= set(fields) or (opens and opens not in fields):
            raise ConfigError(str(path), f"{where}.choices", c.get("value"), "sets/opens among its fields")
        if not sets and not opens:
            raise ConfigError(str(path), f"{where}.choices", c.get("value"), "an option that sets a field")
        sets = {name: _choice_value(value) for name, value in sets.items()}  # { from, to }: a range
        for name, value in sets.items():
            _valid(path, f"{where}.choices", {name: [value] if FIELDS[name].kind == "enum_list" else value})
        options.append(Option(c["value"], c["ko"], c["en"], tuple(sets.items()), opens))
    if not options:
        raise ConfigError(str(path), f"{where}.choices", None, "at least one choice")
    return tuple(options)


def _several_choices(path: Path, where: str, row: Mapping[str, Any], fields: list[str]) -> tuple[Option, ...]:
    """A single choice over several fields: every option sets the first field, maybe more (a range)."""
    options: list[Option] = []
    for c in row.get("choices", []):
        sets = {name: _choice_value(value) for name, value in (c.get("sets") or {}).items()}
        unknown = c.get("unknown") or []  # fields this option says the person does not know
        sets.update({name: None for name in unknown if isinstance(name, str)})
        if not set(sets) <= set(fields) or fields[0] not in sets or "opens" in c:
            raise ConfigError(str(path), f"{where}.choices", c.get("value"), f"sets {fields[0]} (and others)")
        _valid(path, f"{where}.choices", sets)
        options.append(Option(c["value"], c["ko"], c["en"], tuple(sets.items())))
    if not options or len({o.value for o in options}) != len(options):
        raise ConfigError(str(path), f"{where}.choices", None, "at least one choice, each value once")
    return tuple(options)


def _valid(path: Path, where: str, values: dict[str, Any]) -> None:
    try:
        validate_answers(values)
    except InvalidAnswers as exc:
        raise ConfigError(str(path), where, values, str(exc)) from None


def _check_follow_ups(path: Path, questions: list[Question]) -> None:
    by_id = {q.id: q for q in questions}
    for q in questions:
        parent = by_id.get(q.follows) if q.follows else None
        if q.follows and (parent is None or q.field not in parent.opened):
            expected = "a compound question that opens its field"
            raise ConfigError(str(path), f"{q.id}.follows", q.follows, expected)


def load_questionnaire(path: str | Path | None = None) -> Questionnaire:
    """Read and check the questionnaire; problems are a ConfigError naming the file and key."""
    return _parse(Path(path) if path else resource_path("questionnaire.toml"))


@lru_cache(maxsize=4)
def questionnaire(path: str = "") -> Questionnaire:
    return load_questionnaire(path or None)
