"""Needs: one question per screen from the questionnaire data, big choices or the amount keypad.

The questionnaire (``kiosk.visit``) decides the next question from the answers so far: only questions
that could still change some program's verdict, the most decisive first. The counter shows how many
this person will be asked (answered + still needed), so it never jumps up; this screen only shows the
question and collects the answer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QLabel, QProgressBar, QPushButton, QWidget

from kiosk.matching.answers import InvalidAnswers, validate_answers
from kiosk.matching.fields import ANSWER_FIELDS
from kiosk.visit.questionnaire import Question
from ui.lobby.flow import run_step
from ui.lobby.screens.base import LobbyScreen
from ui.widgets.buttons import set_label, touch_button, wrap_text
from ui.widgets.keypad import AmountKeypad

if TYPE_CHECKING:
    from kiosk.visit import VisitFlow
    from ui.lobby.screens.host import LobbyHost

log = logging.getLogger(__name__)
_KEYPAD_KINDS = {"amount_manwon": "amount", "count": "count", "days": "count"}
_YES_NO: list[tuple[Any, str, str]] = [(True, "네", "Yes"), (False, "아니요", "No")]
# A compound screen's "없어요": it clears the others (any other clears it) — "none" is a visible answer.
NONE_CHOSEN = "__none__"
_NONE_OPTION: tuple[Any, str, str] = (NONE_CHOSEN, "없어요", "None of these")


@dataclass(frozen=True)
class _Answer:
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

    @property
    def compound(self) -> bool:
        return len(self.fields) > 1

    @property
    def answer_key(self) -> str:
        return self.field or self.id


def view_of(question: Question) -> QuestionView:
    choices = [(c.value, c.ko, c.en) for c in question.choices]
    return QuestionView(
        id=question.id,
        kind=question.type,
        text_ko=question.ko,
        text_en=question.en,
        help_ko=question.help_ko,
        help_en=question.help_en,
        choices=[*choices, _NONE_OPTION] if question.compound else choices,
        unit_ko=question.unit_ko,
        unit_en=question.unit_en,
        field=question.field,
        allow_unknown=question.allow_unknown,
        fields=question.filled,
    )


class NeedsScreen(LobbyScreen):
    step = "needs"

    def __init__(self, lobby: LobbyHost) -> None:
        super().__init__(lobby)
        self.questionnaire = lobby.services.questionnaire
        self.question: QuestionView | None = None
        self.asked: list[str] = []  # question ids in the order shown, for 이전
        self.counter = QLabel()
        self.counter.setProperty("role", "hint")
        self.body.addWidget(self.counter)
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.body.addWidget(self.bar)
        self.question_label = QLabel()
        self.question_label.setObjectName("QuestionText")
        self.question_label.setProperty("role", "title")
        self.question_label.setWordWrap(True)
        self.body.addWidget(self.question_label)
        self.help = QLabel()
        self.help.setProperty("role", "hint")
        self.help.setWordWrap(True)
        self.body.addWidget(self.help)
        self.body.addStretch(1)
        self.choice_box = QWidget()
        self.choice_grid = QGridLayout(self.choice_box)
        self.choice_group = QButtonGroup(self)
        self.choice_group.idClicked.connect(self._choose_index)
        self._choice_values: list[Any] = []
        self.choice_buttons: list[QPushButton] = []
        self.body.addWidget(self.choice_box)
        self.keypad_amount = AmountKeypad("amount")
        self.keypad_count = AmountKeypad("count")
        for pad in (self.keypad_amount, self.keypad_count):
            pad.valueChanged.connect(self._typed)
            pad.hide()
            self.body.addWidget(pad)  # low on the screen: reachable from a wheelchair
        self.unknown = touch_button(role="secondary", name="AnswerUnknown")
        self.unknown.clicked.connect(self._answer_unknown)
        self.unknown.hide()
        self.body.addWidget(self.unknown)
        self.problem = QLabel()
        self.problem.setObjectName("AnswerProblem")
        self.problem.setProperty("role", "error")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.body.addWidget(self.problem)
        self.unavailable = QLabel()
        self.unavailable.setWordWrap(True)
        self.unavailable.setProperty("role", "error")
        self.unavailable.hide()
        self.body.addWidget(self.unavailable)
        self._selected: Any = None
        self._columns = 1
        lobby.lookChanged.connect(self.retranslate)  # a bigger text size re-wraps the answers
        self.retranslate()

    # -- questions ---------------------------------------------------------------------------------------
    def _next(self) -> None:
        if self.questionnaire is None:
            self.question = None
            self.unavailable.show()
            self.chromeChanged.emit()
            return
        nxt = self.questionnaire.next_question(dict(self.lobby.draft.answers))
        if nxt is None:
            self._finish()
            return
        self._show(view_of(nxt))

    def _show(self, question: QuestionView) -> None:
        self.question = question
        if question.id not in self.asked:
            self.asked.append(question.id)
        previous = self._previous(question)
        self.problem.hide()
        self.unknown.setVisible(question.allow_unknown)
        multi = question.kind == "multi_choice"
        self.choice_group.setExclusive(not multi)
        for button in self.choice_buttons:
            self.choice_group.removeButton(button)
            self.choice_grid.removeWidget(button)
            button.hide()  # at once: a deferred delete was still drawn on the next screen
            button.deleteLater()
        self.choice_buttons = []
        self._choice_values = [value for value, _ko, _en in (question.choices or _YES_NO)]
        self._selected = list(previous) if multi and isinstance(previous, list) else previous
        keypad_mode = _KEYPAD_KINDS.get(question.kind)
        self.keypad_amount.setVisible(keypad_mode == "amount")
        self.keypad_count.setVisible(keypad_mode == "count")
        self.choice_box.setVisible(keypad_mode is None)
        if keypad_mode is not None:
            pad = self.keypad_amount if keypad_mode == "amount" else self.keypad_count
            pad.clear()
            if isinstance(previous, int):
                pad.set_value(previous)
        else:
            choices = question.choices or _YES_NO
            # Two columns only for short words (예/아니요, 직장인…): a longer answer gets the full width
            # so it is never cut off, in either language.
            longest = max(max(len(ko), len(en) * 0.6) for _v, ko, en in choices)
            columns = 2 if len(choices) <= 4 and longest <= 9 else 1
            self._columns = columns
            for index, (value, _ko, _en) in enumerate(choices):
                button = touch_button(role="big", name=f"Choice_{question.id}_{index}", checkable=True)
                chosen = value in previous if isinstance(previous, list) else previous == value
                button.setChecked(chosen)
                self.choice_group.addButton(button, index)
                self.choice_grid.addWidget(button, index // columns, index % columns)
                self.choice_buttons.append(button)
        self.retranslate()
        self.chromeChanged.emit()
        self.lobby.voice.say(self.voice_text())

    def _previous(self, question: QuestionView) -> Any:
        """What this screen was answered before (이전 brings it back with its buttons selected)."""
        answers = self.lobby.draft.answers
        if not question.compound:
            return answers.get(question.answer_key)
        if self.questionnaire is None:
            return None
        full = self.questionnaire.question(question.id)
        if not full.answered(answers):
            return None
        return full.chosen(answers) or [NONE_CHOSEN]

    def _typed(self, _value: object) -> None:
        self.chromeChanged.emit()

    def _answer_unknown(self) -> None:
        self.answer(None)

    def _choose_index(self, index: int) -> None:
        if 0 <= index < len(self._choice_values):
            self._choose(self._choice_values[index])

    def _choose(self, value: Any) -> None:
        if self.question is not None and self.question.kind == "multi_choice":
            chosen = [v for v in (self._selected or []) if v != NONE_CHOSEN]
            if value == NONE_CHOSEN:
                chosen = [NONE_CHOSEN]
            else:
                chosen = [v for v in chosen if v != value] if value in chosen else [*chosen, value]
            self._selected = chosen
            self._show_selected()
        else:
            self._selected = value
        self.chromeChanged.emit()

    def _show_selected(self) -> None:
        # "없어요" and the other options exclude each other: what is chosen is what is lit
        chosen = self._selected or []
        for button, value in zip(self.choice_buttons, self._choice_values, strict=False):
            button.setChecked(value in chosen)

    def _current_value(self) -> Any:
        if self.question is None:
            return None
        mode = _KEYPAD_KINDS.get(self.question.kind)
        if mode == "amount":
            return self.keypad_amount.value if self.keypad_amount.has_value else None
        if self.question.kind == "multi_choice":  # none chosen is an answer too ("없으면 그냥 다음")
            return [v for v in (self._selected or []) if v != NONE_CHOSEN]
        if mode == "count":
            return self.keypad_count.value if self.keypad_count.has_value else None
        return self._selected

    def answer(self, value: Any) -> None:
        """Record the answer (amounts arrive in won) and move on; a refused value is explained in place."""
        if self.question is None:
            return
        question = self.question
        entered = value
        if question.kind == "amount_manwon" and value is not None:
            entered = round(value / 10_000)  # the questionnaire takes 만원; 천원 input is rounded
        stored: dict[str, Any] = {question.answer_key: entered}
        if self.questionnaire is not None:
            try:
                stored = self.questionnaire.fill(question.id, entered)
                # amounts must agree with each other (the parts of a debt cannot exceed the whole):
                # said here, on this question, not as a failure after the last one
                validate_answers({**self._engine_answers(), **stored})
            except InvalidAnswers as exc:  # say what to fix, in the visitor's language
                english = self.lobby.language.language == "en"
                text = "; ".join((p.en if english else p.ko) for p in exc.problems) or str(exc)
                self.problem.setText(text)
                self.problem.setAccessibleName(text)
                self.problem.show()
                self.lobby.voice.say(text)
                return
        for name in question.fields:
            if name not in stored:  # left for the follow-up the chosen option opens
                self.lobby.draft.answers.pop(name, None)
        self.lobby.draft.answers.update(stored)
        run_step(self.lobby, _Answer(question.id, entered), name="answer")
        self._next()

    def _engine_answers(self) -> dict[str, Any]:
        return {k: v for k, v in self.lobby.draft.answers.items() if k in ANSWER_FIELDS}

    def planned(self) -> int:
        """Questions this person is asked: those answered here plus those that could still matter."""
        if self.questionnaire is None:
            return 0
        answers = dict(self.lobby.draft.answers)
        shown = {q.id: q for q in self.questionnaire.questions}
        answered = sum(1 for qid in self.asked if qid in shown and shown[qid].answered(answers))
        return answered + len(self.questionnaire.remaining(answers))

    def _finish(self) -> None:
        answers = dict(self.lobby.draft.answers)
        run_step(self.lobby, lambda flow: flow.complete_needs(answers), name="needs")
        self.lobby.go("results")

    # -- LobbyScreen ------------------------------------------------------------------------------------
    def title(self) -> str:
        english = self.lobby.language.language == "en"
        return "Only what we need to know" if english else "꼭 필요한 것만 여쭤볼게요"

    def voice_text(self) -> str:
        if self.question is None:
            return self.title()
        english = self.lobby.language.language == "en"
        return self.question.text_en if english else self.question.text_ko

    def primary_text(self) -> str:
        return self.tr("다음")

    def primary_enabled(self) -> bool:
        return self._current_value() is not None

    def on_primary(self) -> None:
        value = self._current_value()
        if value is not None:
            self.answer(value)

    def handle_back(self) -> bool:
        if self.question is None or len(self.asked) <= 1:
            return False
        self.asked.pop()
        previous_id = self.asked[-1]
        if self.questionnaire is not None:
            self._show(view_of(self.questionnaire.question(previous_id)))
            return True
        return False

    def enter(self) -> None:
        if self.question is None:
            self._next()

    def wipe(self) -> None:
        self.question = None
        self.asked = []
        self._selected = None
        self.keypad_amount.clear()
        self.keypad_count.clear()
        for button in self.choice_buttons:
            self.choice_group.removeButton(button)
            button.hide()
            button.setParent(None)
            button.deleteLater()
        self.choice_buttons = []
        self.problem.clear()
        self.question_label.clear()
        self.help.clear()

    def _fit_text(self) -> None:
        # A wrapped label's height depends on its width, which the layout does not ask for: without a
        # minimum, the help under a long English question was squeezed to half a line at large text.
        margins = self.body.contentsMargins()
        outer = self.width() if self.width() > 200 else self.lobby.width()
        width = outer - margins.left() - margins.right()
        for label in (self.question_label, self.help):
            label.setFixedHeight(label.heightForWidth(max(1, width)) if label.text() else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_text()

    def retranslate(self) -> None:
        english = self.lobby.language.language == "en"
        self.bar.setAccessibleName(self.tr("질문 진행"))
        self.unavailable.setText(
            self.tr("질문지를 불러오지 못했어요. 창구에서 상담사가 여쭤볼게요. '직원 호출'을 눌러 주세요.")
        )
        q = self.question
        if q is None:
            return
        shown = len(self.asked)
        total = max(shown, self.planned())
        self.counter.setText(self.tr("질문 %1").replace("%1", f"{shown}" + (f" / {total}" if total else "")))
        if total:
            self.bar.setRange(0, int(total))
            self.bar.setValue(shown)
        self.question_label.setText(q.text_en if english else q.text_ko)
        self.question_label.setAccessibleName(self.question_label.text())
        self.help.setText(q.help_en if english else q.help_ko)
        self._fit_text()
        self.keypad_count.set_suffix(q.unit_en if english else q.unit_ko)
        set_label(self.unknown, self.tr("잘 모르겠어요"))
        choices = q.choices or _YES_NO
        columns = self._columns
        sizes = self.lobby.sizes
        room = (self.lobby.width() - 6 * sizes.gap) // columns - 2 * sizes.gap
        for button, (_value, ko, en) in zip(self.choice_buttons, choices, strict=False):
            label = en if english else ko
            set_label(button, wrap_text(label, room, sizes.title))
            button.setAccessibleName(label)
