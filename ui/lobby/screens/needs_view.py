"""What the needs screen shows of one questionnaire question, and the flow step recording an answer.

A number question may come with range answers (``Questionnaire.ranges``: "30일까지", "31~89일", …) shown
as big one-tap buttons; the keypad stays for who wants to type the exact figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kiosk.visit.question import Option, Question
from ui.lobby.screens.needs_ranges import chosen_range
from ui.widgets.buttons import wrap_text

if TYPE_CHECKING:
    from kiosk.visit import VisitFlow
    from kiosk.visit.questionnaire import Questionnaire

KEYPAD_KINDS = {"amount_manwon": "amount", "count": "count", "days": "count"}
YES_NO: list[tuple[Any, str, str]] = [(True, "네", "Yes"), (False, "아니요", "No")]
# A compound screen's "없어요": it clears the others (any other clears it) — "none" is a visible answer.
NONE_CHOSEN = "__none__"
NONE_OPTION: tuple[Any, str, str] = (NONE_CHOSEN, "없어요", "None of these")
ONE_TAP_KINDS = ("choice", "yes_no")  # one answer: the tap itself moves on (a range button too)
DENSE_FROM = 6  # more answers than this on one screen are set in body text
# The button that opens the keypad under the range buttons, and back: [keypad open][english]
EXACT_WORDS = {
    False: {False: "정확히 누를게요", True: "Type the exact number"},
    True: {False: "보기에서 고를게요", True: "Choose from the list"},
}


def wrap_answer(label: str, room: int, font_px: int) -> str:
    """An answer's label in lines that fit its button: broken at spaces, and a range ("3,500만~4,000만원")
    after its dash when it is too wide."""
    spaced = label.replace("~", "~ ").replace("–", "– ")
    return wrap_text(spaced, room, font_px).replace("~ ", "~").replace("– ", "–")


@dataclass(frozen=True)
class RecordAnswer:
    """The flow step that records one answer (a small callable instead of a lambda over the loop)."""

    question_id: str
    value: Any

    def __call__(self, flow: VisitFlow) -> object:
        return flow.answer(self.question_id, self.value)


@dataclass
class QuestionView:
    """The parts of a questionnaire question the screen needs, whatever class carries them."""

    id: str
    kind: str  # choice | multi_choice | yes_no | amount_manwon | count | days
    text_ko: str
    text_en: str
    help_ko: str = ""
    help_en: str = ""
    choices: list[tuple[Any, str, str]] = field(default_factory=list)
    unit_ko: str = ""
    unit_en: str = ""
    field: str = ""
    allow_unknown: bool = False
    fields: tuple[str, ...] = ()  # every answer field this screen fills (a compound one: several)
    ranges: tuple[tuple[Any, str, str], ...] = ()  # a number question's range buttons

    @property
    def compound(self) -> bool:
        """A multi-choice screen of several fields, with "없어요"."""
        return len(self.fields) > 1 and self.kind == "multi_choice"

    @property
    def several(self) -> bool:
        """A single choice whose options fill several fields (the work and how long): one tap."""
        return len(self.fields) > 1 and self.kind == "choice"

    @property
    def answer_key(self) -> str:
        return self.field or self.id

    @property
    def keypad(self) -> str | None:
        """The keypad of a number question ("amount" or "count"), else None."""
        return KEYPAD_KINDS.get(self.kind)


def view_of(question: Question, ranges: tuple[Option, ...] = ()) -> QuestionView:
    choices = [(c.value, c.ko, c.en) for c in question.choices]
    return QuestionView(
        id=question.id,
        kind=question.type,
        text_ko=question.ko,
        text_en=question.en,
        help_ko=question.help_ko,
        help_en=question.help_en,
        choices=[*choices, NONE_OPTION] if question.compound else choices,
        unit_ko=question.unit_ko,
        unit_en=question.unit_en,
        field=question.field,
        allow_unknown=question.allow_unknown,
        fields=question.filled,
        ranges=tuple((r.value, r.ko, r.en) for r in ranges),
    )


def previous_answer(
    questionnaire: Questionnaire | None, question: QuestionView, answers: Mapping[str, Any]
) -> Any:
    """What a screen was answered before (a compound one: the options chosen; "없어요" if none)."""
    if not question.compound and not question.several:
        return answers.get(question.answer_key)
    if questionnaire is None:
        return None
    full = questionnaire.question(question.id)
    if not full.answered(answers):
        return None
    chosen = full.chosen(answers)
    if question.several:
        return chosen[0] if chosen else None
    return chosen or [NONE_CHOSEN]


# The counter's words: which question this is, and how many at most can follow (a promise that only
# shrinks); "last" when no answer to this one leads further. [english]
COUNTER_WORDS = {
    False: {"this": "질문 {n}", "more": "남은 질문은 많아야 {m}개예요", "last": "마지막 질문이에요"},
    True: {"this": "Question {n}", "more": "at most {m} to go", "last": "this is the last one"},
}


def counter_text(shown: int, at_most: int | None, english: bool) -> str:
    """The counter: "질문 3 · 남은 질문은 많아야 5개예요" / "Question 9 · this is the last one" (just
    "질문 3" while the bound is being worked out)."""
    words = COUNTER_WORDS[english]
    this = words["this"].format(n=shown)
    if at_most is None:
        return this
    rest = words["last"] if at_most == 0 else words["more"].format(m=at_most)
    return f"{this} · {rest}"


@dataclass(frozen=True)
class ShownAnswers:
    """The answer buttons of one screen as first shown: labels, what is selected, how many columns."""

    choices: list[tuple[Any, str, str]]
    selected: Any
    checked: list[bool]
    columns: int
    dense: bool = False  # many answers: set in body text (the theme's [dense="true"]) to fit the screen


def shown_answers(
    question: QuestionView, previous: Any, exact: bool, questionnaire: Questionnaire | None
) -> ShownAnswers:
    """The buttons for ``question`` with its earlier answer ``previous`` selected (이전 brings it back):
    its choices, or a number question's ranges (none when the keypad is open: ``exact``)."""
    if question.keypad is None:
        choices = list(question.choices or YES_NO)
    else:
        choices = [] if exact else list(question.ranges)
    values = [value for value, _ko, _en in choices]
    selected: Any
    if question.keypad is not None:
        index = (
            None
            if exact or questionnaire is None
            else chosen_range(questionnaire, question.id, values, previous)
        )
        selected = None if index is None else values[index]
        checked = [i == index for i in range(len(values))]
    else:
        multi = question.kind == "multi_choice"
        selected = list(previous) if multi and isinstance(previous, list) else previous
        checked = [value in previous if isinstance(previous, list) else previous == value for value in values]
    columns = 1
    if question.keypad is not None:  # ranges: a few stacked, more in two columns (labels wrap)
        columns = 2 if len(choices) > 3 else 1
    elif choices:
        # Two columns only for short words (예/아니요, 직장인…): a longer answer gets the full width so
        # it is never cut off, in either language.
        longest = max(max(len(ko), len(en) * 0.6) for _v, ko, en in choices)
        columns = 2 if len(choices) <= 4 and longest <= 9 else 1
    # More than six answers in title text do not fit at extra-large size: body text, and beyond eight
    # two columns (the labels wrap at spaces, never cut).
    dense = question.keypad is None and len(choices) > DENSE_FROM
    if dense and len(choices) > 8:
        columns = 2
    return ShownAnswers(choices, selected, checked, columns, dense)
