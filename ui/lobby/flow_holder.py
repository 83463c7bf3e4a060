"""The current visit's workflow handle and its generation, shared between the GUI and the worker thread.

Its own module because the window owns one (and moves the generation on at every wipe) while
`ui.lobby.flow` and the screens' host protocol only name it: neither needs the other to do so.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.visit.flow import VisitFlow


class FlowHolder:
    """Jobs carry the generation they were queued for; after a wipe they find no flow and stop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # With a hub attached the flow hands its record to the hub's sink; it is the same class.
        self.flow: VisitFlow | None = None
        self.generation = 0

    def next_generation(self) -> int:
        with self._lock:
            self.generation += 1
            self.flow = None
            return self.generation

    def set(self, generation: int, flow: VisitFlow) -> bool:
        with self._lock:
            if generation != self.generation:
                return False
            self.flow = flow
            return True

    def get(self, generation: int) -> VisitFlow | None:
        with self._lock:
            return self.flow if generation == self.generation else None
