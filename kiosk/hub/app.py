"""The hub's application factory: `create_app(settings, sessions, keys)` → a FastAPI app.

Routers are small and one per resource; every route needs a token except login, enrollment with a
one-time code and the public chatbot. Bodies over `hub.max_body_bytes` are refused with 413 before any
route sees them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from db.checkpoint import checkpoint_in_background
from db.session import data_dir
from kiosk.api import ErrorBody
from kiosk.debt.credit_port import make_credit_port
from kiosk.hub import (
    routes_aftercare,
    routes_auth,
    routes_chat,
    routes_consents,
    routes_credit_inquiry,
    routes_debts,
    routes_devices,
    routes_document_links,
    routes_documents,
    routes_phone,
    routes_sms_consent,
    routes_tickets,
    routes_visits,
    ws,
)
from kiosk.hub.deps import HubState
from kiosk.hub.errors import install_error_handlers
from kiosk.hub.limits import BodySizeLimit, RequireBearer
from kiosk.sms.http.webhook_router import fastapi_router
from kiosk.web import pages as web
from kiosk.web.guard import AddressBudget, WebGuard

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody} for status in (400, 401, 403, 404, 409, 410, 413, 422, 423, 429, 503)
}


def create_app(
    settings: Settings,
    sessions: sessionmaker[Session],
    keys: Any,
    *,
    document_signer: Any = None,
    ca_fingerprint: str | None = None,
    sms: Any = None,
    sms_webhook: Any = None,
) -> FastAPI:
    """Build the hub. `keys` is a db.crypto.KeyRing; `document_signer` a PAdES signer (or None);
    `ca_fingerprint` the center CA's when the hub serves TLS (new pairing codes carry it); `sms` a started
    kiosk.sms.service.SmsService (None: no SMS is offered anywhere); `sms_webhook` the provider's webhook
    receiver to mount (None: the gateway's own, if it has one; kiosk.hub.workers gives every worker one)."""
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
    # The credit-information port (debt.credit_port); a test may swap it for a failing emulator.
    app.state.credit_port = make_credit_port(settings.debt.credit_port)
    app.state.hub = HubState(
        settings=settings,
        sessions=sessions,
        keys=keys,
        archive_dir=archive,
        document_signer=document_signer,
        ca_fingerprint=ca_fingerprint,
        sms=sms,
    )
    bind = sessions.kw.get("bind")
    if bind is not None:
        # Lobby submissions are committed on the event loop: no commit may stop to checkpoint.
        checkpoint_in_background(bind)
    install_error_handlers(app)
    # Every router, always: a broken route module fails the hub's start instead of leaving routes out.
    # The public chatbot (routes_chat) needs no login and has its own size limit and rate limit.
    for module in (
        routes_auth,
        routes_devices,
        routes_visits,
        ws,
        routes_tickets,
        routes_documents,
        routes_document_links,
        routes_aftercare,
        routes_chat,
        routes_phone,
        routes_sms_consent,
        routes_debts,
        routes_consents,
        routes_credit_inquiry,
    ):
        app.include_router(module.router)
    receiver = sms_webhook or getattr(getattr(sms, "gateway", None), "webhook", None)
    if receiver is not None:
        # The HTTP provider's delivery reports and replies: signed by the provider (HMAC), so no token.
        app.include_router(fastapi_router(receiver))
    web.install(app)  # the citizen's phone (/m): its own router, tokens, headers and request budget
    app.add_middleware(RequireBearer)
    budget = AddressBudget(settings.web.requests_per_minute)
    app.add_middleware(WebGuard, budget=lambda: budget)
    # Added last, so it runs first: an oversized body is refused before anything reads it.
    app.add_middleware(BodySizeLimit, max_bytes=settings.hub.max_body_bytes)
    return app
