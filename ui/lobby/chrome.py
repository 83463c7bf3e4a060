"""The fixed parts of the kiosk window's chrome: the title bar on top and the four buttons at the bottom.

The bar shows the centre's name (five taps on it within 4 s open staff mode, see ``StaffGesture``) and
the step title. The buttons row is 이전 · 처음으로 · 다시 듣기 · 직원 호출, always in the same places:
a hidden 이전 keeps its room, so the others never move.
"""

from __future__ import annotations

from time import monotonic

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from ui.widgets.buttons import touch_button

STAFF_TAPS = 5
STAFF_TAP_WINDOW_MS = 4000


class TitleBar(QFrame):
    def __init__(self) -> None:
        super().__init__()
        self.setProperty("role", "bar")
        layout = QVBoxLayout(self)
        self.centre = QLabel()
        self.centre.setObjectName("CentreName")
        layout.addWidget(self.centre)
        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.title.setObjectName("StepTitle")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)


class NavRow(QHBoxLayout):
    def __init__(self, spacing: int) -> None:
        super().__init__()
        self.setSpacing(spacing)
        self.back = touch_button(role="chrome", name="Back")
        self.home = touch_button(role="chrome", name="Home")
        self.replay = touch_button(role="chrome", name="Replay")
        self.staff = touch_button(role="chrome", name="CallStaff")
        for button in self.buttons():
            self.addWidget(button)
            policy = button.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            button.setSizePolicy(policy)

    def buttons(self) -> tuple[QPushButton, ...]:
        return (self.back, self.home, self.replay, self.staff)


class StaffGesture:
    """Five taps within four seconds: the hidden way into staff mode."""

    def __init__(self) -> None:
        self._taps: list[int] = []

    def tap(self, now_ms: int | None = None) -> bool:
        """Record a tap; True when it completes the gesture (and the count starts again)."""
        now = int(monotonic() * 1000) if now_ms is None else now_ms
        self._taps = [t for t in self._taps if now - t <= STAFF_TAP_WINDOW_MS] + [now]
        if len(self._taps) >= STAFF_TAPS:
            self._taps.clear()
            return True
        return False
