"""`POST /chat`: the FAQ assistant for web and app channels, around the clock, without login.

Nothing personal is stored or logged: the question is answered and forgotten. Each client address gets
``assistant.rate_limit_per_minute`` questions a minute (429 after that) and bodies larger than
``assistant.max_body_bytes`` are refused with 413 (the hub's own middleware also caps every body).
The hub includes ``router`` (the assistant loads on first use, off the event loop); tests and other
apps build their own with ``make_chat_router(assistant)``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.routing import APIRoute

from config import load_settings
from config.sections.assistant import AssistantSection
from db.session import data_dir
from kiosk.api.chat import ChatRequest, ChatResponse
from kiosk.assistant import Assistant
from kiosk.hub.errors import error_response

log = logging.getLogger(__name__)
MAX_CLIENTS = 10_000  # remembered client addresses; the oldest are forgotten first


class RateLimiter:
    """Sliding one-minute window per client key."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute, self.clock = per_minute, clock
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, key: str) -> tuple[bool, int]:
        """(allowed, seconds to wait)."""
        now = self.clock()
        with self._lock:
            hits = self._hits.pop(key, None) or deque()
            while hits and now - hits[0] >= 60.0:
                hits.popleft()
            allowed = len(hits) < self.per_minute
            if allowed:
                hits.append(now)
            self._hits[key] = hits
            while len(self._hits) > MAX_CLIENTS:
                self._hits.popitem(last=False)
            wait = 0 if allowed else max(1, int(60.0 - (now - hits[0])) + 1)
        return allowed, wait


class _LazyAssistant:
    """Loads the assistant once, on the first request, from the hub's settings when it has them.
    A failed load is retried at most once a minute, so a broken FAQ copy cannot turn requests into
    repeated multi-second loads."""

    RETRY_SECONDS = 60.0

    def __init__(self) -> None:
        self._assistant: Assistant | None = None
        self._failed_at: float | None = None
        self._lock = threading.Lock()

    def get(self, request: Request) -> Assistant:
        with self._lock:
            if self._assistant is None:
                if self._failed_at is not None and time.monotonic() - self._failed_at < self.RETRY_SECONDS:
                    raise RuntimeError("assistant failed to load recently")
                try:
                    self._assistant = Assistant.load(_section(request), _cache_dir(request))
                except Exception:
                    self._failed_at = time.monotonic()
                    raise
            return self._assistant


def _section(request: Request) -> AssistantSection:
    hub = getattr(request.app.state, "hub", None)
    settings = getattr(hub, "settings", None)
    return settings.assistant if settings is not None else load_settings().assistant


def _cache_dir(request: Request) -> Path | None:
    hub = getattr(request.app.state, "hub", None)
    settings = getattr(hub, "settings", None)
    return data_dir(settings.app.data_dir) / "cache" if settings is not None else None


def make_chat_router(
    assistant: Assistant | Callable[[Request], Assistant],
    settings: AssistantSection | Callable[[Request], AssistantSection] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> APIRouter:
    """A router with ``POST /chat`` answering from ``assistant`` (or a function of the request giving one).

    Limits come from ``settings`` (or the assistant's own settings), read per request so the hub's
    settings apply even though its router is built at import time.
    """
    if isinstance(assistant, Assistant):
        fixed = assistant
        resolve: Callable[[Request], Assistant] = lambda _request: fixed  # noqa: E731
    else:
        resolve = assistant
    if settings is None:
        settings = fixed.settings if isinstance(assistant, Assistant) else AssistantSection()
    section: Callable[[Request], AssistantSection] = (
        settings if callable(settings) else (lambda _request, s=settings: s)  # type: ignore[misc]
    )
    limiters: dict[int, RateLimiter] = {}

    def limiter(request: Request) -> RateLimiter:
        per_minute = section(request).rate_limit_per_minute
        return limiters.setdefault(per_minute, RateLimiter(per_minute, clock))

    router = APIRouter(tags=["chat"], route_class=_size_limited(lambda r: section(r).max_body_bytes))

    @router.post(
        "/chat",
        response_model=ChatResponse,
        summary="FAQ 챗봇 (24-hour FAQ assistant; no login, nothing stored)",
        responses={
            413: {"description": "body too large"},
            429: {"description": "too many questions"},
            503: {"description": "the assistant could not load"},
        },
    )
    def chat(body: ChatRequest, request: Request) -> Any:
        client = request.client.host if request.client else "unknown"
        allowed, wait = limiter(request).allow(client)
        if not allowed:
            return error_response(
                429, "chat_rate_limited",
                f"질문이 너무 많아요. {wait}초 뒤에 다시 물어봐 주세요.",
                f"Too many questions; try again in {wait} s.",
                headers={"Retry-After": str(wait)},
            )  # fmt: skip
        try:
            bot = resolve(request)
        except Exception as exc:  # a broken FAQ copy must not take the hub down: say so calmly
            log.error("chat assistant unavailable: %s", exc.__class__.__name__)
            return error_response(
                503, "chat_unavailable",
                "지금은 챗봇을 쓸 수 없어요. 서민금융콜센터 1397로 전화해 주세요.",
                "The chatbot is unavailable right now; please call 1397.",
            )  # fmt: skip
        return ChatResponse.model_validate(bot.ask(body.question).to_dict())

    return router


def _size_limited(max_bytes: Callable[[Request], int]) -> Any:
    """An APIRoute class that answers 413 before parsing a body larger than ``max_bytes(request)``."""

    class SizeLimitedRoute(APIRoute):
        def get_route_handler(self) -> Callable[..., Any]:
            handler = super().get_route_handler()

            async def limited(request: Request) -> Any:
                limit = max_bytes(request)
                declared = request.headers.get("content-length")
                too_big = declared is not None and (not declared.isdigit() or int(declared) > limit)
                if not too_big:
                    too_big = len(await request.body()) > limit
                if too_big:
                    return error_response(
                        413, "chat_body_too_large",
                        "질문이 너무 길어요. 짧게 줄여서 다시 물어봐 주세요.",
                        "Request body too large; please ask a shorter question.",
                    )  # fmt: skip
                return await handler(request)

            return limited

    return SizeLimitedRoute


class _SharedSection:
    """The hub's assistant settings, read once."""

    def __init__(self) -> None:
        self._section: AssistantSection | None = None

    def __call__(self, request: Request) -> AssistantSection:
        if self._section is None:
            self._section = _section(request)
        return self._section


_shared = _LazyAssistant()
router = make_chat_router(_shared.get, settings=_SharedSection())


def shared_assistant(request: Request) -> Assistant:
    """The hub's one assistant (loaded on first use): the mobile web's chatbot answers with it too."""
    return _shared.get(request)
