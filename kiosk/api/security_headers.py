"""The security headers every page a browser opens gets: the citizen's mobile web (kiosk.web.guard)
and the HQ dashboard (kiosk.hq.dashboard). One home, because HQ may not import kiosk.web (the
import contracts) and two copies of a header list drift apart.

Pages say ``Cache-Control: no-store`` (a ticket page on a shared phone, a figures page on a shared
office PC, must not come back from a cache); static files under the prefix may be cached. Each caller
brings its own Content-Security-Policy: what its pages may load differs, the rest is the same.
Plain ASGI, so the pages, the live streams and the static files get them alike.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

Headers = list[tuple[bytes, bytes]]


def security_headers(csp: str) -> Headers:
    """The headers that go on every response under a prefix, with this Content-Security-Policy."""
    return [
        (b"content-security-policy", csp.encode()),
        (b"referrer-policy", b"no-referrer"),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    ]


def under(path: str, prefix: str) -> bool:
    """The path is the prefix itself or below it ("/m", "/m/…"; not "/mobile")."""
    return path == prefix or path.startswith(prefix + "/")


def with_security_headers(send: Send, headers: Headers, *, static: bool) -> Send:
    """``send``, with the headers added to the response start and its cache policy replaced by ours."""

    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            kept = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
            cache = b"public, max-age=3600" if static else b"no-store"
            message = {**message, "headers": [*kept, *headers, (b"cache-control", cache)]}
        await send(message)

    return send_with_headers


class SecuredPrefix:
    """ASGI middleware: the security headers on every response under ``prefix``; other paths untouched.

    A subclass may answer a page request itself before the app sees it (``refused``): the web's
    request budget does; the static files are never refused.
    """

    def __init__(self, app: ASGIApp, prefix: str, csp: str) -> None:
        self.app, self.prefix, self.headers = app, prefix, security_headers(csp)

    async def refused(self, scope: Scope, send: Send) -> bool:
        """True once this request has been answered here (the app is not called)."""
        return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not under(path, self.prefix):
            await self.app(scope, receive, send)
            return
        static = path.startswith(self.prefix + "/static/")
        if not static and await self.refused(scope, send):
            return
        await self.app(scope, receive, with_security_headers(send, self.headers, static=static))
