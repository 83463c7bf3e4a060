"""The screenshot tour: one scripted visit through every screen, rendered offscreen to PNGs.

Korean and English, each at all three text sizes (prefix ``ko-``, ``ko-large-``, ``ko-extra_large-``);
the normal-size visit also shows the welcome in large / extra-large text, high contrast and low-reach
mode, a multi-choice answer selected and deselected again, a range answer selected (``06-needs-range``;
its keypad, and both in low reach, at normal size), and the results in extra-large text and high
contrast; plus the idle warning, low-reach identify and chatbot, the printer failure with its QR and the
printer back, and staff mode. The consult path's taps are counted (every button press from 상담 접수
시작 to the results' 다음, each keypad digit one tap; signing strokes are not taps) and written to
``<language>-consult-taps.json``. Identities are synthetic and every personal value on screen is masked.
"""

from __future__ import annotations

import itertools
import json
import logging
import sys
from collections.abc import Collection
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton

from kiosk.matching.answers import validate_answers
from kiosk.matching.ranges import AnswerRange
from kiosk.visit.questionnaire import questionnaire as load_questionnaire
from ui.lobby.driving import answer_buttons, moved_on, screen_of, settle, shoot, spin, wait_until
from ui.lobby.screens.chat import ChatScreen
from ui.lobby.screens.consent import ConsentScreen
from ui.lobby.screens.identify import IdentifyScreen
from ui.lobby.screens.needs import NeedsScreen
from ui.lobby.screens.results import ResultsScreen
from ui.lobby.screens.staff import StaffPinScreen
from ui.lobby.screens.ticket import TicketScreen
from ui.lobby.screens.welcome import WelcomeScreen
from ui.lobby.window import LobbyWindow

log = logging.getLogger(__name__)

# A synthetic walk-in: 45 days overdue on consumer debt, low income — the visitor's true answers, as
# the engine's fields and units (won, days, months); each screen is answered the way a person would.
SCRIPTED_ANSWERS: dict[str, Any] = {
    "purpose": "debt",
    "age": 52,
    "employment": "employed",
    "employment_months": 14,
    "annual_income_krw": 24_000_000,
    "household_size": 2,
    "hardship": [],
    "livelihood_status": "none",
    "credit_percentile": 20,
    "court_rehabilitation": "none",
    "total_debt_krw": 32_000_000,
    "debt_last_6m_krw": 2_000_000,
    "delinquency_days": 45,
}


def sign_on_canvas(canvas: Any) -> None:
    """Draw a short Hangul-like signature with real mouse events on the on-screen canvas."""
    surface = getattr(canvas, "surface", canvas)
    w, h = surface.width(), surface.height()
    strokes = [
        [(0.15, 0.35), (0.25, 0.30), (0.30, 0.55), (0.22, 0.70)],
        [(0.38, 0.30), (0.40, 0.72), (0.48, 0.50), (0.56, 0.66)],
        [(0.62, 0.40), (0.72, 0.38), (0.70, 0.62), (0.84, 0.58)],
    ]
    for stroke in strokes:
        points = [QPoint(int(x * w), int(y * h)) for x, y in stroke]
        QTest.mousePress(surface, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[0])
        for a, b in itertools.pairwise(points):
            for i in range(1, 9):
                p = QPoint(a.x() + (b.x() - a.x()) * i // 8, a.y() + (b.y() - a.y()) * i // 8)
                QTest.mouseMove(surface, p, 8)
        QTest.mouseRelease(surface, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[-1])


def type_hangul(edit: Any, text: str) -> None:
    """Commit Hangul the way an input method (Qt Virtual Keyboard) does: a QInputMethodEvent."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QInputMethodEvent

    edit.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QCoreApplication.sendEvent(edit, event)


def answer_for(question: Any) -> Any:
    """The scripted visitor's answer to a question view: the options that say its values on a screen of
    several fields, the choice holding its figure, else the figure itself (won for an amount)."""
    full = validate_answers(SCRIPTED_ANSWERS)
    if len(question.fields) > 1:
        shipped = load_questionnaire().question(question.id)
        picked = shipped.chosen(shipped.visitor_answer(full))
        if question.kind == "multi_choice":
            return picked
        return picked[0] if picked else question.choices[0][0]
    value = full.get(question.field)
    if question.kind == "yes_no":
        return bool(value)
    if question.choices:  # an exact figure picks the choice holding it ("6명 이상")
        values = [choice[0] for choice in question.choices]
        held = [v for v in values if v == value or (isinstance(v, AnswerRange) and v.holds(value))]
        return held[0] if held else values[0]
    if value is None:
        return 1 if question.kind not in ("amount_manwon", "krw") else 10_000_000
    return value


def identify(window: LobbyWindow, taps: TapCount | None = None) -> None:
    screen = screen_of(window, "identify", IdentifyScreen)
    taps = taps or TapCount()
    if window.services.id_reader is not None and window.services.present_card is not None:
        taps.tap(screen.scan)
        wait_until(lambda: screen.mode in ("confirm", "choose"), 60, "the ID scanner to read the card")
    if screen.mode != "confirm":
        taps.tap(screen.manual)
        # A synthetic identity, as a visitor would type it.
        type_hangul(screen.name_edit, "김하늘")
        screen.birth_edit.setText("1974-05-12")
        screen.phone_edit.setText("010-0000-0000")


def choose_language(window: LobbyWindow, language: str) -> None:
    """Press 한국어 / English on the welcome screen (every wipe puts the kiosk back to Korean)."""
    if window.language.language != language:
        welcome = screen_of(window, "welcome", WelcomeScreen)
        (welcome.lang_en if language == "en" else welcome.lang_ko).click()
        spin(80)  # LanguageChange arrives as posted events


class TapCount:
    """Counts the visitor's taps on the way: every button pressed, each keypad digit one tap."""

    def __init__(self) -> None:
        self.taps = 0
        self.questions = 0

    def tap(self, button: QAbstractButton) -> None:
        self.taps += 1
        button.click()


def run_tour(
    window: LobbyWindow, out: Path, *, language: str, variants: bool, only: Collection[str] | None = None
) -> list[Path]:
    """Drive one visit in ``language`` at each text size; return the PNGs written.

    The visit at normal size carries the variants (large text, high contrast, low reach, a selected and
    deselected multi-choice answer) and reports the consult path's tap count. ``only`` names the
    pictures to take (without the language prefix; None: all) — each costs half a second to encode, and
    a test that counts taps needs a few."""
    shots: list[Path] = []
    sizes = ("normal", "large", "extra_large") if variants else ("normal",)
    for text_size in sizes:
        taps = TapCount()
        shots += _visit(
            window, out, language=language, text_size=text_size, variants=variants, taps=taps, only=only
        )
        if text_size == "normal":
            report = {"language": language, "consult_taps": taps.taps, "questions_asked": taps.questions}
            (out / f"{language}-consult-taps.json").write_text(json.dumps(report), encoding="utf-8")
            print(f"{language}: consult path {taps.taps} taps, {taps.questions} questions", file=sys.stderr)
    return shots


def _visit(
    window: LobbyWindow,
    out: Path,
    *,
    language: str,
    text_size: str,
    variants: bool,
    taps: TapCount,
    only: Collection[str] | None = None,
) -> list[Path]:
    shots: list[Path] = []
    first = text_size == "normal"
    prefix = f"{language}-" if first else f"{language}-{text_size}-"
    variants = variants and first

    def shot(name: str) -> None:
        if only is None or name in only:
            shots.append(shoot(window, out, prefix + name))
        else:
            settle(window)  # the same pace as with the picture: the visit waits where it did

    def look() -> WelcomeScreen:
        """Language and text size pressed on the welcome screen, as a visitor would (a wipe resets them)."""
        choose_language(window, language)
        welcome = screen_of(window, "welcome", WelcomeScreen)
        if window.text_size != text_size:
            welcome.size_buttons[text_size].click()
        return welcome

    welcome = look()
    shot("01-welcome")
    if variants:  # pressed like a visitor would
        for size in ("large", "extra_large"):
            welcome.size_buttons[size].click()
            shot(f"01-welcome-text-{size}")
        welcome.size_buttons["normal"].click()
        welcome.contrast.click()
        shot("01-welcome-high-contrast")
        welcome.size_buttons["extra_large"].click()
        shot("01-welcome-high-contrast-extra-large")
        welcome.contrast.click()
        welcome.size_buttons["normal"].click()
        welcome.low_reach.click()
        shot("01-welcome-low-reach")
        welcome.size_buttons["extra_large"].click()
        shot("01-welcome-low-reach-extra-large")
        welcome.size_buttons["normal"].click()
        welcome.low_reach.click()
    if "chat" in window.screens:
        chat = screen_of(window, "chat", ChatScreen)
        welcome.chat.click()
        wait_until(lambda: chat.ready, 60, "the chatbot to load")
        answers: list[object] = []
        chat.panel.answerShown.connect(answers.append)
        chat.panel.ask(
            "채무조정 신청하려면 뭘 가져가야 해요?"
            if language == "ko"
            else "What do I bring for debt adjustment?"
        )
        wait_until(lambda: bool(answers), 30, "the chatbot's answer")
        shot("01-chatbot")
        window.home_button.click()
        settle(window)
        look()
    taps.tap(window.primary)  # 상담 접수 시작
    shot("02-identify")
    identify(window, taps)
    identify_screen = screen_of(window, "identify", IdentifyScreen)
    shot("03-identify-" + ("confirm" if identify_screen.mode == "confirm" else "manual"))
    taps.tap(window.primary)

    consent = screen_of(window, "consent", ConsentScreen)
    shot("04-consent")
    taps.tap(consent.agree_required)  # 필수 항목에 모두 동의해요; the optional ones stay unticked (refused)
    taps.tap(window.primary)
    if consent.method == "pad":
        taps.tap(consent.use_screen)
    sign_on_canvas(consent.canvas)
    shot("05-consent-sign")
    taps.tap(window.primary)
    settle(window)

    needs = screen_of(window, "needs", NeedsScreen)
    seen_kinds: set[str] = set()
    for _ in range(40):
        if window.current != "needs" or needs.question is None:
            break
        question = needs.question
        taps.questions += 1
        if question.kind == "multi_choice" and variants and question.kind not in seen_kinds:
            # Every tap lands: the first tap selects, a second tap on the same answer deselects.
            needs.choice_buttons[0].click()
            shot("06-needs-multi_choice-selected")
            needs.choice_buttons[0].click()
            shot("06-needs-multi_choice-deselected")
        first_range = bool(question.ranges) and "range" not in seen_kinds
        if first_range and variants:  # the keypad behind "정확히 누를게요", and low reach
            needs.exact.click()
            shot("06-needs-range-exact")
            window.set_low_reach(True)  # the keypad in the bottom half: smaller keys, units beside
            shot("06-needs-range-exact-low-reach")
            window.set_low_reach(False)
            needs.exact.click()
            window.set_low_reach(True)
            shot("06-needs-range-low-reach")
            window.set_low_reach(False)
        _enter_answer(needs, answer_for(question), taps)
        needs.advance.stop()  # held for the picture: the selected answer, before it moves on
        if first_range:
            seen_kinds.add("range")
            shot("06-needs-range")
        if question.kind not in seen_kinds:
            seen_kinds.add(question.kind)
            shot(f"06-needs-{len(seen_kinds)}-{question.kind}")
        if needs.one_tap:
            needs.advance.start()  # the tap is the answer: the next question comes by itself
            wait_until(moved_on(window, needs, question), 10, "the next question")
        else:
            taps.tap(window.primary)
        settle(window)
    if window.current == "needs":
        shot("06-needs-unavailable")
        return shots

    results = screen_of(window, "results", ResultsScreen)
    wait_until(lambda: not results.loading, 30, "matching results")
    wait_until(lambda: not results.estimate_pending, 30, "the debt estimate line")
    shot("07-results")
    if variants:
        window.set_text_size("extra_large")
        shot("07-results-text-extra_large")
        window.set_text_size(text_size)
        window.set_theme("high_contrast")
        shot("07-results-high-contrast")
        window.set_theme("default")
    taps.tap(window.primary)
    ticket = screen_of(window, "ticket", TicketScreen)
    if ticket.mode == "choose":
        shot("08-ticket-choose-line")
        taps.tap(ticket.line_buttons["B"])
    wait_until(lambda: ticket.mode in ("shown", "unavailable"), 30, "the ticket")
    if ticket.mode == "shown":
        wait_until(lambda: window.draft.printed in ("done", "failed"), 30, "the ticket to print")
    shot("08-ticket")
    window.primary.click()
    shot("09-goodbye")
    window.screens["goodbye"].on_primary()
    settle(window)
    return shots


def _enter_answer(needs: Any, value: Any, taps: TapCount | None = None) -> None:
    """Tap ``value`` in (a one-answer tap then moves on by itself after a pause; 다음 answers at once)."""
    taps = taps or TapCount()
    for button in answer_buttons(needs, value):
        taps.tap(button)


def extra_screens(window: LobbyWindow, out: Path, language: str) -> list[Path]:
    """Idle warning, printer failure with the QR fallback, staff mode."""
    shots: list[Path] = []
    prefix = f"{language}-"
    choose_language(window, language)
    window.primary.click()  # start a visit so the idle warning has something to forget
    window.idle_overlay.show_countdown(window.services.settings.lobby.warning_seconds)
    shots.append(shoot(window, out, prefix + "10-idle-warning"))
    window.idle_overlay.extend.click()
    window.home_button.click()
    settle(window)
    choose_language(window, language)
    # Low reach: the visitor's toggle on the welcome screen moves every control of every screen low.
    welcome = screen_of(window, "welcome", WelcomeScreen)
    welcome.low_reach.click()
    window.primary.click()
    shots.append(shoot(window, out, prefix + "10-low-reach-identify"))
    window.home_button.click()
    settle(window)
    choose_language(window, language)
    if "chat" in window.screens:
        screen_of(window, "welcome", WelcomeScreen).low_reach.click()
        screen_of(window, "welcome", WelcomeScreen).chat.click()
        wait_until(lambda: screen_of(window, "chat", ChatScreen).ready, 60, "the chatbot to load")
        shots.append(shoot(window, out, prefix + "10-low-reach-chatbot"))
        window.home_button.click()
        settle(window)
        choose_language(window, language)
    emulators = window.services.emulators
    printer = emulators.get("printer")
    if printer is not None and window.services.visits is not None:
        printer.paper_out()
        screen_of(window, "welcome", WelcomeScreen).ticket_only.click()
        ticket = screen_of(window, "ticket", TicketScreen)
        if ticket.mode == "choose":
            ticket.line_buttons["A"].click()
        wait_until(lambda: window.draft.printed == "failed", 60, "the printer failure to be reported")
        shots.append(shoot(window, out, prefix + "11-ticket-printer-failed"))
        printer.recover()
        # Paper back: the waiting ticket prints, or (if the spool gave up) 다시 인쇄하기 is offered.
        wait_until(
            lambda: window.draft.printed == "done" or ticket.retry.isVisible(), 60, "the printer to be back"
        )
        shots.append(shoot(window, out, prefix + "11-ticket-printer-back"))
        window.home_button.click()
        settle(window)
        choose_language(window, language)
    for _ in range(5):
        window.register_staff_tap()
    shots.append(shoot(window, out, prefix + "12-staff-pin"))
    pin = window.services.settings.lobby.staff_pin
    if pin:
        pin_screen = screen_of(window, "staff_pin", StaffPinScreen)
        for digit in pin:
            pin_screen.keypad.keys[digit].click()
        window.primary.click()
        wait_until(lambda: window.current == "staff", 10, "staff mode")
        settle(window)
        shots.append(shoot(window, out, prefix + "13-staff"))
        window.primary.click()
    settle(window)
    return shots
