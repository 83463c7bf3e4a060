"""Errors the hub returns: a stable code plus a Korean and an English message, never a stack trace.

The shape and the shared codes are the wire contract's (kiosk.api.errors); this module raises and
renders them.

Validation details name the field and the problem but never echo the submitted value, because a
rejected body may contain an RRN or a phone number.
"""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kiosk.api import errors as codes
from kiosk.api.errors import ErrorBody, ErrorDetail

log = logging.getLogger("kiosk.hub")


class HubError(Exception):
    """Raise from a route: the request is refused with this status and nothing is changed."""

    headers: dict[str, str] | None = None  # extra response headers, e.g. Retry-After on a 429

    def __init__(self, status: int, code: str, message_ko: str, message_en: str) -> None:
        super().__init__(f"{status} {code}: {message_en}")
        self.status, self.code, self.message_ko, self.message_en = status, code, message_ko, message_en


def error_response(
    status: int,
    code: str,
    ko: str,
    en: str,
    fields: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = ErrorBody(error=ErrorDetail(code=code, message_ko=ko, message_en=en, fields=fields or []))
    return JSONResponse(status_code=status, content=body.model_dump(), headers=headers)


# Plain-language messages for the HTTP statuses the framework raises itself (routing, methods).
_STATUS_TEXT: dict[int, tuple[str, str, str]] = {
    401: (codes.UNAUTHENTICATED, "로그인이 필요해요. 다시 로그인해 주세요.", "Authentication required."),
    403: (codes.FORBIDDEN, "이 작업을 할 권한이 없어요.", "You are not allowed to do this."),
    404: (codes.NOT_FOUND, "찾는 항목이 없어요.", "Not found."),
    405: (codes.METHOD_NOT_ALLOWED, "지원하지 않는 요청 방식이에요.", "Method not allowed."),
    413: (codes.BODY_TOO_LARGE, "보낸 내용이 너무 커요.", "Request body too large."),
}


def sms_unavailable(instead_ko: str, en: str = "SMS is not available now.") -> HubError:
    """503: the center has no SMS gateway now (none configured, or it refused our credentials); the
    Korean message goes on with what the person can do instead."""
    return HubError(503, codes.SMS_UNAVAILABLE, f"문자 서비스를 지금 쓸 수 없어요. {instead_ko}", en)


def not_found(what_ko: str, what_en: str) -> HubError:
    return HubError(404, codes.NOT_FOUND, f"{what_ko}을(를) 찾을 수 없어요.", f"{what_en} not found.")


def forbidden(
    ko: str = "이 작업을 할 권한이 없어요.", en: str = "You are not allowed to do this."
) -> HubError:
    return HubError(403, codes.FORBIDDEN, ko, en)


def other_center() -> HubError:
    return forbidden("다른 센터의 기록이에요.", "This record belongs to another center.")


def idempotency_conflict() -> HubError:
    return HubError(
        409,
        codes.IDEMPOTENCY_CONFLICT,
        "같은 요청 번호로 다른 내용이 왔어요. 새 요청으로 다시 보내 주세요.",
        "Idempotency key reused with a different request.",
    )


# A location part that is a field name or an index is shown; anything else in a location is a key the
# client sent (an answer's question id, say), which may hold anything, so it is shown as "*".
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,59}|\[key\]")


def field_name(loc: tuple[int | str, ...] | list[int | str]) -> str:
    """`body.intake.answers.*.[key]`: where the problem is, without echoing what was sent."""
    return ".".join(str(part) if isinstance(part, int) or _NAME.fullmatch(part) else "*" for part in loc)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HubError)
    async def _hub_error(_request: Request, exc: HubError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else exc.headers
        return error_response(exc.status, exc.code, exc.message_ko, exc.message_en, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return error_response(
                400,
                codes.MALFORMED_JSON,
                "요청 내용을 읽을 수 없어요(JSON 형식 오류).",
                "Malformed JSON body.",
            )
        fields = sorted({field_name(e.get("loc", ())) for e in errors})
        return error_response(
            422,
            codes.INVALID_REQUEST,
            "요청 내용이 올바르지 않아요. 항목을 확인해 주세요.",
            "Invalid request: check the listed fields.",
            fields=fields,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, ko, en = _STATUS_TEXT.get(
            exc.status_code, (codes.HTTP_ERROR, "요청을 처리할 수 없어요.", str(exc.detail))
        )
        return error_response(exc.status_code, code, ko, en)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected hub error: %s", type(exc).__name__, exc_info=exc)
        return error_response(
            500,
            codes.INTERNAL_ERROR,
            "잠시 문제가 생겼어요. 다시 시도해 주세요.",
            "Internal error; please retry.",
        )
