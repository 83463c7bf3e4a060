"""Results: what fits and why — verdict cards with an icon, plain words and the reasons.

Order: "신청할 수 있어요" first, then "서류 확인 후 가능할 수 있어요", then "지금은 어려워요 — 대신 이런
방법이 있어요". The matching runs on the worker thread; the screen shows a calm wait until it arrives.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from ui.lobby.flow import run_step
from ui.lobby.screens.base import LobbyScreen
from ui.widgets.verdict_card import VerdictCard

if TYPE_CHECKING:
    from ui.lobby.screens.host import LobbyHost

log = logging.getLogger(__name__)
ORDER = {"eligible": 0, "maybe": 1, "ineligible": 2}
MAX_REASONS = 3


@dataclass
class VerdictView:
    program_id: str
    verdict: str
    name_ko: str
    name_en: str
    reasons: list[tuple[str, str]] = field(default_factory=list)


def _get(obj: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
        if value not in (None, ""):
            return value
    return default


def verdicts_of(report: Any) -> list[VerdictView]:
    """Read the matching report (object or its JSON form) into what the cards show, best first."""
    rows: list[VerdictView] = []
    if hasattr(report, "to_dict"):
        report = report.to_dict()
    for program in _get(report, "programs", "verdicts", default=[]) or []:
        verdict = str(getattr(_get(program, "verdict"), "value", _get(program, "verdict")))
        reasons = []
        # What still has to be shown (documents) first for "maybe", then the engine's reasons.
        for reason in [
            *(_get(program, "to_confirm", default=[]) or []),
            *(_get(program, "reasons", default=[]) or []),
        ]:
            reasons.append((str(_get(reason, "ko", default="")), str(_get(reason, "en", default=""))))
        program_id = str(_get(program, "id", "program_id", default=""))
        name = _get(program, "name", default={}) or {}
        rows.append(
            VerdictView(
                program_id=program_id,
                verdict=verdict if verdict in ORDER else "maybe",
                name_ko=str(_get(name, "ko", default="") or _get(program, "name_ko", default=program_id)),
                name_en=str(_get(name, "en", default="") or _get(program, "name_en", default=program_id)),
                reasons=reasons,
            )
        )
    return sorted(rows, key=lambda row: ORDER[row.verdict])  # stable: keeps the engine's ranking


class ResultsScreen(LobbyScreen):
    step = "results"

    def __init__(self, lobby: LobbyHost) -> None:
        super().__init__(lobby)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setProperty("role", "hint")
        self.body.addWidget(self.status)
        self.list_area = QScrollArea()
        self.list_area.setWidgetResizable(True)
        self.list_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.holder = QWidget()
        self.column = QVBoxLayout(self.holder)
        self.column.addStretch(1)
        self.list_area.setWidget(self.holder)
        self.body.addWidget(self.list_area, 1)
        self.rows: list[VerdictView] = []
        self.cards: list[VerdictCard] = []
        self.loading = False
        self.retranslate()

    def enter(self) -> None:
        if self.lobby.draft.report is not None:
            self.show_report(self.lobby.draft.report)
            return
        self.loading = True
        self._clear_cards()
        self.retranslate()
        run_step(self.lobby, lambda flow: flow.results(), self._arrived, self._failed, name="results")

    def _arrived(self, report: Any) -> None:
        if report is None:  # no workflow service wired: nothing to match against
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

    def show_report(self, report: Any) -> None:
        self.loading = False
        self.rows = verdicts_of(report)
        self.retranslate()  # builds the cards in the current language
        self.chromeChanged.emit()
        self.lobby.voice.say(self.voice_text())

    def _clear_cards(self) -> None:
        # Detach at once (deleteLater alone leaves the old cards painted until the loop runs again).
        self.cards = []
        while self.column.count() > 1:
            item = self.column.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()

    def _build_cards(self) -> None:
        self._clear_cards()
        english = self.lobby.language.language == "en"
        headlines = {
            "eligible": self.tr("신청할 수 있어요"),
            "maybe": self.tr("서류 확인 후 가능할 수 있어요"),
            "ineligible": self.tr("지금은 어려워요"),
        }
        icon_px = self.lobby.sizes.title * 2
        section_shown = False
        for row in self.rows:
            if row.verdict == "ineligible" and not section_shown:
                section = QLabel(self.tr("지금은 어려워요 — 대신 이런 방법이 있어요"))
                section.setProperty("role", "title")
                section.setWordWrap(True)
                self.column.insertWidget(self.column.count() - 1, section)
                section_shown = True
            reasons = [en if english else ko for ko, en in row.reasons][:MAX_REASONS]
            card = VerdictCard(
                row.verdict,
                headlines[row.verdict],
                row.name_en if english else row.name_ko,
                reasons,
                icon_colour=self.lobby.icon_colour(row.verdict),
                icon_px=icon_px,
            )
            card.setObjectName(f"Verdict_{row.program_id}")
            self.column.insertWidget(self.column.count() - 1, card)
            self.cards.append(card)
        self._fit_holder()

    def _fit_holder(self) -> None:
        # Word-wrapped labels know their height only for a given width; QScrollArea sizes its widget
        # from minimumSizeHint, which ignores that, so size the list for the viewport's width ourselves.
        width = max(1, self.list_area.viewport().width())
        margins = self.column.contentsMargins()
        inner = width - margins.left() - margins.right()
        height = margins.top() + margins.bottom()
        for index in range(self.column.count()):
            item = self.column.itemAt(index)
            widget = item.widget() if item is not None else None
            if widget is None:
                continue
            fits = widget.heightForWidth(inner) if widget.hasHeightForWidth() else -1
            height += max(fits, widget.sizeHint().height()) + self.column.spacing()
        self.holder.setMinimumHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.cards:
            self._fit_holder()

    # -- LobbyScreen ------------------------------------------------------------------------------------
    def title(self) -> str:
        return self.tr("받을 수 있는 도움이에요")

    def voice_text(self) -> str:
        counts = {v: sum(1 for r in self.rows if r.verdict == v) for v in ORDER}
        if not self.rows:
            return self.title()
        return (
            self.tr(
                "신청할 수 있는 것이 %1개, 서류 확인 후 가능할 수 있는 것이 %2개 있어요. "
                "번호표를 받으시면 상담사가 자세히 도와드려요."
            )
            .replace("%1", str(counts["eligible"]))
            .replace("%2", str(counts["maybe"]))
        )

    def primary_text(self) -> str:
        return self.tr("번호표 받기")

    def primary_enabled(self) -> bool:
        return not self.loading

    def on_primary(self) -> None:
        run_step(self.lobby, lambda flow: flow.complete_results(), name="complete_results")
        self.lobby.go("ticket")

    def wipe(self) -> None:
        self.rows = []
        self._clear_cards()
        self.status.clear()
        self.loading = False

    def retranslate(self) -> None:
        if self.loading:
            self.status.setText(self.tr("알맞은 지원 제도를 찾고 있어요. 잠시만 기다려 주세요."))
        elif self.rows:
            self.status.setText(
                self.tr("상담사가 창구에서 한 번 더 확인해 드려요. 최종 결정은 서류 확인 후에 나요.")
            )
        if self.rows:
            self._build_cards()
