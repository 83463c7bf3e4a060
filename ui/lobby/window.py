"""The kiosk window: fixed chrome around one screen at a time.

Top: the centre's name and the step title; progress dots. Bottom, always in the same places: the one
primary action (full width), then 이전 · 처음으로 · 다시 듣기 · 직원 호출. A screen whose primary action is
the reason people come (welcome: 상담 접수 시작) has it first instead, right under the title. Navigation,
look (theme, text size, language, voice, low reach), the visit draft and the wipe live here; each screen
is its own module and sees the window only through `ui.lobby.screens.host.LobbyHost`.

Low-reach mode (KS X 9211: controls within 120 cm of the floor) is done here, once for every screen
(``ui.lobby.reach``); the screen scrolls inside ``ui.lobby.screen_area`` when it cannot fit.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ui.adapters.workflow_worker import WorkflowWorker
from ui.i18n import LanguageSwitch
from ui.lobby.chrome import NavRow, StaffGesture, TitleBar
from ui.lobby.flow_holder import FlowHolder
from ui.lobby.idle import IdleWatcher
from ui.lobby.reach import ReachLayout
from ui.lobby.screen_area import ScreenArea
from ui.lobby.screens.base import LobbyScreen
from ui.lobby.services import LobbyServices
from ui.lobby.state import VisitDraft
from ui.lobby.tap_cue import TapCue
from ui.theme import ICON_COLOURS, ScreenMetrics, Sizes, stylesheet
from ui.voice import VoiceGuide
from ui.widgets.buttons import set_label, touch_button
from ui.widgets.idle_overlay import IdleOverlay
from ui.widgets.progress_dots import ProgressDots

log = logging.getLogger(__name__)
CONSULT_STEPS = ("identify", "consent", "needs", "results", "ticket")


class LobbyWindow(QWidget):
    screenChanged = Signal(str)
    lookChanged = Signal()  # theme, text size, language or voice changed
    wiped = Signal(str)  # reason

    def __init__(self, services: LobbyServices, *, kiosk_mode: bool = False) -> None:
        super().__init__()
        self.services = services
        cfg = services.settings.lobby
        self.setObjectName("LobbyWindow")
        self.setWindowTitle("paperless-kiosk")
        self.metrics = ScreenMetrics(cfg.screen_dpi)
        self.theme_name = "default"
        self.text_size = "normal"
        self.sizes = self._make_sizes()
        self.language = LanguageSwitch()
        self.voice = VoiceGuide(
            cfg.voice_command,
            default_enabled=cfg.voice_enabled,
            default_rate_wpm=cfg.voice_rate_wpm,
            record_dir=services.voice_record_dir,  # tests and machines without a sound card: WAV files
            parent=self,
        )
        self.worker = WorkflowWorker(self)
        self.draft = VisitDraft()
        self.flows = FlowHolder()
        self.idle_watcher: IdleWatcher | None = None  # watch_idle() starts it
        self.warmed_up = False  # set once the first visit's one-time costs are paid (ui.lobby.app)
        self._closing_allowed = False  # allow_closing(): staff mode may quit a kiosk-mode window
        self.screens: dict[str, LobbyScreen] = {}
        self.history: list[str] = []
        self.current = ""
        self.staff_gesture = StaffGesture()
        self._build_chrome()
        self.resize(cfg.window_width_px, cfg.window_height_px)
        if kiosk_mode:
            # Frameless, on top, full screen: no title bar to drag, no close button to press.
            self.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
            self.setWindowState(Qt.WindowState.WindowFullScreen)
            self.setCursor(Qt.CursorShape.BlankCursor)
        self._kiosk_mode = kiosk_mode
        self.apply_look()
        self.tap_cue = TapCue(self, self.voice)  # every real tap on one of our buttons is heard

    # -- chrome -----------------------------------------------------------------------------------------
    def _build_chrome(self) -> None:
        outer = QVBoxLayout(self)
        self._outer = outer
        gap = self.sizes.gap
        outer.setContentsMargins(gap, gap, gap, gap)
        outer.setSpacing(gap)
        top = self.top_bar = TitleBar()
        self.centre_label, self.title_label = top.centre, top.title
        self.centre_label.installEventFilter(self)  # the hidden staff gesture: 5 taps within 4 s
        outer.addWidget(top)
        self.progress = ProgressDots(self.sizes.touch)
        outer.addWidget(self.progress)
        self.notice = QLabel()
        self.notice.setObjectName("Notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        outer.addWidget(self.notice)
        self.stack_area = ScreenArea()
        self.stack = self.stack_area.stack
        outer.addWidget(self.stack_area, 1)
        self.primary = touch_button(role="primary", name="Primary")
        self.primary.clicked.connect(self._primary_clicked)
        outer.addWidget(self.primary)
        self.reach = ReachLayout(outer, top, self.stack_area, self.primary)
        self.reach_spacer = self.reach.spacer
        nav = NavRow(gap)
        self.back_button, self.home_button, self.replay_button, self.staff_button = nav.buttons()
        self.back_button.clicked.connect(self.back)
        self.home_button.clicked.connect(self.start_over)
        self.replay_button.clicked.connect(self.voice.replay)
        self.staff_button.clicked.connect(self.call_staff)
        outer.addLayout(nav)
        self.idle_overlay = IdleOverlay(self)

    def add_screen(self, name: str, screen: LobbyScreen) -> None:
        self.screens[name] = screen
        self.stack_area.add(screen)
        screen.chromeChanged.connect(self._screen_chrome_changed)

    def _screen_chrome_changed(self) -> None:
        if self.current and self.sender() is self.current_screen:
            self._refresh_chrome()

    def has_screen(self, name: str) -> bool:
        return name in self.screens

    @property
    def current_screen(self) -> LobbyScreen:
        return self.screens[self.current]

    def retranslate(self) -> None:
        self.centre_label.setText(self.tr("서민금융통합지원센터"))
        self.centre_label.setAccessibleName(self.centre_label.text())
        set_label(self.back_button, self.tr("이전"))
        set_label(self.home_button, self.tr("처음으로"))
        set_label(self.replay_button, self.tr("다시 듣기"))
        set_label(self.staff_button, self.tr("직원 호출"))
        self.progress.set_steps(
            [self.tr("본인 확인"), self.tr("동의"), self.tr("질문"), self.tr("결과"), self.tr("번호표")]
        )
        if self.current:
            self._refresh_chrome()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _refresh_chrome(self) -> None:
        screen = self.current_screen
        self.title_label.setText(screen.title())
        self.title_label.setAccessibleName(screen.title())
        text = screen.primary_text()
        self.primary.setVisible(text is not None)
        # Kept current even while hidden: a one-tap screen hides 다음, and a stale disabled state would
        # swallow a press from a driver (tests, the demo) that still sends one.
        self.primary.setEnabled(screen.primary_enabled())
        if text is not None:
            set_label(self.primary, text)
        steps = CONSULT_STEPS if self.draft.path == "consult" else ("ticket",)
        show_progress = screen.step in steps and self.draft.path == "consult"
        self.progress.setVisible(show_progress)
        if show_progress:
            self.progress.set_current(steps.index(screen.step))
        at_start = self.current == "welcome"
        self.back_button.setVisible(screen.back_available())  # hidden where it could not act
        self.back_button.setEnabled(bool(self.history) and not at_start)
        self.home_button.setEnabled(not at_start)
        self.reach.place_primary(screen.primary_first)
        self.reach.fit(self.height())  # a longer title makes the top bar taller

    def _primary_clicked(self) -> None:
        if self.current:
            self.current_screen.on_primary()

    # -- navigation -------------------------------------------------------------------------------------
    def go(self, name: str, *, remember: bool = True) -> None:
        if self.current and self.current != name:
            self.current_screen.leave()
            if remember:
                self.history.append(self.current)
        self.current = name
        self.hide_notice()
        screen = self.screens[name]
        screen.enter()
        self.stack.setCurrentWidget(screen)
        self._refresh_chrome()
        self.voice.say(screen.voice_text())
        self.services.report_step(name, screen.title())
        self.screenChanged.emit(name)

    def back(self) -> None:
        if self.current and self.current_screen.handle_back():
            self._refresh_chrome()
            return
        if not self.history:
            return
        previous = self.history.pop()
        if self.draft.flow is not None:
            flow = self.draft.flow
            self.worker.submit(flow.back, on_error=lambda e: log.warning("workflow back failed: %s", e))
        self.go(previous, remember=False)

    def start_over(self) -> None:
        """처음으로: the visit is abandoned and wiped, like an idle timeout but at the visitor's request."""
        self.wipe_visit(reason="start_over")

    def wipe_visit(self, *, reason: str) -> None:
        """After a visit, an idle timeout, "처음으로" or staff mode the kiosk forgets the visitor completely.

        Order matters: pending results are dropped first (so a late answer cannot refill a screen), then
        every screen clears its widgets and models, the draft drops its references, temporary files go,
        the look and voice return to defaults, and an audit event (ids and counts only) records it.
        """
        self.worker.cancel_all()
        self.flows.next_generation()  # a job queued for this visitor finds no flow any more
        flow = self.draft.flow
        visit_id = str(flow.visit_id or "") if flow is not None else ""
        if flow is not None and reason != "completed":
            close = flow.timeout if reason == "idle" else flow.start_over
            self.worker.submit(close, on_error=lambda e: log.warning("closing the visit failed: %s", e))
        for screen in self.screens.values():
            screen.wipe()
        self.draft.forget()
        removed = self.services.clear_temp()
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.clear()
        self.reset_accessibility()
        self.idle_overlay.hide()
        self.history.clear()
        detail: dict[str, str | int] = {
            "reason": reason,
            "temp_files_removed": removed,
            "kiosk": self.services.settings.lobby.kiosk_id,
        }
        if visit_id:
            detail["visit_id"] = visit_id
        services = self.services
        self.worker.submit(
            lambda: services.audit("lobby.wipe", detail),
            on_error=lambda e: log.warning("audit of the wipe failed: %s", e),
        )
        self.go("welcome", remember=False)
        self.wiped.emit(reason)

    def call_staff(self) -> None:
        step = self.current or "welcome"
        self.worker.submit(lambda: self.services.call_staff(step))
        self.show_notice(self.tr("직원을 불렀어요. 잠시만 기다려 주세요."), kind="guidance")

    def show_notice(self, text: str, *, kind: str = "guidance") -> None:
        self.notice.setProperty("role", kind)
        self.notice.style().unpolish(self.notice)
        self.notice.style().polish(self.notice)
        self.notice.setText(text)
        self.notice.setAccessibleName(text)
        self.notice.show()

    def hide_notice(self) -> None:
        self.notice.clear()
        self.notice.hide()

    # -- look -------------------------------------------------------------------------------------------
    def _make_sizes(self) -> Sizes:
        cfg = self.services.settings.lobby
        body = getattr(cfg.text_mm, self.text_size)
        return Sizes.make(self.metrics, body, cfg.min_touch_mm, cfg.keypad_key_mm)

    def icon_colour(self, role: str = "text") -> str:
        return ICON_COLOURS[self.theme_name][role]

    def apply_look(self) -> None:
        self.sizes = self._make_sizes()
        self.setStyleSheet(stylesheet(self.theme_name, self.sizes))
        self.lookChanged.emit()

    def set_theme(self, theme: str) -> None:
        self.theme_name = theme
        self.apply_look()
        for screen in self.screens.values():
            screen.retranslate()  # screens with icons redraw them in the theme's colours

    def set_text_size(self, size: str) -> None:
        self.text_size = size
        self.apply_look()

    def set_language(self, language: str) -> None:
        self.language.set_language(language)  # LanguageChange reaches every widget
        self.voice.language = language
        self.lookChanged.emit()

    @property
    def low_reach(self) -> bool:
        return self.reach.low_reach

    def set_low_reach(self, on: bool) -> None:
        """Low-reach mode: every control of every screen in the bottom half (wheelchair users)."""
        self.reach.set_low_reach(on, self.height())
        if self.current:
            self._refresh_chrome()
        self.lookChanged.emit()

    def reset_accessibility(self) -> None:
        cfg = self.services.settings.lobby
        if self.language.language != cfg.default_language:
            self.set_language(cfg.default_language)
        if (self.theme_name, self.text_size) != ("default", "normal"):
            # Re-polishing every widget is the slowest thing the GUI does: only when the look changed.
            self.theme_name, self.text_size = "default", "normal"
            self.apply_look()
            for screen in self.screens.values():
                screen.retranslate()  # icons back in the default colours
        if self.low_reach:
            self.set_low_reach(False)
        self.voice.reset()

    # -- idle watch -------------------------------------------------------------------------------------
    def watch_idle(self, *, idle_ms: int, warning_s: int, tick_ms: int = 1000) -> IdleWatcher:
        """No touch for ``idle_ms`` → a ``warning_s`` countdown → the wipe; a screen change restarts it."""
        self.idle_watcher_stop()
        watcher = IdleWatcher(
            self.idle_overlay,
            has_something_to_forget=self.has_something_to_forget,
            say=self.voice.say,
            forget=lambda: self.wipe_visit(reason="idle"),
            idle_ms=idle_ms,
            warning_s=warning_s,
            tick_ms=tick_ms,
        )
        self.screenChanged.connect(watcher.restart)
        self.idle_watcher = watcher
        return watcher

    def has_something_to_forget(self) -> bool:
        """The welcome screen with the default look holds nothing of a visitor: no clock runs there."""
        cfg = self.services.settings.lobby
        default_look = (
            self.theme_name == "default"
            and self.text_size == "normal"
            and self.language.language == cfg.default_language
            and self.voice.enabled == cfg.voice_enabled
            and not self.low_reach
        )
        return self.current not in ("welcome", "") or not default_look

    # -- staff gesture ------------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.centre_label and event.type() == QEvent.Type.MouseButtonPress:
            self.register_staff_tap()
        return super().eventFilter(watched, event)

    def register_staff_tap(self, now_ms: int | None = None) -> None:
        if self.staff_gesture.tap(now_ms) and "staff_pin" in self.screens:
            self.go("staff_pin")

    # -- life cycle ---------------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop threads and devices; tests call it in teardown, the app on quit."""
        self.tap_cue.stop()
        self.idle_watcher_stop()
        self.voice.stop()
        for screen in self.screens.values():
            screen.shutdown()
        self.worker.stop()
        # Deliver what device threads queued before they stopped: a queued signal carrying a Python
        # object that is only destroyed at interpreter exit crashes PySide 6.12 (none_dealloc).
        from PySide6.QtCore import QCoreApplication

        QCoreApplication.sendPostedEvents()
        QCoreApplication.processEvents()

    def idle_watcher_stop(self) -> None:
        if self.idle_watcher is not None:
            self.idle_watcher.stop()

    def allow_closing(self) -> None:
        self._closing_allowed = True

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._kiosk_mode and not self._closing_allowed:
            event.ignore()  # no window-manager escape in kiosk mode; staff mode may quit
            return
        super().closeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        if self.idle_overlay.isVisible():
            self.idle_overlay.setGeometry(self.rect())
        self.reach.fit(self.height())
        super().resizeEvent(event)
