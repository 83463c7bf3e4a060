"""The center's day turns at midnight in Seoul, whatever zone the machine runs in.

Each test pins the clock (time-machine moves ``datetime.now`` itself, for the hub's threads too) at the
moments where a machine-local or UTC date goes wrong: the last second of a Korean day, its first second,
and 08:59 KST, which is still 23:59 of the day before in UTC.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from config import clock
from db.purge import purge_expired
from tests.kiosk.hub.conftest import Hub
from tests.kiosk.hub.factories import submission

KST = ZoneInfo("Asia/Seoul")
LAST_SECOND = datetime(2026, 12, 1, 23, 59, 59, tzinfo=KST)
MIDNIGHT = datetime(2026, 12, 2, 0, 0, 0, tzinfo=KST)
BEFORE_NINE = datetime(2026, 12, 2, 8, 59, tzinfo=KST)  # 2026-12-01 23:59 in UTC
DEC_1, DEC_2 = date(2026, 12, 1), date(2026, 12, 2)


def _visit_with_ticket(hub: Hub, lobby: dict[str, str], line: str = "A") -> dict[str, object]:
    visit_id = hub.http.post("/visits", json=submission(), headers=lobby).json()["visit_id"]
    r = hub.http.post(
        "/tickets",
        json={"line": line, "visit_id": visit_id},
        headers={**lobby, "Idempotency-Key": f"clock-{uuid.uuid4().hex}"},
    )
    assert r.status_code == 200, r.text
    ticket: dict[str, object] = r.json()
    return ticket


def test_the_pinned_moments_are_where_utc_disagrees() -> None:
    with time_machine.travel(BEFORE_NINE, tick=False):
        assert datetime.now().astimezone(ZoneInfo("UTC")).date() == DEC_1
        assert clock.today() == DEC_2


def test_statistics_of_today_count_the_center_day(hub: Hub) -> None:
    lobby, _ = hub.enroll("lobby")
    for moment in (LAST_SECOND, MIDNIGHT, BEFORE_NINE):
        with time_machine.travel(moment, tick=False):
            _visit_with_ticket(hub, lobby)
    with time_machine.travel(BEFORE_NINE, tick=False):
        manager = hub.login("boss")
        default = hub.http.get("/statistics", headers=manager).json()
        assert default["date_to"] == DEC_2.isoformat()
        today = hub.http.get(
            "/statistics", params={"date_from": "2026-12-02", "date_to": "2026-12-02"}, headers=manager
        ).json()
        yesterday = hub.http.get(
            "/statistics", params={"date_from": "2026-12-01", "date_to": "2026-12-01"}, headers=manager
        ).json()
    # The visits figure obeys the period as the ticket counts do.
    assert (today["visits"], today["tickets_by_line"]) == (2, {"A": 2})
    assert (yesterday["visits"], yesterday["tickets_by_line"]) == (1, {"A": 1})


def test_ticket_numbers_restart_at_the_center_midnight(hub: Hub) -> None:
    lobby, _ = hub.enroll("lobby")
    with time_machine.travel(LAST_SECOND, tick=False):
        late = [_visit_with_ticket(hub, lobby) for _ in range(2)]
    with time_machine.travel(MIDNIGHT, tick=False):
        first = _visit_with_ticket(hub, lobby)
    with time_machine.travel(BEFORE_NINE, tick=False):
        second = _visit_with_ticket(hub, lobby)
    assert [t["number"] for t in late] == [1, 2]
    assert [t["service_date"] for t in late] == [DEC_1.isoformat()] * 2
    # 08:59 KST is the same service day as midnight, though its UTC date is the day before.
    assert (first["number"], second["number"]) == (1, 2)
    assert first["service_date"] == second["service_date"] == DEC_2.isoformat()


def test_waits_count_only_the_people_waiting_today(hub: Hub) -> None:
    lobby, _ = hub.enroll("lobby")
    with time_machine.travel(LAST_SECOND, tick=False):
        left_yesterday = [_visit_with_ticket(hub, lobby, "B") for _ in range(3)]
    with time_machine.travel(BEFORE_NINE, tick=False):
        fresh = _visit_with_ticket(hub, lobby, "B")
        counselor = hub.login("kim")
        called = hub.http.post("/queue/B/call-next", json={"desk": "1"}, headers=counselor).json()
    assert left_yesterday[-1]["wait_minutes"]  # three people were ahead last night
    # Nobody from yesterday's queue stands ahead this morning: no wait, and the first called is today's.
    assert fresh["wait_minutes"] == 0
    assert called["id"] == fresh["id"]


def test_aftercare_due_list_turns_at_the_center_midnight(hub: Hub) -> None:
    lobby, _ = hub.enroll("lobby")
    with time_machine.travel(BEFORE_NINE, tick=False):
        visit_id = hub.http.post("/visits", json=submission(), headers=lobby).json()["visit_id"]
        counselor = hub.login("kim")
        hub.http.put(
            f"/visits/{visit_id}/outcome", json={"outcome": "debt_adjustment_applied"}, headers=counselor
        )
        plan = hub.http.post(f"/visits/{visit_id}/aftercare", json={}, headers=counselor).json()
    first_due = min(date.fromisoformat(f["due_date"]) for f in plan)
    # Planned from the Korean date (Dec 2), not the UTC one (Dec 1).
    assert first_due > DEC_2

    def due_now(moment: datetime) -> set[str]:
        with time_machine.travel(moment, tick=False):
            headers = hub.login("kim")
            r = hub.http.get("/aftercare/due", params={"within_days": 0}, headers=headers)
            return {f["due_date"] for f in r.json()}

    eve = datetime.combine(first_due - timedelta(days=1), datetime.min.time(), KST).replace(
        hour=23, minute=59, second=59
    )
    day_start = datetime.combine(first_due, datetime.min.time(), KST)
    assert first_due.isoformat() not in due_now(eve)
    assert first_due.isoformat() in due_now(day_start)
    assert first_due.isoformat() in due_now(day_start.replace(hour=8, minute=59))


def test_purge_cutoff_turns_at_the_center_midnight(hub: Hub) -> None:
    lobby, _ = hub.enroll("lobby")
    with time_machine.travel(datetime(2021, 12, 1, 10, 0, tzinfo=KST), tick=False):
        visit_id = hub.http.post("/visits", json=submission(), headers=lobby).json()["visit_id"]
        counselor = hub.login("kim")
        r = hub.http.put(
            f"/visits/{visit_id}/outcome", json={"outcome": "information_only"}, headers=counselor
        )
        assert r.status_code == 200, r.text

    def purgeable_at(moment: datetime) -> int:
        with time_machine.travel(moment, tick=False):
            return purge_expired(hub.sessions, 5, dry_run=True).counts.get("visits", 0)

    # Ended on 2021-12-01 (KST): kept through that day five years on, purgeable from the next one.
    assert purgeable_at(LAST_SECOND) == 0
    assert purgeable_at(MIDNIGHT) == 1
    assert purgeable_at(BEFORE_NINE) == 1  # the UTC date is still 2026-12-01
