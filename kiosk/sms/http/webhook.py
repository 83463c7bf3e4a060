"""Receiving the provider's webhooks: verify the signature, parse the body, hand on what it says.

``parse_webhook(secret, headers, body)`` is the plain function: a signed body (Standard Webhooks headers,
see `signing`) becomes a `WebhookEvent` holding a `DeliveryReport` (``"event": "delivery"``) or an
`InboundMessage` (``"event": "inbound"``, a reply from a phone); anything else is `WebhookRefused` with the
HTTP status to answer. `WebhookReceiver` adds what a server needs: refusing ids it never sent (``known``),
answering a repeated webhook id without handling it twice, and never raising (a handler's failure is a 500,
so the provider tries again). ``webhook_router.fastapi_router(receiver)`` is the route the hub can mount;
``serve_receiver(receiver)`` runs it alone on 127.0.0.1 (aiohttp, a background thread). Nothing of the
body — number or text — is logged.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiohttp import web

from config import clock
from kiosk.sms.gateway import DeliveryReport, InboundHandler, InboundMessage, ReportHandler
from kiosk.sms.http import wire
from kiosk.sms.http.loop_server import LoopServer
from kiosk.sms.http.signing import SignatureError, verify_webhook
from kiosk.sms.numbers import InvalidMobile, normalize_mobile

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/sms/http/webhook"
MAX_BODY = 64 * 1024
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})")


class WebhookRefused(Exception):
    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(f"{status} {code}: {detail}")
        self.status = status
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class WebhookEvent:
    webhook_id: str
    report: DeliveryReport | None = None
    inbound: InboundMessage | None = None
    our_id: str = ""  # customFields.kioskMessageId of a delivery report


def _time(value: Any, key: str) -> datetime:
    if not isinstance(value, str) or not _ISO.fullmatch(value):
        raise WebhookRefused(400, "ValidationError", f"{key} must be an ISO 8601 time with its zone")
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _text(doc: Mapping[str, Any], key: str) -> str:
    value = doc.get(key)
    if not isinstance(value, str) or not value:
        raise WebhookRefused(400, "ValidationError", f"{key} must be a non-empty string")
    return value


def parse_webhook(
    secret: str, headers: Mapping[str, str], body: bytes, *, now: datetime | None = None
) -> WebhookEvent:
    """A verified webhook as an event; WebhookRefused (401 bad signature, 400 bad body) otherwise."""
    if len(body) > MAX_BODY:
        raise WebhookRefused(413, "TooLarge", "webhook body over 64 KiB")
    try:
        webhook_id = verify_webhook(secret, headers, body, now=now)
    except SignatureError as exc:
        raise WebhookRefused(401, exc.code, exc.detail) from exc
    try:
        doc = json.loads(body)
    except ValueError as exc:
        raise WebhookRefused(400, "ValidationError", "body is not JSON") from exc
    if not isinstance(doc, dict):
        raise WebhookRefused(400, "ValidationError", "body must be a JSON object")
    kind = doc.get("event")
    if kind == "delivery":
        code = _text(doc, "statusCode")
        custom = doc.get("customFields") or {}
        our_id = custom.get(wire.CUSTOM_ID, "") if isinstance(custom, dict) else ""
        status = wire.delivery_status(code)
        error = "" if code == wire.DELIVERED else code
        report = DeliveryReport(
            _text(doc, "messageId"), status, _time(doc.get("dateProcessed"), "dateProcessed"), error
        )
        return WebhookEvent(webhook_id, report=report, our_id=str(our_id))
    if kind == "inbound":
        try:
            sender = normalize_mobile(_text(doc, "from"))
        except InvalidMobile as exc:
            raise WebhookRefused(
                400, "InvalidPhoneNumber", f"from is not a Korean mobile ({exc.code})"
            ) from exc
        inbound = InboundMessage(sender, _text(doc, "text"), _time(doc.get("dateReceived"), "dateReceived"))
        return WebhookEvent(webhook_id, inbound=inbound)
    raise WebhookRefused(400, "ValidationError", 'event must be "delivery" or "inbound"')


class WebhookReceiver:
    """Verify, deduplicate and dispatch webhooks; ``handle`` answers (status, JSON) and never raises."""

    def __init__(
        self, secret: str, known: Callable[[str, str], bool] | None = None, remember: int = 10_000
    ) -> None:
        """``known(gateway_id, our_id)`` says whether a report is for a message sent from here (our id
        counts: a report can arrive before the submit's answer has)."""
        self._secret = secret
        self._known = known
        self._remember = remember
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()
        self._reports: list[ReportHandler] = []
        self._inbound: list[InboundHandler] = []
        self.refused = 0  # webhooks refused so far (a gauge for the operator)

    def on_report(self, handler: ReportHandler) -> None:
        self._reports.append(handler)

    def on_inbound(self, handler: InboundHandler) -> None:
        self._inbound.append(handler)

    def handle(self, headers: Mapping[str, str], body: bytes) -> tuple[int, dict[str, Any]]:
        try:
            event = parse_webhook(self._secret, headers, body, now=clock.now())
            if (
                event.report is not None
                and self._known is not None
                and not self._known(event.report.gateway_id, event.our_id)
            ):
                raise WebhookRefused(404, "UnknownMessage", "no message with this id was sent from here")
        except WebhookRefused as exc:
            self.refused += 1
            log.warning("SMS webhook refused: %s %s", exc.status, exc.code)
            return exc.status, {"errorCode": exc.code, "errorMessage": exc.detail}
        with self._lock:
            if event.webhook_id in self._seen:
                return 200, {"ok": True, "duplicate": True}
        try:
            if event.report is not None:
                for handler in self._reports:
                    handler(event.report)
            if event.inbound is not None:
                for inbound in self._inbound:
                    inbound(event.inbound)
        except Exception:  # a handler's failure must not lose the event: the provider sends it again
            log.exception("SMS webhook handler failed (webhook %s)", event.webhook_id)
            return 500, {"errorCode": "HandlerFailed", "errorMessage": "try again later"}
        with self._lock:
            self._seen[event.webhook_id] = None
            while len(self._seen) > self._remember:
                self._seen.popitem(last=False)
        return 200, {"ok": True}


def serve_receiver(
    receiver: WebhookReceiver, port: int = 0, path: str = WEBHOOK_PATH
) -> tuple[LoopServer, str]:
    """Run the receiver alone on 127.0.0.1; returns the server (``stop()`` it) and the webhook's URL."""

    async def webhook(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        loop = asyncio.get_running_loop()
        status, answer = await loop.run_in_executor(None, receiver.handle, dict(request.headers), body)
        return web.json_response(answer, status=status)

    app = web.Application(client_max_size=MAX_BODY + 1024)
    app.router.add_post(path, webhook)
    server = LoopServer(app, "sms-webhook-receiver")
    return server, server.start(port) + path
