"""The webhook as a FastAPI route, for the hub to mount (``app.include_router(fastapi_router(receiver))``).

Its own module, without postponed annotations, so FastAPI sees the real `Request` type; the receiver's
handlers run on the thread pool, never on the event loop.
"""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from kiosk.sms.http.webhook import WEBHOOK_PATH, WebhookReceiver


def fastapi_router(receiver: WebhookReceiver, path: str = WEBHOOK_PATH) -> APIRouter:
    async def webhook(request: Request) -> JSONResponse:
        body = await request.body()
        status, answer = await run_in_threadpool(receiver.handle, dict(request.headers), body)
        return JSONResponse(answer, status_code=status)

    router = APIRouter()
    router.add_api_route(path, webhook, methods=["POST"], include_in_schema=False)
    return router
