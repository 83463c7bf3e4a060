"""내 서류 (issue 19): after signing at the counter, a 7-day link unlocked by a code sent separately, to
download copies of the signed PDFs; every download audited.

``GET /m/d/{token}`` asks for the code (a plain form: no script needed); ``POST`` checks it — five wrong
codes lock the link — and a right one sets a 15-minute cookie for this link's path only, then shows
the list (title and signing date: no name, no number). ``GET /m/d/{token}/{document_id}.pdf`` gives one
of that visit's signed PDFs to that cookie only, and writes an audit event each time. Unknown, expired,
revoked and malformed links, and documents of another visit, all get the calm "gone" page.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from config import clock
from db.audit import append_event
from db.models import Document, Visit, WebLink
from kiosk.api import DOCUMENT_TITLES
from kiosk.web import document_codes as codes
from kiosk.web.render import english as in_english
from kiosk.web.render import hub_of, render_page
from kiosk.web.words import words

router = APIRouter(prefix="/m", include_in_schema=False)

ACTOR = "web:document-holder"
COOKIE = "docs_open"
MAX_FORM_BYTES = 1000  # a 6-digit code and a field name; anything bigger is not our form


@dataclass
class Outcome:
    """What one request comes to: which page, with what, and an unlock cookie to set."""

    page: str  # "gone" | "locked" | "code" | "list" | "pdf"
    status: int = 200
    context: dict[str, Any] = field(default_factory=dict)
    cookie: str | None = None
    pdf: bytes = b""
    filename: str = ""


def _when(at: datetime, english: bool, with_time: bool = True) -> str:
    local = clock.local(at)
    if english:
        text = f"{local.day} {local.strftime('%B %Y')}"
        return f"{text}, {local:%H:%M}" if with_time else text
    text = f"{local.year}년 {local.month}월 {local.day}일"
    return f"{text} {local:%H:%M}" if with_time else text


def _visit_of(session: Any, link: WebLink) -> Visit | None:
    visit = session.get(Visit, link.subject_id)
    return visit if visit is not None and visit.center_id == link.center_id else None


def _list(session: Any, link: WebLink, visit: Visit, english: bool) -> Outcome:
    """The list of the visit's signed documents; reading it is a read of the person's record: audited."""
    rows = [
        {
            "id": str(d.id),
            "title": DOCUMENT_TITLES.get(d.template, (d.template, d.template))[1 if english else 0],
            "signed": _when(d.signed_at or d.created_at, english, with_time=False),
        }
        for d in codes.signed_documents(session, visit.id)
    ]
    detail = {"link_id": str(link.id), "documents": [r["id"] for r in rows]}
    append_event(session, ACTOR, "document.list", f"visit:{visit.id}", detail)
    return Outcome("list", context={"documents": rows})


def _show(request: Request, token: str) -> Outcome:
    english, now = in_english(request), clock.now()
    with hub_of(request).sessions() as session:
        found = codes.find(session, token, now)
        if found is None or (visit := _visit_of(session, found.link)) is None:
            return Outcome("gone", 404)
        if found.locked:
            return Outcome("locked", 410)
        context = {"until": _when(found.link.expires_at, english)}
        if not codes.cookie_opens(session, found.link, request.cookies.get(COOKIE), now):
            return Outcome("code", context=context)
        outcome = _list(session, found.link, visit, english)
        session.commit()
        outcome.context |= context
        return outcome


def _check(request: Request, token: str, code: str) -> Outcome:
    english, now = in_english(request), clock.now()
    w = words(english)
    hub = hub_of(request)
    with hub.sessions() as session:
        found = codes.find(session, token, now, for_update=True)
        if found is None or _visit_of(session, found.link) is None:
            return Outcome("gone", 404)
        link = found.link
        if found.locked:
            return Outcome("locked", 410)
        context: dict[str, Any] = {"until": _when(link.expires_at, english)}
        if not codes.code_shaped(code.strip()):
            # Not even six digits: a slip of the finger, not a guess; no try is counted.
            return Outcome("code", 400, context | {"problem": w["docs_code_shape"]})
        if not codes.check(hub.keys, link, code, now):
            locked = link.revoked_at is not None
            detail = {"link_id": str(link.id), "tries": link.tries}
            append_event(
                session, ACTOR, "document.link_locked" if locked else "document.code_wrong",
                f"web_link:{link.id}", detail,
            )  # fmt: skip
            session.commit()
            if locked:
                return Outcome("locked", 410)
            left = str(codes.tries_left(link))
            return Outcome("code", 400, context | {"problem": w["docs_wrong"].replace("{left}", left)})
        cookie = codes.open_cookie(session, link, now)
        append_event(session, ACTOR, "document.unlock", f"web_link:{link.id}", {"link_id": str(link.id)})
        session.commit()
        return Outcome("list", 303, cookie=cookie)


def _download(request: Request, token: str, document_id: str) -> Outcome:
    english, now = in_english(request), clock.now()
    try:
        wanted = uuid.UUID(document_id)
    except ValueError:
        return Outcome("gone", 404)
    with hub_of(request).sessions() as session:
        found = codes.find(session, token, now)
        if found is None or found.locked or (visit := _visit_of(session, found.link)) is None:
            return Outcome("gone", 404)
        link = found.link
        if not codes.cookie_opens(session, link, request.cookies.get(COOKIE), now):
            context = {"until": _when(link.expires_at, english), "problem": words(english)["docs_ask_again"]}
            return Outcome("code", 403, context)
        doc = session.get(Document, wanted)
        if doc is None or doc.visit_id != visit.id or doc.status not in codes.SIGNED or not doc.pdf:
            return Outcome("gone", 404)
        append_event(session, ACTOR, "document.download", f"document:{doc.id}", {"link_id": str(link.id)})
        session.commit()
        day = clock.local(doc.signed_at or doc.created_at).strftime("%Y%m%d")
        # ASCII only: the template id is ours ([a-z_]), the rest digits; no name, nothing to escape.
        name = f"{''.join(c for c in doc.template if c.isascii() and (c.isalnum() or c == '_'))}-{day}.pdf"
        return Outcome("pdf", pdf=bytes(doc.pdf), filename=name)


def _respond(request: Request, token: str, outcome: Outcome) -> Response:
    if outcome.page == "gone":
        return render_page(request, "gone.html", status=outcome.status)
    if outcome.page == "locked":
        return render_page(request, "documents_locked.html", status=outcome.status)
    if outcome.page == "pdf":
        return Response(
            outcome.pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{outcome.filename}"'},
        )
    if outcome.cookie is not None:
        query = request.url.query
        answer = RedirectResponse(f"/m/d/{token}" + (f"?{query}" if query else ""), status_code=303)
        answer.set_cookie(
            COOKIE,
            outcome.cookie,
            max_age=int(codes.OPEN_FOR.total_seconds()),
            path=f"/m/d/{token}",
            secure=request.url.scheme == "https",
            httponly=True,
            samesite="strict",
        )
        return answer
    name = "documents_list.html" if outcome.page == "list" else "documents_code.html"
    return render_page(request, name, status=outcome.status, token=token, **outcome.context)


@router.get("/d/{token}", response_class=HTMLResponse)
async def documents_page(request: Request, token: str) -> Response:
    outcome = await run_in_threadpool(_show, request, token)
    return _respond(request, token, outcome)


@router.post("/d/{token}", response_class=HTMLResponse)
async def documents_code(request: Request, token: str) -> Response:
    body = await request.body()
    try:
        if len(body) > MAX_FORM_BYTES:
            raise ValueError("not our form")
        fields = parse_qs(body.decode("utf-8", errors="replace"), max_num_fields=5)
    except ValueError:  # too big, or too many fields: no try counted, the form again
        problem = words(in_english(request))["docs_code_shape"]
        return render_page(request, "documents_code.html", status=413, token=token, problem=problem)
    code = (fields.get("code") or [""])[0][:20]
    outcome = await run_in_threadpool(_check, request, token, code)
    return _respond(request, token, outcome)


@router.get("/d/{token}/{document_id}.pdf", response_class=Response)
async def document_pdf(request: Request, token: str, document_id: str) -> Response:
    outcome = await run_in_threadpool(_download, request, token, document_id)
    return _respond(request, token, outcome)
