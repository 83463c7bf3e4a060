"""The current visit's workflow handle and its generation, shared between the GUI and the worker thread.

Its own module because the window owns one (and moves the generation on at every wipe) while
`ui.lobby.flow` and the screens' host protocol only name it: neither needs the other to do so.
"""

from __future__ import annotations

import threading
from typing import Any


class FlowHolder:
    """Jobs carry the generation they were queued for; after a wipe they find no flow and stop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # kiosk.visit VisitFlow, or ui.lobby.hub_link HubVisitFlow when a hub is attached.
        self.flow: Any = None
        self.generation = 0

    def next_generation(self) -> int:
        with self._lock:
            self.generation += 1
            self.flow = None
            return self.generation

    def set(self, generation: int, flow: Any) -> bool:
        with self._lock:
            if generation != self.generation:
                return False
            self.flow = flow
            return True

    def get(self, generation: int) -> Any:
        with self._lock:
            return self.flow if generation == self.generation else None
