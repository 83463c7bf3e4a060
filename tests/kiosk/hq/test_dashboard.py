"""The HQ dashboard through TestClient on PostgreSQL: sign-in, the figures a staff member reads, the
filters and the drill-down, the fleet for admins only, and the headers every page carries."""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from kiosk.hq.app import create_app
from kiosk.hq.models import HqLoginSession
from kiosk.hq.sessions import COOKIE, token_hash
from tests.kiosk.hq import dashboard_data as data
from tests.kiosk.hq.signer import T0, FakeCenter

pytestmark = pytest.mark.postgres
NOVEMBER = "from=2026-11-01&to=2026-11-30"
# The same server tests/conftest.py's postgres_url uses (conftest modules are not imported).
PG_ADMIN_URL = os.environ.get("KIOSK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="module")
def shared_engine(postgres_reason: str | None) -> Iterator[Engine]:
    """One migrated schema with the two centers' data for the tests that only read it (setting HQ up
    per test costs seconds: migrations, argon2)."""
    if postgres_reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL unreachable in CI: {postgres_reason}")
        pytest.skip(f"PostgreSQL unreachable: {postgres_reason}")
    from db.session import make_engine
    from kiosk.hq.migrate import upgrade

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(f"{PG_ADMIN_URL}?options=-csearch_path%3D{schema}")
    try:
        upgrade(engine)
        sessions = sessionmaker(engine, expire_on_commit=False)
        seoul, suwon = FakeCenter("C001", "서울중앙"), FakeCenter("C002", "수원")
        seoul.register(sessions)
        suwon.register(sessions)
        data.fill(seoul, suwon)
        data.accounts(sessions)
        with TestClient(create_app(engine)) as setup:
            data.send(setup, seoul)
            data.send(setup, suwon)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def client(shared_engine: Engine) -> Iterator[TestClient]:
    """A fresh browser (no cookies) on the shared data."""
    with TestClient(create_app(shared_engine)) as test_client:
        yield test_client


@pytest.fixture
def fleet_client(
    hq_engine: Engine, hq_sessions: sessionmaker[Session], seoul: FakeCenter, suwon: FakeCenter, time_machine
) -> Iterator[TestClient]:
    """Its own schema: the fleet tests add health reports, at a fixed time in opening hours."""
    time_machine.move_to(T0 + timedelta(hours=1), tick=False)  # Monday 10:30 in Seoul
    data.fill(seoul, suwon)
    data.accounts(hq_sessions)
    with TestClient(create_app(hq_engine)) as test_client:
        data.send(test_client, seoul)
        data.send(test_client, suwon)
        yield test_client


def text_of(html: str) -> str:
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def row_of(html: str, table_id: str, label: str) -> list[str]:
    """The cells of the row in table #table_id whose first cell mentions label."""
    table = re.search(rf'<table id="{table_id}".*?</table>', html, flags=re.S)
    assert table, f"no table {table_id}"
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(0), flags=re.S):
        cells = [text_of(c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
        if cells and label in cells[0]:
            return cells
    raise AssertionError(f"no row {label} in {table_id}")


def test_every_page_sends_a_stranger_to_the_sign_in_page(client: TestClient) -> None:
    for path in (
        "/dashboard/",
        "/dashboard/centers/C001",
        f"/dashboard/centers/C001/counselors/{data.KIM}",
        "/dashboard/fleet",
        "/",
    ):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/dashboard")
    page = client.get("/dashboard/")
    assert page.url.path == "/dashboard/login"
    assert "로그인" in page.text and 'name="password"' in page.text
    # A cookie that is not a session of ours is no way in either.
    client.cookies.set(COOKIE, "forged-token", path="/dashboard")
    assert client.get("/dashboard/", follow_redirects=False).status_code == 303
    client.cookies.set(COOKIE, "x" * 5000, path="/dashboard")
    assert client.get("/dashboard/", follow_redirects=False).status_code == 303


WRONG_SIGN_INS = [("analyst", "wrong password 123"), ("nobody", data.PASSWORD), ("analyst", ""), ("", "")]


def test_a_wrong_password_or_name_is_refused_in_the_same_words(client: TestClient) -> None:
    for username, password in WRONG_SIGN_INS:
        response = client.post(
            "/dashboard/login",
            content=f"username={username}&password={password}".encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            follow_redirects=False,
        )
        assert response.status_code == 401, username
        assert "아이디나 비밀번호가 맞지 않아요" in response.text
        assert COOKIE not in response.headers.get("set-cookie", "")
        assert client.get("/dashboard/", follow_redirects=False).status_code == 303


def test_sign_in_sets_a_strict_http_only_cookie_kept_only_as_a_hash(
    client: TestClient, shared_engine: Engine
) -> None:
    response = client.post(
        "/dashboard/login",
        content=f"username=analyst&password={data.PASSWORD}".encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/dashboard/"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Max-Age=28800" in cookie
    assert "Secure" not in cookie  # plain http on loopback; https gets Secure
    token = client.cookies[COOKIE]
    with Session(shared_engine) as session:
        stored = session.scalars(select(HqLoginSession.token_hash)).all()
    assert token_hash(token) in stored and not any(token in h for h in stored)
    assert hashlib.sha256(token.encode()).hexdigest() == token_hash(token)
    secure = TestClient(client.app, base_url="https://hq.example")
    answer = secure.post(
        "/dashboard/login",
        content=f"username=analyst&password={data.PASSWORD}".encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and "Secure" in answer.headers["set-cookie"]


def test_the_overview_shows_each_centers_figures_under_strict_headers(client: TestClient) -> None:
    data.login(client, "analyst")
    response = client.get(f"/dashboard/?{NOVEMBER}")
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp and "unsafe-inline" not in csp
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-frame-options"] == "DENY"
    html = response.text
    assert "<script" not in html and "style=" not in html
    # visits, tickets, served, no-shows, wait mean / median / p90, share over 30 minutes
    assert row_of(html, "centers", "서울중앙")[1:9] == ["4", "5", "4", "1", "20.5", "18.5", "35.5", "25.0"]
    assert row_of(html, "centers", "수원")[1:9] == ["1", "1", "1", "0", "8.0", "8.0", "8.0", "0.0"]
    assert row_of(html, "centers", "합계")[1:5] == ["5", "6", "5", "1"]
    # the charts are SVG named for screen readers, with their numbers in words
    assert html.count('<svg class="chart" role="img"') == 3
    assert "서울중앙 4건" in html and "0–10분 2건" in html
    static = client.get("/dashboard/static/hq.css")
    assert static.status_code == 200 and "public" in static.headers["cache-control"]


def test_filters_pick_the_center_and_the_period(client: TestClient) -> None:
    data.login(client, "analyst")
    only_suwon = client.get(f"/dashboard/?{NOVEMBER}&center=C002&by=week").text
    assert "수원" in text_of(only_suwon) and row_of(only_suwon, "centers", "수원")[1] == "1"
    with pytest.raises(AssertionError):
        row_of(only_suwon, "centers", "서울중앙")
    assert "11-02 1" in text_of(only_suwon)  # the week starting Monday 11-02
    october = client.get("/dashboard/?from=2026-10-01&to=2026-10-31").text
    assert "이 기간에 들어온 기록이 없어요" in october
    monthly = text_of(client.get(f"/dashboard/?{NOVEMBER}&by=month").text)
    assert "2026-11 5" in monthly


BAD_FILTERS = [
    ("from=2026-13-01&to=2026-11-30", "YYYY-MM-DD"),
    ("from=2026-11-30&to=2026-11-01", "종료일이 시작일보다 앞이에요"),
    ("from=2020-01-01&to=2026-11-30", "3년까지"),
    ("from=2026-11-01&to=2026-11-30&by=year", "일·주·월"),
    ("from=2026-11-01&to=2026-11-30&center=NOPE", "그런 센터가 없어요"),
    ("from=%00&to=<script>", "YYYY-MM-DD"),
]


def test_bad_filters_are_named_and_the_page_still_answers(client: TestClient) -> None:
    data.login(client, "analyst")
    for query, words in BAD_FILTERS:
        response = client.get(f"/dashboard/?{query}")
        assert response.status_code == 200, query
        assert words in response.text and "<script>" not in response.text


def test_drill_down_center_then_counselor_then_line(client: TestClient) -> None:
    data.login(client, "analyst")
    overview = client.get(f"/dashboard/?{NOVEMBER}").text
    link = re.search(r'href="(/dashboard/centers/C001[^"]*)"', overview)
    assert link
    center = client.get(link.group(1).replace("&amp;", "&")).text
    assert "서울중앙" in center and "상담사별" in center
    kim = row_of(center, "counselors", f"상담사 {data.KIM[:8]}")
    assert kim[1:5] == ["2", "3", "3", "0"]  # 2 visits with his outcome, 3 tickets he served
    assert row_of(center, "counselors", f"상담사 {data.LEE[:8]}")[1:4] == ["1", "1", "1"]
    assert row_of(center, "counselors", "기록 없음")[4] == "1"  # the no-show nobody called
    link = re.search(rf'href="(/dashboard/centers/C001/counselors/{data.KIM}[^"]*)"', center)
    assert link
    lines = client.get(link.group(1).replace("&amp;", "&")).text
    assert row_of(lines, "lines", "A")[2:4] == ["3", "3"]
    with pytest.raises(AssertionError):
        row_of(lines, "lines", "B")
    nobody = client.get(f"/dashboard/centers/C001/counselors/none?{NOVEMBER}").text
    assert row_of(nobody, "lines", "B")[4] == "1"


UNKNOWN_PAGES = [
    "/dashboard/centers/C999",
    "/dashboard/centers/C001/counselors/not-a-uuid",
    "/dashboard/centers/C001/counselors/" + "1" * 300,
    "/dashboard/centers/" + "가" * 200,
]


def test_unknown_centers_and_counselors_are_404_pages(client: TestClient) -> None:
    data.login(client, "analyst")
    for path in UNKNOWN_PAGES:
        response = client.get(path)
        assert response.status_code == 404 and "찾을 수 없어요" in response.text, path


def test_an_analyst_cannot_open_the_fleet_but_sees_which_center_needs_a_hand(
    fleet_client: TestClient, seoul: FakeCenter
) -> None:
    client = fleet_client
    device = "d0000000-0000-4000-8000-000000000001"
    seoul.event(
        "device.health",
        T0 + timedelta(minutes=40),
        device_id=device,
        kind="lobby",
        version="1.4.0",
        printer="paper_out",
        reader={"present": True},
    )
    data.send(client, seoul)  # out of paper since 10:10; it is 10:30 now
    data.login(client, "analyst")
    forbidden = client.get("/dashboard/fleet")
    assert forbidden.status_code == 403 and "관리자만" in forbidden.text
    assert "1.4.0" not in forbidden.text
    overview = client.get(f"/dashboard/?{NOVEMBER}").text
    assert row_of(overview, "centers", "서울중앙")[9] == "손이 필요해요 1대"
    assert row_of(overview, "centers", "수원")[9] == "-"
    assert 'href="/dashboard/fleet"' not in overview


def test_an_admin_sees_each_device_and_paper_out_for_ten_minutes_of_opening_hours(
    fleet_client: TestClient, seoul: FakeCenter, suwon: FakeCenter, time_machine
) -> None:
    client = fleet_client
    lobby, desk, suwon_kiosk = (f"d0000000-0000-4000-8000-00000000000{i}" for i in (1, 2, 3))
    seoul.event(
        "device.health",
        T0 + timedelta(minutes=40),
        device_id=lobby,
        kind="lobby",
        version="1.4.0",
        printer={"state": "ready"},
        reader=True,
    )
    seoul.event(
        "device.health",
        T0 + timedelta(minutes=52),
        device_id=lobby,
        kind="lobby",
        version="1.4.0",
        printer={"state": "paper_out", "cover_open": False},
        reader=True,
    )
    seoul.event(
        "device.health",
        T0 + timedelta(minutes=45),
        device_id=desk,
        kind="desk",
        version="1.3.9",
        printer="cover_open",
        reader=False,
    )
    suwon.event(
        "device.health",
        T0 + timedelta(minutes=20),
        device_id=suwon_kiosk,
        kind="lobby",
        version="1.4.0",
        printer="paper_near_end",
    )
    data.send(client, seoul)
    data.send(client, suwon)
    data.login(client, "admin")
    page = client.get("/dashboard/fleet")  # 10:30: out of paper since 10:22, 8 minutes
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    html = text_of(page.text)
    assert "용지 없음" in html and "덮개 열림" in html and "용지 부족" in html
    assert "1.3.9" in html and "신분증 리더가 없어요" in html
    assert "손이 필요해요 1대" not in html
    time_machine.move_to(T0 + timedelta(hours=1, minutes=3), tick=False)  # 10:33: 11 minutes
    html = text_of(client.get("/dashboard/fleet").text)
    assert "손이 필요해요 1대" in html and "용지가 10분 넘게 없어요" in html


def test_sign_out_and_eight_hours_both_end_the_session(client: TestClient, time_machine) -> None:
    data.login(client, "analyst")
    token = client.cookies[COOKIE]
    assert client.get("/dashboard/").status_code == 200
    out = client.post("/dashboard/logout", follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/dashboard/login"
    client.cookies.set(COOKIE, token, path="/dashboard")  # a copy of the old cookie
    assert client.get("/dashboard/", follow_redirects=False).status_code == 303
    client.cookies.clear()
    data.login(client, "analyst")
    time_machine.move_to(datetime.now(UTC) + timedelta(hours=7, minutes=59), tick=False)
    assert client.get("/dashboard/", follow_redirects=False).status_code == 200
    time_machine.move_to(datetime.now(UTC) + timedelta(minutes=2), tick=False)
    assert client.get("/dashboard/", follow_redirects=False).status_code == 303


def test_login_refuses_other_sites_and_oversized_forms(client: TestClient) -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    body = f"username=analyst&password={data.PASSWORD}".encode()
    other = client.post("/dashboard/login", content=body, headers={**form, "Origin": "https://evil.example"})
    assert other.status_code == 403 and COOKIE not in other.headers.get("set-cookie", "")
    fetched = client.post("/dashboard/login", content=body, headers={**form, "Sec-Fetch-Site": "cross-site"})
    assert fetched.status_code == 403 and COOKIE not in fetched.headers.get("set-cookie", "")
    huge = client.post("/dashboard/login", content=b"username=" + b"a" * 10_000, headers=form)
    assert huge.status_code == 413
    garbage = client.post("/dashboard/login", content=b"\xff\xfe&&==%zz", headers=form)
    assert garbage.status_code == 401
