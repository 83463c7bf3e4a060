"""kiosk.client.EventStream against a real WebSocket server (websockets' own, on 127.0.0.1) whose
opening handshake is slower than the stream's first timeout: a loaded hub, or a slow center network."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from websockets.sync.server import Server, ServerConnection, serve

from kiosk.client import EventStream
from tests.polling import wait_until

HANDSHAKE_DELAY_S = 0.6


@pytest.fixture
def slow_hub() -> Iterator[tuple[Server, list[str]]]:
    """Answers every upgrade after HANDSHAKE_DELAY_S, then sends one event; records the tokens it saw."""
    tokens: list[str] = []

    def delay(connection: ServerConnection, request: Any) -> None:
        tokens.append(request.headers.get("Authorization", ""))
        time.sleep(HANDSHAKE_DELAY_S)  # the server being slow is what this test is about

    def handler(connection: ServerConnection) -> None:
        connection.send('{"type": "hello", "data": {}}')
        for _ in connection:  # hold the stream open until the client goes
            pass

    server = serve(handler, "127.0.0.1", 0, process_request=delay)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, tokens
    server.shutdown()
    thread.join(5)


def test_a_handshake_slower_than_the_first_timeout_still_connects(slow_hub: tuple[Server, list[str]]) -> None:
    server, tokens = slow_hub
    port = server.socket.getsockname()[1]
    events: list[dict[str, Any]] = []
    stream = EventStream(f"ws://127.0.0.1:{port}/events", "c_token", max_backoff_s=0.1, open_timeout_s=0.15)
    stream.subscribe(events.append)
    stream.start()
    try:
        wait_until(stream.connected.is_set, 20.0, message=lambda: f"never connected ({stream.last_error})")
        wait_until(lambda: events, 5.0, message="the hello event never arrived")
        assert events[0]["type"] == "hello"
        assert len(tokens) >= 2  # the first attempts timed out, and the stream kept trying, longer each time
        assert stream.last_error is None  # once open, the old failure is no longer the news
        assert set(tokens) == {"Bearer c_token"}
    finally:
        stream.stop()


def test_the_last_failure_says_why_the_stream_is_down() -> None:
    stream = EventStream("ws://127.0.0.1:9/events", "c_token", max_backoff_s=0.1)  # port 9: nobody listens
    stream.start()
    try:
        reason = wait_until(lambda: stream.last_error, 10.0, message="no failure was recorded")
        assert "Connection" in reason or "refused" in reason.lower()
        assert not stream.connected.is_set()
    finally:
        stream.stop()
