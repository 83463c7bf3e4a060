"""Drives the visit workflow (``kiosk.visit``) from the screens, always on the worker thread.

Jobs carry the generation of the visit they belong to: after a wipe the generation moves on, so a job
queued for the old visitor never touches the next visitor's visit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QCoreApplication

from ui.lobby.screens.host import LobbyHost

if TYPE_CHECKING:
    from kiosk.visit.flow import VisitFlow

log = logging.getLogger(__name__)
T = TypeVar("T")


def start_visit(window: LobbyHost, path: str, *, handoff_transcript: str = "") -> None:
    """상담 접수 / 번호표만: open a visit in the workflow (off the GUI thread) and show the first step.

    ``handoff_transcript``: the masked chat conversation that travels with the visit to the hub.
    """
    window.draft.path = path
    live = window.draft.live  # the one copy: the screens write it now, the flow once it is open
    flows = window.flows
    generation = flows.next_generation()
    visits = window.services.visits
    if visits is not None:
        language = window.language.language
        hub = window.services.hub

        def open_visit() -> VisitFlow:
            # With a hub the finished visit goes to it and it numbers the ticket (ui.lobby.hub_link).
            sink = hub.visit_sink(visits.lines) if hub is not None else None
            # The hub also answers the credit inquiry during the questions (kiosk.visit.credit_lookup).
            credit = getattr(hub, "client", None)
            flow = visits.start(
                path, language, sink=sink, handoff_transcript=handoff_transcript, live=live, credit=credit
            )
            flows.set(generation, flow)
            return flow

        def opened(flow: VisitFlow) -> None:
            if flows.get(generation) is flow:
                window.draft.flow = flow

        window.worker.submit(open_visit, opened, _Failed(window, "visit_start"))
    window.go("identify" if path == "consult" else "ticket")


def run_step(
    window: LobbyHost,
    step: Callable[[VisitFlow], T],
    on_done: Callable[[T | None], None] | None = None,
    on_error: Callable[[Exception], None] | None = None,
    *,
    name: str = "step",
) -> None:
    """Run ``step(flow)`` on the worker for the current visit; skipped if the visit was wiped meanwhile."""
    flows = window.flows
    generation = flows.generation
    if window.services.visits is None:
        if on_done is not None:
            on_done(None)
        return

    def job() -> T:
        flow = flows.get(generation)
        if flow is None:
            raise RuntimeError("no open visit (wiped or failed to start)")
        return step(flow)

    window.worker.submit(job, on_done, on_error or _Failed(window, name))


class _Failed:
    """A step that failed: the visitor sees a calm sentence; the code and the exception go to the log."""

    def __init__(self, window: LobbyHost, what: str) -> None:
        self._window, self._what = window, what

    def __call__(self, error: Exception) -> None:
        log.warning("lobby %s failed: %s: %s", self._what, error.__class__.__name__, error)
        text = QCoreApplication.translate(
            "LobbyWindow", "잠시 문제가 생겼어요. 계속 진행하셔도 되고, 어려우면 '직원 호출'을 눌러 주세요."
        )
        self._window.show_notice(text, kind="error")
