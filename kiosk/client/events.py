"""The hub's WebSocket event stream on a background thread, reconnecting by itself.

Subscribers are plain callables called on the stream's thread (the Qt adapter re-emits them as
queued signals). `on_status(True/False)` reports connection changes so screens can say "offline".
"""

from __future__ import annotations

import json
import logging
import random
import ssl
import threading
from collections.abc import Callable
from typing import Any

from websockets.exceptions import WebSocketException
from websockets.sync.client import ClientConnection, connect

log = logging.getLogger("kiosk.client")
Event = dict[str, Any]
OPEN_TIMEOUT_S = 5.0
MAX_OPEN_TIMEOUT_S = 40.0


class EventStream:
    """`ssl_context`: the HubClient's (`client.ssl_context`), so wss:// trusts the pinned center CA.
    `open_timeout_s`: the first handshake's limit; it doubles after each timeout, up to 40 s."""

    def __init__(
        self,
        ws_url: str,
        token: str,
        *,
        max_backoff_s: float = 10.0,
        ssl_context: ssl.SSLContext | None = None,
        open_timeout_s: float = OPEN_TIMEOUT_S,
    ) -> None:
        self.ws_url, self.token, self.max_backoff_s = ws_url, token, max_backoff_s
        self.open_timeout_s = open_timeout_s
        self.ssl_context = ssl_context if ws_url.startswith("wss://") else None
        self._subscribers: list[Callable[[Event], None]] = []
        self._status: list[Callable[[bool], None]] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._conn: ClientConnection | None = None
        self.connected = threading.Event()
        # Why the last attempt failed ("TimeoutError: …"), for the staff health view and for tests.
        self.last_error: str | None = None

    def subscribe(self, callback: Callable[[Event], None]) -> None:
        self._subscribers.append(callback)

    def on_status(self, callback: Callable[[bool], None]) -> None:
        self._status.append(callback)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="hub-events", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        conn = self._conn
        if conn is not None:
            conn.close()
        if self._thread is not None:
            self._thread.join(timeout_s)

    def _set_status(self, up: bool) -> None:
        (self.connected.set if up else self.connected.clear)()
        for callback in self._status:
            callback(up)

    def _run(self) -> None:
        backoff, open_timeout = 0.2, self.open_timeout_s
        while not self._stop.is_set():
            try:
                with connect(
                    self.ws_url,
                    additional_headers={"Authorization": f"Bearer {self.token}"},
                    open_timeout=open_timeout,
                    close_timeout=1,
                    ssl=self.ssl_context,
                ) as conn:
                    self._conn = conn
                    backoff, open_timeout = 0.2, self.open_timeout_s
                    self.last_error = None
                    self._set_status(True)
                    for raw in conn:
                        event = json.loads(raw)
                        for callback in list(self._subscribers):
                            try:
                                callback(event)
                            except Exception:  # one bad subscriber must not stop the stream
                                log.exception("event subscriber failed")
            except (OSError, WebSocketException, TimeoutError) as exc:
                if self.last_error is None:
                    log.info("event stream down: %s", type(exc).__name__)
                self.last_error = f"{type(exc).__name__}: {exc}"[:200]
                if isinstance(exc, TimeoutError):
                    # A handshake that timed out starts over from TCP at the next attempt: on a loaded
                    # machine a fixed 5 s could then never be enough, so each timeout allows more.
                    open_timeout = min(MAX_OPEN_TIMEOUT_S, open_timeout * 2)
            finally:
                self._conn = None
                if self.connected.is_set():
                    self._set_status(False)
            # Full jitter, so a hub restart is not met by every desk at the same instant.
            self._stop.wait(random.uniform(0, backoff))
            backoff = min(self.max_backoff_s, backoff * 2)
