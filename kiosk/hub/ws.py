"""The WebSocket event stream (/events): per center, authenticated like every other route."""

from __future__ import annotations

import asyncio
import contextlib
import os

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from kiosk.hub.auth import resolve_token
from kiosk.hub.deps import HubState
from kiosk.hub.errors import HubError

router = APIRouter(tags=["events"])


@router.websocket("/events")
async def events(websocket: WebSocket) -> None:
    """Send every event of the caller's center as JSON; counters only get documents pushed to them.

    The token comes in the Authorization header (`Bearer …`) or, for clients that cannot set headers,
    as the `token` query parameter.
    """
    state: HubState = websocket.app.state.hub
    token = websocket.headers.get("authorization", "").removeprefix("Bearer ").strip()
    token = token or websocket.query_params.get("token", "")
    try:
        with state.sessions() as session:
            principal = await asyncio.to_thread(resolve_token, session, token, state.tokens)
    except HubError:
        await websocket.close(code=4401, reason="unauthenticated")
        return
    # Subscribed before the handshake completes: a client that sees the stream open has missed
    # nothing published since (a desk saving right after another desk's stream opened).
    device_id = str(principal.id) if principal.kind == "device" else None
    sub = state.bus.subscribe(str(principal.center_id), device_id)
    try:
        # Which worker process serves this stream (`kiosk hub --workers N`): for tests and for support.
        await websocket.accept(headers=[(b"x-hub-worker", str(os.getpid()).encode())])
    except BaseException:
        state.bus.unsubscribe(sub)
        raise

    async def drain() -> None:
        # Clients send nothing meaningful; reading is how a disconnect is noticed.
        while True:
            await websocket.receive_text()

    drainer = asyncio.create_task(drain())
    try:
        await websocket.send_json({"type": "hello", "data": {"kind": principal.kind, "role": principal.role}})
        while not drainer.done():
            getter = asyncio.create_task(sub.queue.get())
            done, _pending = await asyncio.wait({getter, drainer}, return_when=asyncio.FIRST_COMPLETED)
            if getter in done:
                await websocket.send_json(getter.result())
            else:
                getter.cancel()
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        drainer.cancel()
        with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, RuntimeError):
            await drainer
        state.bus.unsubscribe(sub)
