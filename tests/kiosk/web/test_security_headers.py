"""The one set of security headers the citizen's web and the HQ dashboard both send
(kiosk.api.security_headers): a page is never cached, a static file may be, a response's own cache
header never wins over ours, and a page over the web's request budget is refused with them too."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kiosk.api.security_headers import SecuredPrefix, security_headers, under, with_security_headers
from kiosk.hq.dashboard import CSP as DASHBOARD_CSP
from kiosk.hq.dashboard import DashboardHeaders
from kiosk.web.guard import CSP as WEB_CSP
from kiosk.web.guard import AddressBudget, WebGuard


def _sent(start: Message, *, static: bool) -> dict[bytes, list[bytes]]:
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    async def respond() -> None:
        wrapped = with_security_headers(send, security_headers(WEB_CSP), static=static)
        await wrapped(start)
        await wrapped({"type": "http.response.body", "body": b"page"})

    asyncio.run(respond())
    assert sent[1] == {"type": "http.response.body", "body": b"page"}  # the body passes untouched
    headers: dict[bytes, list[bytes]] = {}
    for key, value in sent[0]["headers"]:
        headers.setdefault(key, []).append(value)
    return headers


def test_a_page_is_never_cached_even_if_it_asks_to_be() -> None:
    start = {"type": "http.response.start", "status": 200, "headers": [(b"Cache-Control", b"max-age=9")]}
    headers = _sent(start, static=False)
    assert headers[b"cache-control"] == [b"no-store"] and b"Cache-Control" not in headers
    assert headers[b"content-security-policy"] == [WEB_CSP.encode()]
    assert headers[b"x-frame-options"] == [b"DENY"] and headers[b"referrer-policy"] == [b"no-referrer"]


def test_a_static_file_may_be_cached() -> None:
    headers = _sent({"type": "http.response.start", "status": 200, "headers": []}, static=True)
    assert headers[b"cache-control"] == [b"public, max-age=3600"]


def test_both_sites_send_the_same_headers_but_their_own_policy() -> None:
    web, dashboard = security_headers(WEB_CSP), security_headers(DASHBOARD_CSP)
    assert [k for k, _ in web] == [k for k, _ in dashboard]
    assert dict(web)[b"content-security-policy"] != dict(dashboard)[b"content-security-policy"]
    assert b"script-src" not in dict(dashboard)[b"content-security-policy"]  # the dashboard runs no script


def test_only_paths_under_the_prefix_get_them() -> None:
    assert under("/m", "/m") and under("/m/t/abc", "/m") and under("/m/", "/m")
    assert not under("/mobile", "/m") and not under("/", "/m") and not under("", "/m")
    assert not under("/dashboards", "/dashboard")


def _through(guard_of: Callable[[ASGIApp], SecuredPrefix], path: str) -> tuple[list[Message], bool]:
    """What a request for ``path`` sends back through the middleware, and whether the app was called."""
    called: list[bool] = []
    sent: list[Message] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        called.append(True)
        await send({"type": "http.response.start", "status": 200, "headers": []})

    async def receive() -> Message:
        return {"type": "http.request"}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "path": path, "client": ("203.0.113.9", 5000)}
    asyncio.run(guard_of(app)(scope, receive, send))
    return sent, bool(called)


def test_the_dashboard_and_the_web_wrap_only_their_own_paths() -> None:
    sent, called = _through(DashboardHeaders, "/dashboard/")
    assert called and (b"content-security-policy", DASHBOARD_CSP.encode()) in sent[0]["headers"]
    sent, called = _through(DashboardHeaders, "/m/")  # not the dashboard's: passed through untouched
    assert called and sent[0]["headers"] == []


def test_over_the_budget_a_page_is_refused_with_the_headers_but_static_files_are_not() -> None:
    def guard(app: ASGIApp) -> WebGuard:
        return WebGuard(app, budget=lambda: AddressBudget(per_minute=0))

    sent, called = _through(guard, "/m/t/abc")
    assert not called and sent[0]["status"] == 429
    headers = dict(sent[0]["headers"])
    assert headers[b"retry-after"] == b"60" and headers[b"content-security-policy"] == WEB_CSP.encode()
    assert "1분 뒤에 다시" in sent[1]["body"].decode()  # Korean first, what to do next
    sent, called = _through(guard, "/m/static/m.css")
    assert called and dict(sent[0]["headers"])[b"cache-control"] == b"public, max-age=3600"
