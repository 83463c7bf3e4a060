"""The desk's queue board and calling over lines: one wait everywhere, what each person did, no dead ends."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine

from tests.kiosk.hub.conftest import Hub
from tests.kiosk.hub.factories import submission

MORNING = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 10:00 in Seoul


@pytest.fixture
def traveller() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(MORNING, tick=False) as t:
        yield t


def _ticket(
    hub: Hub, lobby: dict[str, str], line: str, key: str, visit_id: str | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"line": line} if visit_id is None else {"line": line, "visit_id": visit_id}
    r = hub.http.post("/tickets", json=body, headers={**lobby, "Idempotency-Key": key})
    assert r.status_code == 200, r.text
    return dict(r.json())


def _line(board: dict[str, Any], code: str) -> dict[str, Any]:
    return next(line for line in board["lines"] if line["line"] == code)


def test_a_ticket_in_line_b_is_called_from_the_desk_with_one_action(hub: Hub) -> None:
    lobby, _ = hub.enroll("lobby")
    waiting_b = _ticket(hub, lobby, "B", "board-000001")
    counselor = hub.login("kim")
    # the desk's own line A is empty: asking A alone says so, but the desk's one action calls over all lines
    only_a = hub.http.post("/queue/call-next", json={"desk": "3", "lines": ["A"]}, headers=counselor)
    assert only_a.status_code == 204
    called = hub.http.post("/queue/call-next", json={"desk": "3"}, headers=counselor)
    assert called.status_code == 200, called.text
    assert (called.json()["display"], called.json()["desk"]) == (waiting_b["display"], "3")
    assert hub.http.post("/queue/call-next", json={"desk": "3"}, headers=counselor).status_code == 204
    board = hub.http.get("/queue", headers=counselor).json()
    assert _line(board, "B")["waiting"] == [] and _line(board, "B")["called"][0]["display"] == "B-001"


def test_over_lines_the_longest_waiting_goes_first_and_transfers_before_new(
    hub: Hub, traveller: time_machine.Traveller
) -> None:
    lobby, _ = hub.enroll("lobby")
    counselor = hub.login("kim")
    first_c = _ticket(hub, lobby, "C", "board-000002")
    traveller.shift(timedelta(minutes=1))
    a = _ticket(hub, lobby, "A", "board-000003")
    traveller.shift(timedelta(minutes=1))
    b = _ticket(hub, lobby, "B", "board-000004")
    call = {"desk": "3", "lines": ["A", "B"]}
    got = hub.http.post("/queue/call-next", json=call, headers=counselor).json()
    assert got["display"] == a["display"]  # C is not this desk's; of A and B, A waited longest
    moved = hub.http.post(
        f"/tickets/{got['id']}/transfer", json={"line": "B", "note": "채무조정 상담"}, headers=counselor
    ).json()
    again = hub.http.post("/queue/call-next", json=call, headers=counselor).json()
    assert again["id"] == moved["id"] and again["id"] != b["id"]  # the transferred person waited once already
    assert hub.http.post("/queue/call-next", json=call, headers=counselor).json()["id"] == b["id"]
    assert (
        hub.http.post("/queue/call-next", json={"desk": "3"}, headers=counselor).json()["id"] == first_c["id"]
    )


def test_every_screen_shows_the_same_wait(hub: Hub) -> None:
    lobby, _ = hub.enroll("lobby")
    issued = [_ticket(hub, lobby, "A", f"board-00001{i}") for i in range(3)]
    counselor = hub.login("kim")
    line = _line(hub.http.get("/queue", headers=counselor).json(), "A")
    minutes = line["service_minutes"]
    assert minutes == 15 and line["measured"] is False  # config/service_lines.toml's default for A
    rows = line["waiting"]
    assert [r["people_ahead"] for r in rows] == [0, 1, 2]
    # what the lobby printed is what the desk shows, row by row, and the line's wait for a new number
    assert [r["wait_minutes"] for r in rows] == [t["wait_minutes"] for t in issued] == [0, 15, 30]
    assert line["estimated_wait_minutes"] == 45 == _ticket(hub, lobby, "A", "board-000019")["wait_minutes"]


def test_the_wait_follows_the_measured_pace(hub: Hub, traveller: time_machine.Traveller) -> None:
    lobby, _ = hub.enroll("lobby")
    counselor = hub.login("kim")
    for i, minutes in enumerate((4, 6, 20)):  # median 6
        _ticket(hub, lobby, "B", f"board-00002{i}")
        ticket = hub.http.post("/queue/B/call-next", json={"desk": "1"}, headers=counselor).json()
        traveller.shift(timedelta(minutes=minutes))
        assert hub.http.post(f"/tickets/{ticket['id']}/done", headers=counselor).status_code == 200
    waiting = [_ticket(hub, lobby, "B", f"board-00003{i}") for i in range(3)]
    line = _line(hub.http.get("/queue", headers=counselor).json(), "B")
    assert (line["service_minutes"], line["measured"]) == (6.0, True)
    assert [r["wait_minutes"] for r in line["waiting"]] == [t["wait_minutes"] for t in waiting] == [0, 6, 12]


def test_rows_say_intake_done_ticket_only_and_a_call_for_staff(hub: Hub) -> None:
    lobby, _ = hub.enroll("lobby")
    visit_id = hub.http.post("/visits", json=submission(41), headers=lobby).json()["visit_id"]
    with_intake = _ticket(hub, lobby, "A", "board-000041", visit_id)
    only = _ticket(hub, lobby, "A", "board-000042")
    counselor = hub.login("kim")

    def rows() -> dict[str, dict[str, Any]]:
        line = _line(hub.http.get("/queue", headers=counselor).json(), "A")
        return {r["id"]: r for r in line["waiting"]}

    first = rows()
    assert first[with_intake["id"]]["intake"] == "intake_done"
    assert first[only["id"]]["intake"] == "ticket_only"
    assert not any(r["help_requested"] for r in first.values())
    # the person's kiosk rings for staff: the desk sees it on that person's row, not on anyone else's
    mirror = {"step": "ticket", "title_ko": "번호표", "needs_help": True}
    assert hub.http.post("/devices/mirror", json=mirror, headers=lobby).status_code == 200
    ringing = rows()
    assert ringing[with_intake["id"]]["help_requested"] is True
    assert ringing[only["id"]]["help_requested"] is False
    # a lobby reading the queue learns numbers and waits only
    public = _line(hub.http.get("/queue", headers=lobby).json(), "A")["waiting"]
    assert {(r["intake"], r["help_requested"]) for r in public} == {("ticket_only", False)}
    # the kiosk moves on: the call is answered
    assert hub.http.post("/devices/mirror", json={"step": "welcome"}, headers=lobby).status_code == 200
    assert rows()[with_intake["id"]]["help_requested"] is False


@pytest.mark.parametrize(
    "body",
    [
        {"desk": "3", "lines": []},
        {"desk": "3", "lines": ["a"]},
        {"desk": "3", "lines": ["Z"]},
        {"desk": "3", "lines": "B"},
        {"desk": ""},
        {"desk": "3", "lines": ["B"], "extra": 1},
        {},
    ],
)
def test_bad_call_over_lines_is_refused(hub_sqlite: Hub, body: dict[str, Any]) -> None:
    counselor = hub_sqlite.login("kim")
    r = hub_sqlite.http.post("/queue/call-next", json=body, headers=counselor)
    assert r.status_code == 422, r.text


def test_only_counselors_call_over_lines(hub_sqlite: Hub) -> None:
    lobby, _ = hub_sqlite.enroll("lobby")
    _ticket(hub_sqlite, lobby, "B", "board-000051")
    r = hub_sqlite.http.post("/queue/call-next", json={"desk": "3"}, headers=lobby)
    assert r.status_code in (401, 403)
