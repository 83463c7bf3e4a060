"""An HTTP SMS provider on 127.0.0.1, shaped like Solapi v4, for the demo, the check, the bench and tests.

It runs aiohttp on its own event loop in a background thread (`start() -> base_url`, `stop()`), checks what
the real provider checks — the HMAC signature, the 15-minute clock skew, a replayed salt, the registered
sender (발신번호 사전등록제), a Korean mobile ``to``, the EUC-KR byte limits of the type — and answers a JSON
error with a 4xx for each problem. A message accepted is delivered to the emulated phone after
``dlr_delay_s`` (its status, pollable at ``GET /messages/v4/list``, becomes ``dlr_code``, 4000 by default)
and, with a ``webhook_url``, a signed webhook carries the result (Standard Webhooks, see `signing`). A
resend carrying the same ``customFields.kioskMessageId`` gets the first answer back and is not delivered
again. ``reply_from(number, text)`` plays a reply from a phone (an inbound webhook).

Fault switches (send requests only): ``fail_next(n, kind)`` (an HTTP status, a `GatewayErrorKind`,
``"drop"`` or ``"timeout"``), ``throttle(n)`` (429), ``drop_connection()`` (the next connection is cut
without an answer); ``go_silent()`` holds every request unanswered until ``recover()``, and a held request
is then cut, never processed. ``requests`` records each request (parsed body and the status answered).
Numbers are kept in memory for the tests only and never logged.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout, web

from config import clock
from kiosk.sms.gateway import GatewayErrorKind
from kiosk.sms.http import wire
from kiosk.sms.http.loop_server import LoopServer
from kiosk.sms.http.signing import RequestVerifier, SignatureError, iso_date, sign_webhook
from kiosk.sms.http.validation import ProviderError, SendRequest, check_send

FAULT_STATUS = {
    GatewayErrorKind.THROTTLED: (429, "TooManyRequests"),
    GatewayErrorKind.UNAVAILABLE: (503, "ServiceUnavailable"),
    GatewayErrorKind.REJECTED: (400, "ValidationError"),
    GatewayErrorKind.AUTH: (401, "InvalidApiKey"),
}
HELD_REQUEST_S = 30.0  # how long a "timeout" fault holds a request before cutting it
WEBHOOK_TRIES = 3


@dataclass
class RecordedRequest:
    method: str
    path: str
    body: Any  # the parsed JSON (None when it was not JSON)
    status: int  # 0: the connection was cut without an answer
    error_code: str = ""


@dataclass
class EmulatedMessage:
    message_id: str
    group_id: str
    request: SendRequest
    created: datetime
    status_code: str = wire.ACCEPTED
    updated: datetime | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "messageId": self.message_id,
            "groupId": self.group_id,
            "to": self.request.to,
            "from": self.request.sender,
            "type": self.request.type,
            "statusCode": self.status_code,
            "statusMessage": wire.STATUS_MESSAGES.get(self.status_code, ""),
            "customFields": self.request.custom_fields,
            "dateCreated": iso_date(self.created),
            "dateUpdated": iso_date(self.updated or self.created),
        }


class _Cut(Exception):
    """Cut this request's connection without an answer."""


class ProviderEmulator:
    def __init__(
        self,
        api_key: str = "k",
        api_secret: str = "s",  # noqa: S107 - the emulator's own test credentials
        senders: Iterable[str] = frozenset({"0215880000"}),
        webhook_url: str | None = None,
        dlr_delay_s: float = 0.0,
    ) -> None:
        self.api_secret = api_secret
        self.senders = frozenset(senders)
        self.webhook_url = webhook_url
        self.dlr_delay_s = dlr_delay_s
        self.dlr_code = wire.DELIVERED  # what each delivery ends as (a 3xxx code plays a failure)
        self.requests: list[RecordedRequest] = []
        self.messages: dict[str, EmulatedMessage] = {}
        self.webhooks: list[tuple[str, int]] = []  # (webhook id, last status; 0 = no answer)
        self._verifier = RequestVerifier({api_key: api_secret})
        self._by_custom: dict[str, str] = {}
        self._faults: list[int | str] = []
        self._silent = False
        self._lock = threading.Lock()
        self._seq = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: LoopServer | None = None
        self._client: ClientSession | None = None
        self._release: asyncio.Event | None = None  # set while not silent
        self._stopping: asyncio.Event | None = None
        self._tasks: set[asyncio.Future[Any]] = set()
        self.base_url = ""

    # -- life cycle ---------------------------------------------------------------------------------
    def start(self, port: int = 0) -> str:
        app = web.Application(client_max_size=64 * 1024)
        app.router.add_post(wire.SEND_PATH, self._send)
        app.router.add_get(wire.LIST_PATH, self._list)
        app.on_startup.append(self._on_startup)
        app.on_shutdown.append(self._on_shutdown)
        self._server = LoopServer(app, "sms-http-emulator")
        self.base_url = self._server.start(port)
        return self.base_url

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    async def _on_startup(self, _app: web.Application) -> None:
        self._loop = asyncio.get_running_loop()
        self._release, self._stopping = asyncio.Event(), asyncio.Event()
        if not self._silent:
            self._release.set()
        self._client = ClientSession(timeout=ClientTimeout(total=5))
        # A provider that went down keeps what it accepted: after a restart those still go to the phone.
        with self._lock:
            pending = [m.message_id for m in self.messages.values() if m.status_code == wire.ACCEPTED]
        for message_id in pending:
            self._loop.call_later(max(self.dlr_delay_s, 0.0), self._deliver, message_id)

    async def _on_shutdown(self, _app: web.Application) -> None:
        if self._release is not None and self._stopping is not None:
            self._release.set()
            self._stopping.set()
        for task in list(self._tasks):
            task.cancel()
        if self._client is not None:
            await self._client.close()
        self._loop = None

    def __enter__(self) -> ProviderEmulator:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- fault switches (any thread) ---------------------------------------------------------------
    def fail_next(self, n: int, kind: int | str = 503) -> None:
        """The next ``n`` sends fail: an HTTP status (400-599), a GatewayErrorKind, "drop" or "timeout"."""
        named = isinstance(kind, str) and (
            kind in ("drop", "timeout") or kind in GatewayErrorKind._value2member_map_
        )
        if not named and not (isinstance(kind, int) and 400 <= kind <= 599):
            raise ValueError(f"unknown fault {kind!r}")
        with self._lock:
            self._faults.extend([kind] * n)

    def throttle(self, n: int) -> None:
        self.fail_next(n, 429)

    def drop_connection(self) -> None:
        self.fail_next(1, "drop")

    def go_silent(self) -> None:
        with self._lock:
            self._silent = True
            if self._loop is not None and self._release is not None:
                self._loop.call_soon_threadsafe(self._release.clear)

    def recover(self) -> None:
        with self._lock:
            self._silent = False
            if self._loop is not None and self._release is not None:
                self._loop.call_soon_threadsafe(self._release.set)

    # -- what a test or the demo looks at ----------------------------------------------------------
    def inbox(self, number: str) -> list[str]:
        """The texts the emulated phone ``number`` received (delivered), oldest first."""
        with self._lock:
            return [
                m.request.text
                for m in self.messages.values()
                if m.request.to == number and m.status_code == wire.DELIVERED
            ]

    def accepted(self) -> list[SendRequest]:
        with self._lock:
            return [m.request for m in self.messages.values()]

    def reply_from(self, number: str, text: str, timeout_s: float = 5.0) -> str:
        """A reply from phone ``number``, posted to the webhook; returns the webhook id."""
        if self._server is None or not self.webhook_url:
            raise RuntimeError("reply_from needs a running emulator with a webhook_url")
        event = {
            "event": "inbound",
            "from": number,
            "to": min(self.senders),
            "text": text,
            "dateReceived": iso_date(clock.now()),
        }
        return self._server.submit(self._post_webhook(event), timeout_s)

    # -- handlers -----------------------------------------------------------------------------------
    async def _send(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        try:
            body: Any = json.loads(raw)
        except ValueError:
            body = None
        try:
            await self._hold_if_silent()
            await self._fault()
            self._verify(request)
            message = self._accept(check_send(body, self.senders))
        except _Cut:
            self._record(request, body, 0)
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=499)
        except ProviderError as exc:
            self._record(request, body, exc.status, exc.code)
            headers = {"Retry-After": "1"} if exc.status == 429 else None
            return web.json_response(exc.body(), status=exc.status, headers=headers)
        self._record(request, body, 200)
        return web.json_response(message.as_json())

    async def _list(self, request: web.Request) -> web.StreamResponse:
        ids = request.query.getall("messageId", [])
        try:
            await self._hold_if_silent()
            self._verify(request)
            if not ids or len(ids) > wire.MAX_LIST_IDS:
                raise ProviderError(400, "ValidationError", f"1 to {wire.MAX_LIST_IDS} messageId parameters")
        except _Cut:
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=499)
        except ProviderError as exc:
            return web.json_response(exc.body(), status=exc.status)
        with self._lock:
            found = {i: self.messages[i].as_json() for i in ids if i in self.messages}
        return web.json_response({"messageList": found})

    async def _hold_if_silent(self) -> None:
        if self._silent and self._release is not None:
            await self._release.wait()
            raise _Cut()

    async def _fault(self) -> None:
        with self._lock:
            fault = self._faults.pop(0) if self._faults else None
        if fault is None:
            return
        if fault == "drop":
            raise _Cut()
        if fault == "timeout":
            assert self._stopping is not None
            try:
                await asyncio.wait_for(self._stopping.wait(), HELD_REQUEST_S)
            except TimeoutError:
                pass
            raise _Cut()
        if isinstance(fault, str) and fault in GatewayErrorKind._value2member_map_:
            status, code = FAULT_STATUS[GatewayErrorKind(fault)]
        else:
            status, code = int(fault), "TooManyRequests" if int(fault) == 429 else "InternalError"
        raise ProviderError(status, code, "the emulator was told to fail this request")

    def _verify(self, request: web.Request) -> None:
        try:
            self._verifier.verify(request.headers.get("Authorization", ""))
        except SignatureError as exc:
            raise ProviderError(401, exc.code, exc.detail) from exc

    def _record(self, request: web.Request, body: Any, status: int, code: str = "") -> None:
        with self._lock:
            self.requests.append(RecordedRequest(request.method, request.path, body, status, code))

    def _accept(self, req: SendRequest) -> EmulatedMessage:
        ours = req.custom_fields.get(wire.CUSTOM_ID, "")
        with self._lock:
            if ours and ours in self._by_custom:
                return self.messages[self._by_custom[ours]]  # a resend: the first answer, not sent again
            self._seq += 1
            token = secrets.token_hex(4).upper()
            message = EmulatedMessage(
                f"M4V{self._seq:08d}{token}", f"G4V{self._seq:08d}{token}", req, clock.now()
            )
            self.messages[message.message_id] = message
            if ours:
                self._by_custom[ours] = message.message_id
        assert self._loop is not None
        self._loop.call_later(max(self.dlr_delay_s, 0.0), self._deliver, message.message_id)
        return message

    def _deliver(self, message_id: str) -> None:
        with self._lock:
            message = self.messages[message_id]
            message.status_code, message.updated = self.dlr_code, clock.now()
            event = {"event": "delivery", **message.as_json(), "dateProcessed": iso_date(message.updated)}
        if self.webhook_url:
            task = asyncio.ensure_future(self._post_webhook(event))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _post_webhook(self, event: dict[str, Any]) -> str:
        assert self._client is not None and self.webhook_url
        with self._lock:
            self._seq += 1
            webhook_id = f"wh_{self._seq:08d}"
        body = json.dumps(event, ensure_ascii=False).encode("utf-8")
        status = 0
        for attempt in range(WEBHOOK_TRIES):
            headers = {"Content-Type": "application/json", **sign_webhook(self.api_secret, webhook_id, body)}
            try:
                async with self._client.post(self.webhook_url, data=body, headers=headers) as answer:
                    status = answer.status
                    if status < 300:
                        break
            except (ClientError, OSError, TimeoutError):  # the receiver is down or slow: try again
                status = 0
            await asyncio.sleep(0.1 * 2**attempt)
        with self._lock:
            self.webhooks.append((webhook_id, status))
        return webhook_id
