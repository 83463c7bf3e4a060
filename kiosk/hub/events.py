"""The hub's event stream: routes publish from worker threads, WebSocket subscribers read per center.

Events carry ids, ticket numbers, desks and steps — never a name, RRN or phone (the hall display and
the lobby show them).
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

EVENT_TYPES = (
    "ticket.issued",
    "ticket.called",
    "ticket.updated",
    "visit.updated",
    "document.pushed",
    "document.signed",
    "document.archived",
    "device.health",
    "lobby.step",
    "lobby.help",
    "aftercare.reply",  # a reminder answered (reply code or its page): the desk's due list
    "sms_consent.confirmed",  # a caller confirmed the code on the consent page: the desk records it
)


@dataclass
class Subscriber:
    center_id: str
    device_id: str | None
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[dict[str, Any]] = field(default_factory=lambda: asyncio.Queue(maxsize=1000))


class EventBus:
    """Fan-out to subscribers; thread-safe publish, so sync routes in the threadpool can call it."""

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()
        self._seq = itertools.count(1)
        self._latest: dict[str, int] = {}  # center → sequence of its last event: "has anything moved?"

    def version(self, center_id: str) -> int:
        """The sequence number of the center's latest event (0: none yet); it grows with every event."""
        return self._latest.get(center_id, 0)

    def subscribe(self, center_id: str, device_id: str | None) -> Subscriber:
        sub = Subscriber(center_id=center_id, device_id=device_id, loop=asyncio.get_running_loop())
        with self._lock:
            self._subscribers.append(sub)
        return sub

    def unsubscribe(self, sub: Subscriber) -> None:
        with self._lock:
            if sub in self._subscribers:
                self._subscribers.remove(sub)

    def publish(
        self, center_id: str, kind: str, data: dict[str, Any], *, to_device: str | None = None
    ) -> None:
        """Send `kind` to the center's subscribers; `to_device` limits it to one device (counter pushes)."""
        seq = next(self._seq)
        event = {
            "seq": seq,
            "type": kind,
            "center_id": center_id,
            "at": datetime.now(UTC).isoformat(),
            "data": data,
        }
        with self._lock:
            self._latest[center_id] = seq
            targets = [
                s
                for s in self._subscribers
                if s.center_id == center_id and (to_device is None or s.device_id in (None, to_device))
            ]
        for sub in targets:
            sub.loop.call_soon_threadsafe(_offer, sub.queue, event)


def _offer(queue: asyncio.Queue[dict[str, Any]], event: dict[str, Any]) -> None:
    # A subscriber that stopped reading loses the oldest events rather than stalling the hub.
    if queue.full():
        queue.get_nowait()
    queue.put_nowait(event)
