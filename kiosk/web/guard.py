"""What every page under ``/m`` gets: strict security headers, and a request budget per address.

Plain ASGI, so it wraps the pages, the live streams and the static files alike. Pages say
``Cache-Control: no-store`` (a ticket page on a shared phone must not come back from a cache);
static files may be cached. The Content-Security-Policy allows nothing inline and nothing from
elsewhere: every script and style is served from here.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PREFIX = "/m"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
MAX_ADDRESSES = 10_000
TOO_MANY = (
    "<!doctype html><html lang=ko><meta charset=utf-8><title>잠시 후 다시</title>"
    "<p>요청이 너무 많아요. 1분 뒤에 다시 열어 주세요.</p>"
    "<p lang=en>Too many requests; try again in a minute.</p>"
).encode()


class AddressBudget:
    """At most ``per_minute`` requests per client address in any 60 seconds (a sliding window)."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute, self.clock = per_minute, clock
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()

    def allow(self, address: str) -> bool:
        now = self.clock()
        hits = self._seen.pop(address, None) or deque()
        while hits and now - hits[0] >= 60.0:
            hits.popleft()
        allowed = len(hits) < self.per_minute
        if allowed:
            hits.append(now)
        self._seen[address] = hits
        while len(self._seen) > MAX_ADDRESSES:
            self._seen.popitem(last=False)
        return allowed


class WebGuard:
    def __init__(self, app: ASGIApp, budget: Callable[[], AddressBudget]) -> None:
        self.app, self.budget = app, budget

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not (path == PREFIX or path.startswith(PREFIX + "/")):
            await self.app(scope, receive, send)
            return
        static = path.startswith(PREFIX + "/static/")
        client = scope.get("client")
        if not static and not self.budget().allow(client[0] if client else "unknown"):
            await _send(send, 429, TOO_MANY, [(b"retry-after", b"60")])
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
                headers += _HEADERS
                headers.append((b"cache-control", b"public, max-age=3600" if static else b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


async def _send(send: Send, status: int, body: bytes, extra: list[tuple[bytes, bytes]]) -> None:
    headers = [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        *_HEADERS,
        *extra,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
