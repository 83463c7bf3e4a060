"""The HQ dashboard for staff (issue 20 items 6, 7): sign-in, figures per center → counselor → line,
and the fleet (admins only), rendered on the server with SVG charts and no script at all.

Every page needs a session (kiosk.hq.sessions); without one it sends the browser to the sign-in page.
Pages are `no-store` and carry a CSP that allows nothing inline and nothing from elsewhere. The
figures come from kiosk.hq.stats and kiosk.hq.dashboard_queries; no page shows a person's data, so
nothing here writes hq_read_audit (accounts.person_events does, where a person is read).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, urlencode, urlsplit

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session
from starlette.types import ASGIApp

from config import clock
from kiosk.api.security_headers import SecuredPrefix
from kiosk.hq import sessions as staff_sessions
from kiosk.hq.accounts import check_password
from kiosk.hq.dashboard_charts import Bar, horizontal_bars, vertical_bars
from kiosk.hq.dashboard_fleet import fleet_status, needs_hand_by_center
from kiosk.hq.dashboard_queries import WAIT_BAND_LABELS, centers, health_reports, wait_bands
from kiosk.hq.models import HqCenter
from kiosk.hq.stats import DEFAULT_TARGET_MINUTES, DEFAULT_ZONE, PERIODS, StatsRow, statistics

PREFIX = "/dashboard"
HERE = Path(__file__).parent
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
MAX_FORM_BYTES = 4096
MAX_PERIOD_DAYS = 3 * 366  # longer asks belong to `kiosk hq report`, not to a page someone waits on
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
NO_COUNSELOR = "none"

templates = Jinja2Templates(directory=HERE / "templates")


class DashboardHeaders(SecuredPrefix):
    """Security headers on every dashboard response; pages no-store, static files may be cached."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app, PREFIX, CSP)


class SignInNeeded(Exception):
    """No valid session: the handler sends the browser to the sign-in page."""


class AdminOnly(Exception):
    """An analyst asked for a page only admins see."""


# --- filters ------------------------------------------------------------------------------


class Filters:
    """The period and grouping a page shows, read from the query string; errors say what to fix."""

    def __init__(self, request: Request) -> None:
        query = request.query_params
        today = clock.today()
        self.errors: list[str] = []
        self.start = self._day(query.get("from"), today.replace(day=1), "시작일")
        self.end = self._day(query.get("to"), today, "종료일")
        if self.end < self.start:
            self.errors.append("종료일이 시작일보다 앞이에요. (The period ends before it starts.)")
            self.start, self.end = today.replace(day=1), today
        if (self.end - self.start).days > MAX_PERIOD_DAYS:
            self.errors.append(
                "기간은 3년까지 볼 수 있어요. 더 긴 기간은 보고서로 받아 주세요. (At most 3 years.)"
            )
            self.start = self.end - timedelta(days=MAX_PERIOD_DAYS)
        by = query.get("by", "day")
        if by not in PERIODS:
            self.errors.append("묶음은 일·주·월 중에서 골라 주세요. (Group by day, week or month.)")
            by = "day"
        self.by = by
        self.center = (query.get("center") or "")[:32]

    def _day(self, value: str | None, default: date, name: str) -> date:
        if not value:
            return default
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            self.errors.append(f"{name}을 YYYY-MM-DD 로 적어 주세요. ({name}: expected YYYY-MM-DD)")
            return default

    def query(self, **override: str) -> str:
        values = {"from": self.start.isoformat(), "to": self.end.isoformat(), "by": self.by}
        if self.center:
            values["center"] = self.center
        values.update(override)
        return "?" + urlencode({k: v for k, v in values.items() if v})


# --- the router ---------------------------------------------------------------------------


def _render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    base = {"target": DEFAULT_TARGET_MINUTES, "share": _share, "minutes": _minutes, "who": None, "f": None}
    return templates.TemplateResponse(request, name, {**base, **context}, status_code=status)


def _same_origin(request: Request) -> bool:
    """A form post from another site is refused even before SameSite does (login CSRF).

    Browsers say where a request comes from in Sec-Fetch-Site; under our no-referrer policy Chromium
    sends `Origin: null` even for our own forms, so Origin is only compared when it names a site."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return True
    return urlsplit(origin).netloc == request.headers.get("host", "")


def _share(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}"


def _minutes(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _totals(rows: list[StatsRow]) -> dict[str, int]:
    return {
        "visits": sum(r.visits for r in rows),
        "tickets_issued": sum(r.tickets_issued for r in rows),
        "served": sum(r.served for r in rows),
        "no_shows": sum(r.no_shows for r in rows),
    }


def _period_bars(rows: list[StatsRow], by: str) -> list[Bar]:
    per: dict[date, float] = {}
    for row in rows:
        if row.period is not None:
            per[row.period] = per.get(row.period, 0) + row.visits
    fmt = "%m-%d" if by != "month" else "%Y-%m"
    return [Bar(day.strftime(fmt), value) for day, value in sorted(per.items())]


def _db(request: Request) -> Iterator[Session]:
    with request.app.state.hq_sessions() as session:
        yield session


DbDep = Annotated[Session, Depends(_db)]


def _staff(request: Request, session: DbDep) -> staff_sessions.Staff:
    found = staff_sessions.staff_for(session, request.cookies.get(staff_sessions.COOKIE))
    if found is None:
        raise SignInNeeded
    return found


StaffDep = Annotated[staff_sessions.Staff, Depends(_staff)]


def _admin(who: StaffDep) -> staff_sessions.Staff:
    if not who.is_admin:
        raise AdminOnly
    return who


AdminDep = Annotated[staff_sessions.Staff, Depends(_admin)]


def build_router(sessions: Callable[[], Session]) -> APIRouter:
    router = APIRouter(prefix=PREFIX, include_in_schema=False)

    @router.get("/login")
    def login_page(request: Request) -> HTMLResponse:
        return _render(request, "hq_login.html", error="")

    @router.post("/login")
    async def login(request: Request) -> Response:
        if not _same_origin(request):
            return _render(request, "hq_login.html", status=403, error="다른 사이트에서 보낸 요청이에요.")
        body = await request.body()
        if len(body) > MAX_FORM_BYTES:
            return _render(request, "hq_login.html", status=413, error="입력이 너무 길어요.")
        form = parse_qs(body.decode("utf-8", errors="replace"), max_num_fields=5)
        username = (form.get("username") or [""])[0].strip()[:64]
        password = (form.get("password") or [""])[0][:1024]
        return await _sign_in(request, username, password)

    async def _sign_in(request: Request, username: str, password: str) -> Response:
        from starlette.concurrency import run_in_threadpool

        def check() -> str | None:
            with sessions() as session, session.begin():
                account = check_password(session, username, password) if username and password else None
                return None if account is None else staff_sessions.start_session(session, account)

        token = await run_in_threadpool(check)
        if token is None:
            return _render(
                request,
                "hq_login.html",
                status=401,
                error="아이디나 비밀번호가 맞지 않아요. (Wrong username or password.)",
                username=username,
            )
        response = RedirectResponse(f"{PREFIX}/", status_code=303)
        response.set_cookie(
            staff_sessions.COOKIE,
            token,
            max_age=int(staff_sessions.LIFETIME.total_seconds()),
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path=PREFIX,
        )
        return response

    @router.post("/logout")
    def logout(request: Request, session: DbDep) -> Response:
        if _same_origin(request):
            with session.begin():
                staff_sessions.end_session(session, request.cookies.get(staff_sessions.COOKIE))
        response = RedirectResponse(f"{PREFIX}/login", status_code=303)
        response.delete_cookie(staff_sessions.COOKIE, path=PREFIX)
        return response

    @router.get("/")
    def overview(request: Request, who: StaffDep, session: DbDep) -> HTMLResponse:
        f = Filters(request)
        all_centers = centers(session)
        shown = [c for c in all_centers if not f.center or c.code == f.center]
        if f.center and not shown:
            f.errors.append("그런 센터가 없어요. 모든 센터를 보여 드려요. (No such center.)")
            f.center, shown = "", all_centers
        ids = {c.id for c in shown}
        rows = [r for r in statistics(session, f.start, f.end) if r.center_id in ids]
        by_period = [r for r in statistics(session, f.start, f.end, by=[f.by]) if r.center_id in ids]
        bands = wait_bands(session, f.start, f.end)
        band_totals = [
            sum(bands.get(i, [0] * len(WAIT_BAND_LABELS))[k] for i in ids)
            for k in range(len(WAIT_BAND_LABELS))
        ]
        hands = needs_hand_by_center(
            fleet_status(health_reports(session, clock.now()), clock.now(), clock.named_zone(DEFAULT_ZONE))
        )
        return _render(
            request,
            "hq_overview.html",
            who=who,
            f=f,
            all_centers=all_centers,
            rows=rows,
            totals=_totals(rows),
            hands=hands,
            visits_chart=horizontal_bars(
                "센터별 방문", [Bar(r.center_name or r.center, r.visits) for r in rows], "건"
            ),
            period_chart=vertical_bars(f"기간별 방문 ({_BY_KO[f.by]})", _period_bars(by_period, f.by), "건"),
            period_bars=_period_bars(by_period, f.by),
            wait_chart=vertical_bars(
                "대기 시간 분포",
                [Bar(label, n) for label, n in zip(WAIT_BAND_LABELS, band_totals, strict=True)],
                "건",
            ),
            band_rows=list(zip(WAIT_BAND_LABELS, band_totals, strict=True)),
        )

    def _center(session: Session, code: str) -> HqCenter | None:
        return next((c for c in centers(session) if c.code == code), None)

    @router.get("/centers/{code}")
    def center_page(request: Request, code: str, who: StaffDep, session: DbDep) -> HTMLResponse:
        f = Filters(request)
        center = _center(session, code[:32])
        if center is None:
            return _render(request, "hq_missing.html", status=404, who=who, f=f, what="센터")
        rows = [r for r in statistics(session, f.start, f.end, by=["counselor"]) if r.center_id == center.id]
        by_period = [r for r in statistics(session, f.start, f.end, by=[f.by]) if r.center_id == center.id]
        return _render(
            request,
            "hq_center.html",
            who=who,
            f=f,
            center=center,
            rows=rows,
            totals=_totals(rows),
            no_counselor=NO_COUNSELOR,
            counselor_chart=horizontal_bars(
                f"{center.name} 상담사별 방문",
                [Bar(_counselor_label(r.counselor), r.visits) for r in rows],
                "건",
            ),
            period_chart=vertical_bars(f"{center.name} 기간별 방문", _period_bars(by_period, f.by), "건"),
            period_bars=_period_bars(by_period, f.by),
            counselor_label=_counselor_label,
        )

    @router.get("/centers/{code}/counselors/{counselor}")
    def counselor_page(
        request: Request, code: str, counselor: str, who: StaffDep, session: DbDep
    ) -> HTMLResponse:
        f = Filters(request)
        center = _center(session, code[:32])
        if center is None or not (counselor == NO_COUNSELOR or _UUID.match(counselor)):
            return _render(request, "hq_missing.html", status=404, who=who, f=f, what="센터나 상담사")
        wanted = None if counselor == NO_COUNSELOR else counselor.lower()
        rows = [
            r
            for r in statistics(session, f.start, f.end, by=["counselor", "line"])
            if r.center_id == center.id and (r.counselor or None) == wanted
        ]
        return _render(
            request,
            "hq_counselor.html",
            who=who,
            f=f,
            center=center,
            counselor=_counselor_label(wanted),
            rows=rows,
            totals=_totals(rows),
            line_chart=horizontal_bars(
                "창구별 발권", [Bar(r.line or "-", r.tickets_issued) for r in rows], "장"
            ),
        )

    @router.get("/fleet")
    def fleet(request: Request, who: AdminDep, session: DbDep) -> HTMLResponse:
        now = clock.now()
        zone = clock.named_zone(DEFAULT_ZONE)
        statuses = fleet_status(health_reports(session, now), now, zone)
        names = {c.id: c for c in centers(session)}
        per_center: dict[uuid.UUID, list[Any]] = {}
        for status in statuses:
            per_center.setdefault(status.center_id, []).append(status)
        groups = [(names[cid], per_center.get(cid, [])) for cid in names]
        return _render(
            request, "hq_fleet.html", who=who, f=Filters(request), groups=groups, zone=zone, now=now
        )

    return router


_BY_KO = {"day": "일별", "week": "주별", "month": "월별"}


def _counselor_label(counselor: str | None) -> str:
    # HQ holds counselor ids only (names stay at the center): the first block is enough to tell apart.
    return "기록 없음" if not counselor else f"상담사 {counselor[:8]}"


def install(app: FastAPI, sessions: Callable[[], Session]) -> None:
    """Mount the dashboard on HQ's app: its pages, its static files, its headers and its redirects."""
    app.state.hq_sessions = sessions
    app.include_router(build_router(sessions))
    app.mount(f"{PREFIX}/static", StaticFiles(directory=HERE / "static"), name="hq-static")
    app.add_middleware(DashboardHeaders)

    @app.exception_handler(SignInNeeded)
    async def _sign_in(request: Request, exc: SignInNeeded) -> Response:
        return RedirectResponse(f"{PREFIX}/login", status_code=303)

    @app.exception_handler(AdminOnly)
    async def _admin_only(request: Request, exc: AdminOnly) -> Response:
        return _render(request, "hq_forbidden.html", status=403, who=None, f=None)

    @app.get("/", include_in_schema=False)
    async def _root() -> Response:
        return RedirectResponse(f"{PREFIX}/", status_code=303)
