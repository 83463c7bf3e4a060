"""Needs: one question per screen from the questionnaire data, big choices or the amount keypad.

The questionnaire (``kiosk.visit``) decides the next question from the answers so far: only questions
that could still change some program's verdict, the most decisive first. The counter says which question
this is and how many at most can still follow ("질문 3 · 남은 질문은 많아야 5개예요", worked out on the
worker by ``kiosk.visit.progress``): a promise that only ever gets smaller, and "마지막 질문이에요" when no
answer to this one can lead further. This screen only shows the question and collects the answer.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QWidget,
)

from kiosk.matching.answers import InvalidAnswers, validate_answers
from kiosk.matching.fields import ANSWER_FIELDS
from kiosk.visit.credit_lookup import listed
from kiosk.visit.progress import at_most_after
from kiosk.visit.questionnaire import Question, Questionnaire
from ui.lobby.flow import run_step
from ui.lobby.screens.base import LobbyScreen
from ui.lobby.screens.needs_ranges import RangeOffers
from ui.lobby.screens.needs_view import (
    EXACT_WORDS,
    KEYPAD_KINDS,
    NONE_CHOSEN,
    ONE_TAP_KINDS,
    QuestionView,
    RecordAnswer,
    counter_text,
    previous_answer,
    shown_answers,
    view_of,
    wrap_answer,
)
from ui.widgets.buttons import set_label, touch_button
from ui.widgets.keypad import AmountKeypad

if TYPE_CHECKING:
    from ui.lobby.screens.host import LobbyHost

log = logging.getLogger(__name__)
ADVANCE_MS = 400  # a one-answer tap shows as selected this long, then the next question comes by itself
_KEYPAD_KINDS = KEYPAD_KINDS  # the tour's and the soak's name for it


class NeedsScreen(LobbyScreen):
    step = "needs"

    def __init__(self, lobby: LobbyHost) -> None:
        super().__init__(lobby)
        self.question: QuestionView | None = None
        self.asked: list[str] = []  # question ids in the order shown, for 이전
        self.ranges = RangeOffers()
        # How many questions can follow each screen at most, per (question, answers before it): worked
        # out once on the worker (a screen of many options tries every combination) and kept for 이전.
        self._at_most: dict[tuple[str, str], int] = {}
        self.counter = QLabel()
        self.counter.setObjectName("QuestionCounter")
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
        self._shown_choices: list[tuple[Any, str, str]] = []
        self.choice_buttons: list[QPushButton] = []
        self.body.addWidget(self.choice_box)
        self.keypad_amount = AmountKeypad("amount")
        self.keypad_count = AmountKeypad("count")
        for pad in (self.keypad_amount, self.keypad_count):
            pad.valueChanged.connect(self._typed)
            pad.hide()
            self.body.addWidget(pad)  # low on the screen: reachable from a wheelchair
        # Range buttons first (one tap); this opens the keypad for the exact figure, and back again.
        self.exact = touch_button(role="secondary", name="AnswerExact")
        self.exact.clicked.connect(self._toggle_exact)
        self.exact.hide()
        side = QHBoxLayout()  # the two smaller ways to answer side by side: one row less to reach
        side.addWidget(self.exact)
        self.body.addLayout(side)
        self._exact = False
        self.unknown = touch_button(role="secondary", name="AnswerUnknown")
        self.unknown.clicked.connect(self._answer_unknown)
        self.unknown.hide()
        side.addWidget(self.unknown)
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
        self._columns = self._base_columns = 1
        self._dense = False
        # A one-answer tap: the selection shows, then after a calm pause the next question comes (a
        # timer, never a wait on the GUI thread); a different tap meanwhile restarts it and counts.
        self.advance = QTimer(self)
        self.advance.setSingleShot(True)
        self.advance.setInterval(ADVANCE_MS)
        self.advance.timeout.connect(self._advance_now)
        lobby.lookChanged.connect(self.retranslate)  # a bigger text size re-wraps the answers
        self.retranslate()

    @property
    def questionnaire(self) -> Questionnaire | None:
        """The questionnaire as known now: without what the credit inquiry's list already said
        (its figures are prefill, like the ID card's age; kiosk.visit.credit_lookup)."""
        shipped = self.lobby.services.questionnaire
        if shipped is None:
            return None
        return shipped.knowing(listed(self.lobby.draft.live.prefill()))

    def _fill(self, question_id: str, entered: Any) -> dict[str, Any]:
        """The answer as engine fields; when the credit list arrived while this screen showed all its
        options, the answer to what was shown (the shipped questionnaire's options)."""
        now, shipped = self.questionnaire, self.lobby.services.questionnaire
        assert now is not None and shipped is not None
        try:
            return now.fill(question_id, entered)
        except InvalidAnswers:
            if now is shipped:
                raise
            return shipped.fill(question_id, entered)

    # -- questions ---------------------------------------------------------------------------------------
    def _view(self, question: Question) -> QuestionView:
        if self.questionnaire is None:
            return view_of(question)
        answers = self.lobby.draft.answers
        return view_of(question, self.ranges.for_question(self.questionnaire, question, answers))

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
        self._show(self._view(nxt))

    def _show(self, question: QuestionView, exact: bool | None = None, speak: bool = True) -> None:
        self.advance.stop()
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
        # A number typed before comes back on the keypad; a range comes back selected.
        self._exact = (not question.ranges or isinstance(previous, int)) if exact is None else exact
        keypad_mode = question.keypad if self._exact else None
        shown = shown_answers(question, previous, self._exact, self.questionnaire)
        self._shown_choices, self._selected = shown.choices, shown.selected
        self._dense, self._base_columns = shown.dense, shown.columns
        self._columns = self._wanted_columns(shown.columns, shown.dense)
        self._choice_values = [value for value, _ko, _en in shown.choices]
        self.keypad_amount.setVisible(keypad_mode == "amount")
        self.keypad_count.setVisible(keypad_mode == "count")
        self.exact.setVisible(question.keypad is not None and bool(question.ranges))
        self.choice_box.setVisible(keypad_mode is None)
        if keypad_mode is not None:
            pad = self.keypad_amount if keypad_mode == "amount" else self.keypad_count
            pad.clear()
            if isinstance(previous, int):
                pad.set_value(previous)
        for index, chosen in enumerate(shown.checked):
            button = touch_button(role="big", name=f"Choice_{question.id}_{index}", checkable=True)
            button.setProperty("dense", shown.dense)
            button.setChecked(chosen)
            self.choice_group.addButton(button, index)
            self.choice_grid.addWidget(button, index // self._columns, index % self._columns)
            self.choice_buttons.append(button)
        self._ask_at_most(question)
        self.retranslate()
        self.chromeChanged.emit()
        if speak:
            self.lobby.voice.say(self.voice_text())

    def _count_key(self, question: QuestionView) -> tuple[str, str]:
        before = {k: v for k, v in self.lobby.draft.answers.items() if k not in question.fields}
        return question.id, repr(sorted(before.items()))

    def _ask_at_most(self, question: QuestionView) -> None:
        key = self._count_key(question)
        if self.questionnaire is None or key in self._at_most:
            return
        questionnaire, answers = self.questionnaire, dict(self.lobby.draft.answers)
        full = questionnaire.question(question.id)

        def counted(most: int | None) -> None:
            if most is None:
                return
            self._at_most[key] = most
            if self.question is not None and self._count_key(self.question) == key:
                self._show_count()

        self.lobby.worker.submit(lambda: at_most_after(questionnaire, full, answers), counted)

    def at_most(self) -> int | None:
        """How many questions can still follow this one at most (None while it is being worked out)."""
        q = self.question
        return None if q is None else self._at_most.get(self._count_key(q))

    def _show_count(self) -> None:
        english = self.lobby.language.language == "en"
        shown, most = len(self.asked), self.at_most()
        text = counter_text(shown, most, english)
        self.counter.setText(text)
        self.counter.setAccessibleName(text)
        self.bar.setRange(0, shown + (most if most is not None else 1))
        self.bar.setValue(shown)

    def _wanted_columns(self, columns: int, dense: bool) -> int:
        # Low reach leaves half the screen: many answers go two to a row there.
        return 2 if dense and self.lobby.low_reach else columns

    def _relayout(self) -> bool:
        """Rebuild the answers when low reach changed how many go to a row (the ticks kept)."""
        q = self.question
        wanted = self._wanted_columns(self._base_columns, self._dense)
        if q is None or not self._shown_choices or wanted == self._columns:
            return False
        kept = self._selected
        self._show(q, exact=self._exact, speak=False)
        if q.kind == "multi_choice" and kept is not None:
            self._selected = kept
            self._show_selected()
        return True

    def _previous(self, question: QuestionView) -> Any:
        """What this screen was answered before (이전 brings it back with its buttons selected)."""
        return previous_answer(self.questionnaire, question, self.lobby.draft.answers)

    def _typed(self, _value: object) -> None:
        self.chromeChanged.emit()

    def _answer_unknown(self) -> None:
        self.answer(None)

    def _toggle_exact(self) -> None:
        if self.question is not None:
            self._show(self.question, exact=not self._exact, speak=False)

    @property
    def one_tap(self) -> bool:
        """Whether a tap on an answer is the whole answer here (single choice, yes/no, a range)."""
        q = self.question
        if q is None:
            return False
        return q.kind in ONE_TAP_KINDS if q.keypad is None else bool(q.ranges) and not self._exact

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
            if self.one_tap:
                self.advance.start()  # (re)started: the last tap in the pause is the answer
        self.chromeChanged.emit()

    def _advance_now(self) -> None:
        if self.one_tap and self._selected is not None:
            self.answer(self._selected)

    def _show_selected(self) -> None:
        # "없어요" and the other options exclude each other: what is chosen is what is lit
        chosen = self._selected or []
        for button, value in zip(self.choice_buttons, self._choice_values, strict=False):
            button.setChecked(value in chosen)

    def _current_value(self) -> Any:
        q = self.question
        if q is None:
            return None
        if q.kind == "multi_choice":  # none chosen is an answer too ("없으면 그냥 다음")
            return [v for v in (self._selected or []) if v != NONE_CHOSEN]
        if q.keypad is not None:
            pad = self.keypad_amount if q.keypad == "amount" else self.keypad_count
            if self._selected is not None and not self._exact:
                return self._selected
            return pad.value if pad.has_value else None  # digits typed count even behind the ranges
        return self._selected

    def answer(self, value: Any) -> None:
        """Record the answer (amounts arrive in won) and move on; a refused value is explained in place."""
        self.advance.stop()
        if self.question is None:
            return
        question = self.question
        entered = value
        if question.kind == "amount_manwon" and isinstance(value, int):
            entered = round(value / 10_000)  # the questionnaire takes 만원; 천원 input is rounded
        stored: dict[str, Any] = {question.answer_key: entered}
        if self.questionnaire is not None:
            try:
                stored = self._fill(question.id, entered)
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
        run_step(self.lobby, RecordAnswer(question.id, entered), name="answer")
        self._next()

    def _engine_answers(self) -> dict[str, Any]:
        return {k: v for k, v in self.lobby.draft.answers.items() if k in ANSWER_FIELDS}

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

    def primary_text(self) -> str | None:
        # A one-answer screen needs no 다음: the tap moves on by itself.
        return None if self.one_tap else self.tr("다음")

    def primary_enabled(self) -> bool:
        return self._current_value() is not None

    def on_primary(self) -> None:
        value = self._current_value()
        if value is not None:
            self.answer(value)

    def handle_back(self) -> bool:
        self.advance.stop()
        if self.question is None or len(self.asked) <= 1:
            return False
        self.asked.pop()
        previous_id = self.asked[-1]
        if self.questionnaire is not None:
            self._show(self._view(self.questionnaire.question(previous_id)))
            return True
        return False

    def enter(self) -> None:
        if self.question is None:
            self._next()

    def leave(self) -> None:
        self.advance.stop()  # 처음으로 or 직원 호출 during the pause: nothing is answered behind it

    def wipe(self) -> None:
        self.advance.stop()
        self.question = None
        self.asked = []
        self.ranges.clear()
        self._at_most.clear()
        self._selected = None
        self._exact = False
        self.keypad_amount.clear()
        self.keypad_count.clear()
        for button in self.choice_buttons:
            self.choice_group.removeButton(button)
            button.hide()
            button.setParent(None)
            button.deleteLater()
        self.choice_buttons = []
        self._shown_choices = []
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
        if self._relayout():
            return  # _show has retranslated
        self.bar.setVisible(not self.lobby.low_reach)  # the counter says it; half a screen has no room
        self._show_count()
        self.question_label.setText(q.text_en if english else q.text_ko)
        self.question_label.setAccessibleName(self.question_label.text())
        self.help.setText(q.help_en if english else q.help_ko)
        self._fit_text()
        self.keypad_count.set_suffix(q.unit_en if english else q.unit_ko)
        for pad in (self.keypad_amount, self.keypad_count):
            pad.set_compact(self.lobby.low_reach)  # the bottom half holds the question and the keypad
        set_label(self.unknown, self.tr("잘 모르겠어요"))
        set_label(self.exact, EXACT_WORDS[self._exact][english])
        columns = self._columns
        sizes = self.lobby.sizes
        room = (self.lobby.width() - 6 * sizes.gap) // columns - 2 * sizes.gap
        for button, (_value, ko, en) in zip(self.choice_buttons, self._shown_choices, strict=False):
            label = en if english else ko
            set_label(button, wrap_answer(label, room, sizes.body if self._dense else sizes.title))
            button.setAccessibleName(label)
