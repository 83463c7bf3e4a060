"""Statistics per period, line and counselor; after-care plans and due lists; device health events."""

from __future__ import annotations

from datetime import date

from config import clock
from tests.kiosk.hub.conftest import Hub
from tests.kiosk.hub.factories import submission


def test_statistics_and_aftercare(hub: Hub) -> None:
    lobby, _ = hub.enroll("lobby")
    counselor = hub.login("kim")
    for seed, line in ((1, "A"), (2, "B"), (3, "B")):
        visit_id = hub.http.post("/visits", json=submission(seed), headers=lobby).json()["visit_id"]
        hub.http.post(
            "/tickets",
            json={"line": line, "visit_id": visit_id},
            headers={**lobby, "Idempotency-Key": f"stat-{seed:04d}"},
        )
    called = hub.http.post("/queue/B/call-next", json={"desk": "2"}, headers=counselor).json()
    hub.http.post(f"/tickets/{called['id']}/done", headers=counselor)
    no_outcome = hub.http.post(f"/visits/{called['visit_id']}/aftercare", json={}, headers=counselor)
    assert no_outcome.status_code == 409 and no_outcome.json()["error"]["message_ko"]
    hub.http.put(
        f"/visits/{called['visit_id']}/outcome",
        json={"outcome": "debt_adjustment_applied"},
        headers=counselor,
    )
    plan = hub.http.post(f"/visits/{called['visit_id']}/aftercare", json={}, headers=counselor)
    assert plan.status_code == 200 and len(plan.json()) >= 1
    assert all(date.fromisoformat(f["due_date"]) > clock.today() for f in plan.json())
    due = hub.http.get("/aftercare/due", params={"within_days": 366}, headers=counselor).json()
    assert {f["id"] for f in due} == {f["id"] for f in plan.json()}
    assert hub.http.get("/aftercare/due", params={"everyone": True}, headers=counselor).status_code == 403
    stats = hub.http.get("/statistics", headers=counselor).json()
    assert stats["tickets_by_line"] == {"A": 1, "B": 2}
    assert stats["tickets_by_status"]["done"] == 1 and stats["served_by_counselor"] == {"kim": 1}
    # The plan is due later than this period: open, not due in it (HQ's "due" is by due day).
    assert stats["visits"] == 3 and stats["followups_open"] == len(plan.json())
    assert stats["followups_due"] == 0
    bad = hub.http.get(
        "/statistics", params={"date_from": "2026-12-01", "date_to": "2026-01-01"}, headers=counselor
    )
    assert bad.status_code == 422


def test_device_health_reaches_the_desks(hub_sqlite: Hub) -> None:
    lobby, _ = hub_sqlite.enroll("lobby")
    counselor = hub_sqlite.login("kim")
    with hub_sqlite.http.websocket_connect("/events", headers=counselor) as ws:
        ws.receive_json()
        r = hub_sqlite.http.post(
            "/devices/health",
            json={
                "component": "printer",
                "status": "warning",
                "code": "paper_near_end",
                "message_ko": "용지가 얼마 안 남았어요",
            },
            headers=lobby,
        )
        assert r.status_code == 200
        event = ws.receive_json()
        assert event["type"] == "device.health" and event["data"]["code"] == "paper_near_end"
    assert (
        hub_sqlite.http.post(
            "/devices/health", json={"component": "printer", "status": "ok"}, headers=counselor
        ).status_code
        == 403
    )


def test_websocket_refuses_without_token(hub_sqlite: Hub) -> None:
    import pytest
    from starlette.websockets import WebSocketDisconnect

    with pytest.raises(WebSocketDisconnect) as closed, hub_sqlite.http.websocket_connect("/events") as ws:
        ws.receive_json()
    assert closed.value.code == 4401
