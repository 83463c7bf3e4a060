"""What every page under ``/m`` gets: strict security headers, and a request budget per address.

Plain ASGI, so it wraps the pages, the live streams and the static files alike. The headers and their
cache rule are kiosk.api.security_headers' (shared with the HQ dashboard); the Content-Security-Policy
is the web's own: it allows nothing inline and nothing from elsewhere, every script and style is
served from here.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable

from starlette.types import ASGIApp, Scope, Send

from kiosk.api.security_headers import SecuredPrefix

PREFIX = "/m"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
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


class WebGuard(SecuredPrefix):
    def __init__(self, app: ASGIApp, budget: Callable[[], AddressBudget]) -> None:
        super().__init__(app, PREFIX, CSP)
        self.budget = budget

    async def refused(self, scope: Scope, send: Send) -> bool:
        client = scope.get("client")
        if self.budget().allow(client[0] if client else "unknown"):
            return False
        await _send(send, 429, TOO_MANY, [*self.headers, (b"retry-after", b"60")])
        return True


async def _send(send: Send, status: int, body: bytes, extra: list[tuple[bytes, bytes]]) -> None:
    headers = [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        *extra,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
