"""Results as advice: the 1–3 things to do first on top, the rest folded under "다른 제도 보기".

What comes first depends on what the person came for (debt trouble → the CCRS route that fits; a loan →
the best-fitting loans). Each card shows the program's name big and one or two plain sentences from the
catalogue. A court route says "상담사와 먼저 이야기해 보세요", a "maybe" names the document that settles it,
and a program that does not fit says what it is for. The matching runs on the worker thread.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from kiosk.matching.engine import MatchReport
from kiosk.visit import VisitFlow
from ui.lobby.flow import run_step
from ui.lobby.screens.base import LobbyScreen
from ui.lobby.screens.results_advice import (
    LEAD_REASONS,
    ORDER,
    Section,
    VerdictView,
    digest,
    first_steps,
    lead_sections,
    reason_lines,
    reasons_heading,
    route_of,
    verdicts_of,
)
from ui.lobby.screens.results_debt import LeadEstimate, estimate_line, lead_plan
from ui.widgets.buttons import set_label, touch_button
from ui.widgets.verdict_card import VerdictCard

if TYPE_CHECKING:
    from ui.lobby.screens.host import LobbyHost

log = logging.getLogger(__name__)
__all__ = ["ORDER", "ResultsScreen", "VerdictView", "verdicts_of"]


def _match(flow: VisitFlow) -> object:
    return flow.results()


def _complete(flow: VisitFlow) -> None:
    flow.complete_results()


def _bold(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("font-weight: bold;")
    return label


class _EstimateJob:
    """Worker job: the lead route's plan from a copy of the answers (no lambda, no shared state)."""

    def __init__(self, answers: dict[str, Any], program_id: str) -> None:
        self.answers, self.program_id = answers, program_id

    def __call__(self) -> LeadEstimate | None:
        return lead_plan(self.answers, self.program_id)


class _EstimateArrived:
    def __init__(self, screen: ResultsScreen, report: object) -> None:
        self.screen, self.report = screen, report

    def __call__(self, plan: LeadEstimate | None) -> None:
        self.screen.show_estimate(self.report, plan)


class _EstimateFailed:
    def __init__(self, screen: ResultsScreen) -> None:
        self.screen = screen

    def __call__(self, error: Exception) -> None:
        log.warning("debt estimate failed: %s: %s", error.__class__.__name__, error)  # no line, no alarm
        self.screen.estimate_pending = False


class LeadCard(VerdictCard):
    """The first recommendation, given room: its reasons under a heading, then what it gives, the next
    step and what to bring, each a headed block with space between."""

    def add_sections(self, reasons_heading: str, sections: list[Section], gap: int) -> None:
        self.details: list[QLabel] = []
        layout = self.layout()
        if not isinstance(layout, QVBoxLayout):
            return
        layout.setContentsMargins(gap, gap, gap, gap)
        for label in self.reasons:
            label.setText(f"• {label.text()}")
        if self.reasons:  # after the name (0) and the icon row (1)
            layout.insertWidget(2, _bold(reasons_heading))
            layout.insertSpacing(2, gap)
        for section in sections:
            layout.addSpacing(gap)
            layout.addWidget(_bold(section.heading))
            for index, text in enumerate(section.lines):
                label = QLabel(text)
                label.setWordWrap(True)
                label.setObjectName("LeadDetail")
                if section is sections[-1] and index == 0:
                    label.setProperty("role", "lead")  # the next step, a little larger
                layout.addWidget(label)
                self.details.append(label)


class ResultsScreen(LobbyScreen):
    step = "results"

    def __init__(self, lobby: LobbyHost) -> None:
        super().__init__(lobby)
        self.list_area = QScrollArea()
        self.list_area.setWidgetResizable(True)
        self.list_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.holder = QWidget()
        self.column = QVBoxLayout(self.holder)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(lobby.metrics.px(4))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setProperty("role", "hint")
        self.column.addWidget(self.status)
        self.first_box = QVBoxLayout()
        self.column.addLayout(self.first_box)
        # What waits under "다른 제도 보기", brought up by name so the fold is worth a tap.
        self.digest = QFrame()
        self.digest.setProperty("role", "card")
        self.digest.setObjectName("ResultsDigest")
        self.digest_box = QVBoxLayout(self.digest)
        self.digest.hide()
        self.column.addWidget(self.digest)
        self.more = touch_button(role="secondary", name="ResultsMore", checkable=True)
        self.more.toggled.connect(self._fold)
        self.more.hide()
        self.column.addWidget(self.more)
        self.rest = QWidget()
        self.rest_box = QVBoxLayout(self.rest)
        self.rest_box.setContentsMargins(0, 0, 0, 0)
        self.rest.hide()
        self.column.addWidget(self.rest)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setProperty("role", "hint")
        self.column.addWidget(self.note)
        # Under the first recommendation when it is a CCRS route: 예상 월 납입액 약 …만원 · …년.
        self.estimate = QLabel()
        self.estimate.setWordWrap(True)
        self.estimate.setObjectName("DebtEstimate")
        self.estimate.setProperty("role", "lead")
        self.estimate.hide()
        self.debt_plan: LeadEstimate | None = None
        self.estimate_pending = False  # asked of the worker, not answered yet (the tour waits for it)
        self.column.addStretch(1)
        self.list_area.setWidget(self.holder)
        self.body.addWidget(self.list_area, 1)
        self.rows: list[VerdictView] = []
        self.first: list[VerdictView] = []
        self.cards: list[VerdictCard] = []  # the first steps, then the folded rest
        self.first_cards: list[VerdictCard] = []
        self.loading = False
        self.retranslate()

    def enter(self) -> None:
        if self.lobby.draft.report is not None:
            self.show_report(self.lobby.draft.report)
            return
        self.loading = True
        self._clear_cards()
        self.retranslate()
        run_step(self.lobby, _match, self._arrived, self._failed, name="results")

    def _arrived(self, report: object) -> None:
        if not isinstance(report, MatchReport):  # no workflow service wired: nothing to match
            self._failed(RuntimeError("no matching service"))
            return
        self.lobby.draft.report = report
        self.show_report(report)

    def _failed(self, error: Exception) -> None:
        log.warning("matching failed: %s", error)
        self.loading = False
        self.status.setText(
            self.tr("결과를 불러오지 못했어요. 번호표를 받으시면 상담사가 창구에서 자세히 알려 드릴게요.")
        )
        self.chromeChanged.emit()

    def show_report(self, report: MatchReport | Mapping[str, Any]) -> None:
        self.loading = False
        self.rows = verdicts_of(report)
        purpose = self.lobby.draft.answers.get("purpose")
        self.first = first_steps(self.rows, purpose if isinstance(purpose, str) else None, route_of(report))
        self.more.setChecked(False)
        self.debt_plan = None
        self.retranslate()
        self._build_cards()
        self.chromeChanged.emit()
        self.lobby.voice.say(self.voice_text())
        self._ask_estimate(report)

    def _ask_estimate(self, report: MatchReport | Mapping[str, Any]) -> None:
        """The lead CCRS route's monthly payment, worked out on the worker (kiosk.debt is pure but not
        free: it must never hold up the screen)."""
        answers = dict(report.answers) if isinstance(report, MatchReport) else {}
        if not self.first or not answers:
            return
        job = _EstimateJob(answers, self.first[0].program_id)
        self.estimate_pending = True
        self.lobby.worker.submit(job, _EstimateArrived(self, report), _EstimateFailed(self))

    def show_estimate(self, report: object, plan: LeadEstimate | None) -> None:
        """The worker's answer, kept only if it is still this visit's report (a wipe moves on)."""
        if report is not self.lobby.draft.report or not self.first:
            return
        self.estimate_pending = False
        self.debt_plan = plan
        self._word_estimate()
        self._fit_holder()

    def _word_estimate(self) -> None:
        if self.debt_plan is None:
            self.estimate.clear()
            self.estimate.hide()
            return
        self.estimate.setText(estimate_line(self.debt_plan, self.lobby.language.language == "en"))
        self.estimate.show()

    def _fold(self, shown: bool) -> None:
        self.rest.setVisible(shown)
        self._label_more()
        self._fit_holder()

    def _label_more(self) -> None:
        hidden = len(self.rows) - len(self.first)
        text = (
            self._t("다른 제도 접기", "Hide the other programs")
            if self.more.isChecked()
            else self._t("다른 제도 보기 (%1개)", "See other programs (%1)")
        )
        set_label(self.more, text.replace("%1", str(hidden)))

    def _clear_cards(self) -> None:
        # Detach at once (deleteLater alone leaves the old cards painted until the loop runs again).
        self.first_box.removeWidget(self.estimate)  # kept: it goes back under the next first card
        self.estimate.hide()
        for card in self.cards:
            card.hide()
            card.setParent(None)
            card.deleteLater()
        self.cards, self.first_cards = [], []

    def _t(self, ko: str, en: str) -> str:
        """This screen's own words, in the screen's language."""
        return en if self.lobby.language.language == "en" else ko

    def _headline(self, row: VerdictView) -> tuple[str, str]:
        """(card kind, words) — plain and encouraging; never a bare "불가" or "미충족"."""
        if row.court:
            return "court", self._t("상담사와 먼저 이야기해 보세요", "Talk to a counselor first")
        if row.verdict == "eligible":
            return "eligible", self._t("신청할 수 있어요", "You can apply")
        if row.verdict == "maybe":
            return "maybe", self._t(
                "서류를 확인하면 받을 수 있을지 알 수 있어요", "Your documents will show whether it fits"
            )
        return "ineligible", self._t("지금은 어려워요", "Not right now")

    def _card(self, row: VerdictView, big: bool, *, lead: bool = False) -> VerdictCard:
        english = self.lobby.language.language == "en"
        kind, headline = self._headline(row)
        card = (LeadCard if lead else VerdictCard)(
            kind,
            headline,
            row.name_en if english else row.name_ko,
            reason_lines(row, english, limit=LEAD_REASONS) if lead else reason_lines(row, english),
            icon_colour=self.lobby.icon_colour("maybe" if kind == "court" else kind),
            icon_px=self.lobby.sizes.title * 2,
            big=big,
        )
        if isinstance(card, LeadCard):
            gap = self.lobby.metrics.px(4)
            card.add_sections(reasons_heading(row, english), lead_sections(row, english), gap)
        card.setObjectName(f"Verdict_{row.program_id}")
        return card

    def _build_cards(self) -> None:
        self._clear_cards()
        for index, row in enumerate(self.first):
            card = self._card(row, big=True, lead=index == 0)
            self.first_box.addWidget(card)
            self.first_cards.append(card)
            if index == 0:  # the estimate line sits right under the first recommendation
                self.first_box.addWidget(self.estimate)
        self._word_estimate()
        rest_rows = self._rest_rows()
        rest = [self._card(row, big=False) for row in rest_rows]
        for card in rest:
            self.rest_box.addWidget(card)
        self.cards = self.first_cards + rest
        self.more.setVisible(bool(rest_rows))
        self._digest(rest_rows)
        self._label_more()
        self._fit_holder()

    def _digest(self, rest: list[VerdictView]) -> None:
        while (item := self.digest_box.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.deleteLater()
        sections = digest(rest, self.lobby.language.language == "en")
        self.digest.setVisible(bool(sections))
        if not sections:
            return
        self.digest_box.addWidget(_bold(self._t("이런 제도도 있어요", "Other programs that may help")))
        for section in sections:
            self.digest_box.addSpacing(self.lobby.metrics.px(2))
            self.digest_box.addWidget(_bold(section.heading))
            for name in section.lines:
                label = QLabel(f"• {name}")
                label.setWordWrap(True)
                self.digest_box.addWidget(label)

    def _rest_rows(self) -> list[VerdictView]:
        """Everything not on top: what fits, then talk-first and "maybe", then what is for others."""
        rest = [r for r in self.rows if r not in self.first]
        return sorted(rest, key=lambda r: 1 if r.court else ORDER[r.verdict])

    def _fit_holder(self) -> None:
        # Word-wrapped labels know their height only for a given width; QScrollArea sizes its widget
        # from minimumSizeHint, which ignores that, so size the list for the viewport's width ourselves.
        width = max(1, self.list_area.viewport().width())
        self.holder.setMinimumHeight(self.column.heightForWidth(width))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.cards:
            self._fit_holder()

    # -- LobbyScreen ------------------------------------------------------------------------------------
    def title(self) -> str:
        return (
            self._t("먼저 이것부터 해 보세요", "Start with these")
            if self.first
            else self._t("받을 수 있는 도움이에요", "Help you can get")
        )

    def voice_text(self) -> str:
        if not self.first:
            return self.title()
        english = self.lobby.language.language == "en"
        names = ", ".join(row.name_en if english else row.name_ko for row in self.first)
        return self._t(
            "먼저 해 볼 것: %1. 번호표를 받으시면 상담사가 자세히 도와드려요.",
            "Start with: %1. Take a ticket and a counselor will help you.",
        ).replace("%1", names)

    def primary_text(self) -> str:
        return self.tr("번호표 받기")

    def primary_enabled(self) -> bool:
        return not self.loading

    def on_primary(self) -> None:
        run_step(self.lobby, _complete, name="complete_results")
        self.lobby.go("ticket")

    def wipe(self) -> None:
        self.rows, self.first = [], []
        self.debt_plan, self.estimate_pending = None, False
        self._word_estimate()
        self._clear_cards()
        self.more.hide()
        self._digest([])
        self.more.setChecked(False)
        self.status.clear()
        self.note.clear()
        self.loading = False

    def retranslate(self) -> None:
        if self.loading:
            self.status.setText(self.tr("알맞은 지원 제도를 찾고 있어요. 잠시만 기다려 주세요."))
            self.status.show()
        else:
            self.status.setVisible(not self.rows and bool(self.status.text()))
        if self.rows:
            self.note.setText(
                self.tr("상담사가 창구에서 한 번 더 확인해 드려요. 최종 결정은 서류 확인 후에 나요.")
            )
            if self.isVisible():  # a language change: re-word the cards (a closed window is left alone)
                self._build_cards()
