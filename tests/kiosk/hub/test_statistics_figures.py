"""/statistics with HQ's definitions, on SQLite and PostgreSQL: a hand-made day whose figures are known
(waits → mean, median and p90 as percentile_cont gives them, even counts included), the groupings, the
center's day edges in Asia/Seoul, and the periods and groupings refused."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from db.models import Case, Counselor, FollowUp, MatchResult, Ticket, Visit
from db.models.enums import FollowUpStatus, TicketStatus
from tests.kiosk.hub.conftest import Hub
from tests.kiosk.hub.factories import submission

KST = ZoneInfo("Asia/Seoul")
DAY = date(2026, 12, 2)  # a Wednesday
NEXT_NOON = datetime(2026, 12, 3, 12, 0, tzinfo=KST)  # "today" for overdue: the day after


def _at(hour: int, minute: int, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=KST)


def _hand_made_day(hub: Hub) -> None:
    """Five tickets (one more number reserved), three visits, four follow-ups, as the hub stores them."""
    with hub.sessions() as s:
        ids = {c.username: c.id for c in s.scalars(select(Counselor))}
        kim, lee = ids["kim"], ids["lee"]
        tickets: list[tuple[str, TicketStatus, uuid.UUID | None, int, int | None, int | None]] = [
            # line, how it ended, last caller, issued, called, done (minutes after 10:00)
            ("A", TicketStatus.DONE, kim, 0, 5, 20),  # wait 5, service 15
            ("A", TicketStatus.DONE, kim, 0, 10, 40),  # wait 10, service 30
            ("B", TicketStatus.NO_SHOW, lee, 0, 20, 25),  # wait 20
            ("B", TicketStatus.TRANSFERRED, lee, 0, 40, 45),  # wait 40 (over the 30-minute target)
            ("A", TicketStatus.WAITING, None, 30, None, None),
            ("A", TicketStatus.RESERVED, None, 0, None, None),  # never handed out: no ticket
        ]
        for n, (line, status, who, issued, called, done) in enumerate(tickets, 1):
            s.add(
                Ticket(
                    center_id=hub.center_id,
                    service_date=DAY,
                    line=line,
                    number=n,
                    display=f"{line}-{n:03d}",
                    status=status,
                    counselor_id=who,
                    created_at=_at(10, issued),
                    called_at=None if called is None else _at(10, called),
                    done_at=None if done is None else _at(10, done),
                )
            )
        visits = [
            # outcome, its counselor, verdicts
            (
                "debt_adjustment_applied",
                kim,
                [("ccrs.pre_workout", "eligible"), ("ccrs.fast_track", "maybe")],
            ),
            (None, kim, [("ccrs.fast_track", "maybe"), ("ccrs.other", "ineligible")]),  # no outcome yet
            ("referred", lee, []),
        ]
        cases = []
        for outcome, who, verdicts in visits:
            visit = Visit(center_id=hub.center_id, created_at=_at(9, 30))
            s.add(visit)
            s.flush()
            case = Case(visit_id=visit.id, counselor_id=who, outcome=outcome)
            s.add(case)
            s.add(
                MatchResult(
                    visit_id=visit.id,
                    catalogue_version="t",
                    engine_version="t",
                    verdicts=[{"id": i, "verdict": v, "reasons": []} for i, v in verdicts],
                )
            )
            s.flush()
            cases.append(case.id)
        for case_id, due, done_or_not in (
            (cases[0], DAY, FollowUpStatus.DONE),
            (cases[0], DAY, FollowUpStatus.PLANNED),  # overdue the day after
            (cases[2], DAY, FollowUpStatus.MISSED),  # not done: overdue too
            (cases[0], DAY + timedelta(days=5), FollowUpStatus.PLANNED),  # due after the period
        ):
            s.add(FollowUp(case_id=case_id, due_date=due, kind="call", status=done_or_not))
        s.commit()


def _statistics(hub: Hub, **params: str) -> dict[str, Any]:
    with time_machine.travel(NEXT_NOON, tick=False):
        r = hub.http.get(
            "/statistics",
            params={"date_from": DAY.isoformat(), "date_to": DAY.isoformat(), **params},
            headers=hub.login("boss"),
        )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def test_a_days_figures_are_hqs(hub: Hub) -> None:
    _hand_made_day(hub)
    stats = _statistics(hub)
    assert (stats["tickets_issued"], stats["served"], stats["no_shows"], stats["transfers"]) == (5, 2, 1, 1)
    # Waits 5, 10, 20, 40: the median of an even count lies between the middle two; p90 at 0.9·3 = 2.7.
    assert stats["wait_mean_minutes"] == pytest.approx(18.75)
    assert stats["wait_median_minutes"] == pytest.approx(15.0)
    assert stats["wait_p90_minutes"] == pytest.approx(20 + 0.7 * 20)
    assert stats["median_wait_minutes"] == 15.0
    assert stats["service_mean_minutes"] == pytest.approx(22.5)
    assert (stats["waits_over_target"], stats["wait_target_minutes"]) == (pytest.approx(0.25), 30.0)
    assert (stats["visits"], stats["visits_eligible"]) == (3, 1)
    assert (stats["programs_eligible"], stats["programs_maybe"]) == (1, 2)
    assert stats["programs"] == {
        "ccrs.pre_workout": {"eligible": 1, "maybe": 0},
        "ccrs.fast_track": {"eligible": 0, "maybe": 2},
    }
    assert stats["outcomes"] == {"debt_adjustment_applied": 1, "referred": 1}
    assert (stats["followups_due"], stats["followups_done"], stats["followups_overdue"]) == (3, 1, 2)
    # The figures the screens read before: by line and status of issued tickets, served per counselor.
    assert stats["tickets_by_line"] == {"A": 3, "B": 2}
    assert stats["tickets_by_status"] == {"done": 2, "no_show": 1, "transferred": 1, "waiting": 1}
    assert stats["served_by_counselor"] == {"kim": 2}
    assert stats["followups_open"] == 2 and stats["groups"] == []


def test_a_days_figures_per_counselor_and_line(hub: Hub) -> None:
    _hand_made_day(hub)
    per = {g["key"]: g for g in _statistics(hub, by="counselor")["groups"]}
    assert list(per) == [None, "kim", "lee"]
    kim, lee, nobody = per["kim"], per["lee"], per[None]
    assert (kim["tickets_issued"], kim["served"], kim["visits"], kim["followups_due"]) == (2, 2, 1, 2)
    assert kim["wait_median_minutes"] == pytest.approx(7.5) and kim["wait_p90_minutes"] == pytest.approx(9.5)
    assert (lee["no_shows"], lee["transfers"], lee["followups_overdue"]) == (1, 1, 1)
    assert lee["waits_over_target"] == pytest.approx(0.5) and lee["outcomes"] == {"referred": 1}
    # The waiting ticket nobody called, and the visit without an outcome, belong to no counselor.
    assert (nobody["tickets_issued"], nobody["wait_median_minutes"], nobody["visits"]) == (1, None, 1)
    assert nobody["programs"] == {"ccrs.fast_track": {"eligible": 0, "maybe": 1}}
    lines = {g["key"]: g for g in _statistics(hub, by="line")["groups"]}
    assert lines["A"]["tickets_issued"] == 3 and lines["B"]["wait_p90_minutes"] == pytest.approx(38.0)
    # Visits and follow-ups carry no line (HQ's visit.submitted has none): they are the None row.
    assert (lines[None]["visits"], lines[None]["followups_due"], lines[None]["tickets_issued"]) == (3, 3, 0)


def test_an_odd_count_and_a_single_wait(hub: Hub) -> None:
    _hand_made_day(hub)
    with hub.sessions() as s:  # a fifth wait: 30 minutes for the waiting ticket (issued 10:30)
        waiting = s.scalars(select(Ticket).where(Ticket.status == TicketStatus.WAITING)).one()
        waiting.status, waiting.called_at = TicketStatus.CALLED, _at(11, 0)
        s.commit()
    stats = _statistics(hub)
    assert stats["wait_median_minutes"] == pytest.approx(20.0)  # 5, 10, 20, 30, 40
    assert stats["wait_p90_minutes"] == pytest.approx(30 + 0.6 * 10)  # position 3.6
    nobody = next(g for g in _statistics(hub, by="counselor")["groups"] if g["key"] is None)
    assert nobody["wait_median_minutes"] == nobody["wait_p90_minutes"] == pytest.approx(30.0)


def test_an_empty_period_has_zero_figures(hub: Hub) -> None:
    stats = _statistics(hub, by="day")
    assert (stats["visits"], stats["tickets_issued"], stats["wait_median_minutes"]) == (0, 0, None)
    assert stats["median_wait_minutes"] is None and stats["groups"] == []


LATE_SUNDAY = datetime(2026, 11, 29, 23, 50, tzinfo=KST)  # week of Mon 23 Nov, November
LATE_TUESDAY = datetime(2026, 12, 1, 23, 50, tzinfo=KST)  # 14:50 UTC, the same date
EARLY_WEDNESDAY = datetime(2026, 12, 2, 0, 30, tzinfo=KST)  # 2026-12-01 15:30 in UTC


def test_periods_are_the_centers_days_weeks_and_months(hub: Hub) -> None:
    lobby, _ = hub.enroll("lobby")
    for n, moment in enumerate((LATE_SUNDAY, LATE_TUESDAY, EARLY_WEDNESDAY)):
        with time_machine.travel(moment, tick=False):
            visit_id = hub.http.post("/visits", json=submission(n + 1), headers=lobby).json()["visit_id"]
            r = hub.http.post(
                "/tickets",
                json={"line": "A", "visit_id": visit_id},
                headers={**lobby, "Idempotency-Key": f"edge-{n:04d}"},
            )
            assert r.status_code == 200, r.text

    def grouped(by: str) -> dict[str, tuple[int, int]]:
        stats = _statistics(hub, by=by, date_from="2026-11-29", date_to="2026-12-02")
        return {g["key"]: (g["visits"], g["tickets_issued"]) for g in stats["groups"]}

    # 00:30 on Wednesday is the center's Wednesday, though in UTC it is still Tuesday.
    assert grouped("day") == {"2026-11-29": (1, 1), "2026-12-01": (1, 1), "2026-12-02": (1, 1)}
    assert grouped("week") == {"2026-11-23": (1, 1), "2026-11-30": (2, 2)}
    assert grouped("month") == {"2026-11-01": (1, 1), "2026-12-01": (2, 2)}
    tuesday = _statistics(hub, date_from="2026-12-01", date_to="2026-12-01")
    assert (tuesday["visits"], tuesday["tickets_issued"]) == (1, 1)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "2026-12-02", "date_to": "2026-12-01"}, None),  # ends before it starts
        ({"date_from": "2016-12-01", "date_to": "2026-12-01"}, None),  # ten years
        ({"by": "center"}, "query.by"),
        ({"by": "counselor,line"}, "query.by"),
    ],
)
def test_bad_periods_and_groupings_are_refused_in_korean(
    hub: Hub, params: dict[str, str], field: str | None
) -> None:
    r = hub.http.get("/statistics", params=params, headers=hub.login("boss"))
    assert r.status_code == 422
    error = r.json()["error"]
    assert any("\uac00" <= ch <= "\ud7a3" for ch in error["message_ko"])  # Hangul, for the desk
    if field is None:
        assert error["code"] == "bad_period"
    else:
        assert field in error["fields"]


def test_five_years_is_the_longest_period(hub: Hub) -> None:
    r = hub.http.get(
        "/statistics",
        params={"date_from": "2021-12-03", "date_to": "2026-12-01", "by": "month"},
        headers=hub.login("boss"),
    )
    assert r.status_code == 200, r.text
    assert r.json()["groups"] == []
