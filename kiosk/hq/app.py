"""`kiosk hq serve`: the HTTP face of HQ (sync endpoints of the contract; the dashboard comes later).

Checks run cheapest first and before anything is parsed: size, center, signature over the raw bytes,
then the body model, then the ingest rules in one transaction. Database work runs in the thread pool
so one slow batch does not hold the event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from kiosk.hq import errors
from kiosk.hq.codec import MAX_BODY_BYTES, parse_batch
from kiosk.hq.dashboard import install as install_dashboard
from kiosk.hq.ingest import Ack, find_center, ingest_batch, read_cursor
from kiosk.hq.signing import verifies

CENTER_HEADER = "x-kiosk-center"
SIGNATURE_HEADER = "x-kiosk-signature"


async def _read_capped(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise errors.too_large(limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise errors.too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _authenticated(session: Session, headers: dict[str, str], body: bytes) -> Any:
    code = headers.get(CENTER_HEADER, "")
    center = find_center(session, code)
    if not verifies(center.public_key, headers.get(SIGNATURE_HEADER, ""), body):
        error = errors.bad_signature()
        ack = read_cursor(session, center)
        error.events_acked, error.audit_acked = ack.events_acked, ack.audit_acked
        raise error
    return center


def create_app(engine: Engine) -> FastAPI:
    sessions: Callable[[], Session] = sessionmaker(engine, expire_on_commit=False)
    app = FastAPI(title="paperless-kiosk HQ", version="1")
    install_dashboard(app, sessions)  # staff pages under /dashboard, each behind a session

    @app.exception_handler(errors.SyncError)
    async def _refused(request: Request, exc: errors.SyncError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status)

    def _batch(headers: dict[str, str], body: bytes) -> Ack:
        with sessions() as session, session.begin():
            center = _authenticated(session, headers, body)
            try:
                batch = parse_batch(body)
            except ValueError as exc:
                error = errors.malformed(str(exc))
                ack = read_cursor(session, center)
                error.events_acked, error.audit_acked = ack.events_acked, ack.audit_acked
                raise error from None
            if batch.center != center.code:
                raise errors.malformed("center in the body differs from X-Kiosk-Center")
            return ingest_batch(session, center, batch)

    def _cursor(headers: dict[str, str]) -> Ack:
        with sessions() as session:
            center = _authenticated(session, headers, b"")
            return read_cursor(session, center)

    @app.post(
        "/sync/v1/batches", summary="A center's signed batch of events and audit rows (issue 20 contract)"
    )
    async def post_batch(request: Request) -> dict[str, int]:
        body = await _read_capped(request, MAX_BODY_BYTES)
        ack = await run_in_threadpool(_batch, dict(request.headers), body)
        return ack.body()

    @app.get("/sync/v1/cursor", summary="What HQ holds of the calling center, to resume from")
    async def get_cursor(request: Request) -> dict[str, int]:
        ack = await run_in_threadpool(_cursor, dict(request.headers))
        return ack.body()

    return app
