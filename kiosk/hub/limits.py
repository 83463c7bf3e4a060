"""Request body size limit as plain ASGI middleware: 413 before the body reaches any route."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kiosk.sms.http.webhook import WEBHOOK_PATH

_TOO_LARGE = {
    "error": {
        "code": "body_too_large",
        "message_ko": "보낸 내용이 너무 커요. 크기를 줄여 다시 보내 주세요.",
        "message_en": "Request body too large.",
        "fields": [],
    }
}


class BodySizeLimit:
    """Refuses bodies over `max_bytes`: by Content-Length up front, or by counting a chunked body.

    The body is read here, before the app is called, and handed on from memory. Counting inside the
    app's own reads is not enough: FastAPI turns any error raised while it reads a body into a 400, so
    a chunked body (no Content-Length) over the limit came back 400, not 413. Reading stops at the
    first piece past the limit; nothing beyond `max_bytes` is ever held.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.max_bytes
            except ValueError:
                too_big = True
            if too_big:
                await _send_413(send)
                return
        pieces: list[Message] = []
        seen = 0
        while True:
            message = await receive()
            pieces.append(message)
            if message["type"] != "http.request":  # the client went away: let the app see that
                break
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                await _send_413(send)
                return
            if not message.get("more_body", False):
                break
        buffered = iter(pieces)

        async def replay() -> Message:
            # The read body first; then the server's own receive (it reports a disconnect).
            return next(buffered, None) or await receive()

        await self.app(scope, replay, send)


async def _send_413(send: Any) -> None:
    body = json.dumps(_TOO_LARGE, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


PUBLIC_PREFIX = "/m/"  # the citizen's mobile web (kiosk.web): its own tokens, never a hub token
PUBLIC_PATHS = frozenset(
    {"/auth/login", "/devices/enroll", "/chat", "/openapi.json", "/docs", "/redoc", WEBHOOK_PATH, "/m"}
)
_NO_TOKEN = {
    "error": {
        "code": "unauthenticated",
        "message_ko": "로그인이 필요해요. 다시 로그인해 주세요.",
        "message_en": "Missing or invalid credentials.",
        "fields": [],
    }
}


class RequireBearer:
    """A request without any bearer token is refused before its body is even read.

    Routes still check the token itself (and role and center); this only makes "no token" a 401 on
    every protected path, whatever the body looks like.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope.get("path", "") in PUBLIC_PATHS
            or scope.get("path", "").startswith(PUBLIC_PREFIX)
            or scope.get("method") == "OPTIONS"
        ):
            await self.app(scope, receive, send)
            return
        header = dict(scope.get("headers") or []).get(b"authorization", b"")
        if header[:7].lower() == b"bearer " and header[7:].strip():
            await self.app(scope, receive, send)
            return
        body = json.dumps(_NO_TOKEN, ensure_ascii=False).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"www-authenticate", b"Bearer"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
