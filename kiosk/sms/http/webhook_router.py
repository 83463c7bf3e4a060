"""The webhook as a FastAPI route, for the hub to mount (``app.include_router(fastapi_router(receiver))``).

Its own module, without postponed annotations, so FastAPI sees the real `Request` type; the receiver's
handlers run on the thread pool, never on the event loop.
"""

from collections.abc import Mapping
from typing import Any, Protocol

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from kiosk.sms.http.webhook import WEBHOOK_PATH


class Receiver(Protocol):
    """A `WebhookReceiver`, or a `webhook_shared.SharedWebhook` (several hub workers)."""

    def handle(self, headers: Mapping[str, str], body: bytes) -> tuple[int, dict[str, Any]]: ...


def fastapi_router(receiver: Receiver, path: str = WEBHOOK_PATH) -> APIRouter:
    async def webhook(request: Request) -> JSONResponse:
        body = await request.body()
        status, answer = await run_in_threadpool(receiver.handle, dict(request.headers), body)
        return JSONResponse(answer, status_code=status)

    router = APIRouter()
    router.add_api_route(path, webhook, methods=["POST"], include_in_schema=False)
    return router
