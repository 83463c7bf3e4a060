"""Needs: one question per screen from the questionnaire data, big choices or the amount keypad.

The questionnaire (``kiosk.visit``) decides the next question from the answers so far (debt questions
only when the purpose involves debt, …); this screen only shows it and collects the answer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QButtonGroup, QGridLayout, QLabel, QProgressBar, QPushButton, QWidget

from ui.lobby.flow import run_step
from ui.lobby.screens.base import LobbyScreen
from ui.widgets.buttons import set_label, touch_button, wrap_text
from ui.widgets.keypad import AmountKeypad

if TYPE_CHECKING:
    from ui.lobby.screens.host import LobbyHost

log = logging.getLogger(__name__)
_KEYPAD_KINDS = {"amount_manwon": "amount", "count": "count", "days": "count"}


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

    @property
    def answer_key(self) -> str:
        return self.field or self.id


def view_of(question: Any) -> QuestionView:
    def pick(*names: str, default: Any = "") -> Any:
        for name in names:
            value = getattr(question, name, None)
            if value not in (None, ""):
                return value
        return default

    choices = []
    for choice in pick("choices", default=()) or ():
        choices.append(
            (
                getattr(choice, "value", choice),
                getattr(choice, "ko", str(choice)),
                getattr(choice, "en", str(choice)),
            )
        )
    return QuestionView(
        id=str(pick("id", "field", "name")),
        kind=str(pick("kind", "type")),
        text_ko=str(pick("text_ko", "ko", "question_ko")),
        text_en=str(pick("text_en", "en", "question_en")),
        help_ko=str(pick("help_ko")),
        help_en=str(pick("help_en")),
        choices=choices,
        unit_ko=str(pick("unit_ko")),
        unit_en=str(pick("unit_en")),
        field=str(pick("field", default="")),
        allow_unknown=bool(getattr(question, "allow_unknown", False)),
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
        self.bar.setAccessibleName("progress")
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
        self.choice_buttons: list[QPushButton] = []
        self.body.addWidget(self.choice_box)
        self.keypad_amount = AmountKeypad("amount")
        self.keypad_count = AmountKeypad("count")
        for pad in (self.keypad_amount, self.keypad_count):
            pad.valueChanged.connect(lambda _v: self.chromeChanged.emit())
            pad.hide()
            self.body.addWidget(pad)  # low on the screen: reachable from a wheelchair
        self.unknown = touch_button(role="secondary", name="AnswerUnknown")
        self.unknown.clicked.connect(lambda: self.answer(None))
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
        previous = self.lobby.draft.answers.get(question.answer_key)
        self.problem.hide()
        self.unknown.setVisible(question.allow_unknown)
        multi = question.kind == "multi_choice"
        self.choice_group.setExclusive(not multi)
        for button in self.choice_buttons:
            self.choice_group.removeButton(button)
            button.deleteLater()
        self.choice_buttons = []
        self._selected = list(previous or []) if multi else previous
        keypad_mode = _KEYPAD_KINDS.get(question.kind)
        self.keypad_amount.setVisible(keypad_mode == "amount")
        self.keypad_count.setVisible(keypad_mode == "count")
        self.choice_box.setVisible(keypad_mode is None)
        if keypad_mode is not None:
            pad = self.keypad_amount if keypad_mode == "amount" else self.keypad_count
            pad.clear()
            if previous is not None:
                pad.set_value(int(previous))
        else:
            choices = question.choices or [(True, "네", "Yes"), (False, "아니요", "No")]
            # Two columns only for short words (예/아니요, 직장인…): a longer answer gets the full width
            # so it is never cut off, in either language.
            longest = max(max(len(ko), len(en) * 0.6) for _v, ko, en in choices)
            columns = 2 if len(choices) <= 4 and longest <= 9 else 1
            self._columns = columns
            for index, (value, _ko, _en) in enumerate(choices):
                button = touch_button(role="big", name=f"Choice_{question.id}_{index}", checkable=True)
                button.clicked.connect(lambda _=False, v=value: self._choose(v))
                chosen = previous is not None and (value in previous if multi else previous == value)
                button.setChecked(chosen)
                self.choice_group.addButton(button)
                self.choice_grid.addWidget(button, index // columns, index % columns)
                self.choice_buttons.append(button)
        self.retranslate()
        self.chromeChanged.emit()
        self.lobby.voice.say(self.voice_text())

    def _choose(self, value: Any) -> None:
        if self.question is not None and self.question.kind == "multi_choice":
            chosen = list(self._selected or [])
            self._selected = [v for v in chosen if v != value] if value in chosen else [*chosen, value]
        else:
            self._selected = value
        self.chromeChanged.emit()

    def _current_value(self) -> Any:
        if self.question is None:
            return None
        mode = _KEYPAD_KINDS.get(self.question.kind)
        if mode == "amount":
            return self.keypad_amount.value if self.keypad_amount.has_value else None
        if self.question.kind == "multi_choice":
            return list(self._selected or [])  # none chosen is an answer too ("없으면 그냥 다음")
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
        stored = entered
        accept = getattr(self.questionnaire, "accept", None)
        if callable(accept):
            try:
                stored = accept(question.id, entered)
            except ValueError as exc:  # InvalidAnswers: say what to fix, in the visitor's language
                english = self.lobby.language.language == "en"
                problems = getattr(exc, "problems", [])
                text = "; ".join((p.en if english else p.ko) for p in problems) or str(exc)
                self.problem.setText(text)
                self.problem.setAccessibleName(text)
                self.problem.show()
                self.lobby.voice.say(text)
                return
        self.lobby.draft.answers[question.answer_key] = stored
        run_step(self.lobby, lambda flow: flow.answer(question.id, entered), name="answer")
        self._next()

    def _finish(self) -> None:
        answers = dict(self.lobby.draft.answers)
        run_step(self.lobby, lambda flow: flow.complete_needs(answers), name="needs")
        self.lobby.go("results")

    # -- LobbyScreen ------------------------------------------------------------------------------------
    def title(self) -> str:
        return self.tr("몇 가지만 여쭤볼게요")

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
        if self.questionnaire is not None and hasattr(self.questionnaire, "question"):
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

    def retranslate(self) -> None:
        english = self.lobby.language.language == "en"
        self.unavailable.setText(
            self.tr("질문지를 불러오지 못했어요. 창구에서 상담사가 여쭤볼게요. '직원 호출'을 눌러 주세요.")
        )
        q = self.question
        if q is None:
            return
        applicable = getattr(self.questionnaire, "applicable", None)
        total = len(applicable(self.lobby.draft.answers)) if callable(applicable) else 0
        shown = len(self.asked)
        self.counter.setText(self.tr("질문 %1").replace("%1", f"{shown}" + (f" / {total}" if total else "")))
        if total:
            self.bar.setRange(0, int(total))
            self.bar.setValue(shown)
        self.question_label.setText(q.text_en if english else q.text_ko)
        self.question_label.setAccessibleName(self.question_label.text())
        self.help.setText(q.help_en if english else q.help_ko)
        self.keypad_count.set_suffix(q.unit_en if english else q.unit_ko)
        set_label(self.unknown, self.tr("잘 모르겠어요"))
        choices = q.choices or [(True, "네", "Yes"), (False, "아니요", "No")]
        columns = self._columns
        sizes = self.lobby.sizes
        room = (self.lobby.width() - 6 * sizes.gap) // columns - 2 * sizes.gap
        for button, (_value, ko, en) in zip(self.choice_buttons, choices, strict=False):
            label = en if english else ko
            set_label(button, wrap_text(label, room, sizes.title))
            button.setAccessibleName(label)
