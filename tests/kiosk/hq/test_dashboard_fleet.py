"""The fleet rules without a database: device.health read leniently (hypothesis over any JSON), the
opening-hours clock of "손이 필요해요", and the out-of-paper streak."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from kiosk.hq.dashboard_fleet import (
    PAPER_ALERT_AFTER,
    fleet_status,
    needs_hand_by_center,
    opening_time_between,
    printer_state,
    reader_present,
)

SEOUL = ZoneInfo("Asia/Seoul")
MONDAY_0900 = datetime(2026, 11, 2, 9, 0, tzinfo=SEOUL)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
WORDS = st.sampled_from(["paper_out", "ready", "cover_open", "offline", "paper_near_end", "weird", ""])
# hypothesis takes naive bounds and adds the zone itself
TIMES = st.datetimes(
    min_value=datetime(2026, 1, 1),  # noqa: DTZ001
    max_value=datetime(2027, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)


@given(JSON)
def test_any_printer_or_reader_report_is_read_without_raising(value: Any) -> None:
    state = printer_state(value)
    assert state is None or state.paper in {"ok", "low", "out", "unknown"}
    assert state is None or state.label_ko
    assert reader_present(value) in {True, False, None}


@given(
    st.dictionaries(st.sampled_from(["device_id", "kind", "version", "printer", "reader", "last_seen"]), JSON)
)
def test_any_health_event_data_is_shown_or_skipped_never_fatal(data: dict[str, Any]) -> None:
    statuses = fleet_status([("c", MONDAY_0900, data)], MONDAY_0900 + timedelta(hours=1), SEOUL)
    assert len(statuses) <= 1


def test_printer_words_and_objects_mean_what_a_person_would_say() -> None:
    assert printer_state("paper_out").label_ko == "용지 없음"  # type: ignore[union-attr]
    assert printer_state({"paper_out": True}).paper == "out"  # type: ignore[union-attr]
    assert printer_state({"state": "ready", "cover_open": True}).label_ko == "덮개 열림"  # type: ignore[union-attr]
    assert printer_state({"online": False}).label_en == "offline"  # type: ignore[union-attr]
    assert printer_state("no idea").label_ko == "알 수 없음"  # type: ignore[union-attr]
    assert printer_state(None) is None  # a device without a printer
    assert reader_present({"present": False}) is False and reader_present("present") is True


@given(TIMES, TIMES, TIMES)
def test_opening_time_adds_up_and_never_exceeds_the_interval(a: datetime, b: datetime, c: datetime) -> None:
    a, b, c = sorted((a, b, c))
    whole = opening_time_between(a, c, SEOUL)
    assert timedelta(0) <= whole <= c - a
    assert whole == opening_time_between(a, b, SEOUL) + opening_time_between(b, c, SEOUL)
    assert opening_time_between(c, a, SEOUL) == timedelta(0) or a == c


def test_opening_hours_are_weekdays_nine_to_six_in_seoul() -> None:
    assert opening_time_between(MONDAY_0900, MONDAY_0900 + timedelta(hours=12), SEOUL) == timedelta(hours=9)
    saturday = MONDAY_0900 + timedelta(days=5)
    assert opening_time_between(saturday, saturday + timedelta(days=2, hours=9), SEOUL) == timedelta(hours=9)
    friday_1755 = MONDAY_0900 + timedelta(days=4, hours=8, minutes=55)
    monday_0905 = friday_1755 + timedelta(days=3, hours=-8, minutes=-50)
    assert opening_time_between(friday_1755, monday_0905, SEOUL) == timedelta(minutes=10)


def _report(minutes: int, printer: Any, device: str = "d1") -> tuple[str, datetime, dict[str, Any]]:
    return ("c", MONDAY_0900 + timedelta(minutes=minutes), {"device_id": device, "printer": printer})


def test_out_of_paper_counts_from_the_first_report_of_the_streak() -> None:
    reports = [
        _report(0, "ready"),
        _report(5, "paper_out"),
        _report(12, "paper_out"),
        _report(13, "cover_open"),
    ]
    now = MONDAY_0900 + timedelta(minutes=16)
    assert [s.needs_hand for s in fleet_status(reports[:3], now, SEOUL)] == [True]  # since 09:05, 11 min
    assert fleet_status(reports, now, SEOUL)[0].needs_hand is False  # the last report is not paper out
    refilled = [_report(0, "paper_out"), _report(8, "ready"), _report(9, "paper_out")]
    status = fleet_status(refilled, now, SEOUL)[0]
    assert status.paper_out_since == MONDAY_0900 + timedelta(minutes=9) and not status.needs_hand
    assert needs_hand_by_center(fleet_status(reports[:3], now, SEOUL)) == {"c": 1}


def test_paper_out_at_night_waits_for_the_next_opening() -> None:
    evening = MONDAY_0900 + timedelta(hours=8, minutes=55)  # 17:55
    reports = [("c", evening, {"device_id": "d1", "printer": "paper_out"})]
    assert not fleet_status(reports, evening + timedelta(hours=4), SEOUL)[0].needs_hand  # 22:00: 5 minutes
    next_morning = evening + timedelta(hours=15, minutes=10)  # Tuesday 09:05
    assert opening_time_between(evening, next_morning, SEOUL) == PAPER_ALERT_AFTER
    assert fleet_status(reports, next_morning, SEOUL)[0].needs_hand
