"""`HttpGateway`: the `SmsGateway` over a Korean HTTP provider (Solapi-v4-shaped, see `wire`), with httpx.

``submit`` checks the number and the EUC-KR bytes first (`encoding`: an SMS over 90 bytes goes as LMS;
anything that cannot go is `GatewayError(REJECTED)` and nothing is sent), then posts one signed request
(a fresh date and salt each time, `signing`) carrying our message id in ``customFields.kioskMessageId``, so
a resend after a lost answer is recognised by the provider. Answers map onto the gateway's kinds: 429 →
THROTTLED, 5xx / timeout / a cut connection → UNAVAILABLE, 4xx → AUTH for the signature codes (and other
401/403), REJECTED otherwise (`wire.error_kind`).

Delivery reports come by polling (``reports="poll"``, a background thread asking ``GET /messages/v4/list``
for up to 100 pending ids every ``poll_interval_s``), by the webhook (``reports="webhook"``: mount
``webhook_router.fastapi_router(gateway.webhook)`` in the hub, or call ``serve_webhook()``, and give the
provider the URL), or both. Each final status is reported once per message; replies from phones arrive
by the webhook only. After a process restart the outbox's resend (same id) re-registers a message, or
``track(gateway_id)`` does.
Logs show the masked number (`db.pii.mask_phone`) and codes, never the text.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from datetime import datetime
from typing import Any, Literal

import httpx

from config import clock
from db.pii import mask_phone
from kiosk.sms.gateway import (
    DeliveryReport,
    DeliveryStatus,
    GatewayError,
    GatewayErrorKind,
    InboundHandler,
    InboundMessage,
    OutgoingMessage,
    ReportHandler,
    Submitted,
)
from kiosk.sms.http import wire
from kiosk.sms.http.encoding import size_message
from kiosk.sms.http.loop_server import LoopServer
from kiosk.sms.http.signing import build_authorization
from kiosk.sms.http.webhook import WebhookReceiver, serve_receiver
from kiosk.sms.numbers import InvalidMobile, normalize_mobile

log = logging.getLogger(__name__)

ReportMode = Literal["poll", "webhook", "both"]


class HttpGateway:
    name = "http"

    def __init__(
        self,
        base_url: str,
        api_key: str,
        api_secret: str,
        *,
        reports: ReportMode = "poll",
        timeout_s: float = 5.0,
        poll_interval_s: float = 0.2,
    ) -> None:
        self._key, self._secret = api_key, api_secret
        self._client = httpx.Client(
            base_url=base_url.rstrip("/"),
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 3.0)),
            limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
        )
        self._pending: dict[str, str] = {}  # gateway id → our id, until its final report
        self._done: OrderedDict[str, None] = OrderedDict()  # recently final (a late duplicate is known)
        self._in_flight: dict[str, int] = {}  # our ids being submitted (a report may beat the answer)
        self._lock = threading.Lock()
        self._reports: list[ReportHandler] = []
        self._inbound: list[InboundHandler] = []
        self.webhook = WebhookReceiver(api_secret, known=self.knows)
        self.webhook.on_report(self._report)
        self.webhook.on_inbound(self._reply)
        self._receiver: LoopServer | None = None
        self._stop = threading.Event()
        self._poller: threading.Thread | None = None
        self._poll_interval_s = poll_interval_s
        if reports in ("poll", "both"):
            self._poller = threading.Thread(target=self._poll_loop, name="sms-http-poll", daemon=True)
            self._poller.start()

    # -- SmsGateway -------------------------------------------------------------------------------
    def submit(self, message: OutgoingMessage) -> Submitted:
        try:
            to = normalize_mobile(message.to)
        except InvalidMobile as exc:
            raise GatewayError(GatewayErrorKind.REJECTED, f"not a Korean mobile number ({exc.code})") from exc
        sized = size_message(message.text, message.kind, message.subject)
        body: dict[str, Any] = {
            "to": to,
            "from": message.sender,
            "text": message.text,
            "type": sized.kind.value.upper(),
            "customFields": {wire.CUSTOM_ID: message.message_id},
        }
        if message.subject:
            body["subject"] = message.subject
        with self._lock:
            self._in_flight[message.message_id] = self._in_flight.get(message.message_id, 0) + 1
        try:
            answer = self._call("POST", wire.SEND_PATH, json={"message": body})
            gateway_id = answer.get("messageId")
            if not isinstance(gateway_id, str) or not gateway_id:
                raise GatewayError(GatewayErrorKind.UNAVAILABLE, "provider answered without a messageId")
            self.track(gateway_id, message.message_id)
        finally:  # only once tracked: a report may arrive before this answer (known by our id till then)
            with self._lock:
                left = self._in_flight.pop(message.message_id) - 1
                if left:
                    self._in_flight[message.message_id] = left
        log.info("SMS %s to %s accepted by http provider as %s", sized.kind.value, mask_phone(to), gateway_id)
        return Submitted(message.message_id, gateway_id, clock.now())

    def on_report(self, handler: ReportHandler) -> None:
        self._reports.append(handler)

    def on_inbound(self, handler: InboundHandler) -> None:
        self._inbound.append(handler)

    def close(self) -> None:
        self._stop.set()
        if self._poller is not None:
            self._poller.join(5.0)
        if self._receiver is not None:
            self._receiver.stop()
            self._receiver = None
        self._client.close()

    # -- reports ----------------------------------------------------------------------------------
    def track(self, gateway_id: str, message_id: str = "") -> None:
        """Expect a report for ``gateway_id`` (after a restart: a message sent by an earlier process)."""
        with self._lock:
            if gateway_id not in self._done:
                self._pending.setdefault(gateway_id, message_id)

    def knows(self, gateway_id: str, our_id: str = "") -> bool:
        with self._lock:
            return gateway_id in self._pending or gateway_id in self._done or our_id in self._in_flight

    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def serve_webhook(self, port: int = 0) -> str:
        """Run this gateway's webhook receiver on 127.0.0.1; returns the URL to give the provider."""
        if self._receiver is not None:
            raise RuntimeError("the webhook receiver is already running")
        self._receiver, url = serve_receiver(self.webhook, port)
        return url

    def _report(self, report: DeliveryReport) -> None:
        if not report.status.final:
            return
        with self._lock:
            if report.gateway_id in self._done:
                return  # the webhook and the poll both saw it: once is enough
            self._pending.pop(report.gateway_id, None)
            self._done[report.gateway_id] = None
            while len(self._done) > 10_000:
                self._done.popitem(last=False)
        for handler in self._reports:
            try:
                handler(report)
            except Exception:
                log.exception("SMS report handler failed for %s", report.gateway_id)

    def _reply(self, message: InboundMessage) -> None:
        for handler in self._inbound:
            handler(message)  # a failure here is the webhook's 500: the provider sends it again

    def _poll_loop(self) -> None:
        while not self._stop.wait(self._poll_interval_s):
            try:
                self.poll_once()
            except GatewayError as exc:
                log.warning("SMS status poll failed: %s", exc.kind.value)

    def poll_once(self) -> int:
        """Ask the provider about pending messages once; returns how many final reports it gave."""
        with self._lock:
            ids = list(self._pending)[: wire.MAX_LIST_IDS]
        if not ids:
            return 0
        answer = self._call("GET", wire.LIST_PATH, params=[("messageId", i) for i in ids])
        found = answer.get("messageList")
        count = 0
        for gateway_id, item in (found or {}).items() if isinstance(found, dict) else ():
            report = _report_of(gateway_id, item)
            if report is not None and report.status.final:
                self._report(report)
                count += 1
        return count

    # -- the wire ---------------------------------------------------------------------------------
    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        headers = {"Authorization": build_authorization(self._key, self._secret)}
        try:
            response = self._client.request(method, path, headers=headers, **kwargs)
        except httpx.TimeoutException as exc:
            raise GatewayError(
                GatewayErrorKind.UNAVAILABLE, f"provider timed out ({type(exc).__name__})"
            ) from exc
        except httpx.TransportError as exc:
            raise GatewayError(
                GatewayErrorKind.UNAVAILABLE, f"provider unreachable ({type(exc).__name__})"
            ) from exc
        try:
            doc = response.json()
        except ValueError:
            doc = None
        if response.status_code == 200 and isinstance(doc, dict):
            return doc
        code = str(doc.get("errorCode", "")) if isinstance(doc, dict) else ""
        text = str(doc.get("errorMessage", "")) if isinstance(doc, dict) else ""
        kind = wire.error_kind(response.status_code, code) if response.status_code != 200 else None
        if kind is None:
            raise GatewayError(GatewayErrorKind.UNAVAILABLE, "provider answered 200 without a JSON object")
        retry = response.headers.get("Retry-After", "")
        detail = f"HTTP {response.status_code} {code or '-'}: {text[:200]}" + (
            f" (retry after {retry}s)" if retry else ""
        )
        raise GatewayError(kind, detail)


def _report_of(gateway_id: str, item: Any) -> DeliveryReport | None:
    if not isinstance(item, dict) or not isinstance(item.get("statusCode"), str):
        return None
    code = item["statusCode"]
    status = wire.delivery_status(code)
    at = _parse_time(item.get("dateUpdated"))
    return DeliveryReport(gateway_id, status, at, "" if status is DeliveryStatus.DELIVRD else code)


def _parse_time(value: Any) -> datetime:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return parsed
    return clock.now()
