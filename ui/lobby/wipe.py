"""The wipe: after a visit, an idle timeout or "처음으로", the kiosk forgets the visitor completely.

Order matters: pending results are dropped first (so a late answer cannot refill a screen), then every
screen clears its widgets and models, the draft drops its references, temporary files go, the look and
voice return to defaults, and an audit event (ids and counts only) records that it happened.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication

if TYPE_CHECKING:
    from ui.lobby.window import LobbyWindow

log = logging.getLogger(__name__)


def wipe_visit(window: LobbyWindow, *, reason: str) -> None:
    window.worker.cancel_all()
    flow = window.draft.flow
    visit_id = str(getattr(flow, "visit_id", "") or "")
    if flow is not None:
        close = getattr(flow, "timeout" if reason == "idle" else "start_over", None) or getattr(
            flow, "timeout", None
        )
        if callable(close) and reason != "completed":
            window.worker.submit(close, on_error=lambda e: log.warning("closing the visit failed: %s", e))
    for screen in window.screens.values():
        screen.wipe()
    window.draft.forget()
    removed = window.services.clear_temp()
    clipboard = QGuiApplication.clipboard()
    if clipboard is not None:
        clipboard.clear()
    window.reset_accessibility()
    window.idle_overlay.hide()
    window.history.clear()
    detail = {
        "reason": reason,
        "temp_files_removed": removed,
        "kiosk": window.services.settings.lobby.kiosk_id,
    }
    if visit_id:
        detail["visit_id"] = visit_id
    services = window.services
    window.worker.submit(
        lambda: services.audit("lobby.wipe", detail),
        on_error=lambda e: log.warning("audit of the wipe failed: %s", e),
    )
    window.go("welcome", remember=False)
    window.wiped.emit(reason)
