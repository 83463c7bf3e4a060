"""The fleet at a glance (issue 20 item 7): a device's health report is stored with its HQ sync event in
one transaction, and a printer out for 10 minutes of opening hours raises one alert per outage.

The clock is pinned with time-machine to Thursday 2026-12-03 in Seoul, so the tests mean the same at
any hour of a UTC machine. The alert job runs by hand (``run_once``), as the hub's thread would.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from config import load_settings
from config.sections.hub import HubSection
from db.models import Device, DeviceHealth, SyncEvent
from db.session import make_sessionmaker
from kiosk.hq.codec import check_event_data
from kiosk.hub import fleet
from kiosk.hub.fleet import FleetJob, OpeningHours
from tests.kiosk.hub.conftest import Hub

SEOUL = ZoneInfo("Asia/Seoul")
THURSDAY_10 = datetime(2026, 12, 3, 10, 0, tzinfo=SEOUL)  # opening hours: 09:00–18:00 on weekdays
LABEL = "1번 키오스크"


def _kst(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=SEOUL)


class Fleet:
    """A hub, one lobby kiosk reporting, and the alert job whose bus events are collected."""

    def __init__(self, hub: Hub, traveller: time_machine.Traveller) -> None:
        self.hub, self.traveller = hub, traveller
        self.lobby, _token = hub.enroll("lobby", label=LABEL)
        with hub.sessions() as s:
            self.device_id = s.scalars(select(Device.id).where(Device.label == LABEL)).one()
        self.published: list[tuple[str, str, dict[str, Any]]] = []
        self.job = FleetJob(hub.sessions, load_settings().hub, self._publish)
        self.hub.app.state.hub.bus.publish = self._publish  # the route's bus events too

    def _publish(self, center: str, kind: str, data: dict[str, Any]) -> None:
        self.published.append((center, kind, data))

    def report(self, printer: str, **extra: Any) -> None:
        body = {"component": "printer", "status": "ok" if printer == "ok" else "error", "printer": printer}
        r = self.hub.http.post("/devices/health", json=body | extra, headers=self.lobby)
        assert r.status_code == 200, r.text

    def at(self, moment: datetime) -> None:
        self.traveller.move_to(moment)

    def alerts(self) -> list[dict[str, Any]]:
        return [d for _c, kind, d in self.published if kind == "device.alert"]

    def health_events(self) -> list[dict[str, Any]]:
        with self.hub.sessions() as s:
            rows = s.scalars(
                select(SyncEvent)
                .where(SyncEvent.center_id == self.hub.center_id, SyncEvent.type == "device.health")
                .order_by(SyncEvent.seq)
            ).all()
            for r in rows:
                check_event_data("device.health", r.data)  # what HQ's ingest would refuse stops the sync
            return [dict(r.data, seq=r.seq) for r in rows]


@pytest.fixture
def traveller() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(THURSDAY_10, tick=False) as t:
        yield t


@pytest.fixture
def fleet_hub(hub: Hub, traveller: time_machine.Traveller) -> Fleet:
    """On SQLite and PostgreSQL: storing, the sync event, the alert's episode and bad input."""
    return Fleet(hub, traveller)


@pytest.fixture
def fleet_sqlite(hub_sqlite: Hub, traveller: time_machine.Traveller) -> Fleet:
    """SQLite only: the rule's calendar and the list's access do not depend on the engine."""
    return Fleet(hub_sqlite, traveller)


def test_a_report_is_stored_with_its_sync_event(fleet_hub: Fleet) -> None:
    fleet_hub.report("paper_low", version="1.4.2", reader=True, detail={"rolls_left": 0, "model": "TM-T20"})
    with fleet_hub.hub.sessions() as s:
        row = s.get(DeviceHealth, fleet_hub.device_id)
        assert row is not None
        assert (row.printer, row.version, row.reader) == ("paper_low", "1.4.2", True)
        assert row.last_seen == THURSDAY_10.astimezone(UTC)
        assert row.detail == {"rolls_left": 0, "model": "TM-T20"}
    [event] = fleet_hub.health_events()
    assert event["seq"] is not None
    assert event == {
        "device_id": str(fleet_hub.device_id),
        "kind": "lobby",
        "last_seen": THURSDAY_10.astimezone(UTC).isoformat(),
        "version": "1.4.2",
        "printer": "paper_low",
        "reader": True,
        "seq": event["seq"],
    }
    # The bus still carries the report as it always did (the desks' existing listeners).
    [(_center, _kind, data)] = [p for p in fleet_hub.published if p[1] == "device.health"]
    assert data == {
        "device_id": str(fleet_hub.device_id),
        "component": "printer",
        "status": "error",
        "code": "",
        "message_ko": "",
    }
    # An older client's report (no printer field) still sets the state, from its code.
    body = {
        "component": "printer",
        "status": "warning",
        "code": "PRN-PAPER-OUT",
        "message_ko": "용지가 없어요",
    }
    assert fleet_hub.hub.http.post("/devices/health", json=body, headers=fleet_hub.lobby).status_code == 200
    with fleet_hub.hub.sessions() as s:
        assert s.get(DeviceHealth, fleet_hub.device_id).printer == "paper_out"  # type: ignore[union-attr]
    assert [e["printer"] for e in fleet_hub.health_events()] == ["paper_low", "paper_out"]


def test_the_row_and_its_sync_event_share_one_transaction(
    fleet_sqlite: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    fleet_hub = fleet_sqlite

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("the event could not be written")

    monkeypatch.setattr(fleet.sync_events, "device_health", refuse)
    with pytest.raises(RuntimeError):
        fleet_hub.report("paper_out")
    with fleet_hub.hub.sessions() as s:
        assert s.get(DeviceHealth, fleet_hub.device_id) is None  # no health without its event for HQ
    assert fleet_hub.health_events() == []


def test_paper_out_alerts_once_at_ten_minutes_and_again_after_it_was_fixed(fleet_hub: Fleet) -> None:
    fleet_hub.report("paper_out")
    fleet_hub.at(_kst(3, 10, 9))
    assert fleet_hub.job.run_once() == []  # 9 minutes: not yet
    fleet_hub.at(_kst(3, 10, 10))
    [alert] = fleet_hub.job.run_once()
    assert fleet_hub.alerts() == [
        {
            "device_id": str(fleet_hub.device_id),
            "label": LABEL,
            "printer": "paper_out",
            "since": THURSDAY_10.astimezone(UTC).isoformat(),
            "minutes": 10,
            "active": True,
        }
    ]
    assert alert.center_id == fleet_hub.hub.center_id
    hq = fleet_hub.health_events()[-1]
    assert hq["alert"] == {
        "printer": "paper_out",
        "since": THURSDAY_10.astimezone(UTC).isoformat(),
        "minutes": 10,
    }

    fleet_hub.at(_kst(3, 10, 15))
    fleet_hub.report("paper_out")  # the heartbeat repeats the state: the same outage
    assert fleet_hub.job.run_once() == []
    assert len(fleet_hub.alerts()) == 1

    listed = fleet_hub.hub.http.get("/devices/health", headers=fleet_hub.hub.login("kim")).json()
    assert [(d["label"], d["printer"], d["alert"]) for d in listed] == [(LABEL, "paper_out", True)]

    fleet_hub.at(_kst(3, 10, 16))
    fleet_hub.report("ok")  # paper loaded: the desk's banner goes
    assert fleet_hub.alerts()[-1] == {
        "device_id": str(fleet_hub.device_id),
        "label": LABEL,
        "printer": "ok",
        "since": None,
        "minutes": 0,
        "active": False,
    }
    fleet_hub.at(_kst(3, 10, 40))
    assert fleet_hub.job.run_once() == []

    fleet_hub.report("cover_open")  # a new outage: a new alert after its own 10 minutes
    fleet_hub.at(_kst(3, 10, 49))
    assert fleet_hub.job.run_once() == []
    fleet_hub.at(_kst(3, 10, 50))
    [again] = fleet_hub.job.run_once()
    assert (again.printer, again.since) == ("cover_open", _kst(3, 10, 40).astimezone(UTC))
    assert [a["active"] for a in fleet_hub.alerts()] == [True, False, True]


def test_no_alert_outside_opening_hours(fleet_sqlite: Fleet) -> None:
    for out_at, checked_at in [
        (_kst(3, 20, 0), _kst(3, 20, 30)),  # Thursday evening, after closing
        (_kst(5, 10, 0), _kst(5, 11, 0)),  # Saturday morning
        (_kst(3, 17, 55), _kst(3, 23, 0)),  # 5 minutes before closing, then the night
        (_kst(3, 17, 55), _kst(4, 9, 4)),  # …and 4 minutes of the next morning: 9 in all
    ]:
        fleet_sqlite.at(out_at)
        fleet_sqlite.report("offline")
        fleet_sqlite.at(checked_at)
        assert fleet_sqlite.job.run_once() == [], (out_at, checked_at)
        fleet_sqlite.report("ok")  # the next case is an outage of its own
    assert fleet_sqlite.alerts() == []
    # The 5 minutes before Thursday's closing count with Friday's first 5: 10 of opening hours.
    fleet_sqlite.at(_kst(3, 17, 55))
    fleet_sqlite.report("paper_out")
    fleet_sqlite.at(_kst(4, 9, 5))
    [alert] = fleet_sqlite.job.run_once()
    assert alert.minutes == 10


def test_a_revoked_device_raises_no_alert(fleet_sqlite: Fleet) -> None:
    fleet_hub = fleet_sqlite
    fleet_hub.report("paper_out")
    boss = fleet_hub.hub.login("boss")
    r = fleet_hub.hub.http.post(f"/devices/{fleet_hub.device_id}/revoke", headers=boss)
    assert r.status_code == 200
    fleet_hub.at(_kst(3, 10, 30))
    assert fleet_hub.job.run_once() == []


def test_the_fleet_list_is_for_staff_of_the_center(fleet_sqlite: Fleet) -> None:
    fleet_hub = fleet_sqlite
    fleet_hub.report("ok", reader=False)
    other_lobby, _ = fleet_hub.hub.enroll("lobby", center="gwanak", label="다른 센터 키오스크")
    r = fleet_hub.hub.http.post(
        "/devices/health", json={"component": "printer", "status": "ok"}, headers=other_lobby
    )
    assert r.status_code == 200
    never, _ = fleet_hub.hub.enroll("desk", label="3번 상담석")  # enrolled, never reported
    listed = fleet_hub.hub.http.get("/devices/health", headers=fleet_hub.hub.login("kim"))
    assert listed.status_code == 200
    rows = {d["label"]: d for d in listed.json()}
    assert set(rows) == {LABEL, "3번 상담석"}
    assert (rows[LABEL]["printer"], rows[LABEL]["reader"]) == ("ok", False)
    assert (rows["3번 상담석"]["printer"], rows["3번 상담석"]["last_seen"]) == ("none", None)
    assert fleet_hub.hub.http.get("/devices/health", headers=fleet_hub.lobby).status_code == 403
    assert fleet_hub.hub.http.get("/devices/health").status_code == 401
    assert fleet_hub.hub.http.get("/devices/health", headers=never).status_code == 403
    # Only devices report.
    body = {"component": "printer", "status": "ok"}
    kim = fleet_hub.hub.login("kim")
    assert fleet_hub.hub.http.post("/devices/health", json=body, headers=kim).status_code == 403
    assert fleet_hub.hub.http.post("/devices/health", json=body).status_code == 401


BAD_REPORTS: list[dict[str, Any]] = [
    {"component": "printer", "status": "ok", "printer": "jammed"},  # an unknown printer state
    {"component": "printer", "status": "broken"},  # an unknown status
    {"component": "Printer!", "status": "ok"},
    {"component": "printer", "status": "ok", "reader": "yes please"},
    {"component": "printer", "status": "ok", "version": "1.0 beta; drop table"},
    {"component": "printer", "status": "ok", "version": "v" * 41},
    {"component": "printer", "status": "ok", "detail": {f"k{i}": i for i in range(21)}},  # too many keys
    {"component": "printer", "status": "ok", "detail": {"note": "x" * 81}},  # too long a value
    {"component": "printer", "status": "ok", "detail": {"nested": {"a": 1}}},
    {"component": "printer", "status": "ok", "detail": {"Bad-Key": 1}},
    {"component": "printer", "status": "ok", "detail": {"n": 2**60}},
    {"component": "printer", "status": "ok", "detail": {"n": "a\x00b"}},
    {"component": "printer", "status": "ok", "message_ko": "900101-1234567 님 용지"},  # RRN-shaped
    {"component": "printer", "status": "ok", "detail": {"contact": "010-1234-5678"}},  # phone-shaped
    {"component": "printer", "status": "ok", "code": "01012345678"},
    {"component": "printer", "status": "ok", "version": "900101-1234567"},
    {"component": "printer", "status": "ok", "extra": 1},  # unknown field
]


def test_bad_reports_are_refused_and_nothing_is_stored(fleet_hub: Fleet) -> None:
    for body in BAD_REPORTS:
        r = fleet_hub.hub.http.post("/devices/health", json=body, headers=fleet_hub.lobby)
        assert r.status_code == 422, (body, r.text)
        assert "900101" not in r.text and "010-1234" not in r.text  # the refusal does not echo it
    with fleet_hub.hub.sessions() as s:
        assert s.get(DeviceHealth, fleet_hub.device_id) is None
    assert fleet_hub.health_events() == []


# --- opening hours, the calculator -------------------------------------------------------------------
HOURS = OpeningHours.from_settings(HubSection())
# Hypothesis takes naive bounds and applies the zone itself.
_instants = st.datetimes(
    min_value=datetime(2026, 1, 1),  # noqa: DTZ001
    max_value=datetime(2027, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)


@settings(max_examples=200, deadline=None)
@given(a=_instants, b=_instants, c=_instants)
def test_open_time_adds_up_and_never_exceeds_the_span(a: datetime, b: datetime, c: datetime) -> None:
    a, b, c = sorted((a, b, c))
    whole = HOURS.open_time_between(a, c)
    assert timedelta(0) <= whole <= c - a
    if c - a <= timedelta(days=300):  # inside the lookback bound, the count is exact
        assert whole == HOURS.open_time_between(a, b) + HOURS.open_time_between(b, c)
    assert HOURS.open_time_between(c, a) == timedelta(0)


def test_a_week_of_opening_hours_is_five_working_days() -> None:
    monday = datetime(2026, 11, 30, tzinfo=SEOUL)
    assert HOURS.open_time_between(monday, monday + timedelta(days=7)) == timedelta(hours=45)
    assert HOURS.is_open(_kst(3, 9, 0)) and not HOURS.is_open(_kst(3, 18, 0))
    assert not HOURS.is_open(_kst(6, 12, 0))  # Sunday


def test_the_alert_job_survives_a_failing_pass(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def broken(*_args: Any) -> list[Any]:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database hiccup")
        job.close()
        return []

    job = FleetJob(make_sessionmaker(sqlite_engine), HubSection(), interval_s=0.0)
    monkeypatch.setattr(fleet, "raise_due_alerts", broken)
    job._run()  # the thread's loop, on this thread: the first failure is logged, the second pass runs
    assert len(calls) == 2
