"""Authentication and authorization: no token, wrong role, other center → 401/403 and nothing changed."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import time_machine
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from db.models import AuditEvent, Counselor, Device, HubSession, Person, Visit
from tests.kiosk.hub.conftest import PASSWORD, Hub
from tests.kiosk.hub.factories import submission


def _counts(hub: Hub) -> dict[str, int]:
    with hub.sessions() as s:
        return {
            m.__name__: s.scalar(select(func.count()).select_from(m)) or 0
            for m in (Visit, Person, Device, Counselor, HubSession)
        }


def test_every_protected_route_refuses_without_token(hub_sqlite: Hub) -> None:
    open_routes = {
        "/auth/login",
        "/devices/enroll",
        "/chat",
        "/openapi.json",
        "/docs",
        "/docs/oauth2-redirect",
        "/redoc",
    }
    before = _counts(hub_sqlite)
    checked = 0
    for path, operations in hub_sqlite.app.openapi()["paths"].items():
        if path in open_routes:
            continue
        url = path.replace("{visit_id}", "00000000-0000-4000-8000-000000000000")
        url = url.replace("{ticket_id}", "00000000-0000-4000-8000-000000000000")
        url = url.replace("{document_id}", "00000000-0000-4000-8000-000000000000").replace("{line}", "A")
        for method in operations:
            r = hub_sqlite.http.request(method.upper(), url, json={})
            assert r.status_code == 401, (method, url, r.status_code)
            body = r.json()["error"]
            assert body["code"] == "unauthenticated" and body["message_ko"] and body["message_en"]
            checked += 1
    assert checked >= 25
    assert _counts(hub_sqlite) == before


def test_garbage_and_expired_tokens_are_refused(hub_sqlite: Hub) -> None:
    for token in ("nonsense", "c_" + "x" * 43, "d_" + "y" * 43):
        r = hub_sqlite.http.get("/queue", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401


def test_login_wrong_password_then_a_short_wait_not_a_lock(hub_sqlite: Hub) -> None:
    with time_machine.travel(datetime(2026, 3, 2, 1, 0, tzinfo=UTC), tick=False) as traveller:
        for _ in range(5):
            r = hub_sqlite.http.post("/auth/login", json={"username": "kim", "password": "wrong-password"})
            assert r.status_code == 401
            assert r.json()["error"]["code"] == "login_failed"
        # Five in a row: even the right password waits a little (429, told how long), never a lock.
        r = hub_sqlite.http.post("/auth/login", json={"username": "kim", "password": PASSWORD})
        assert r.status_code == 429 and r.headers["Retry-After"] == "10"
        body = r.json()["error"]
        assert body["code"] == "login_throttled" and "10초" in body["message_ko"] and body["message_en"]
        traveller.shift(timedelta(seconds=10))
        assert (
            hub_sqlite.http.post("/auth/login", json={"username": "kim", "password": PASSWORD}).status_code
            == 200
        )


def test_login_throttle_per_client(hub_sqlite: Hub) -> None:
    with time_machine.travel(datetime(2026, 3, 2, 1, 0, tzinfo=UTC), tick=False):
        codes = [
            hub_sqlite.http.post("/auth/login", json={"username": f"nobody{i}", "password": "x"}).status_code
            for i in range(12)
        ]
        assert codes == [401] * 10 + [429, 429]
        # Another address is not held back by this one.
        elsewhere = TestClient(hub_sqlite.app, client=("10.0.0.9", 40000))
        assert (
            elsewhere.post("/auth/login", json={"username": "kim", "password": PASSWORD}).status_code == 200
        )


def test_logout_revokes_the_session(hub_sqlite: Hub) -> None:
    headers = hub_sqlite.login("kim")
    assert hub_sqlite.http.get("/auth/me", headers=headers).json()["role"] == "counselor"
    assert hub_sqlite.http.post("/auth/logout", headers=headers).status_code == 200
    assert hub_sqlite.http.get("/auth/me", headers=headers).status_code == 401


def test_passwords_are_argon2_and_tokens_hashed(hub_sqlite: Hub) -> None:
    headers = hub_sqlite.login("kim")
    token = headers["Authorization"].split()[1]
    with hub_sqlite.sessions() as s:
        kim = s.scalars(select(Counselor).where(Counselor.username == "kim")).one()
        assert kim.password_hash.startswith("$argon2id$")
        assert PASSWORD not in kim.password_hash
        stored = s.scalars(select(HubSession.token_hash)).all()
        assert token not in stored and len(stored) == 1


def test_wrong_role_is_403_and_nothing_changes(hub: Hub) -> None:
    counselor = hub.login("kim")
    before = _counts(hub)
    r = hub.http.post("/devices/pairing-codes", json={"kind": "lobby"}, headers=counselor)
    assert r.status_code == 403 and r.json()["error"]["message_ko"]
    r = hub.http.post(
        "/counselors",
        json={"username": "newbie", "display_name": "신입", "password": "x" * 12},
        headers=counselor,
    )
    assert r.status_code == 403
    # A counselor cannot pose as a lobby kiosk, and a lobby cannot read cases.
    assert hub.http.post("/visits", json=submission(1), headers=counselor).status_code == 403
    lobby, _ = hub.enroll("lobby")
    before = _counts(hub)
    r = hub.http.post("/visits", json=submission(2), headers=lobby)
    visit_id = r.json()["visit_id"]
    assert hub.http.get(f"/visits/{visit_id}/case", headers=lobby).status_code == 403
    assert hub.http.post(f"/visits/{visit_id}/person/reveal", headers=lobby).status_code == 403
    assert _counts(hub)["Visit"] == before["Visit"] + 1


def test_other_center_cannot_read_or_change(hub: Hub) -> None:
    lobby, _ = hub.enroll("lobby")
    visit_id = hub.http.post("/visits", json=submission(3), headers=lobby).json()["visit_id"]
    outsider = hub.login("park")
    other_lobby, _ = hub.enroll("lobby", center="gwanak")
    with hub.sessions() as s:
        audit_before = s.scalar(select(func.count()).select_from(AuditEvent))
    assert hub.http.get(f"/visits/{visit_id}/case", headers=outsider).status_code == 403
    assert hub.http.post(f"/visits/{visit_id}/person/reveal", headers=outsider).status_code == 403
    assert hub.http.post(f"/visits/{visit_id}/notes", json={"text": "x"}, headers=outsider).status_code == 403
    r = hub.http.put(f"/visits/{visit_id}/outcome", json={"outcome": "loan_approved"}, headers=outsider)
    assert r.status_code == 403 and "다른 센터" in r.json()["error"]["message_ko"]
    # A lobby of the other center replaying this visit id is refused too.
    assert (
        hub.http.post("/visits", json=submission(3, visit_id=visit_id), headers=other_lobby).status_code
        == 403
    )
    with hub.sessions() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == audit_before
        visit = s.get(Visit, uuid.UUID(visit_id))
        assert visit is not None and visit.status == "open"


def test_pairing_code_is_one_time_and_expires(hub_sqlite: Hub) -> None:
    boss = hub_sqlite.login("boss")
    r = hub_sqlite.http.post(
        "/devices/pairing-codes", json={"kind": "counter", "label": "창구 1"}, headers=boss
    )
    code = r.json()["code"]
    assert hub_sqlite.http.post("/devices/enroll", json={"code": code}).status_code == 200
    again = hub_sqlite.http.post("/devices/enroll", json={"code": code})
    assert again.status_code == 400 and again.json()["error"]["code"] == "pairing_code_invalid"
    with hub_sqlite.sessions() as s:
        assert all(d.pairing_code_hash is None for d in s.scalars(select(Device)).all())
        assert code not in str([d.token_hash for d in s.scalars(select(Device)).all()])


def test_revoked_device_is_locked_out_at_once(hub: Hub) -> None:
    lobby, _ = hub.enroll("lobby")
    assert hub.http.get("/queue", headers=lobby).status_code == 200
    device_id = hub.http.get("/auth/me", headers=lobby).json()["id"]
    counselor = hub.login("kim")
    assert hub.http.post(f"/devices/{device_id}/revoke", headers=counselor).status_code == 403
    outsider = hub.login("park")
    assert hub.http.post(f"/devices/{device_id}/revoke", headers=outsider).status_code == 403
    assert hub.http.get("/queue", headers=lobby).status_code == 200
    boss = hub.login("boss")
    assert hub.http.post(f"/devices/{device_id}/revoke", headers=boss).status_code == 200
    r = hub.http.get("/queue", headers=lobby)
    assert r.status_code == 401 and r.json()["error"]["message_ko"]


def test_no_token_is_401_whatever_the_body(hub_sqlite: Hub) -> None:
    r = hub_sqlite.http.post(
        "/visits", content=b'{"visit_id": ', headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    r = hub_sqlite.http.post("/tickets", json={"line": 5})
    assert r.status_code == 401
    assert hub_sqlite.http.post("/auth/login", json={"username": 1}).status_code == 422  # public: validated
