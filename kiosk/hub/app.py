"""The hub's application factory: `create_app(settings, sessions, keys)` → a FastAPI app.

Routers are small and one per resource; every route needs a token except login, enrollment with a
one-time code and the public chatbot. Bodies over `hub.max_body_bytes` are refused with 413 before any
route sees them.
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from db.checkpoint import checkpoint_in_background
from db.session import data_dir
from kiosk.hub import routes_auth, routes_devices, routes_visits, ws
from kiosk.hub.deps import HubState
from kiosk.hub.errors import ErrorBody, install_error_handlers
from kiosk.hub.limits import BodySizeLimit, RequireBearer

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody} for status in (400, 401, 403, 404, 409, 413, 422, 423, 429, 503)
}


def create_app(
    settings: Settings, sessions: sessionmaker[Session], keys: Any, *, document_signer: Any = None
) -> FastAPI:
    """Build the hub. `keys` is a db.crypto.KeyRing; `document_signer` a PAdES signer (or None)."""
    archive = (
        Path(settings.hub.archive_dir)
        if settings.hub.archive_dir
        else data_dir(settings.app.data_dir) / "archive"
    )
    app = FastAPI(
        title="paperless-kiosk center hub",
        version="1",
        description="서민금융통합지원센터 허브: 접수, 번호표, 상담, 문서 서명, 사후관리 (center hub API)",
        responses=_ERRORS,
    )
    app.state.hub = HubState(
        settings=settings, sessions=sessions, keys=keys, archive_dir=archive, document_signer=document_signer
    )
    bind = sessions.kw.get("bind")
    if bind is not None:
        # Lobby submissions are committed on the event loop: no commit may stop to checkpoint.
        checkpoint_in_background(bind)
    install_error_handlers(app)
    for module in (routes_auth, routes_devices, routes_visits, ws):
        app.include_router(module.router)
    for optional in ("kiosk.hub.routes_tickets", "kiosk.hub.routes_documents", "kiosk.hub.routes_aftercare"):
        if importlib.util.find_spec(optional) is not None:
            app.include_router(importlib.import_module(optional).router)
    if importlib.util.find_spec("kiosk.hub.chat_routes") is not None:
        # The public chatbot (another area): no login, its own size limit and rate limit.
        app.include_router(importlib.import_module("kiosk.hub.chat_routes").router)
    app.add_middleware(RequireBearer)
    # Added last, so it runs first: an oversized body is refused before anything reads it.
    app.add_middleware(BodySizeLimit, max_bytes=settings.hub.max_body_bytes)
    return app
